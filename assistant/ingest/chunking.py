"""Section-aware chunking: llama-index's SentenceSplitter inside each section, pages kept per chunk."""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from functools import lru_cache

from assistant.ingest.sections import Section, split_sections
from assistant.types import Chunk, SourceDoc
from assistant.units import is_table_row


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
        for text, page_starts in _split_section(section, splitter, chunk_tokens):
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
                    amends=doc.meta.amends,
                )
            )
    return chunks


def _split_section(section: Section, splitter, chunk_tokens: int) -> list[tuple[str, tuple[tuple[int, int], ...]]]:  # type: ignore[no-untyped-def]
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
    full, offsets, headers, added = _rows_apart(
        full, offsets, lambda text: len(splitter._tokenizer(text)) > chunk_tokens
    )
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
        starts = _page_starts(start, start + len(piece), offsets, pages)
        removed = sorted(at - start for at in added if start <= at < start + len(piece))
        out.append(_rows_together(piece, starts, headers.get(start), removed))
    return out


def _rows_apart(full: str, offsets: list[int], too_long) -> tuple[str, list[int], dict[int, str], set[int]]:  # type: ignore[no-untyped-def]
    """A table too long for one chunk gets a blank line between its rows, so that the splitter cuts between
    rows, never inside one. Returns the text, the segment offsets moved to match, the header row of every
    row after the first (by its new offset), to lead a chunk that starts inside the table, and where the
    added line breaks stand."""
    lines = full.split("\n")
    widened: set[int] = set()
    header_of: dict[int, str] = {}
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and is_table_row(lines[j]):
            j += 1
        if j - i >= 3 and too_long("\n".join(lines[i:j])):
            widened.update(range(i, j - 1))
            header_of.update((k, lines[i]) for k in range(i + 1, j))
        i = max(j, i + 1)
    if not widened:
        return full, offsets, {}, set()
    old_starts, new_starts, old, new = [], [], 0, 0
    for k, line in enumerate(lines):
        old_starts.append(old)
        new_starts.append(new)
        old += len(line) + 1
        new += len(line) + (2 if k in widened else 1)
    text = "".join(line + ("\n\n" if k in widened else "\n") for k, line in enumerate(lines))[:-1]
    moved = []
    for offset in offsets:
        k = bisect_right(old_starts, offset) - 1
        moved.append(new_starts[k] + offset - old_starts[k])
    added = {new_starts[k + 1] - 1 for k in widened}
    return text, moved, {new_starts[k]: header for k, header in header_of.items()}, added


def _rows_together(
    piece: str, starts: tuple[tuple[int, int], ...], header: str | None, removed: list[int]
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The chunk's text with the added line breaks taken out again (``removed``: their offsets in the piece),
    led by the table's header row when it starts inside a table; page offsets follow the text."""
    text = piece
    for at in reversed(removed):
        text = text[:at] + text[at + 1 :]
    moved = tuple((offset - sum(1 for at in removed if at < offset), page) for offset, page in starts)
    if header and not text.startswith(header):
        lead = len(header) + 1
        text = f"{header}\n{text}"
        moved = tuple((0 if offset == 0 else offset + lead, page) for offset, page in moved)
    return text, moved


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
