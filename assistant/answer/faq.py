"""Sections that answer by their heading: a section headed by the very question asked, or named by what an
enumerating question asks for.

Guides and booklets are often written as questions ("Siapa Sasaran Beasiswa …?", "Apa saja komponen dana yang
diberikan?") with the answer as the section below. When a retrieved section's heading is a question that asks
exactly what the user asks — its words are all among the question's, and the question's words are all in the
heading or the document's title — the reader's choice gives way to that section, quoted whole.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.answer.features import Candidate, Reading
from assistant.answer.question import QuestionRecord
from assistant.index.analysis import tokenize

MIN_HEADING_TERMS = 2  # "Apa itu?" alone asks nothing
NUMBERING = re.compile(r"^\s*(?:(?:BAB|Bagian)\s+[IVXLC\d]+\.?|[IVXLC]+\.|\d{1,2}(?:\.\d{1,2})*\.?|[A-Z]\.)\s+", re.I)


def asks_the_same(question: QuestionRecord, candidate: Candidate, asked: frozenset[str] | None = None) -> bool:
    """``asked``: the question's analysed terms, when the caller already has them."""
    heading = candidate.chunk.section[-1].strip() if candidate.chunk.section else ""
    if not heading.endswith("?"):
        return False
    asked = frozenset(tokenize(question.text)) if asked is None else asked
    heading_terms = set(tokenize(heading))
    if len(heading_terms) < MIN_HEADING_TERMS:
        return False
    return heading_terms <= asked and asked <= heading_terms | set(tokenize(candidate.chunk.title))


def answering_section(question: QuestionRecord, candidates: Sequence[Candidate]) -> list[Candidate]:
    """The blocks, in order, of the best-ranked retrieved chunk whose heading asks the question; [] when none."""
    asked = frozenset(tokenize(question.text))
    return _best_ranked_chunk([c for c in candidates if asks_the_same(question, c, asked)])


def names_the_list(question: QuestionRecord, candidate: Candidate) -> bool:
    """An enumerating question ("Siapa saja narasumber …?") and a section named by what it asks for: the
    section's own heading (its last level) has only terms of the question, one of them a focus term."""
    if not question.enumerative or not candidate.chunk.section:
        return False
    heading = set(tokenize(NUMBERING.sub("", candidate.chunk.section[-1])))
    return bool(heading) and heading <= set(question.own) and bool(heading & set(question.focus))


def named_section(question: QuestionRecord, candidates: Sequence[Candidate]) -> list[Candidate]:
    """The blocks, in order, of the best-ranked retrieved chunk named by what an enumerating question asks."""
    return _best_ranked_chunk([c for c in candidates if names_the_list(question, c)])


def _best_ranked_chunk(matching: Sequence[Candidate]) -> list[Candidate]:
    """The blocks of ``matching`` that belong to its best-ranked chunk, in reading order."""
    ordered = sorted(matching, key=lambda c: (c.rank, c.block.start))
    return [c for c in ordered if c.chunk.chunk_id == ordered[0].chunk.chunk_id]


def leading_section(reading: Reading, section: Sequence[Candidate]) -> Reading:
    """The reading with the section's blocks first (they are quoted together as one passage)."""
    rest = [(c, p) for c, p in zip(reading.candidates, reading.probabilities, strict=True) if c not in section]
    return Reading((*section, *(c for c, _ in rest)), (*(1.0 for _ in section), *(p for _, p in rest)))
