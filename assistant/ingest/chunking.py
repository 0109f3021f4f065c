"""Section-aware chunking: llama-index's SentenceSplitter inside each section, pages kept per chunk."""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from functools import lru_cache

from assistant.ingest.sections import Section, split_sections
from assistant.types import Chunk, SourceDoc


@lru_cache(maxsize=4)
def _splitter(chunk_tokens: int, overlap: int):  # type: ignore[no-untyped-def]
    from llama_index.core.node_parser import SentenceSplitter  # 3 s import: ingest only

    return SentenceSplitter(chunk_size=chunk_tokens, chunk_overlap=overlap, paragraph_separator="\n\n")


def chunk_id_for(doc_id: str, section: tuple[str, ...], text: str) -> str:
    digest = hashlib.sha256("\n".join([doc_id, " > ".join(section), text]).encode("utf-8")).hexdigest()
    return f"{doc_id}#{digest[:16]}"


def chunk_document(doc: SourceDoc, chunk_tokens: int = 320, overlap: int = 40) -> list[Chunk]:
    """Chunks never cross a section boundary; ids derive from doc id, section path and text."""
    splitter = _splitter(chunk_tokens, overlap)
    chunks: list[Chunk] = []
    seen: set[str] = set()
    for section in split_sections(doc):
        for text, page_starts in _split_section(section, splitter):
            chunk_id = chunk_id_for(doc.meta.doc_id, section.path, text)
            if chunk_id in seen:  # the same text twice in one section: keep ids unique and stable
                chunk_id = f"{chunk_id}-{len(chunks)}"
            seen.add(chunk_id)
            chunks.append(
                Chunk(
                    chunk_id=chunk_id,
                    doc_id=doc.meta.doc_id,
                    text=text,
                    section=section.path,
                    ordinal=len(chunks),
                    title=doc.meta.title,
                    year=doc.meta.year,
                    doc_type=doc.meta.doc_type,
                    status=doc.meta.status,
                    doc_hash=doc.content_hash,
                    supersedes=doc.meta.supersedes,
                    page_starts=page_starts,
                )
            )
    return chunks


def _split_section(section: Section, splitter) -> list[tuple[str, tuple[tuple[int, int], ...]]]:  # type: ignore[no-untyped-def]
    parts: list[str] = []
    offsets: list[int] = []
    pages: list[int | None] = []
    cursor = 0
    for page, text in section.segments:
        offsets.append(cursor)
        pages.append(page)
        parts.append(text)
        cursor += len(text) + 1
    full = "\n".join(parts)
    out = []
    search_from = 0
    for piece in splitter.split_text(full):
        piece = piece.strip()
        if not piece:
            continue
        start = full.find(piece, search_from)
        if start < 0:
            start = max(full.find(piece[:40], search_from), search_from)
        search_from = start + 1
        out.append((piece, _page_starts(start, start + len(piece), offsets, pages)))
    return out


def _page_starts(start: int, end: int, offsets: list[int], pages: list[int | None]) -> tuple[tuple[int, int], ...]:
    first = max(bisect_right(offsets, start) - 1, 0)
    result: list[tuple[int, int]] = []
    if pages[first] is not None:
        result.append((0, pages[first]))  # type: ignore[arg-type]
    for offset, page in zip(offsets[first + 1 :], pages[first + 1 :], strict=True):
        if offset >= end:
            break
        if page is not None and (not result or result[-1][1] != page):
            result.append((offset - start, page))
    return tuple(result)
