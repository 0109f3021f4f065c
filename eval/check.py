"""``python -m eval check``: the draft checker on eval/check_cases, precision and recall of *tidak ada* and *kurang*.

Each case is a draft and a YAML of expected statuses keyed by requirement name; the gate is 0.90 on all four.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from assistant.config import Settings

CASES = Path(__file__).resolve().parent / "check_cases"
GATE = 0.90
CLASSES = ("tidak ada", "kurang")
LONG_DRAFT, LONG_PAGES = "long-40-pages.pdf", 40


@dataclass(frozen=True)
class Outcome:
    case: str
    expected: str
    predicted: str
    requirement: str


def run_cases(settings: Settings, cases: Path = CASES) -> tuple[list[Outcome], dict[str, float], list[str]]:
    from assistant.check import open_checker
    from assistant.services import open_embedder, open_indexer

    embedder = open_embedder(settings)
    report = open_indexer(settings, embedder).sync(settings.corpus_dir)
    if report.failed:
        raise SystemExit(f"error: the corpus did not index: {report.failed}")
    checker = open_checker(settings, embedder)
    outcomes: list[Outcome] = []
    seconds: dict[str, float] = {}
    problems: list[str] = []
    for spec_path in sorted(cases.glob("*.yaml")):
        spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
        checker.requirements(spec["kind"])  # read once per kind, outside the timed check
        started = time.perf_counter()
        result = checker.check(cases / spec["draft"], spec["kind"])
        seconds[spec["draft"]] = time.perf_counter() - started
        got = {item.requirement.name: item.status for item in result.items}
        for name, status in spec["expected"].items():
            if name not in got:
                problems.append(f"{spec['draft']}: the checker has no requirement {name!r}")
            outcomes.append(Outcome(spec["draft"], status, got.get(name, "(tidak diperiksa)"), name))
        problems += [f"{spec['draft']}: unexpected requirement {n!r}" for n in got if n not in spec["expected"]]
    seconds[LONG_DRAFT] = _time_long_draft(checker)
    return outcomes, seconds, problems


def _time_long_draft(checker) -> float:  # type: ignore[no-untyped-def]
    """Seconds to check a 40-page PDF proposal (the target is 20 s); measured, not gated."""
    import tempfile

    from eval.check_cases.build import Case, parts_of, write_pdf

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / LONG_DRAFT
        padding = LONG_PAGES - 21  # the complete proposal case has 21 pages; padding adds pages after one
        parts, _ = parts_of(Case("long", "proposal", "pdf", "40 pages", pad_pages=padding))
        write_pdf(parts, path)
        started = time.perf_counter()
        result = checker.check(path, "proposal")
        elapsed = time.perf_counter() - started
        if result.items[0].status != "ada":
            raise SystemExit(f"error: the {LONG_PAGES}-page draft was misread: {result.items[0].evidence}")
        return elapsed


def scores(outcomes: list[Outcome]) -> dict[str, float]:
    result = {}
    for label in CLASSES:
        tp = sum(1 for o in outcomes if o.expected == label and o.predicted == label)
        predicted = sum(1 for o in outcomes if o.predicted == label)
        actual = sum(1 for o in outcomes if o.expected == label)
        key = label.replace(" ", "_")
        result[f"{key}_precision"] = tp / predicted if predicted else 1.0
        result[f"{key}_recall"] = tp / actual if actual else 1.0
    return result


def report(outcomes: list[Outcome], seconds: dict[str, float], problems: list[str]) -> tuple[str, dict]:
    metrics = scores(outcomes)
    wrong = [o for o in outcomes if o.expected != o.predicted]
    false_missing = [o for o in wrong if o.predicted == "tidak ada" and "lengkap" in o.case]
    lines = [f"check: {len({o.case for o in outcomes})} drafts, {len(outcomes)} requirement statuses"]
    lines += [f"  {k:<22} {v:.3f}" for k, v in metrics.items()]
    lines.append(f"  false 'tidak ada' on complete drafts: {len(false_missing)}")
    cases = {k: v for k, v in seconds.items() if k != LONG_DRAFT}
    slowest = max(cases, key=lambda k: cases[k])
    lines.append(f"  seconds per draft: max {cases[slowest]:.1f} ({slowest}), total {sum(cases.values()):.1f}")
    if LONG_DRAFT in seconds:
        lines.append(f"  {LONG_PAGES}-page PDF draft: {seconds[LONG_DRAFT]:.1f} s (target 20 s; measured, not gated)")
    lines += [f"  WRONG {o.case}: {o.requirement!r} expected {o.expected}, got {o.predicted}" for o in wrong]
    lines += [f"  NOTE {p}" for p in problems]
    data = {"metrics": metrics, "seconds": seconds, "wrong": [o.__dict__ for o in wrong], "problems": problems}
    return "\n".join(lines), data


def main(settings: Settings, out: Path | None, gate: bool = True) -> int:
    outcomes, seconds, problems = run_cases(settings)
    text, data = report(outcomes, seconds, problems)
    passed = all(v >= GATE for v in data["metrics"].values()) and not any(
        "lengkap" in w["case"] and w["predicted"] == "tidak ada" for w in data["wrong"]
    )
    print(text)
    print(f"check: {'PASS' if passed else 'FAIL'} (gate {GATE:.2f} on precision and recall of each class)")
    if out:
        out.mkdir(parents=True, exist_ok=True)
        (out / "check.json").write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0 if passed or not gate else 1
