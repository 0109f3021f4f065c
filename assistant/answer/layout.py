"""Lay chosen blocks out as Markdown, each carrying its citation key: a paragraph flows, a list keeps its lead-in,
a table (or a single row) keeps its header."""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.answer.features import Candidate
from assistant.normalize import NUMBERED_ITEM
from assistant.units import cells

NUMBERING = re.compile(r"^(?:BAB\s+[IVXLCDM\d]+\s+|\d{1,2}(?:\.\d{1,2})*\.?\s+)")


def heading_label(candidate: Candidate) -> str:
    return NUMBERING.sub("", candidate.heading).strip() or candidate.chunk.title


def cite_sentence(text: str, key: int) -> str:
    """'… per klaster.' -> '… per klaster [1].' (the key sits before the final stop)."""
    text = text.rstrip()
    if text.endswith((".", "!", "?")) and not text.endswith("..."):
        return f"{text[:-1]} [{key}]{text[-1]}"
    return f"{text} [{key}]"


def cite_lead(text: str, key: int) -> str:
    """'Komponen biaya:' -> 'Komponen biaya [1]:'; '... urutan berikut.' -> '... urutan berikut [1]:'."""
    text = text.rstrip()
    if text.endswith((":", ".")) and not text.endswith("..."):
        return f"{text[:-1].rstrip()} [{key}]:"
    return f"{text} [{key}]:"


def markdown_items(lines: Sequence[str]) -> list[str]:
    """List items as Markdown: numbered ones stay numbered, the rest become bullets with their letter."""
    out = []
    for line in lines:
        line = re.sub(r"^\s*[•*▪–-]\s+", "", line.strip())
        out.append(line if NUMBERED_ITEM.match(line) else f"- {line}")
    return out


def render_block(candidate: Candidate, key: int) -> str:
    block = candidate.block
    if block.kind == "paragraph":
        return cite_sentence(block.text, key)
    if block.kind == "list":
        lead = block.context or heading_label(candidate)
        return cite_lead(lead, key) + "\n" + "\n".join(markdown_items(block.text.split("\n")))
    return _table(candidate, key)


def _table(candidate: Candidate, key: int) -> str:
    block = candidate.block
    header = cells(block.context) if block.context else []
    rows = [cells(line) for line in block.text.split("\n")]
    width = max(len(header), *(len(r) for r in rows))
    header = header + [""] * (width - len(header)) if header else [""] * width
    lines = [cite_lead(heading_label(candidate), key), "", "| " + " | ".join(header) + " |", "|" + "---|" * width]
    lines += ["| " + " | ".join(r + [""] * (width - len(r))) + " |" for r in rows]
    return "\n".join(lines)
