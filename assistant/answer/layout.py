"""Lay selected units out as Markdown: sentences flow, lists keep their lead-in, list items and table rows
of one list or table are grouped under their lead-in or header, each block carrying its citation key."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from assistant.answer.evidence import Evidence
from assistant.normalize import LIST_ITEM, NUMBERED_ITEM
from assistant.units import Unit, cells, split_units

NUMBERING = re.compile(r"^(?:BAB\s+[IVXLCDM\d]+\s+|\d{1,2}(?:\.\d{1,2})*\.?\s+)")


# a sentence that announces what follows: "... disusun dengan urutan berikut.", "... terdiri atas:"
LEAD_IN = re.compile(
    r"(:|\b(berikut|antara lain|meliputi|terdiri atas|terdiri dari|yaitu)\s*[.:]?)\s*$",
    re.I,
)


@dataclass(frozen=True)
class Block:
    kind: str  # sentence | list | items | table | rows (sentences of one chunk form one "sentence" block)
    evidence: tuple[Evidence, ...]
    lead: str = ""  # the sentence of the text that announces this list or table, quoted with it

    @property
    def first(self) -> Evidence:
        return self.evidence[0]

    @property
    def passage(self) -> str:
        """The quote behind the citation: header or lead-in included, so the passage reads on its own."""
        context = self.first.unit.context
        lines = [e.unit.text for e in self.evidence]
        if self.kind == "sentence":
            return self.sentences()
        if self.kind in ("rows", "items", "table") and context:
            lines.insert(0, context)
        return "\n".join([self.lead, *lines] if self.lead else lines)

    def sentences(self) -> str:
        """Sentences of one chunk in reading order; ' … ' marks where text was skipped."""
        out = self.evidence[0].unit.text
        for previous, current in zip(self.evidence, self.evidence[1:], strict=False):
            gap = current.unit.start - (previous.unit.start + len(previous.unit.text))
            out += (" " if gap <= 2 else " … ") + current.unit.text
        return out


def group_blocks(selected: Sequence[Evidence]) -> list[Block]:
    """Rows of one table and items of one list (in reading order) become one block."""
    blocks: list[Block] = []
    for evidence in selected:
        kind = {"item": "items", "row": "rows"}.get(evidence.unit.kind, evidence.unit.kind)
        last = blocks[-1] if blocks else None
        same_group = (
            last is not None
            and kind in ("items", "rows", "sentence")
            and last.kind == kind
            and last.first.chunk.chunk_id == evidence.chunk.chunk_id
            and last.first.unit.context == evidence.unit.context
        )
        if same_group and last is not None:
            blocks[-1] = Block(kind, (*last.evidence, evidence))
        else:
            blocks.append(Block(kind, (evidence,)))
    return blocks


WHOLE = {"items": "list", "rows": "table"}


def widen_item_blocks(blocks: list[Block]) -> list[Block]:
    """Two or more items of one list (rows of one table) answer together: quote it whole, none skipped."""
    out = []
    for block in blocks:
        whole = _whole(block) if block.kind in WHOLE and len(block.evidence) > 1 else None
        out.append(Block(WHOLE[block.kind], (replace(block.first, unit=whole),)) if whole else block)
    return out


def attach_lead_ins(blocks: list[Block]) -> list[Block]:
    """A selected sentence that announces the list or table right after it ("... terdiri atas:") is that
    list's lead-in: one passage, one citation, instead of a citation for the announcement alone."""
    out: list[Block] = []
    for block in blocks:
        previous = out[-1] if out else None
        if previous is not None and _announces(previous, block):
            out.pop()
            if len(previous.evidence) > 1:
                out.append(Block("sentence", previous.evidence[:-1]))
            block = replace(block, lead=previous.evidence[-1].unit.text)
        out.append(block)
    return out


def _announces(previous: Block, block: Block) -> bool:
    if previous.kind != "sentence" or block.kind == "sentence" or block.lead:
        return False
    sentence, first = previous.evidence[-1], block.first
    if sentence.chunk.chunk_id != first.chunk.chunk_id or not LEAD_IN.search(sentence.unit.text):
        return False
    if block.kind == "list" and not LIST_ITEM.match(first.unit.text):
        return False  # the list has a lead-in line of its own
    gap = first.unit.start - (sentence.unit.start + len(sentence.unit.text))
    return 0 <= gap <= 2 and not (block.kind in ("items", "rows") and first.unit.context)


def _whole(block: Block) -> Unit | None:
    parts = [e.unit.text for e in block.evidence]
    for unit in split_units(block.first.chunk):
        if unit.kind == WHOLE[block.kind] and all(part in unit.text for part in parts):
            return unit
    return None


def heading_label(evidence: Evidence) -> str:
    section = evidence.chunk.section[-1] if evidence.chunk.section else evidence.chunk.title
    return NUMBERING.sub("", section).strip()


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


def render_block(block: Block, key: int) -> str:
    first = block.first
    if block.kind == "sentence":
        return cite_sentence(block.sentences(), key)
    if block.kind == "list":
        lines = first.unit.text.split("\n")
        lead = block.lead or (heading_label(first) if LIST_ITEM.match(lines[0]) else lines.pop(0))
        return cite_lead(lead, key) + "\n" + "\n".join(markdown_items(lines))
    if block.kind == "items":
        if len(block.evidence) == 1 and not block.lead:
            return cite_sentence(LIST_ITEM.sub("", first.unit.text), key)
        lead = block.lead or first.unit.context or heading_label(first)
        return cite_lead(lead, key) + "\n" + "\n".join(markdown_items([e.unit.text for e in block.evidence]))
    return _table(block, key)


def _table(block: Block, key: int) -> str:
    header = cells(block.first.unit.context) if block.first.unit.context else []
    lines_of = [line for e in block.evidence for line in e.unit.text.split("\n")]
    rows = [cells(line) for line in lines_of]
    width = max(len(header), *(len(r) for r in rows))
    header = header + [""] * (width - len(header)) if header else [""] * width
    lines = [f"{cite_lead(block.lead or heading_label(block.first), key)}", "", "| " + " | ".join(header) + " |"]
    lines.append("|" + "---|" * width)
    lines += ["| " + " | ".join(r + [""] * (width - len(r))) + " |" for r in rows]
    return "\n".join(lines)
