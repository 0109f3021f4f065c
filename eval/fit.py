"""``python -m eval fit``: fit the reader and the refusal on calibration questions and write ``fitted.json``.

Each calibration question is retrieved as the assistant does (a follow-up with its carried-over topic) and its
candidate blocks are labelled with the share of the question's expected facts they hold. The reader is a logistic
model on those labels; the thresholds for quoting more blocks (of the lead's chunk, of another section) maximise
the mean of fact recall and citation precision; the
refusal is a logistic model on the reader's result (answerable or not) and its threshold the highest one that
keeps false refusals at or below ``max_false_refusals``. Thresholds and the refusal model are chosen on
out-of-fold readings (k-fold by chat), so they see the reader as it behaves on questions it was not fitted on.
The file records its provenance: question files and their hashes, split, date, counts, and the scores reached
on calibration and by cross-validation.
"""

from __future__ import annotations

import hashlib
import pickle
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from assistant.answer.extractive import answer_probability
from assistant.answer.features import (
    ANSWERABILITY_FEATURES,
    READER_FEATURES,
    Candidate,
    answerability_vector,
    reader_vector,
)
from assistant.answer.fitted import Fitted, LogisticModel, fit_logistic
from assistant.answer.question import QuestionRecord, read_question
from assistant.answer.reader import Reader, choose, read
from assistant.chat import resolve_follow_up
from assistant.config import Settings
from assistant.lang import detect_language
from assistant.types import Turn
from eval.dataset import Question, chain_of

FOLDS = 5
THRESHOLDS = tuple(round(t, 3) for t in np.arange(0.02, 1.0, 0.02))


@dataclass(frozen=True)
class Example:
    question: Question
    record: QuestionRecord
    candidates: tuple[Candidate, ...]
    labels: tuple[float, ...]  # share of the question's facts each candidate holds
    group: str  # the chat it belongs to (its first turn's id): folds never split a chat


def facts_share(question: Question, text: str) -> float:
    if not question.must_contain:
        return 0.0
    return sum(fact.found_in(text) for fact in question.must_contain) / len(question.must_contain)


def collect(
    settings: Settings, questions: Sequence[Question], embedder: Any = None, memo: Path | None = None
) -> list[Example]:
    """Retrieve every question as the assistant does and list its candidate blocks with their labels. With
    ``memo``, retrieval results of an earlier fit on the same index are reused (refitting after a feature change
    then needs no retrieval), and new ones are added to it."""
    from assistant.retrieve import SparseRetriever
    from assistant.services import open_embedder, open_retriever

    embedder = embedder or open_embedder(settings)
    retriever = open_retriever(settings, embedder)
    sparse = next(r for r in retriever.retrievers if isinstance(r, SparseRetriever))
    index = sparse.source.get()
    reader = Reader(embedder, settings.answer.max_hits)
    stored = read_memo(memo, index.fingerprint)
    examples = []
    for q, context, group in chats(questions):
        record = read_question(q.question, detect_language(q.question), sparse.glossary, index, context)
        query = f"{q.question} {context}".strip()
        if query not in stored:
            stored[query] = retriever.search(query).hits
        examples.append(example_of(q, record, reader.candidates(record, stored[query]), group))
    if memo is not None:
        memo.parent.mkdir(parents=True, exist_ok=True)
        memo.write_bytes(pickle.dumps({"fingerprint": index.fingerprint, "hits": stored}))
    return examples


def read_memo(memo: Path | None, fingerprint: str) -> dict[str, Any]:
    """Stored retrieval results, or nothing when there are none or they belong to another index."""
    if memo is None or not memo.is_file():
        return {}
    data = pickle.loads(memo.read_bytes())  # a local file this command wrote
    return dict(data["hits"]) if data.get("fingerprint") == fingerprint else {}


def chats(questions: Sequence[Question]) -> list[tuple[Question, str, str]]:
    """Each question with the topic carried over from its earlier turns and the id of its chat's first turn."""
    by_id = {q.id: q for q in questions}
    resolved: dict[str, str] = {}
    out = []
    for q in questions:
        chain = chain_of(q, by_id)
        history = [Turn(p.question, resolved.get(p.id, p.question), "") for p in chain]
        resolved[q.id], context = resolve_follow_up(q.question, history)
        out.append((q, context, (chain[0] if chain else q).id))
    return out


def example_of(q: Question, record: QuestionRecord, candidates: Sequence[Candidate], group: str) -> Example:
    labels = tuple(facts_share(q, c.block.quoted) for c in candidates)
    return Example(q, record, tuple(candidates), labels, group)


def fit_reader(examples: Sequence[Example]) -> LogisticModel:
    """Logistic model on soft labels; each question weighs the same, whatever its number of candidates."""
    rows, labels, weights = [], [], []
    for ex in examples:
        if ex.question.answerable and ex.candidates and max(ex.labels) > 0:
            for candidate, label in zip(ex.candidates, ex.labels, strict=True):
                rows.append(reader_vector(ex.record, candidate))
                labels.append(label)
                weights.append(1.0 / len(ex.candidates))
    return fit_logistic(list(READER_FEATURES), rows, labels, weights)


def folds_of(examples: Sequence[Example], k: int) -> list[int]:
    """Fold of each example by a hash of its chat, so a follow-up is in its first turn's fold."""
    return [int(hashlib.sha256(ex.group.encode()).hexdigest(), 16) % k for ex in examples]


def out_of_fold_readers(examples: Sequence[Example], k: int) -> list[LogisticModel]:
    """For each example, the reader fitted on the other folds."""
    folds = folds_of(examples, k)
    models = {f: fit_reader([ex for ex, g in zip(examples, folds, strict=True) if g != f]) for f in set(folds)}
    return [models[f] for f in folds]


Joins = tuple[float, float]  # (same_chunk, other_section) thresholds


def answer_of(ex: Example, reader: LogisticModel, joins: Joins) -> list[Candidate]:
    return choose(ex.record, read(ex.record, ex.candidates, reader), *joins)


def answer_scores(ex: Example, chosen: Sequence[Candidate]) -> tuple[float, float, float]:
    """(fact recall, citation precision, lead block holds every fact) of an answer made of ``chosen``; blocks of
    one chunk are one cited passage, as in the composed answer."""
    if not chosen:
        return 0.0, 0.0, 0.0
    recall = facts_share(ex.question, "\n".join(c.block.quoted for c in chosen))
    passages: dict[str, str] = {}
    for c in chosen:
        passages[c.chunk.chunk_id] = passages.get(c.chunk.chunk_id, "") + "\n" + c.block.quoted
    precision = sum(facts_share(ex.question, text) > 0 for text in passages.values()) / len(passages)
    return recall, precision, float(facts_share(ex.question, chosen[0].block.quoted) == 1.0)


def best_joins(examples: Sequence[Example], readers: Sequence[LogisticModel]) -> Joins:
    """The thresholds that maximise the mean of fact recall and citation precision over answerable questions:
    first the same-chunk one (with no other section), then the other-section one."""
    pairs = [(ex, m) for ex, m in zip(examples, readers, strict=True) if ex.question.answerable and ex.candidates]
    readings = [(ex, read(ex.record, ex.candidates, m)) for ex, m in pairs]

    def value(joins: Joins) -> float:
        chosen = [choose(ex.record, reading, *joins) for ex, reading in readings]
        return float(np.mean([sum(answer_scores(ex, c)[:2]) / 2 for (ex, _), c in zip(readings, chosen, strict=True)]))

    options = (*THRESHOLDS, 1.01)
    same = max(options, key=lambda t: (value((t, 1.01)), t))
    other = max(options, key=lambda t: (value((same, t)), t))
    return same, other


def answerability_rows(examples: Sequence[Example], readers: Sequence[LogisticModel]) -> list[list[float]]:
    return [
        answerability_vector(ex.record, read(ex.record, ex.candidates, m))
        if ex.candidates
        else [0.0] * len(ANSWERABILITY_FEATURES)
        for ex, m in zip(examples, readers, strict=True)
    ]


def fit_answerability(examples: Sequence[Example], rows: Sequence[Sequence[float]]) -> LogisticModel:
    """Answerable or not; the two classes weigh the same in total (unanswerable questions are few)."""
    labels = [float(ex.question.answerable) for ex in examples]
    positives = max(1.0, sum(labels))
    negatives = max(1.0, len(labels) - sum(labels))
    weights = [0.5 / positives if y else 0.5 / negatives for y in labels]
    return fit_logistic(list(ANSWERABILITY_FEATURES), rows, labels, [w * len(labels) for w in weights])


def out_of_fold_answerability(examples: Sequence[Example], rows: Sequence[Sequence[float]], k: int) -> list[float]:
    folds = folds_of(examples, k)
    out = [0.0] * len(examples)
    for f in set(folds):
        train = [i for i, g in enumerate(folds) if g != f]
        model = fit_answerability([examples[i] for i in train], [rows[i] for i in train])
        for i, g in enumerate(folds):
            if g == f:
                out[i] = float(model.probabilities([rows[i]])[0])
    return out


def answer_threshold(examples: Sequence[Example], probabilities: Sequence[float], max_false_refusals: float) -> float:
    """The highest threshold whose false-refusal rate on answerable questions stays within the bound."""
    answerable = [p for ex, p in zip(examples, probabilities, strict=True) if ex.question.answerable]
    allowed = [t for t in THRESHOLDS if np.mean([p < t for p in answerable]) <= max_false_refusals]
    return max(allowed) if allowed else min(THRESHOLDS)


def scores(
    examples: Sequence[Example],
    readers: Sequence[LogisticModel],
    joins: Joins,
    probabilities: Sequence[float],
    threshold: float,
) -> dict[str, float]:
    """Fact recall, citation precision, lead-holds-all, refusal accuracy and false refusals of the answers the
    models give (computed on the quoted blocks, as the eval metrics do on the answer)."""
    recall, precision, lead, refused_ok, refused_wrong = [], [], [], [], []
    for ex, reader, p in zip(examples, readers, probabilities, strict=True):
        refused = p < threshold or not ex.candidates
        if not ex.question.answerable:
            refused_ok.append(float(refused))
            continue
        refused_wrong.append(float(refused))
        r, c, leads = (0.0, 0.0, 0.0) if refused else answer_scores(ex, answer_of(ex, reader, joins))
        recall.append(r)
        lead.append(leads)
        if not refused:
            precision.append(c)

    def mean(values: list[float]) -> float:
        return round(float(np.mean(values)), 4) if values else float("nan")

    return {
        "fact_recall": mean(recall),
        "citation_precision": mean(precision),
        "lead_holds_all_facts": mean(lead),
        "refusal_accuracy": mean(refused_ok),
        "false_refusal_rate": mean(refused_wrong),
    }


def shown(path: Path) -> str:
    """The path relative to the working folder when it lies inside it (the repository root), else as given."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fit(examples: Sequence[Example], k: int = FOLDS, max_false_refusals: float = 0.03) -> tuple[Fitted, dict[str, Any]]:
    """Models and thresholds from the examples, with the scores they reach in-sample and by cross-validation."""
    oof_readers = out_of_fold_readers(examples, k)
    joins = best_joins(examples, oof_readers)
    oof_rows = answerability_rows(examples, oof_readers)
    oof_answer = out_of_fold_answerability(examples, oof_rows, k)
    threshold = answer_threshold(examples, oof_answer, max_false_refusals)
    reader = fit_reader(examples)
    answerability = fit_answerability(examples, oof_rows)
    fitted = Fitted(reader, *joins, answerability, threshold)
    in_sample = [answer_probability(ex.record, read(ex.record, ex.candidates, reader), fitted) for ex in examples]
    summary = {
        "calibration": scores(examples, [reader] * len(examples), joins, in_sample, threshold),
        "cross_validation": scores(examples, oof_readers, joins, oof_answer, threshold),
    }
    return fitted, summary


def run_fit(
    settings: Settings,
    questions: Sequence[Question],
    files: Sequence[Path],
    split: str,
    out: Path,
    k: int = FOLDS,
    max_false_refusals: float = 0.03,
    memo: Path | None = None,
) -> Fitted:
    from assistant.answer.fitted import save_fitted

    print(f"fit: reading {len(questions)} questions ({split})", file=sys.stderr)
    examples = collect(settings, questions, memo=memo)
    fitted, summary = fit(examples, k, max_false_refusals)
    provenance = {
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "question_files": [{"path": shown(p), "sha256": file_hash(p)} for p in files],
        "split": split,
        "questions": len(questions),
        "answerable": sum(q.answerable for q in questions),
        "unanswerable": sum(not q.answerable for q in questions),
        "folds": k,
        "max_false_refusals": max_false_refusals,
        "corpus_dir": str(settings.corpus_dir),
        "embedder": settings.embedder,
        "scores": summary,
    }
    fitted = replace(fitted, provenance=provenance)
    save_fitted(out, fitted)
    print(
        f"fit: wrote {out}; calibration {summary['calibration']}; cross-validation {summary['cross_validation']}",
        file=sys.stderr,
    )
    return fitted
