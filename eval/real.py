"""``python -m eval real``: the real government documents beside the sample corpus.

Each set of the real corpora (``../shared/real-corpora`` beside the repository, or ``KLASINOV_REAL_CORPORA``) is
indexed into its own data folder (``DATA_DIR/real/SET``, no glossary: a new guide has none) and its questions are
answered and scored as ``eval run`` does, with nothing fitted on them. ``eval/real/SET.yaml`` holds each set's
floors; a set missing from the machine is reported as skipped, never failed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from assistant.config import Settings
from eval.dataset import load_questions
from eval.gate import load_thresholds

HERE = Path(__file__).resolve().parent
GATES = HERE / "real"
SHOWN = (
    "hit_at_5",
    "mrr",
    "fact_recall",
    "lead_holds_facts",
    "citation_precision",
    "refusal_accuracy",
    "false_refusal_rate",
)


def corpora_root() -> Path | None:
    for folder in (HERE.parent.parent / "shared" / "real-corpora", Path(os.environ.get("KLASINOV_REAL_CORPORA", "-"))):
        if folder.is_dir():
            return folder
    return None


def run_real(settings: Settings, out: Path, mode: str = "extractive") -> bool:
    """Every gated set that is present; True when each passes its floors."""
    from eval.evaluate import evaluate, write_outputs
    from eval.report import render

    root = corpora_root()
    if root is None:
        print("eval real: no real corpora (../shared/real-corpora or KLASINOV_REAL_CORPORA); skipped", file=sys.stderr)
        return True
    rows, passed = [], True
    for gate in sorted(GATES.glob("*.yaml")):
        folder = root / gate.stem
        if not (folder / "questions.yaml").is_file():
            print(f"eval real: {gate.stem} is not in {root}; skipped", file=sys.stderr)
            continue
        data_dir = settings.data_dir / "real" / gate.stem
        own = settings.model_copy(
            update={"corpus_dir": folder, "data_dir": data_dir, "cache_dir": None, "glossary_file": None}
        )
        run = evaluate(own, load_questions(folder / "questions.yaml"), load_thresholds(gate), None, mode, None, False)
        write_outputs(run, out / gate.stem, render(run))
        failed = [c for c in run.checks if c.passed is False]
        for c in failed:
            print(f"eval real: FAIL {gate.stem} {c.path} = {c.value:.4f}, threshold {c.op} {c.target}", file=sys.stderr)
        passed = passed and not failed
        rows.append((gate.stem, len(run.questions), run.metrics["overall"], not failed))
    (out / "summary.md").parent.mkdir(parents=True, exist_ok=True)
    (out / "summary.md").write_text(summary(rows), encoding="utf-8")
    print(summary(rows))
    return passed


def summary(rows: list[tuple[str, int, dict[str, Any], bool]]) -> str:
    head = "| set | questions | " + " | ".join(SHOWN) + " | gate |\n|" + "---|" * (len(SHOWN) + 3) + "\n"
    lines = []
    for name, n, overall, ok in rows:
        values = " | ".join("–" if overall.get(k) is None else f"{overall[k]:.3f}" for k in SHOWN)
        lines.append(f"| {name} | {n} | {values} | {'pass' if ok else 'FAIL'} |")
    return "# Real documents\n\n" + head + "\n".join(lines) + "\n"
