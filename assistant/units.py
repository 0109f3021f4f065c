"""Answer units of a chunk: sentences, lists (whole, and item by item) and table rows.

An extractive answer is made of units, so a list of required documents or master-plan chapters can be quoted
whole, a single list item or table row can answer a narrow question, and a table row keeps its header.
Offsets point into ``Chunk.text`` so each unit knows its page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.ingest.textclean import continues
from assistant.normalize import LIST_ITEM
from assistant.types import Chunk

TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(\"“])")
ABBREVIATIONS = ("No.", "hlm.", "Kab.", "Kec.", "Prof.", "Dr.", "Ir.", "dkk.", "Rp.", "Jl.", "M.Si.", "M.T.", "Tbk.")
MAX_LIST_CHARS = 1600
PARAGRAPH_CHARS = 450  # a paragraph up to this long is one unit: its sentences explain each other
MAX_LIST_ITEMS = 16


@dataclass(frozen=True)
class Unit:
    text: str  # what is quoted
    start: int  # offset in the chunk text
    kind: str  # sentence | list | item | table | row
    context: str = ""  # a table header, or a list's lead-in: scored with the unit, shown with rows

    @property
    def scored_text(self) -> str:
        return f"{self.context} {self.text}".strip()


FRAGMENT_END = re.compile(r"[.!?:;)\"”]$")


def is_fragment(unit: Unit, chunk: Chunk) -> bool:
    """A line that states nothing on its own: a short cover line without a closing stop or any figure
    ("Jakarta", "Direktorat Jenderal Penguatan Inovasi"), a line cut at a comma ("Senin, 26 Maret 2018, The
    Sultan Hotel & Residence,"), or a piece of the document's title or section heading broken over lines."""
    if unit.kind != "sentence":
        return False
    text = unit.text.strip()
    if text.endswith(","):
        return True
    if len(text.split()) < 8 and not FRAGMENT_END.search(text) and not any(ch.isdigit() for ch in text):
        return True
    return any(_words(text) in _words(heading) for heading in (chunk.title, *chunk.section))


def _words(text: str) -> str:
    return " " + " ".join(re.findall(r"\w+", text.lower())) + " "


def is_table_row(line: str) -> bool:
    stripped = line.strip()
    return " | " in stripped or (stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 2)


def split_units(chunk: Chunk) -> list[Unit]:
    lines = _joined_lines(chunk.text)
    units: list[Unit] = []
    i = 0
    while i < len(lines):
        offset, line = lines[i]
        if is_table_row(line):
            i = _table(lines, i, units)
        elif LIST_ITEM.match(line) or (line.endswith(":") and i + 1 < len(lines) and LIST_ITEM.match(lines[i + 1][1])):
            i = _list(lines, i, units)
        else:
            units.extend(_paragraph(line, offset))
            i += 1
    return [u for u in units if len(u.text) >= 3]


def _joined_lines(text: str) -> list[tuple[int, str]]:
    """Lines with their offsets; a sentence broken across a page boundary is joined again."""
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


def cells(row: str) -> list[str]:
    return [cell.strip() for cell in row.strip().strip("|").split("|")]


def _table(lines: list[tuple[int, str]], i: int, units: list[Unit]) -> int:
    header = lines[i][1]
    j = i + 1
    while j < len(lines) and is_table_row(lines[j][1]):
        j += 1
    rows = [(o, line) for o, line in lines[i + 1 : j] if not TABLE_RULE.match(line)]
    context = " | ".join(cells(header))
    if 1 < len(rows) <= MAX_LIST_ITEMS:  # the whole table answers "apa saja ..."; a row answers a narrow question
        units.append(Unit("\n".join(" | ".join(cells(row)) for _, row in rows), rows[0][0], "table", context))
    for offset, row in rows:
        units.append(Unit(" | ".join(cells(row)), offset, "row", context))
    if not rows:
        units.extend(_sentences(header, lines[i][0]))
    return j


def _list(lines: list[tuple[int, str]], i: int, units: list[Unit]) -> int:
    start = lines[i][0]
    lead = "" if LIST_ITEM.match(lines[i][1]) else lines[i][1]
    j = i + (1 if lead else 0)
    items: list[tuple[int, str]] = []
    while j < len(lines) and LIST_ITEM.match(lines[j][1]):
        items.append(lines[j])
        j += 1
    block = "\n".join(([lead] if lead else []) + [line for _, line in items])
    if len(block) <= MAX_LIST_CHARS and len(items) <= MAX_LIST_ITEMS:
        units.append(Unit(block, start, "list"))
    units.extend(Unit(line, offset, "item", lead) for offset, line in items)
    return j


def _paragraph(line: str, offset: int) -> list[Unit]:
    """A short paragraph is quoted whole (its sentences explain each other); a long one sentence by sentence."""
    if len(line) <= PARAGRAPH_CHARS:
        return [Unit(line, offset, "sentence")]
    return _sentences(line, offset)


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
