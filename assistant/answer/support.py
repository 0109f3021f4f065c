"""Is there enough evidence to answer? The refusal rule, calibrated on the eval set (`python -m eval run`).

Support is the best unit's score, plus how much of the question (its analysed terms, weighted by rarity,
glossary translations included) the best unit's section covers, minus a penalty for every year the
question asks about that no retrieved passage mentions (the documents cover 2017–2019; a question about
2023 is not answered by a 2019 rule). English questions get an offset: cross-lingual similarities run lower.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.answer.evidence import Evidence, question_terms
from assistant.config import AnswerSettings
from assistant.glossary import Glossary
from assistant.index.analysis import tokenize
from assistant.index.bm25_index import BM25Index

YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")


@dataclass(frozen=True)
class Support:
    value: float
    best: float
    coverage: float = 0.0
    missing_years: tuple[str, ...] = ()


def missing_years(question: str, evidence: Sequence[Evidence]) -> tuple[str, ...]:
    """Years the question names that no retrieved passage, heading or document year mentions."""
    years = YEAR.findall(question)
    if not years:
        return ()
    chunks = {e.chunk.chunk_id: e.chunk for e in evidence}.values()
    seen = " ".join(f"{c.text} {c.section_path} {c.title} {c.year or ''}" for c in chunks)
    return tuple(y for y in dict.fromkeys(years) if y not in seen)


def section_coverage(question: str, best: Evidence, glossary: Glossary, index: BM25Index) -> float:
    """Share of the question's own terms (rarer terms weigh more) found in the best unit's section."""
    chunk = best.chunk
    tokens = set(tokenize(f"{chunk.title} {chunk.section_path} {chunk.text}"))
    return question_terms(question, glossary, index).overlap(tokens)


def assess(
    question: str,
    lang: str,
    evidence: Sequence[Evidence],
    glossary: Glossary,
    index: BM25Index,
    settings: AnswerSettings,
) -> Support:
    if not evidence:
        return Support(0.0, 0.0)
    best = evidence[0]
    coverage = section_coverage(question, best, glossary, index)
    years = missing_years(question, evidence)
    value = best.score + settings.coverage_weight * coverage - settings.year_penalty * len(years)
    if lang == "en":
        value += settings.english_offset
    return Support(value, best.score, coverage, years)
