"""The features the reader and the refusal score with, listed in one place.

A reader feature is a plain function ``feature(question, candidate) -> float``; an answerability feature is
``feature(question, reading) -> float`` over the reader's result. Every feature means the same on any corpus:
similarities and overlaps are shares or differences from the other passages retrieved for the same question,
never a list of one corpus's words. Adding a feature is one line in ``READER_FEATURES`` or
``ANSWERABILITY_FEATURES``, then ``python -m eval fit``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.answer.counting import states_count
from assistant.answer.qtype import carries
from assistant.answer.question import QuestionRecord
from assistant.types import Chunk
from assistant.units import Block, heading_of


@dataclass(frozen=True)
class Candidate:
    """A block of a retrieved chunk, with what the reader measured of it."""

    chunk: Chunk
    block: Block
    rank: int  # retrieval rank of its chunk, 1 = best
    order: int  # position of the block in its chunk, 0 = first
    dense: float  # cosine of block and question (dense model of the index)
    dense_heading: float  # cosine of the section heading and question
    dense_best: float  # the highest ``dense`` among this question's candidates
    tokens: frozenset[str]  # analysed terms of the block (with its header or lead-in)
    heading_tokens: frozenset[str]  # analysed terms of the title and section heading

    @property
    def section_key(self) -> tuple[str, tuple[str, ...]]:
        return self.chunk.doc_id, self.chunk.section

    @property
    def heading(self) -> str:
        return heading_of(self.chunk)

    @property
    def page(self) -> int | None:
        return self.chunk.page_at(self.block.start)


def _type_present(q: QuestionRecord, c: Candidate) -> float:
    return float(bool(q.kinds) and carries(c.block.scored_text, q.kinds))


def _type_missing(q: QuestionRecord, c: Candidate) -> float:
    return float(bool(q.kinds) and not carries(c.block.scored_text, q.kinds))


def _count_stated(q: QuestionRecord, c: Candidate) -> float:
    return float(q.counted is not None and states_count(c.block.scored_text, q.counted))


def _year_match(q: QuestionRecord, c: Candidate) -> float:
    return float(bool(q.years) and any(y == str(c.chunk.year) or y in c.block.scored_text for y in q.years))


def _is_list_or_table(c: Candidate) -> bool:
    return c.block.kind in ("list", "table")


ReaderFeature = Callable[[QuestionRecord, Candidate], float]
READER_FEATURES: dict[str, ReaderFeature] = {
    "dense": lambda q, c: c.dense,
    "dense_margin": lambda q, c: c.dense - c.dense_best,
    "dense_heading": lambda q, c: c.dense_heading,
    "overlap_block": lambda q, c: q.overlap(set(c.tokens)),
    "overlap_heading": lambda q, c: q.overlap(set(c.heading_tokens)),
    "focus_in_block": lambda q, c: q.focus_share(set(c.tokens)),
    "inverse_rank": lambda q, c: 1.0 / c.rank,
    "first_block": lambda q, c: float(c.order == 0),
    "type_present": _type_present,
    "type_missing": _type_missing,
    "count_stated": _count_stated,
    "year_match": _year_match,
    "list_for_enumeration": lambda q, c: float(q.enumerative and _is_list_or_table(c)),
    "list_unasked": lambda q, c: float(not q.enumerative and _is_list_or_table(c)),
    "single_row": lambda q, c: float(c.block.kind == "row"),
    "log_length": lambda q, c: math.log(1 + len(c.block.text)),
    "document_opening": lambda q, c: float(c.chunk.section == (c.chunk.title,)),
}


def reader_vector(q: QuestionRecord, c: Candidate) -> list[float]:
    return [feature(q, c) for feature in READER_FEATURES.values()]


@dataclass(frozen=True)
class Reading:
    """What the reader found for one question: candidates with their probability of answering, best first."""

    candidates: tuple[Candidate, ...]
    probabilities: tuple[float, ...]

    @property
    def lead(self) -> Candidate:
        return self.candidates[0]


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def _lead_terms(r: Reading) -> set[str]:
    return set(r.lead.tokens | r.lead.heading_tokens)


def _retrieved_text(r: Reading) -> str:
    return " ".join(f"{c.block.scored_text} {c.chunk.title} {c.heading} {c.chunk.year or ''}" for c in r.candidates)


def _runner_up(r: Reading) -> float:
    return r.probabilities[1] if len(r.probabilities) > 1 else 0.0


AnswerabilityFeature = Callable[[QuestionRecord, Reading], float]
ANSWERABILITY_FEATURES: dict[str, AnswerabilityFeature] = {
    "lead_logit": lambda q, r: _logit(r.probabilities[0]),
    "lead_margin": lambda q, r: r.probabilities[0] - _runner_up(r),
    "lead_dense": lambda q, r: r.lead.dense,
    "lead_dense_lift": lambda q, r: r.lead.dense - sum(c.dense for c in r.candidates) / len(r.candidates),
    "own_terms_in_lead": lambda q, r: q.own_share(_lead_terms(r)),
    "focus_in_lead": lambda q, r: q.focus_share(_lead_terms(r)),
    "unknown_share": lambda q, r: len(q.unknown) / max(1, len(q.unknown) + len(q.own)),
    "type_missing_in_lead": lambda q, r: _type_missing(q, r.lead),
    "count_missing": lambda q, r: float(q.counted is not None and not any(_count_stated(q, c) for c in r.candidates)),
    "year_missing": lambda q, r: float(any(y not in _retrieved_text(r) for y in q.years)),
    "english": lambda q, r: float(q.lang == "en"),
}


def answerability_vector(q: QuestionRecord, r: Reading) -> list[float]:
    return [feature(q, r) for feature in ANSWERABILITY_FEATURES.values()]


NUMBER_OF = {"id": "jumlah “{thing}”", "en": "the number of “{thing}”"}


def missing_parts(q: QuestionRecord, r: Reading, lang: str) -> list[str]:
    """What the question asks about that the documents do not state, for the refusal's explanation: naming
    words the documents never use (``QuestionRecord.unfound``), years no retrieved passage names, the count no
    retrieved passage gives."""
    stated = q.counted is None or any(_count_stated(q, c) for c in r.candidates)
    counted = None if stated or q.counted is None else q.counted.label
    parts = [f"“{w}”" for w in q.unfound if w.lower() != counted][:4]
    text = _retrieved_text(r)
    parts += [y for y in q.years if y not in text]
    if counted is not None:
        parts.append(NUMBER_OF[lang].format(thing=counted))
    return parts


def unmentioned(q: QuestionRecord, r: Reading) -> list[str]:
    """The focus words of an Indonesian question that the closest passage does not mention (the documents use
    them elsewhere). An English question's words are left out: the passage may say them in Indonesian."""
    if q.lang != "id" or not r.candidates:
        return []
    lead = r.lead.tokens | r.lead.heading_tokens
    return [f"“{q.surface.get(t, t)}”" for t in q.focus if t not in lead and t not in q.years]  # years: missing_parts


def _runs_on(c: Candidate) -> bool:
    """A paragraph or list that stops mid-sentence ("… tahun 2019:", "… honorarium;") runs on into the next block."""
    return c.block.kind in ("paragraph", "list") and not c.block.text.rstrip().endswith((".", "!", "?"))


def answer_order(chosen: Sequence[Candidate]) -> list[Candidate]:
    """The order an answer quotes its blocks in: the lead (``chosen[0]``, the block the reader rates best) first,
    with the blocks just before it that run on into it; then the other blocks of its passage and the block that
    continues it, in document order; then the other passages by retrieval rank. The answer leads with what was
    asked, and no sentence is cut in two."""
    if not chosen:
        return []
    lead = chosen[0]
    before = {c.order: c for c in chosen if c.chunk.chunk_id == lead.chunk.chunk_id and c.order < lead.order}
    head = [lead]
    while (c := before.get(head[0].order - 1)) is not None and _runs_on(c):
        head.insert(0, c)

    def key(c: Candidate) -> tuple[bool, int, int, int]:
        with_lead = c.rank == lead.rank or c.chunk.chunk_id == lead.chunk.chunk_id
        return (not with_lead, c.rank, c.chunk.ordinal, c.block.start)

    return head + sorted((c for c in chosen if all(c is not h for h in head)), key=key)
