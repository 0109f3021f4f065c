"""The baseline (answers, citations and fact scores of an accepted run) and the impact of a new run on it."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from eval.dataset import DatasetError
from eval.metrics import Prediction

BASELINE_FORMAT = 1
SCORE_TOLERANCE = 1e-6
HEADLINE = (
    "hit_at_1",
    "hit_at_5",
    "mrr",
    "ndcg_at_5",
    "fact_recall",
    "refusal_accuracy",
    "false_refusal_rate",
    "citation_validity",
    "citation_precision",
    "citation_recall",
)


def citation_key(citation: Mapping[str, Any]) -> tuple[str, str, int | None]:
    """What makes a citation the same source: document, section and page (not its number or quote)."""
    page = citation.get("page")
    return (str(citation.get("doc_id", "")), str(citation.get("section", "")), int(page) if page is not None else None)


def baseline_entry(prediction: Prediction, fact_score: float | None) -> dict[str, Any]:
    return {
        "question": prediction.question,
        "answer": prediction.answer,
        "refused": prediction.refused,
        "citations": [{"doc_id": k[0], "section": k[1], "page": k[2]} for k in map(citation_key, prediction.citations)],
        "fact_score": fact_score,
    }


def build_baseline(
    predictions: Sequence[Prediction],
    scores: Mapping[str, Mapping[str, float | None]],
    metrics: Mapping[str, Any],
    documents: Mapping[str, str],
    mode: str,
) -> dict[str, Any]:
    return {
        "format": BASELINE_FORMAT,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "mode": mode,
        "documents": dict(sorted(documents.items())),
        "metrics": {k: metrics[k] for k in ("overall", "by_lang", "by_category", "retrieval") if k in metrics},
        "questions": {p.id: baseline_entry(p, scores[p.id].get("fact_recall")) for p in predictions},
    }


def write_baseline(path: Path, baseline: Mapping[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(baseline, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    temporary.replace(path)


def read_baseline(path: Path) -> dict[str, Any] | None:
    """The baseline, or None when the file does not exist yet."""
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise DatasetError(f"baseline {path} cannot be read ({e}); regenerate it with `make eval-baseline`") from e
    if not isinstance(data, dict) or data.get("format") != BASELINE_FORMAT or "questions" not in data:
        raise DatasetError(f"baseline {path} has an unknown format; regenerate it with `make eval-baseline`")
    return data


@dataclass(frozen=True)
class Change:
    id: str
    question: str
    what: tuple[str, ...]  # "answer text", "citations", "fact score", "refusal"
    before: Mapping[str, Any]
    after: Mapping[str, Any]
    citations_added: tuple[tuple[str, str, int | None], ...] = ()
    citations_removed: tuple[tuple[str, str, int | None], ...] = ()

    @property
    def fact_delta(self) -> float:
        return float(self.after.get("fact_score") or 0.0) - float(self.before.get("fact_score") or 0.0)


@dataclass(frozen=True)
class Impact:
    baseline_path: str
    baseline_created: str
    changes: tuple[Change, ...]
    new_questions: tuple[str, ...]
    removed_questions: tuple[str, ...]
    documents_added: tuple[str, ...]
    documents_removed: tuple[str, ...]
    documents_changed: tuple[str, ...]
    metrics_before: Mapping[str, Any] = field(default_factory=dict)

    @property
    def changed_ids(self) -> list[str]:
        return [c.id for c in self.changes]

    def to_json(self) -> dict[str, Any]:
        return {
            "baseline": self.baseline_path,
            "baseline_created": self.baseline_created,
            "changed": [
                {
                    "id": c.id,
                    "what": list(c.what),
                    "fact_score_before": c.before.get("fact_score"),
                    "fact_score_after": c.after.get("fact_score"),
                    "citations_added": [list(k) for k in c.citations_added],
                    "citations_removed": [list(k) for k in c.citations_removed],
                }
                for c in self.changes
            ],
            "new_questions": list(self.new_questions),
            "removed_questions": list(self.removed_questions),
            "documents_added": list(self.documents_added),
            "documents_removed": list(self.documents_removed),
            "documents_changed": list(self.documents_changed),
        }


def _flat(text: Any) -> str:
    return " ".join(str(text or "").split())


def _change(qid: str, before: Mapping[str, Any], after: Mapping[str, Any]) -> Change | None:
    what = []
    both_refused = bool(before.get("refused")) and bool(after.get("refused"))  # the closest-topic hints may reorder
    if not both_refused and _flat(before.get("answer")) != _flat(after.get("answer")):
        what.append("answer text")
    old = {citation_key(c) for c in before.get("citations", [])}
    new = {citation_key(c) for c in after.get("citations", [])}
    if old != new:
        what.append("citations")
    a, b = before.get("fact_score"), after.get("fact_score")
    if (a is None) != (b is None) or (a is not None and b is not None and abs(a - b) > SCORE_TOLERANCE):
        what.append("fact score")
    if bool(before.get("refused")) != bool(after.get("refused")):
        what.append("refusal")
    if not what:
        return None
    return Change(
        qid,
        str(after.get("question") or before.get("question") or ""),
        tuple(what),
        before,
        after,
        tuple(sorted(new - old, key=str)),
        tuple(sorted(old - new, key=str)),
    )


def compare(baseline: Mapping[str, Any], current: Mapping[str, Any], baseline_path: str) -> Impact:
    """What differs between the baseline and the current run (both in the baseline format)."""
    old_q: Mapping[str, Any] = baseline.get("questions", {})
    new_q: Mapping[str, Any] = current.get("questions", {})
    changes = [c for qid in new_q if qid in old_q and (c := _change(qid, old_q[qid], new_q[qid]))]
    old_docs: Mapping[str, str] = baseline.get("documents", {})
    new_docs: Mapping[str, str] = current.get("documents", {})
    return Impact(
        baseline_path=baseline_path,
        baseline_created=str(baseline.get("created_at", "")),
        changes=tuple(changes),
        new_questions=tuple(q for q in new_q if q not in old_q),
        removed_questions=tuple(q for q in old_q if q not in new_q),
        documents_added=tuple(sorted(set(new_docs) - set(old_docs))),
        documents_removed=tuple(sorted(set(old_docs) - set(new_docs))),
        documents_changed=tuple(sorted(d for d in set(old_docs) & set(new_docs) if old_docs[d] != new_docs[d])),
        metrics_before=baseline.get("metrics", {}),
    )
