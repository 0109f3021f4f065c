"""Offline metrics: plain functions ``metric(example, prediction) -> float`` and their aggregation.

Each metric has an ``applies`` predicate: a metric that does not apply to a question (fact recall of an
unanswerable question, say) is left out of that question's averages rather than counted as 0 or 1.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from assistant.answer.texts import ENGLISH_LEAD, SAMPLE_MARK
from assistant.normalize import citation_keys
from eval.dataset import Question

MRR_DEPTH = 10


@dataclass(frozen=True)
class Prediction:
    """What the system did for one question: the ``ask --json`` fields plus wall time."""

    id: str
    question: str
    answer: str
    refused: bool
    citations: tuple[Mapping[str, Any], ...] = ()
    retrieved: tuple[Mapping[str, Any], ...] = ()
    latency_ms: float = 0.0
    resolved_question: str = ""
    lang: str = ""
    mode: str = ""
    notes: tuple[str, ...] = ()
    support: float | None = None  # the refusal rule's support value (extractive answers), for calibration

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "question": self.question,
            "answer": self.answer,
            "refused": self.refused,
            "citations": [dict(c) for c in self.citations],
            "retrieved": [dict(r) for r in self.retrieved],
            "latency_ms": round(self.latency_ms, 2),
            "resolved_question": self.resolved_question,
            "lang": self.lang,
            "mode": self.mode,
            "notes": list(self.notes),
            "support": None if self.support is None else round(self.support, 4),
        }


# --- retrieval -------------------------------------------------------------------------------------------


def is_relevant(example: Question, item: Mapping[str, Any]) -> bool:
    """A retrieved chunk is relevant when its document is expected and (if given) its section matches."""
    if item.get("doc_id") not in example.expected_docs:
        return False
    if not example.expected_sections:
        return True
    section = str(item.get("section") or "").lower()
    return any(s.lower() in section for s in example.expected_sections)


def relevance(example: Question, prediction: Prediction) -> list[bool]:
    return [is_relevant(example, item) for item in prediction.retrieved]


# Hit rate and MRR are written here rather than taken from llama_index.core.evaluation.retrieval.metrics:
# relevance is a predicate (expected document, and a section whose path contains an expected name), not
# membership in a list of expected node ids, which is all HitRate/MRR compare; they raise ValueError on an
# empty retrieval (a filtered search may find nothing; here it scores 0); and eval/llamaindex_baseline.py stays
# the eval's only llama-index import. tests/test_eval_metrics.py checks both agree where ids do suffice.
def hit_at(k: int) -> Callable[[Question, Prediction], float]:
    def hit(example: Question, prediction: Prediction) -> float:
        return float(any(relevance(example, prediction)[:k]))

    hit.__name__ = f"hit_at_{k}"
    return hit


hit_at_1 = hit_at(1)
hit_at_5 = hit_at(5)


def mrr(example: Question, prediction: Prediction) -> float:
    """Reciprocal rank of the first relevant chunk in the top 10 (0 when none)."""
    for rank, relevant in enumerate(relevance(example, prediction)[:MRR_DEPTH], start=1):
        if relevant:
            return 1.0 / rank
    return 0.0


def ndcg_at_5(example: Question, prediction: Prediction) -> float:
    """Binary-gain nDCG@5; the ideal ranking places every relevant chunk that was retrieved (top 10) first."""
    flags = relevance(example, prediction)[:MRR_DEPTH]
    dcg = sum(1.0 / math.log2(rank + 1) for rank, rel in enumerate(flags[:5], start=1) if rel)
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, min(sum(flags), 5) + 1))
    return dcg / ideal if ideal else 0.0


# --- answers ---------------------------------------------------------------------------------------------


def facts_found(example: Question, text: str) -> list[bool]:
    return [fact.found_in(text) for fact in example.must_contain]


def fact_recall(example: Question, prediction: Prediction) -> float:
    """Share of the expected facts stated in the answer; a refusal states none."""
    if prediction.refused or not example.must_contain:
        return 0.0
    found = facts_found(example, prediction.answer)
    return sum(found) / len(found)


def lead_block(answer: str) -> str:
    """The answer's first block — its first paragraph, list or table — after the English lead line; a lead-in line
    ("… [1]:") goes with the list or table it announces."""
    blocks = [b.strip() for b in answer.split("\n\n") if b.strip() and b.strip() != ENGLISH_LEAD]
    if not blocks:
        return ""
    if len(blocks) > 1 and "\n" not in blocks[0] and blocks[0].endswith(":"):
        return f"{blocks[0]}\n\n{blocks[1]}"
    return blocks[0]


def lead_holds_facts(example: Question, prediction: Prediction) -> float:
    """1 when the answer's first block alone states every expected fact: the answer leads with what was asked."""
    if prediction.refused or not example.must_contain:
        return 0.0
    return float(all(facts_found(example, lead_block(prediction.answer))))


PAIR = re.compile(r"\bpair ([\w-]+)")


def paraphrase_pairs(questions: Sequence[Question], predictions: Sequence[Prediction]) -> dict[str, dict[str, Any]]:
    """Unanswerable paraphrase pairs (the same missing thing asked in other words; ``notes: pair NAME`` on both
    members) with both members refused: overall and per split. A refusal that holds only for one wording is
    luck, not a refusal."""
    refused = {p.id: p.refused for p in predictions}
    members: dict[str, list[Question]] = {}
    for q in questions:
        found = PAIR.search(q.notes or "")
        if found and not q.answerable and q.id in refused:
            members.setdefault(found.group(1), []).append(q)
    out: dict[str, dict[str, Any]] = {}
    for pair in (m for m in members.values() if len(m) >= 2):
        both = all(refused[q.id] for q in pair)
        for scope in ("overall", pair[0].split or "none"):
            entry = out.setdefault(scope, {"pairs": 0, "both_refused": 0})
            entry["pairs"] += 1
            entry["both_refused"] += both
    for entry in out.values():
        entry["share"] = round(entry["both_refused"] / entry["pairs"], 4)
    return out


def refusal_correct(example: Question, prediction: Prediction) -> float:
    """1 when an unanswerable question was refused."""
    return float(prediction.refused)


def false_refusal(example: Question, prediction: Prediction) -> float:
    """1 when an answerable question was refused (lower is better)."""
    return float(prediction.refused)


def citation_validity(example: Question, prediction: Prediction) -> float:
    """1 when every [n] in the text names a citation and every citation is used in the text."""
    used = set(citation_keys(prediction.answer))
    numbers = {int(c.get("n", -1)) for c in prediction.citations}
    return float(used == numbers and len(numbers) == len(prediction.citations))


def _passage(citation: Mapping[str, Any]) -> str:
    return str(citation.get("text") or "")


def citation_precision(example: Question, prediction: Prediction) -> float:
    """Share of citations whose quoted passage holds at least one expected fact."""
    if not prediction.citations:
        return 0.0
    good = [any(fact.found_in(_passage(c)) for fact in example.must_contain) for c in prediction.citations]
    return sum(good) / len(good)


def citation_recall(example: Question, prediction: Prediction) -> float:
    """Share of expected facts found in at least one cited passage (a refusal cites nothing)."""
    if not example.must_contain:
        return 0.0
    passages = [_passage(c) for c in prediction.citations]
    found = [any(fact.found_in(p) for p in passages) for fact in example.must_contain]
    return sum(found) / len(found)


def sample_note(example: Question, prediction: Prediction) -> float:
    """1 when an answer that cites a sample rule (status contoh) says so."""
    return float(SAMPLE_MARK in prediction.answer)


# --- registry --------------------------------------------------------------------------------------------


def _answerable(e: Question, p: Prediction) -> bool:
    return e.answerable


def _retrieval(e: Question, p: Prediction) -> bool:
    return e.answerable and bool(e.expected_docs)


def _facts(e: Question, p: Prediction) -> bool:
    return e.answerable and bool(e.must_contain)


def _cited_facts(e: Question, p: Prediction) -> bool:
    return _facts(e, p) and not p.refused and bool(p.citations)


def _cites_sample(e: Question, p: Prediction) -> bool:
    return not p.refused and any(c.get("status") == "contoh" for c in p.citations)


@dataclass(frozen=True)
class Metric:
    name: str
    label: str
    fn: Callable[[Question, Prediction], float]
    applies: Callable[[Question, Prediction], bool]
    higher_is_better: bool = True
    kind: str = "answer"  # retrieval | answer


METRICS: tuple[Metric, ...] = (
    Metric("hit_at_1", "Retrieval hit@1", hit_at_1, _retrieval, kind="retrieval"),
    Metric("hit_at_5", "Retrieval hit@5", hit_at_5, _retrieval, kind="retrieval"),
    Metric("mrr", "Retrieval MRR@10", mrr, _retrieval, kind="retrieval"),
    Metric("ndcg_at_5", "Retrieval nDCG@5", ndcg_at_5, _retrieval, kind="retrieval"),
    Metric("fact_recall", "Fact recall (answerable)", fact_recall, _facts),
    Metric("lead_holds_facts", "Lead block holds every fact", lead_holds_facts, _facts),
    Metric("refusal_accuracy", "Refusal accuracy (unanswerable)", refusal_correct, lambda e, p: not e.answerable),
    Metric("false_refusal_rate", "False-refusal rate (answerable)", false_refusal, _answerable, False),
    Metric("citation_validity", "Citation validity", citation_validity, lambda e, p: True),
    Metric("citation_precision", "Citation precision", citation_precision, _cited_facts),
    Metric("citation_recall", "Citation recall", citation_recall, _facts),
    Metric("sample_note_rate", "Sample-rule note when citing a sample", sample_note, _cites_sample),
)
BY_NAME = {m.name: m for m in METRICS}
RETRIEVAL_METRICS = tuple(m for m in METRICS if m.kind == "retrieval")


def score(example: Question, prediction: Prediction, metrics: Sequence[Metric] = METRICS) -> dict[str, float | None]:
    """Every metric for one question; None where a metric does not apply."""
    return {m.name: (m.fn(example, prediction) if m.applies(example, prediction) else None) for m in metrics}


def percentile(values: Sequence[float], q: float) -> float | None:
    return float(np.percentile(np.asarray(values, dtype=float), q)) if values else None


@dataclass
class Group:
    """Running sums for one slice (overall, a language, a category)."""

    n: int = 0
    sums: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)

    def add(self, scores: Mapping[str, float | None], latency_ms: float) -> None:
        self.n += 1
        self.latencies.append(latency_ms)
        for name, value in scores.items():
            if value is not None:
                self.sums[name] = self.sums.get(name, 0.0) + value
                self.counts[name] = self.counts.get(name, 0) + 1

    def summary(self, names: Sequence[str]) -> dict[str, Any]:
        out: dict[str, Any] = {"n": self.n}
        for name in names:
            count = self.counts.get(name, 0)
            out[name] = round(self.sums[name] / count, 4) if count else None
        out["latency_p50_ms"] = _round(percentile(self.latencies, 50))
        out["latency_p95_ms"] = _round(percentile(self.latencies, 95))
        out["counts"] = {name: self.counts.get(name, 0) for name in names}
        return out


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def aggregate(
    questions: Sequence[Question],
    scores: Mapping[str, Mapping[str, float | None]],
    latencies: Mapping[str, float],
    metrics: Sequence[Metric] = METRICS,
) -> dict[str, Any]:
    """Means per metric overall, per language and per category, with latency percentiles."""
    overall = Group()
    by_lang: dict[str, Group] = {}
    by_category: dict[str, Group] = {}
    for q in questions:
        if q.id not in scores:
            continue
        for group in (overall, by_lang.setdefault(q.lang, Group()), by_category.setdefault(q.category, Group())):
            group.add(scores[q.id], latencies.get(q.id, 0.0))
    names = [m.name for m in metrics]
    return {
        "overall": overall.summary(names),
        "by_lang": {k: g.summary(names) for k, g in sorted(by_lang.items())},
        "by_category": {k: g.summary(names) for k, g in sorted(by_category.items())},
    }
