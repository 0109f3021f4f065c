"""The default answerer: quote the units that answer the question, each with its [n], or refuse honestly."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.answer import texts
from assistant.answer.citations import Source, resolve
from assistant.answer.evidence import Evidence, EvidenceScorer, QuestionTerms
from assistant.config import AnswerSettings
from assistant.index.bm25_index import BM25Index
from assistant.types import Citation, Hit, SearchResult
from assistant.units import LIST_ITEM


@dataclass(frozen=True)
class Composition:
    text: str
    citations: tuple[Citation, ...]
    refused: bool
    support: float
    notes: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()  # the evidence offered, numbered; an LLM cites these keys


def support_of(best: Evidence | None, terms: QuestionTerms) -> float:
    """How well the best unit answers the question; below ``min_support`` the answer is a refusal."""
    if best is None:
        return 0.0
    return best.score - 0.05 * min(len(terms.unknown), 3)


def select(evidence: Sequence[Evidence], settings: AnswerSettings) -> list[Evidence]:
    """The best unit, plus close runners-up that say something new; then back in reading order."""
    if not evidence:
        return []
    best = evidence[0]
    chosen = [best]
    for candidate in evidence[1:]:
        if len(chosen) >= settings.max_units or candidate.score < best.score - settings.margin:
            break
        if any(_overlaps(candidate, c) for c in chosen):
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


def _render_unit(evidence: Evidence, key: int) -> str:
    """A sentence ends with its key; a list keeps its lead-in and every item, as Markdown."""
    text = evidence.unit.text
    if evidence.unit.kind != "list":
        return _cite_sentence(text.rstrip(), key)
    lines = text.split("\n")
    lead = [] if LIST_ITEM.match(lines[0]) else [lines.pop(0)]
    items = [re.sub(r"^\s*[•*▪–-]\s+", "", line) for line in lines]
    items = [line if re.match(r"^\d{1,2}[.)]\s", line) else f"- {line}" for line in items]  # Markdown lists
    head = _cite_lead(lead[0], key) if lead else f"[{key}]"
    return head + "\n" + "\n".join(items)


def _cite_lead(text: str, key: int) -> str:
    """'Komponen biaya:' -> 'Komponen biaya [1]:'."""
    return f"{text[:-1].rstrip()} [{key}]:" if text.endswith(":") else _cite_sentence(text, key)


def _cite_sentence(text: str, key: int) -> str:
    """'… per klaster.' -> '… per klaster [1].' (the key sits before the final stop)."""
    if text.endswith((".", "!", "?")) and not text.endswith("..."):
        return f"{text[:-1]} [{key}]{text[-1]}"
    return f"{text} [{key}]"


def compose_from(selected: Sequence[Evidence], lang: str, result: SearchResult) -> tuple[str, list[Source]]:
    sources = [Source(i, e.chunk, e.unit.text, e.page) for i, e in enumerate(selected, start=1)]
    years = {e.chunk.year for e in selected}
    blocks = []
    for source, evidence in zip(sources, selected, strict=True):
        body = _render_unit(evidence, source.key)
        if len(years) > 1 and evidence.chunk.year:
            body = f"{texts.YEAR_LEAD[lang].format(year=evidence.chunk.year)}: {body}"
        if lang == "en":
            body = "- " + body.replace("\n", "\n  ")
        blocks.append(body)
    body_text = "\n".join(blocks) if lang == "en" else _join_id(blocks)
    parts = [texts.ENGLISH_LEAD, body_text] if lang == "en" else [body_text]
    if any(e.chunk.status == "diganti" for e in selected) and result.notes:
        parts.append(f"{texts.VERSION_NOTE_LEAD[lang]} " + " ".join(result.notes))
    samples = [s.key for s, e in zip(sources, selected, strict=True) if e.chunk.status == "contoh"]
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
        evidence, terms = self.scorer.score(question, result.hits, index, context)
        support = support_of(evidence[0] if evidence else None, terms)
        if support < self.settings.min_support:
            offered = tuple(Source(i, e.chunk, e.unit.text, e.page) for i, e in enumerate(evidence[:8], start=1))
            return Composition(refusal_text(lang, result.hits), (), True, support, sources=offered)
        selected = select(evidence, self.settings)
        draft, sources = compose_from(selected, lang, result)
        text, citations, _ = resolve(draft, sources)
        notes = tuple(texts.SAMPLE_MARK for c in citations[:1] if any(c.is_sample for c in citations))
        return Composition(text, citations, False, support, notes, tuple(sources))
