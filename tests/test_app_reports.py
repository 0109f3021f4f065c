"""The Evaluasi tab's text: a local report wins; otherwise the committed baseline is shown as a report."""

from __future__ import annotations

import json
from pathlib import Path

from assistant.reports import BASELINE, eval_report_markdown


def test_the_committed_baseline_reads_as_a_report(tmp_path: Path) -> None:
    text = eval_report_markdown(tmp_path / "missing.md")
    assert text is not None and BASELINE.is_file()
    n = json.loads(BASELINE.read_text(encoding="utf-8"))["metrics"]["overall"]["n"]
    assert f"pada {n} pertanyaan uji" in text
    assert "| Fakta yang diharapkan muncul dalam jawaban |" in text and "%" in text
    assert "make eval" not in text


def test_a_local_report_wins_and_nothing_at_all_is_none(tmp_path: Path) -> None:
    local = tmp_path / "report.md"
    local.write_text("# Laporan lokal", encoding="utf-8")
    assert eval_report_markdown(local) == "# Laporan lokal"
    assert eval_report_markdown(tmp_path / "missing.md", tmp_path / "no-baseline.json") is None
