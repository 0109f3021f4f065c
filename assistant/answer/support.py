"""Is there enough evidence to answer? The refusal rule, calibrated on the eval set (`python -m eval run`).

Support is the best unit's strength (its score, with the chunk's rank weighed by a weight of its own, so the
rule does not move when the choice of the answering sentence is re-weighed), plus how much of the question (its
analysed terms, weighted by rarity, glossary translations included) the best unit's section covers, minus a
penalty for every specific the question asks about that no retrieved passage mentions: a year (the documents
cover 2017–2019; a question about 2023 is not answered by a 2019 rule), a unit of measure ("berapa ton", "how
many hectares": passages without tonnes or hectares cannot give the figure), a contact detail (an e-mail address
or phone number where no passage holds one) or the number of what a how-many question counts ("berapa skor",
"how many jobs": a passage must state that thing with a number, `assistant.answer.counting`). Half a penalty
when only passages other than the best one state it, since the answer is built around the best one (for years,
when the question names just one). English questions get an offset: cross-lingual similarities run lower.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.answer.counting import Counted, counted, states_count
from assistant.answer.evidence import Evidence, question_terms
from assistant.config import AnswerSettings
from assistant.glossary import Glossary
from assistant.index.analysis import tokenize
from assistant.index.bm25_index import BM25Index
from assistant.normalize import years as years_in

# A kind of specific -> (how a question asks for it, how a passage states it). Units are matched in both
# languages, so an English question about tonnes meets an Indonesian "ton".
SPECIFICS: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    kind: (re.compile(asked, re.I), re.compile(stated, re.I))
    for kind, asked, stated in (
        ("mass", r"\b(tons?|tonnes?|kg|kilo(gram)?s?|grams?|kuintal|quintals?)\b",
         r"\b(ton|tons|tonnes?|kg|kilo(gram)?s?|grams?|kuintal|quintals?)\b"),
        ("area", r"\b(hektare?s?|hectares?|ha|m2|km2|meter persegi|square met(er|re)s?)\b",
         r"\b(hektare?|hectares?|ha|m2|m²|km2|km²|meter persegi|square met(er|re)s?)\b"),
        ("volume", r"\b(liters?|litres?|kilo ?liters?)\b", r"\b(liter|litre|kl)s?\b"),
        ("foreign currency", r"\b(dolar|dollars?|usd|us\$|euros?|ringgit|yen|yuan)\b",
         r"\b(dolar|dollars?|usd|euros?|ringgit|yen|yuan)\b|us\$"),
        ("contact", r"\b(alamat (e-?mail|surel)|e-?mail address|nomor (hp|telepon|telp|ponsel|wa|whatsapp)|"
         r"(phone|telephone|mobile|whatsapp) number)\b", r"[\w.+-]+@[\w-]+\.[\w.]+|\+?\d[\d ()-]{7,}\d"),
    )
}


@dataclass(frozen=True)
class Support:
    value: float
    best: float
    coverage: float = 0.0
    missing_years: tuple[str, ...] = ()
    missing_specifics: tuple[str, ...] = ()


def missing_years(question: str, evidence: Sequence[Evidence]) -> tuple[str, ...]:
    """Years the question names that no retrieved passage, heading or document year mentions."""
    years = years_in(question)
    if not years:
        return ()
    chunks = {e.chunk.chunk_id: e.chunk for e in evidence}.values()
    seen = " ".join(f"{c.text} {c.section_path} {c.title} {c.year or ''}" for c in chunks)
    return tuple(y for y in dict.fromkeys(years) if y not in seen)


def missing_units(question: str, evidence: Sequence[Evidence], thing: Counted | None = None) -> tuple[str, ...]:
    """Kinds of specific (unit of measure, contact detail) the question asks for that no retrieved passage
    states; a unit that is itself the counted ``thing`` ("berapa ton") is left to the stricter count test."""
    asked = [kind for kind, (pattern, _) in SPECIFICS.items() if pattern.search(question)]
    if thing is not None:
        asked = [kind for kind in asked if not SPECIFICS[kind][0].search(thing.label)]
    if not asked:
        return ()
    seen = " ".join({e.chunk.chunk_id: e.chunk.text for e in evidence}.values())
    return tuple(kind for kind in asked if not SPECIFICS[kind][1].search(seen))


def missing_count(evidence: Sequence[Evidence], thing: Counted | None) -> tuple[str, ...]:
    """The counted thing, when no passage gives it a number."""
    texts = {e.chunk.chunk_id: e.chunk.text for e in evidence}.values()
    if thing is None or any(states_count(text, thing) for text in texts):
        return ()
    return (f"number of {thing.label}",)


def missing_specifics(question: str, evidence: Sequence[Evidence], thing: Counted | None = None) -> tuple[str, ...]:
    """Every specific the question asks for that no retrieved passage states: units, contacts, the count."""
    return missing_units(question, evidence, thing) + missing_count(evidence, thing)


def shortfall(
    missing_in: Callable[[Sequence[Evidence]], tuple[str, ...]],
    evidence: Sequence[Evidence],
    lesser_counts: bool = True,
) -> tuple[tuple[str, ...], float]:
    """What no passage states (a full penalty each) and, when ``lesser_counts``, what only passages other than
    the best one state (half a penalty each): the answer is built around the best one."""
    nowhere = missing_in(evidence)
    lesser = [x for x in missing_in(evidence[:1]) if x not in nowhere] if lesser_counts else []
    return nowhere, len(nowhere) + len(lesser) / 2


def section_coverage(question: str, best: Evidence, glossary: Glossary, index: BM25Index) -> float:
    """Share of the question's own terms (rarer terms weigh more) found in the best unit's section."""
    chunk = best.chunk
    tokens = set(tokenize(f"{chunk.title} {chunk.section_path} {chunk.text}"))
    return question_terms(question, glossary, index).overlap(tokens)


def strength(evidence: Evidence, settings: AnswerSettings) -> float:
    """How well one unit answers, as the refusal rule sees it: its score with the chunk's rank weighed by
    ``support_rank_weight`` (whether the documents answer at all leans on the retrieval's confidence more than
    the choice of the answering sentence does) and without the count bonus (counts are judged separately)."""
    rank = settings.support_rank_weight / evidence.hit_rank
    return evidence.score - evidence.count_bonus - evidence.rank_bonus + rank


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
    # A question comparing years cannot expect one passage to hold them all: the half penalty is for one year.
    one_year = len(set(years_in(question))) == 1
    years, year_shortfall = shortfall(lambda ev: missing_years(question, ev), evidence, lesser_counts=one_year)
    thing = counted(question, glossary)
    units, unit_shortfall = shortfall(lambda ev: missing_units(question, ev, thing), evidence)
    # a count only helps if the answer can quote it: passages too far below the best one to join it do not count
    within_reach = [e for e in evidence if e.score >= best.score - settings.margin]
    count, count_shortfall = shortfall(lambda ev: missing_count(ev, thing), within_reach)
    specifics, specific_shortfall = units + count, unit_shortfall + count_shortfall
    # the count bonus picks the answering unit; whether a count is stated is judged below, not twice
    value = max(strength(e, settings) for e in evidence) + settings.coverage_weight * coverage
    value -= settings.specific_penalty * specific_shortfall
    value -= settings.year_penalty * year_shortfall
    if lang == "en":
        value += settings.english_offset
    return Support(value, best.score, coverage, years, specifics)
