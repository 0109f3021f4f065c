"""Answer units of a chunk: sentences, whole lists (with their lead-in) and table rows.

An extractive answer is made of units, so a list of required documents or master-plan chapters is quoted
whole, and a table row keeps its header. Offsets point into ``Chunk.text`` so each unit knows its page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.types import Chunk

LIST_ITEM = re.compile(r"^\s*(?:[-•*▪–]\s+|\d{1,2}[.)]\s+|[a-z][.)]\s+|\(\w{1,3}\)\s+)")
TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(\"“])")
ABBREVIATIONS = (
    "No.",
    "hlm.",
    "Kab.",
    "Kec.",
    "Prof.",
    "Dr.",
    "Ir.",
    "dkk.",
    "Rp.",
    "Jl.",
    "M.Si.",
    "M.T.",
    "Tbk.",
)
MAX_LIST_CHARS = 1600
MAX_LIST_ITEMS = 16


@dataclass(frozen=True)
class Unit:
    text: str  # what is quoted
    start: int  # offset in the chunk text
    kind: str  # sentence | list | row
    context: str = ""  # extra words for scoring (a table header, a list's lead-in)

    @property
    def scored_text(self) -> str:
        return f"{self.context} {self.text}".strip()


def split_units(chunk: Chunk) -> list[Unit]:
    lines = _lines_with_offsets(chunk.text)
    units: list[Unit] = []
    i = 0
    while i < len(lines):
        offset, line = lines[i]
        if TABLE_ROW.match(line):
            i = _table(lines, i, units)
        elif LIST_ITEM.match(line) or (
            line.rstrip().endswith(":") and i + 1 < len(lines) and LIST_ITEM.match(lines[i + 1][1])
        ):
            i = _list(lines, i, units)
        else:
            units.extend(_sentences(line, offset))
            i += 1
    return [u for u in units if len(u.text) >= 3]


def _lines_with_offsets(text: str) -> list[tuple[int, str]]:
    out, offset = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.append((offset, line.strip()))
        offset += len(line) + 1
    return out


def _table(lines: list[tuple[int, str]], i: int, units: list[Unit]) -> int:
    header = lines[i][1]
    j = i + 1
    while j < len(lines) and TABLE_ROW.match(lines[j][1]):
        j += 1
    rows = [(o, line) for o, line in lines[i + 1 : j] if not TABLE_RULE.match(line)]
    context = " ".join(cell.strip() for cell in header.strip("|").split("|"))
    for offset, row in rows:
        units.append(Unit(row, offset, "row", context))
    if not rows:
        units.append(Unit(header, lines[i][0], "row"))
    return j


def _list(lines: list[tuple[int, str]], i: int, units: list[Unit]) -> int:
    start = lines[i][0]
    lead = "" if LIST_ITEM.match(lines[i][1]) else lines[i][1]
    j = i + (1 if lead else 0)
    items: list[tuple[int, str]] = []
    while j < len(lines):
        offset, line = lines[j]
        if LIST_ITEM.match(line):
            items.append((offset, line))
        elif items and not line.endswith(":") and not TABLE_ROW.match(line) and _continues(items[-1][1], line):
            items[-1] = (items[-1][0], f"{items[-1][1]} {line}")  # an item wrapped onto the next line
        else:
            break
        j += 1
    block = "\n".join(([lead] if lead else []) + [line for _, line in items])
    if len(block) <= MAX_LIST_CHARS and len(items) <= MAX_LIST_ITEMS:
        units.append(Unit(block, start, "list"))
    else:  # too long to quote whole: each item is a unit that keeps the lead-in for scoring
        if lead:
            units.extend(_sentences(lead, start))
        units.extend(Unit(line, offset, "sentence", lead) for offset, line in items)
    return j


def _continues(previous: str, line: str) -> bool:
    """A wrapped PDF line: the item did not end a sentence and the next line starts in lowercase."""
    return not previous.rstrip().endswith((".", ";", ":")) and line[:1].islower()


def _sentences(line: str, offset: int) -> list[Unit]:
    protected = line
    for abbr in ABBREVIATIONS:
        protected = protected.replace(abbr, abbr.replace(".", "\u2024"))
    units = []
    position = 0
    for part in SENTENCE_END.split(protected):
        text = part.replace("\u2024", ".").strip()
        at = line.find(text, position)
        position = max(at, position)
        if text:
            units.append(Unit(text, offset + max(at, 0), "sentence"))
    return units


def unit_embed_text(chunk: Chunk, unit: Unit) -> str:
    """What a unit vector encodes: the section name gives a short sentence its topic."""
    heading = chunk.section[-1] if chunk.section else chunk.title
    return f"{heading}: {unit.scored_text}"


def unit_texts(chunks: list[Chunk]) -> list[str]:
    """Every unit of these chunks, as embedded; ingest caches their vectors so answers need no model call."""
    return [unit_embed_text(c, u) for c in chunks for u in split_units(c)]
