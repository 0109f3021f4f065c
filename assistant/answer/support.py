"""Is there enough evidence to answer? The refusal rule, calibrated on the eval set (`python -m eval run`).

Support starts from the best unit's score and loses points for what the documents cannot speak to:
content words of the question that neither the corpus nor the glossary knows (a question about "asuransi"
when no rule mentions insurance), and years the question asks about that no retrieved passage mentions
(the documents cover 2017–2019; a question about 2023 is not answered by a 2019 rule).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.answer.evidence import Evidence, QuestionTerms
from assistant.config import AnswerSettings
from assistant.glossary import Glossary
from assistant.index.analysis import ENGLISH_STOPWORDS
from assistant.index.indonesian import stopwords

YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
MAX_UNKNOWN = 2
EVIDENCE_DEPTH = 5


@dataclass(frozen=True)
class Support:
    value: float
    best: float
    unknown: tuple[str, ...] = ()
    missing_years: tuple[str, ...] = ()


def unknown_words(question: str, terms: QuestionTerms, glossary: Glossary) -> tuple[str, ...]:
    """Content words the corpus never uses and the glossary does not translate."""
    known = glossary.words()
    words = re.findall(r"[a-z]+", question.lower())
    stop = stopwords() | ENGLISH_STOPWORDS
    return tuple(
        w for w in dict.fromkeys(words) if len(w) > 2 and w not in stop and w not in known and _unknown_stem(w, terms)
    )


def _unknown_stem(word: str, terms: QuestionTerms) -> bool:
    from assistant.index.analysis import tokenize

    return any(token in terms.unknown for token in tokenize(word))


def missing_years(question: str, evidence: Sequence[Evidence]) -> tuple[str, ...]:
    years = YEAR.findall(question)
    if not years:
        return ()
    seen = " ".join(f"{e.unit.text} {e.chunk.section_path} {e.chunk.year or ''}" for e in evidence[:EVIDENCE_DEPTH])
    return tuple(y for y in dict.fromkeys(years) if y not in seen)


def assess(
    question: str, lang: str, evidence: Sequence[Evidence], terms: QuestionTerms, glossary: Glossary,
    settings: AnswerSettings,
) -> Support:
    if not evidence:
        return Support(0.0, 0.0)
    best = evidence[0].score
    unknown = unknown_words(question, terms, glossary)
    years = missing_years(question, evidence)
    value = best - settings.unknown_penalty * min(len(unknown), MAX_UNKNOWN) - settings.year_penalty * len(years)
    if lang == "en":
        value += settings.english_offset  # cross-lingual similarities run lower than Indonesian ones
    return Support(value, best, unknown, years)
