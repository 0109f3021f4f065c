"""``python -m eval run``: sync the index, ask every gold question, score, gate, compare with the baseline,
write ``results.jsonl``, ``metrics.json`` and ``report.md``."""

from __future__ import annotations

import json
import statistics
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assistant.config import Settings
from assistant.index.embedders import CachedEmbedder
from eval.dataset import Question
from eval.gate import Check, Thresholds, check, passed
from eval.impact import Impact, build_baseline, compare, read_baseline, write_baseline
from eval.metrics import Prediction, aggregate, facts_found, paraphrase_pairs, score
from eval.runner import ask_all, compare_retrievers, separate_searches


@dataclass(frozen=True)
class EvalRun:
    questions: tuple[Question, ...]
    predictions: tuple[Prediction, ...]
    scores: Mapping[str, Mapping[str, float | None]]
    metrics: Mapping[str, Any]
    checks: tuple[Check, ...]
    impact: Impact | None
    baseline_note: str
    warnings: tuple[str, ...]
    current: Mapping[str, Any]  # this run in the baseline format

    @property
    def passed(self) -> bool:
        return passed(list(self.checks))

    @property
    def by_id(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions}


def sync_index(settings: Settings, embedder: CachedEmbedder) -> tuple[dict[str, str], list[str]]:
    """Bring the index in line with the corpus (a no-op when nothing changed); returns doc hashes, warnings."""
    from assistant.services import open_indexer, read_manifest

    report = open_indexer(settings, embedder).sync(settings.corpus_dir)
    warnings = [f"ingest failed for {path}: {error}" for path, error in report.failed]
    if report.chunks_embedded:
        print(f"eval: indexed {report.chunks_embedded} new chunks ({report.seconds:.0f} s)", file=sys.stderr)
    manifest = read_manifest(settings)
    return {doc_id: entry.content_hash for doc_id, entry in manifest.docs.items()}, warnings


def _progress(done: int, total: int, qid: str) -> None:
    if done % 20 == 0 or done == total:
        print(f"eval: {done}/{total} questions asked", file=sys.stderr)


def by_split(
    questions: Sequence[Question], scores: Mapping[str, Mapping[str, float | None]], latencies: Mapping[str, float]
) -> dict[str, Any]:
    """Metrics of each split (overall and per language): the gate reads the holdout, which nothing was fitted on."""
    out: dict[str, Any] = {}
    for split in sorted({q.split for q in questions if q.split}):
        part = aggregate([q for q in questions if q.split == split], scores, latencies)
        out[split] = {"overall": part["overall"], "by_lang": part["by_lang"]}
    return out


def answer_lengths(questions: Sequence[Question], predictions: Sequence[Prediction]) -> dict[str, float]:
    """Median length in characters of the answers given (refusals left out), overall and per split."""
    split_of = {q.id: q.split or "none" for q in questions}
    lengths: dict[str, list[int]] = {"overall": []}
    for p in predictions:
        if not p.refused:
            lengths["overall"].append(len(p.answer))
            lengths.setdefault(split_of.get(p.id, "none"), []).append(len(p.answer))
    return {k: float(statistics.median(v)) for k, v in lengths.items() if v}


def evaluate(
    settings: Settings,
    questions: Sequence[Question],
    thresholds: Thresholds,
    baseline_path: Path | None,
    mode: str | None = "extractive",
    embedder: CachedEmbedder | None = None,
    compare_single: bool = True,
) -> EvalRun:
    from assistant.services import build_assistant, open_embedder

    embedder = embedder or open_embedder(settings)
    documents, warnings = sync_index(settings, embedder)
    unknown = sorted({d for q in questions for d in q.expected_docs} - set(documents))
    if unknown:
        warnings.append(
            f"expected_docs name documents that are not in the index: {', '.join(unknown)} "
            "(a typo in the question file, or a document that was removed or failed to ingest)"
        )
    assistant = build_assistant(settings, embedder)
    predictions = ask_all(assistant, questions, mode, _progress)
    by_id = {q.id: q for q in questions}
    scores = {p.id: score(by_id[p.id], p) for p in predictions}
    latencies = {p.id: p.latency_ms for p in predictions}
    metrics: dict[str, Any] = aggregate(questions, scores, latencies)
    metrics["by_split"] = by_split(questions, scores, latencies)
    metrics["answer_chars"] = answer_lengths(questions, predictions)
    metrics["paraphrase_pairs"] = paraphrase_pairs(questions, predictions)
    if compare_single:
        metrics["retrieval"] = compare_retrievers(separate_searches(settings, embedder), questions)
    metrics["run"] = {
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "mode": mode or "default",
        "questions": len(questions),
        "embedder": settings.embedder,
        "corpus_dir": str(settings.corpus_dir),
        "documents": len(documents),
    }
    checks = tuple(check(thresholds, metrics))
    metrics["gate"] = {"passed": passed(list(checks)), "checks": [c.__dict__ | {"status": c.status} for c in checks]}
    current = build_baseline(predictions, scores, metrics, documents, mode or "default")
    impact, note = None, ""
    baseline = read_baseline(baseline_path) if baseline_path else None
    if baseline is not None and baseline_path is not None:
        impact = compare(baseline, current, str(baseline_path))
        metrics["impact"] = impact.to_json()
    else:
        note = f"No baseline at {baseline_path}; create one with `make eval-baseline`." if baseline_path else ""
    return EvalRun(
        tuple(questions), tuple(predictions), scores, metrics, checks, impact, note, tuple(warnings), current
    )


def result_line(run: EvalRun, prediction: Prediction) -> dict[str, Any]:
    q = run.by_id[prediction.id]
    found = facts_found(q, prediction.answer) if not prediction.refused else [False] * len(q.must_contain)
    return prediction.to_json() | {
        "category": q.category,
        "expected_lang": q.lang,
        "answerable": q.answerable,
        "follow_up_of": q.follow_up_of,
        "scores": dict(run.scores[prediction.id]),
        "missing_facts": [f.label for f, ok in zip(q.must_contain, found, strict=True) if not ok],
    }


def write_outputs(run: EvalRun, out: Path, report_md: str) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "results.jsonl", "w", encoding="utf-8") as handle:
        for prediction in run.predictions:
            handle.write(json.dumps(result_line(run, prediction), ensure_ascii=False) + "\n")
    (out / "metrics.json").write_text(json.dumps(run.metrics, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (out / "report.md").write_text(report_md, encoding="utf-8")


def save_baseline(run: EvalRun, path: Path) -> None:
    write_baseline(path, run.current)
