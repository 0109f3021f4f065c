"""The Evaluasi tab's text: the latest local eval report, or else the committed baseline as a short report."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

BASELINE = Path(__file__).resolve().parents[1] / "eval" / "baseline.json"
# (metric key, what it measures in words, shown as a percentage?)
METRICS: tuple[tuple[str, str, bool], ...] = (
    ("fact_recall", "Fakta yang diharapkan muncul dalam jawaban", True),
    ("citation_precision", "Rujukan yang benar-benar mendukung kalimatnya", True),
    ("citation_validity", "Rujukan yang menunjuk ke sumber yang ada", True),
    ("hit_at_1", "Dokumen yang tepat di urutan pertama", True),
    ("hit_at_5", "Dokumen yang tepat di lima teratas", True),
    ("refusal_accuracy", "Pertanyaan di luar dokumen yang ditolak dengan benar", True),
    ("false_refusal_rate", "Pertanyaan yang bisa dijawab tetapi ditolak", True),
    ("sample_note_rate", "Jawaban dari contoh ketentuan yang diberi catatan", True),
    ("latency_p50_ms", "Waktu jawab (median, milidetik)", False),
    ("latency_p95_ms", "Waktu jawab (persentil 95, milidetik)", False),
)
LANGS = {"id": "Pertanyaan berbahasa Indonesia", "en": "Pertanyaan berbahasa Inggris"}


def _value(value: Any, percent: bool) -> str:
    if not isinstance(value, int | float):
        return "-"
    return f"{value * 100:.1f}%" if percent else f"{value:.0f}"


def baseline_markdown(data: Mapping[str, Any]) -> str:
    """The committed eval figures as a readable Markdown report."""
    metrics = data.get("metrics", {})
    overall = metrics.get("overall", {})
    lines = [
        "### Hasil evaluasi yang tersimpan",
        f"Diukur {str(data.get('created_at', '-'))[:16].replace('T', ' ')} UTC pada {overall.get('n', '-')} "
        f"pertanyaan uji, cara menjawab *{data.get('mode', '-')}*, {len(data.get('documents', {}))} dokumen.",
        "",
        "| Ukuran | Hasil |",
        "|---|---|",
    ]
    lines += [f"| {label} | {_value(overall.get(key), pct)} |" for key, label, pct in METRICS if key in overall]
    by_lang = metrics.get("by_lang", {})
    rows = [
        f"| {LANGS.get(lang, lang)} | {m.get('n', '-')} | {_value(m.get('fact_recall'), True)} |"
        for lang, m in sorted(by_lang.items())
    ]
    if rows:
        lines += ["", "| Bahasa | Pertanyaan | Fakta muncul |", "|---|---|---|", *rows]
    return "\n".join(lines)


def eval_report_markdown(local_report: Path, baseline: Path = BASELINE) -> str | None:
    """The newest local report when there is one, else the committed baseline; None when neither exists."""
    try:
        return local_report.read_text(encoding="utf-8")
    except (FileNotFoundError, UnicodeDecodeError):
        pass
    try:
        return baseline_markdown(json.loads(baseline.read_text(encoding="utf-8")))
    except (FileNotFoundError, json.JSONDecodeError):
        return None
