"""The default answerer: read the question once, let the reader pick the answering block, quote it with its [n],
or refuse when the passages are unlikely to answer, saying what was not found."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assistant.answer import texts
from assistant.answer.citations import Source, resolve
from assistant.answer.considerations import find_considerations
from assistant.answer.continued import with_continuations
from assistant.answer.definitions import Definition, find_definition, ordered
from assistant.answer.enactment import find_closing
from assistant.answer.faq import answering_section, leading_section, named_section
from assistant.answer.features import (
    ANSWERABILITY_FEATURES,
    READER_FEATURES,
    Candidate,
    Reading,
    answer_order,
    answerability_vector,
    missing_parts,
    unmentioned,
)
from assistant.answer.fitted import Fitted, load_fitted
from assistant.answer.layout import render_block
from assistant.answer.question import QuestionRecord, read_question
from assistant.answer.reader import Reader, choose, heading_terms, read
from assistant.config import AnswerSettings
from assistant.glossary import Glossary
from assistant.index.analysis import tokenize
from assistant.index.bm25_index import BM25Index
from assistant.lang import detect_language
from assistant.types import Chunk, Citation, Hit, SearchResult
from assistant.units import Block


@dataclass(frozen=True)
class Composition:
    text: str
    citations: tuple[Citation, ...]
    refused: bool
    support: float  # probability that the passages answer the question
    notes: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()  # the evidence offered, numbered; an LLM cites these keys


def closest_topics(hits: Sequence[Hit], most: int = 3) -> list[str]:
    topics: list[str] = []
    for hit in hits:
        label = f"{hit.chunk.section_path} — {hit.chunk.title}" + (f" ({hit.chunk.year})" if hit.chunk.year else "")
        if label not in topics:
            topics.append(label)
        if len(topics) == most:
            break
    return topics


def refusal_text(lang: str, hits: Sequence[Hit], missing: Sequence[str] = (), unmentioned: Sequence[str] = ()) -> str:
    """The refusal, what the documents do not state (or, when nothing is missing from them, what the closest
    passage does not mention), the closest topics and the helpdesk."""
    parts = [texts.REFUSAL[lang]]
    if missing:
        parts.append(texts.NOT_FOUND[lang].format(parts=", ".join(missing)))
    elif unmentioned:
        parts.append(texts.UNMENTIONED[lang].format(parts=", ".join(unmentioned)))
    topics = closest_topics(hits)
    if topics:
        parts.append(texts.CLOSEST_TOPICS[lang] + "\n" + "\n".join(f"- {t}" for t in topics))
    parts.append(texts.ASK_HELPDESK[lang])
    return "\n\n".join(parts)


def compose_from(chosen: Sequence[Candidate], lang: str, result: SearchResult) -> tuple[str, list[Source]]:
    """The chosen blocks, the lead first (``answer_order``), one source each; year labels when they come from
    different years' rules, the version note for replaced rules and the sample note for sample rules."""
    ordered = answer_order(chosen)
    keys: dict[str, int] = {}
    for candidate in ordered:  # blocks of one chunk are one passage of the documents: one source, one key
        keys.setdefault(candidate.chunk.chunk_id, len(keys) + 1)
    sources = [
        Source(key, group[0].chunk, "\n".join(c.block.quoted for c in group), group[0].page)
        for key, group in ((k, [c for c in ordered if keys[c.chunk.chunk_id] == k]) for k in keys.values())
    ]
    years = {c.chunk.year for c in ordered}
    rendered = []
    for candidate in ordered:
        body = render_block(candidate, keys[candidate.chunk.chunk_id])
        if len(years) > 1 and candidate.chunk.year:
            body = f"{texts.YEAR_LEAD[lang].format(year=candidate.chunk.year)}: {body}"
        rendered.append(body)
    parts = ([texts.ENGLISH_LEAD] if lang == "en" else []) + ["\n\n".join(rendered)]
    replaced = any(c.chunk.status == "diganti" for c in ordered)
    notes = [n for n in result.notes if replaced or any(_about(n, c.chunk) for c in ordered)]
    if notes:  # a replaced rule is quoted, or the quoted article is the amended wording of another regulation's
        parts.append(f"{texts.VERSION_NOTE_LEAD[lang]} " + " ".join(notes))
    samples = [source.key for source in sources if source.chunk.status == "contoh"]
    if samples:
        refs = ", ".join(f"[{k}]" for k in samples)
        parts.append("_" + texts.SAMPLE_NOTE[lang].format(refs=refs, mark=texts.SAMPLE_MARK) + "_")
    return "\n\n".join(parts), sources


def _about(note: str, chunk: Chunk) -> bool:
    """An amendment note names the article and both regulations' titles."""
    return bool(chunk.section) and note.startswith(f"{chunk.section[-1]} ") and chunk.title in note


def leading(reading: Reading, definition: Definition, hits: Sequence[Hit]) -> Reading:
    """The reading with the definition as its lead block (the reader's own choices follow it)."""
    chunk = definition.chunk
    rank = next((i for i, h in enumerate(hits, start=1) if h.chunk.chunk_id == chunk.chunk_id), len(hits) + 1)
    best = reading.lead.dense_best if reading.candidates else 0.0
    lead = Candidate(
        chunk=chunk,
        block=Block(definition.text, definition.start, "paragraph"),
        rank=rank,
        order=0,
        dense=best,
        dense_heading=best,
        dense_best=best,
        tokens=frozenset(tokenize(definition.text)),
        heading_tokens=heading_terms(chunk),
    )
    return Reading((lead, *reading.candidates), (1.0, *reading.probabilities))


def answer_probability(question: QuestionRecord, reading: Reading, fitted: Fitted) -> float:
    if not reading.candidates:
        return 0.0
    return float(fitted.answerability.probabilities([answerability_vector(question, reading)])[0])


@dataclass
class ExtractiveComposer:
    reader: Reader
    glossary: Glossary
    fitted: Fitted

    @classmethod
    def from_settings(cls, reader: Reader, glossary: Glossary, settings: AnswerSettings) -> ExtractiveComposer:
        fitted = load_fitted(settings.fitted_path, list(READER_FEATURES), list(ANSWERABILITY_FEATURES))
        return cls(reader, glossary, fitted)

    def record(self, question: str, index: BM25Index, context: str = "") -> QuestionRecord:
        """The question read once; its language is the one it is written in, whatever the answer's language."""
        return read_question(question, detect_language(question), self.glossary, index, context)

    @staticmethod
    def definition(record: QuestionRecord, hits: Sequence[Hit], index: BM25Index) -> Definition | None:
        """The documents' own words for what the question asks in a drafting form every regulation uses: the
        definition of the asked term, the closing (enactment and entry into force) of the asked regulation, or
        the considerations (Menimbang) it states for itself."""
        if record.defines is not None:
            return find_definition(record.defines, ordered([h.chunk for h in hits], index.chunks))
        if record.enactment is not None:
            return find_closing(record.enactment, [h.chunk for h in hits], index.chunks)
        if record.reason is not None:
            return find_considerations(record.reason, [h.chunk for h in hits], index.chunks)
        return None

    def compose(
        self, question: str, lang: str, result: SearchResult, index: BM25Index, context: str = ""
    ) -> Composition:
        fitted = self.fitted
        record = self.record(question, index, context)
        reading = read(record, self.reader.candidates(record, result.hits), fitted.reader)
        support = answer_probability(record, reading, fitted)
        section = answering_section(record, reading.candidates) or named_section(record, reading.candidates)
        definition = None if section else self.definition(record, result.hits, index)
        if section:  # a retrieved section is headed by the very question asked, or named by the list asked for
            reading, support = leading_section(reading, section), 1.0
        elif definition is not None:  # the documents define exactly the asked term: that definition answers
            reading, support = leading(reading, definition, result.hits), 1.0
        if support < fitted.answer_threshold:
            offered = tuple(
                Source(i, c.chunk, c.block.quoted, c.page) for i, c in enumerate(reading.candidates[:8], start=1)
            )
            text = refusal_text(lang, result.hits, missing_parts(record, reading, lang), unmentioned(record, reading))
            return Composition(text, (), True, support, sources=offered)
        chosen = with_continuations(choose(record, reading, fitted.same_chunk, fitted.other_section), index.chunks)
        draft, sources = compose_from(chosen, lang, result)
        text, citations, _ = resolve(draft, sources)
        notes = tuple(texts.SAMPLE_MARK for c in citations[:1] if any(c.is_sample for c in citations))
        return Composition(text, citations, False, support, notes, tuple(sources))
