"""Score the answer units of the retrieved chunks against the question.

Two signals: similarity of the unit to the question with the same embedder that built the index (unit
vectors are cached at ingest), and IDF-weighted overlap with the question's terms after Indonesian
analysis and glossary expansion (so English questions meet Indonesian words).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from assistant.answer.counting import counted, states_count
from assistant.answer.qtype import carries, expected_kinds, points_elsewhere
from assistant.config import AnswerSettings
from assistant.glossary import Glossary
from assistant.index.analysis import tokenize
from assistant.index.bm25_index import BM25Index
from assistant.index.embedders import Embedder
from assistant.normalize import years as years_in
from assistant.types import Chunk, Hit
from assistant.units import Unit, is_fragment, split_units, unit_embed_text

EXPANSION_WEIGHT = 0.5  # a glossary equivalent is weaker evidence than the question's own word
CONTEXT_WEIGHT = 0.2  # words carried over from earlier turns name the topic; the turn's own words say what is asked
ENUMERATION = re.compile(
    r"\b(apa saja|siapa saja|mana saja|apa-apa saja|sebutkan|daftar|rincian|unsur-unsur|tahapan|sistematika|"
    r"what are|which are|which \w+s|who were|list|name all|outline of|what do(es)? .* include)\b",
    re.I,
)


@dataclass(frozen=True)
class Evidence:
    chunk: Chunk
    unit: Unit
    hit_rank: int
    semantic: float
    lexical: float
    score: float
    count_bonus: float = 0.0  # part of score for giving a number to what a how-many question counts
    rank_bonus: float = 0.0  # part of score for coming from a higher-ranked chunk

    @property
    def page(self) -> int | None:
        return self.chunk.page_at(self.unit.start)

    @property
    def key(self) -> str:
        return " ".join(self.unit.text.lower().split())


def opens_document(chunk: Chunk) -> bool:
    """Is the chunk from the document's opening, before its first heading? That part introduces the document
    (what it is, where its content comes from); the sections after it state the rules in full."""
    return chunk.section == (chunk.title,)


@dataclass(frozen=True)
class QuestionTerms:
    weights: dict[str, float]  # analysed token -> weight (idf, lower for glossary expansions)
    unknown: tuple[str, ...]  # content words of the question the corpus never uses

    def overlap(self, tokens: set[str]) -> float:
        total = sum(self.weights.values())
        if total <= 0:
            return 0.0
        return sum(w for t, w in self.weights.items() if t in tokens) / total


def question_terms(question: str, glossary: Glossary, index: BM25Index, context: str = "") -> QuestionTerms:
    weights: dict[str, float] = {}
    unknown = []
    for token in tokenize(context):
        if index.doc_freq(token) > 0:
            weights[token] = CONTEXT_WEIGHT * index.idf(token)
    for token in tokenize(question):
        if index.doc_freq(token) > 0:
            weights[token] = max(weights.get(token, 0.0), index.idf(token))
        elif not token.isdigit():
            unknown.append(token)
    for token in tokenize(" ".join(glossary.expansions(question))):
        if index.doc_freq(token) > 0 and token not in weights:
            weights[token] = EXPANSION_WEIGHT * index.idf(token)
    return QuestionTerms(weights, tuple(dict.fromkeys(unknown)))


@dataclass
class EvidenceScorer:
    embedder: Embedder
    glossary: Glossary
    weights: AnswerSettings  # lexical, rank, type, shape, count, pointer and opening weights
    max_hits: int = 8

    def score(
        self, question: str, hits: Sequence[Hit], index: BM25Index, context: str = "", lang: str = "id"
    ) -> tuple[list[Evidence], QuestionTerms]:
        """Units of the top hits, best first. ``context`` holds topic words carried over from earlier turns;
        ``lang`` is the question's language: the chunk ranks of an English question are less sure."""
        w = self.weights
        rank_weight = w.english_rank_weight if lang == "en" else w.rank_weight
        terms = question_terms(question, self.glossary, index, context)
        pairs = [
            (rank, h.chunk, u)
            for rank, h in enumerate(hits[: self.max_hits], start=1)
            for u in split_units(h.chunk)
            if not is_fragment(u, h.chunk)
        ]
        if not pairs:
            return [], terms
        vectors = self.embedder.embed_passages([unit_embed_text(c, u) for _, c, u in pairs])
        similarities = vectors @ np.asarray(self.embedder.embed_query(f"{question} {context}".strip()), np.float32)
        if context:
            # a follow-up: the carried-over topic alone would pick the previous answer again; the turn's own
            # words ("kalau honorariumnya?") say what is asked now, so both queries count equally
            own = vectors @ np.asarray(self.embedder.embed_query(question), dtype=np.float32)
            similarities = (similarities + own) / 2
        enumerative = bool(ENUMERATION.search(question))
        kinds = expected_kinds(question)
        years = set(years_in(question))
        thing = counted(question, self.glossary)
        evidence = []
        for (rank, chunk, unit), similarity in zip(pairs, similarities, strict=True):
            heading = " ".join(chunk.section[-1:])
            lexical = terms.overlap(set(tokenize(f"{heading} {unit.scored_text}")))
            rank_bonus = rank_weight / rank
            score = float(similarity) + w.lexical_weight * lexical + rank_bonus
            if unit.kind in ("list", "table") and enumerative:
                score += w.shape_weight
            if kinds and carries(unit.text, kinds):
                score += w.type_weight
            # "berapa konsorsium": the unit that gives konsorsium a number is the answer
            count_bonus = w.count_weight if thing and states_count(unit.text, thing) else 0.0
            score += count_bonus
            if points_elsewhere(unit.text):
                score -= w.pointer_weight
            if opens_document(chunk):
                score -= w.opening_weight
            if years and (str(chunk.year) in years or any(y in unit.text for y in years)):
                score += w.type_weight  # the year asked about: "ketentuan 2018" prefers the 2018 rule
            evidence.append(Evidence(chunk, unit, rank, float(similarity), lexical, score, count_bonus, rank_bonus))
        evidence.sort(key=lambda e: -e.score)
        return evidence, terms
