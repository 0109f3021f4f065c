"""Blocks of a chunk: the passages an answer is made of.

A block is a paragraph, a whole list (with the sentence that announces it) or a whole table (with its header);
a long table also offers each row with its header, so a question about one figure can be answered by its row.
Blocks, not sentences, are what the reader scores and quotes, so a list of required documents is quoted whole
and a sentence keeps the paragraph that explains it. Offsets point into ``Chunk.text`` so each block knows its page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.ingest.textclean import continues
from assistant.normalize import LIST_ITEM
from assistant.types import Chunk

TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")
ITEM_END = re.compile(r"[.;:!?]\s*(?:dan|atau|and|or)?$")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(\"“])")
MAX_BLOCK_CHARS = 900  # a longer paragraph or list is cut into parts of about this size, at sentence or item ends
ROWS_OF_LONG_TABLE = 5  # a table with more rows than this also offers each row (with its header)
EMBED_CHARS = 1200  # what the dense model reads of a block (its window is 512 tokens)


@dataclass(frozen=True)
class Block:
    text: str  # what is quoted
    start: int  # offset in the chunk text
    kind: str  # paragraph | list | table | row
    context: str = ""  # a table header or a list's lead-in: read with the block, shown with it

    @property
    def scored_text(self) -> str:
        return f"{self.context} {self.text}".strip()

    @property
    def quoted(self) -> str:
        """The passage as cited: header or lead-in first, so it reads on its own."""
        return f"{self.context}\n{self.text}" if self.context else self.text


def heading_of(chunk: Chunk) -> str:
    return chunk.section[-1] if chunk.section else chunk.title


def is_table_row(line: str) -> bool:
    stripped = line.strip()
    return " | " in stripped or (stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 2)


def cells(row: str) -> list[str]:
    return [cell.strip() for cell in row.strip().strip("|").split("|")]


def split_blocks(chunk: Chunk) -> list[Block]:
    lines = _joined_lines(chunk.text)
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        offset, line = lines[i]
        if is_table_row(line):
            i = _table(lines, i, blocks)
        elif LIST_ITEM.match(line) or (line.endswith(":") and i + 1 < len(lines) and LIST_ITEM.match(lines[i + 1][1])):
            i = _list(lines, i, blocks)
        else:
            blocks.extend(_paragraph(line, offset))
            i += 1
    return [b for b in blocks if len(b.text) >= 3]


def _joined_lines(text: str) -> list[tuple[int, str]]:
    """Lines with their offsets; a sentence broken across lines or a page boundary is joined again."""
    out: list[tuple[int, str]] = []
    offset = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            if out and not LIST_ITEM.match(stripped) and continues(out[-1][1], stripped, 0):
                out[-1] = (out[-1][0], f"{out[-1][1]} {stripped}")
            else:
                out.append((offset, stripped))
        offset += len(line) + 1
    return out


def _table(lines: list[tuple[int, str]], i: int, blocks: list[Block]) -> int:
    header = lines[i][1]
    j = i + 1
    while j < len(lines) and is_table_row(lines[j][1]):
        j += 1
    rows = [(o, line) for o, line in lines[i + 1 : j] if not TABLE_RULE.match(line)]
    context = " | ".join(cells(header))
    if not rows:
        blocks.extend(_paragraph(header, lines[i][0]))
        return j
    for part in _parts([(o, " | ".join(cells(r))) for o, r in rows]):
        blocks.append(Block("\n".join(r for _, r in part), part[0][0], "table", context))
    if len(rows) > ROWS_OF_LONG_TABLE:
        blocks.extend(Block(" | ".join(cells(row)), offset, "row", context) for offset, row in rows)
    return j


def _list(lines: list[tuple[int, str]], i: int, blocks: list[Block]) -> int:
    lead = "" if LIST_ITEM.match(lines[i][1]) else lines[i][1]
    j = i + (1 if lead else 0)
    items: list[tuple[int, str]] = []
    while j < len(lines):
        offset, line = lines[j]
        if LIST_ITEM.match(line):
            items.append((offset, line))
        elif items and not ITEM_END.search(items[-1][1]):
            items[-1] = (items[-1][0], f"{items[-1][1]} {line}")  # an item broken over lines runs on
        else:
            break
        j += 1
    for part in _parts(items):
        blocks.append(Block("\n".join(line for _, line in part), part[0][0], "list", lead))
    return j


def _parts(lines: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """Consecutive lines in groups of at most about MAX_BLOCK_CHARS (a single longer line stays whole)."""
    parts: list[list[tuple[int, str]]] = [[]]
    size = 0
    for offset, line in lines:
        if parts[-1] and size + len(line) > MAX_BLOCK_CHARS:
            parts.append([])
            size = 0
        parts[-1].append((offset, line))
        size += len(line) + 1
    return [p for p in parts if p]


def _paragraph(line: str, offset: int) -> list[Block]:
    """A paragraph is one block; a very long one is cut between sentences."""
    if len(line) <= MAX_BLOCK_CHARS:
        return [Block(line, offset, "paragraph")]
    sentences = []
    position = 0
    for part in SENTENCE_END.split(line):
        at = line.find(part, position)
        position = max(at, position)
        sentences.append((offset + max(at, 0), part))
    return [Block(" ".join(s for _, s in part), part[0][0], "paragraph") for part in _parts(sentences)]


def block_embed_text(chunk: Chunk, block: Block) -> str:
    """What a block vector encodes: the section name gives a short paragraph its topic."""
    return f"{heading_of(chunk)}: {block.scored_text}"[:EMBED_CHARS]


def heading_embed_text(chunk: Chunk) -> str:
    return f"{chunk.title}: {heading_of(chunk)}"


def pooled_rows(blocks: list[Block]) -> dict[int, list[int]]:
    """Index of each part of a long table -> the indexes of its rows (blocks of their own too, each in the last
    part of its table that starts at or before it): such a part's vector is the mean of its rows' vectors, so its
    rows are not read by the model twice."""
    parts = [(i, b) for i, b in enumerate(blocks) if b.kind == "table"]
    out: dict[int, list[int]] = {}
    for j, row in enumerate(blocks):
        if row.kind != "row":
            continue
        owner = [i for i, part in parts if part.context == row.context and part.start <= row.start]
        if owner:
            out.setdefault(owner[-1], []).append(j)
    return out


def block_vector_texts(chunk: Chunk, blocks: list[Block], pooled: dict[int, list[int]]) -> list[str | None]:
    """What each block's vector is read from: its own text with the section name, the chunk's own text when the
    block is the whole chunk (that vector exists already), or None for the part of a long table whose vector is
    the mean of its rows' (``pooled``, from ``pooled_rows(blocks)``)."""
    if len(blocks) == 1:
        return [chunk.index_text]
    return [None if i in pooled else block_embed_text(chunk, b) for i, b in enumerate(blocks)]


def unit_texts(chunks: list[Chunk]) -> list[str]:
    """The texts the answerer reads vectors of (see ``block_vector_texts``) and the section headings of these
    chunks; ingest caches their vectors so answers need no model call."""
    texts = []
    for chunk in chunks:
        blocks = split_blocks(chunk)
        texts += [t for t in block_vector_texts(chunk, blocks, pooled_rows(blocks)) if t is not None]
    return texts + list(dict.fromkeys(heading_embed_text(c) for c in chunks))
