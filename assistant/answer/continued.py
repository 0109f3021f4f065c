"""A lead-in is quoted with what it announces.

A block that ends with a lead-in ("… meliputi:", "… sebagai berikut:", "… include:") announces the items that
follow, and the block split or the chunker may have cut there: the items are the next block of the chunk or, at
the chunk's end, the first block of the next chunk of the same section. Quoting the lead-in alone answers nothing,
so a chosen block that ends so is followed by the block it announces.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from assistant.answer.features import Candidate
from assistant.index.analysis import tokenize
from assistant.types import Chunk
from assistant.units import Block, split_blocks


def next_chunk(chunk: Chunk, chunks: Iterable[Chunk]) -> Chunk | None:
    """The chunk that follows ``chunk`` in its document, when it continues the same section."""
    follows = (c for c in chunks if c.doc_id == chunk.doc_id and c.ordinal == chunk.ordinal + 1)
    return next((c for c in follows if c.section == chunk.section), None)


def announced(candidate: Candidate, chunks: Iterable[Chunk]) -> tuple[Chunk, Block, int] | None:
    """The block a lead-in at the end of ``candidate``'s block announces, with its chunk and position."""
    if not candidate.block.text.rstrip().endswith(":"):
        return None
    blocks = split_blocks(candidate.chunk)
    later = [(i, b) for i, b in enumerate(blocks) if b.start > candidate.block.start]
    if later:
        return candidate.chunk, later[0][1], later[0][0]
    following = next_chunk(candidate.chunk, chunks)
    first = split_blocks(following)[:1] if following is not None else []
    return (following, first[0], 0) if following is not None and first else None


def with_continuations(chosen: Sequence[Candidate], chunks: Sequence[Chunk]) -> list[Candidate]:
    """``chosen`` with, after each block that ends with a lead-in, the block it announces (unless chosen)."""
    out = list(chosen)
    for candidate in chosen:
        found = announced(candidate, chunks)
        if found is None:
            continue
        chunk, block, order = found
        if any(c.chunk.chunk_id == chunk.chunk_id and c.block.start == block.start for c in out):
            continue
        tokens = frozenset(tokenize(block.scored_text))
        out.append(replace(candidate, chunk=chunk, block=block, order=order, tokens=tokens))
    return out
