"""The default answerer: quote the units that answer the question, each with its [n], or refuse honestly."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assistant.answer import texts
from assistant.answer.citations import Source, resolve
from assistant.answer.evidence import Evidence, EvidenceScorer
from assistant.answer.layout import Block, attach_lead_ins, group_blocks, render_block, widen_item_blocks
from assistant.answer.qtype import points_elsewhere
from assistant.answer.support import assess
from assistant.config import AnswerSettings
from assistant.index.bm25_index import BM25Index
from assistant.lang import detect_language
from assistant.types import Citation, Hit, SearchResult


@dataclass(frozen=True)
class Composition:
    text: str
    citations: tuple[Citation, ...]
    refused: bool
    support: float
    notes: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()  # the evidence offered, numbered; an LLM cites these keys


def select(evidence: Sequence[Evidence], settings: AnswerSettings) -> list[Evidence]:
    """The best unit, plus runners-up that say something new: from the same section when they score within
    ``margin`` of the best; from another year's rules within ``margin_other`` (a rule version worth showing
    beside the best one; another section of the same rules would only dilute the answer). Then back in
    reading order."""
    if not evidence:
        return []
    best = evidence[0]
    chosen = [best]
    widest = max(settings.margin, settings.margin_other)
    for candidate in evidence[1:]:
        if len(chosen) >= settings.max_units or candidate.score < best.score - widest:
            break
        same_section = (candidate.chunk.doc_id, candidate.chunk.section) == (best.chunk.doc_id, best.chunk.section)
        if candidate.score < best.score - (settings.margin if same_section else settings.margin_other):
            continue
        if not same_section and candidate.chunk.year == best.chunk.year:
            continue
        if any(_overlaps(candidate, c) for c in chosen) or points_elsewhere(candidate.unit.text, wholly=True):
            continue
        chosen.append(candidate)
    return sorted(chosen, key=lambda e: (e.hit_rank, e.unit.start))


def _overlaps(a: Evidence, b: Evidence) -> bool:
    """The same words twice (overlapping chunks, or a list that contains a sentence)."""
    return a.key in b.key or b.key in a.key


def closest_topics(hits: Sequence[Hit], most: int = 3) -> list[str]:
    topics: list[str] = []
    for hit in hits:
        label = f"{hit.chunk.section_path} — {hit.chunk.title}" + (f" ({hit.chunk.year})" if hit.chunk.year else "")
        if label not in topics:
            topics.append(label)
        if len(topics) == most:
            break
    return topics


def refusal_text(lang: str, hits: Sequence[Hit]) -> str:
    parts = [texts.REFUSAL[lang]]
    topics = closest_topics(hits)
    if topics:
        parts.append(texts.CLOSEST_TOPICS[lang] + "\n" + "\n".join(f"- {t}" for t in topics))
    parts.append(texts.ASK_HELPDESK[lang])
    return "\n\n".join(parts)


def number_sources(blocks: Sequence[Block]) -> tuple[list[int], list[Source]]:
    """One source per passage of the documents: blocks quoted from the same chunk and page share a key, so the
    references name each section and page once and its card shows every part quoted from it."""
    keys: dict[tuple[str, int | None], int] = {}
    parts: dict[int, list[Block]] = {}
    key_of = []
    for block in blocks:
        key = keys.setdefault((block.first.chunk.chunk_id, block.first.page), len(keys) + 1)
        parts.setdefault(key, []).append(block)
        key_of.append(key)
    sources = [
        Source(key, group[0].first.chunk, "\n…\n".join(b.passage for b in group), group[0].first.page)
        for key, group in parts.items()
    ]
    return key_of, sources


def compose_from(selected: Sequence[Evidence], lang: str, result: SearchResult) -> tuple[str, list[Source]]:
    blocks = attach_lead_ins(widen_item_blocks(group_blocks(selected)))
    key_of, sources = number_sources(blocks)
    years = {b.first.chunk.year for b in blocks}
    rendered = []
    for key, block in zip(key_of, blocks, strict=True):
        body = render_block(block, key)
        if len(years) > 1 and block.first.chunk.year:
            body = f"{texts.YEAR_LEAD[lang].format(year=block.first.chunk.year)}: {body}"
        rendered.append(body)
    body_text = "\n\n".join(rendered) if lang == "en" else _join_id(rendered)
    parts = [texts.ENGLISH_LEAD, body_text] if lang == "en" else [body_text]
    if any(b.first.chunk.status == "diganti" for b in blocks) and result.notes:
        parts.append(f"{texts.VERSION_NOTE_LEAD[lang]} " + " ".join(result.notes))
    samples = [source.key for source in sources if source.chunk.status == "contoh"]
    if samples:
        refs = ", ".join(f"[{k}]" for k in samples)
        parts.append("_" + texts.SAMPLE_NOTE[lang].format(refs=refs, mark=texts.SAMPLE_MARK) + "_")
    return "\n\n".join(parts), sources


def _join_id(blocks: list[str]) -> str:
    """Sentences flow as one paragraph; lists and year-labelled statements stand on their own lines."""
    out: list[str] = []
    for block in blocks:
        standalone = "\n" in block or block.startswith(texts.YEAR_LEAD["id"].split()[0])
        if out and not standalone and "\n" not in out[-1] and not out[-1].startswith(texts.YEAR_LEAD["id"].split()[0]):
            out[-1] = f"{out[-1]} {block}"
        else:
            out.append(block)
    return "\n\n".join(out)


@dataclass
class ExtractiveComposer:
    scorer: EvidenceScorer
    settings: AnswerSettings

    def compose(
        self, question: str, lang: str, result: SearchResult, index: BM25Index, context: str = ""
    ) -> Composition:
        # support is calibrated on the question's own language, whatever language the answer is written in
        asked_in = detect_language(question)
        evidence, _ = self.scorer.score(question, result.hits, index, context, asked_in)
        support = assess(question, asked_in, evidence, self.scorer.glossary, index, self.settings).value
        if support < self.settings.min_support:
            offered = tuple(Source(i, e.chunk, e.unit.text, e.page) for i, e in enumerate(evidence[:8], start=1))
            return Composition(refusal_text(lang, result.hits), (), True, support, sources=offered)
        selected = select(evidence, self.settings)
        draft, sources = compose_from(selected, lang, result)
        text, citations, _ = resolve(draft, sources)
        notes = tuple(texts.SAMPLE_MARK for c in citations[:1] if any(c.is_sample for c in citations))
        return Composition(text, citations, False, support, notes, tuple(sources))
