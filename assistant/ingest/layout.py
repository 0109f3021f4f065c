"""Reading order from a PDF page's geometry: lines, column gutters, table rows and typographic headings.

Input is the text runs pypdf reports (position, width, font size, weight); output is plain text per page in
reading order: prose columns one after the other, table rows with cells joined by ' | ', and heading lines
prefixed with HEADING_MARK and their level (see ``heading_line``)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import pairwise

from assistant.ingest.pdf_loader import PdfPage, TextRun
from assistant.ingest.tables import CELL_JOIN, EMPTY_CELL, WORD_GAP_EM, RuledTable, ruled_tables
from assistant.ingest.textclean import HEADING_MARK

SPAN_GAP_EM = 0.6  # a gap wider than this (in font sizes) between two runs separates cells or columns
MARGIN_BAND = 0.07  # share of the page height at the top and bottom where running lines live
TYPOGRAPHIC_LEVEL = 2
PARAGRAPH_GAP = 1.7  # baseline distance (in font sizes) beyond which a new paragraph starts
PARAGRAPH_OVER_SPACING = 1.3  # on a double-spaced page: beyond its own line spacing by this much
ALIGN_PT = 4.0  # cell starts this close (points) belong to the same table column
CELL_GAP_EM = 2.5  # wider than any justified word space: the gap between table cells
LIST_MARKER = re.compile(r"^(?:[-•●▪–*]|\d{1,2}[.)]|[a-zA-Z][.)]|\(\w{1,3}\)|[IVXLC]{1,5}\.)$")
MAX_QUESTION_LINES, MAX_QUESTION_CHARS = 5, 200  # a question set as a heading may run longer than a title
MAX_TITLE_CHARS = 120


@dataclass(frozen=True)
class Span:
    text: str
    x0: float
    x1: float
    size: float  # largest font size in the span
    bold: bool  # every run in the span is bold


@dataclass(frozen=True)
class Line:
    y: float
    spans: tuple[Span, ...]
    table: tuple[str, ...] = ()  # a ruled table read from the page's rules: its rows, drawn where the line stands

    @property
    def size(self) -> float:
        return max(s.size for s in self.spans)

    @property
    def bold(self) -> bool:
        return all(s.bold for s in self.spans)

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.spans)

    def crosses(self, x: float) -> bool:
        return any(s.x0 < x < s.x1 for s in self.spans)

    def side(self, x: float, left: bool) -> Line | None:
        spans = tuple(s for s in self.spans if (s.x1 <= x) == left)
        return replace(self, spans=spans) if spans else None


def body_font_size(pages: Sequence[PdfPage]) -> float:
    """The size most of the text is set in (weighted by characters)."""
    sizes: Counter[float] = Counter()
    for page in pages:
        for run in page.runs:
            sizes[round(run.size * 2) / 2] += len(run.text.strip())
    return sizes.most_common(1)[0][0] if sizes else 0.0


def heading_levels(pages: Sequence[PdfPage], body: float) -> dict[float, int]:
    """Level per heading font size. One level for all: a size used once (a form's letterhead, a cover) must
    not make every later heading its child; numbered and regulation headings carry their own levels."""
    sizes = {round(r.size * 2) / 2 for p in pages for r in p.runs if r.size >= body * 1.12}
    return {size: TYPOGRAPHIC_LEVEL for size in sizes | {body}}


def page_text(page: PdfPage, body: float, levels: dict[float, int]) -> str:
    """The page's text in reading order (see the module docstring)."""
    tables = [t for t in ruled_tables(page) if t.needs_rules]
    lines = build_lines([r for r in page.runs if not any(t.holds(r) for t in tables)])
    top = [ln for ln in lines if ln.y > page.height * (1 - MARGIN_BAND)]
    bottom = [ln for ln in lines if ln.y < page.height * MARGIN_BAND]
    middle = [ln for ln in lines if ln not in top and ln not in bottom]
    middle = sorted(middle + [_table_line(t, body) for t in tables], key=lambda ln: -ln.y)
    out = [ln.text for ln in top]
    gutter = find_gutter(middle, page.width, tables)
    spacing = line_spacing(middle)
    for band, in_columns in _bands(middle, gutter):
        if in_columns and gutter is not None:
            for left in (True, False):
                column = [part for ln in band if (part := ln.side(gutter, left))]
                out.extend(render_block(column, body, levels, spacing))
        else:
            out.extend(render_block(band, body, levels, spacing))
    out.extend(ln.text for ln in bottom)
    return "\n".join(join_split_rows(out, {t.lines()[0] for t in tables}))


def join_split_rows(lines: list[str], headers: set[str]) -> list[str]:
    """A ruled table that goes on in the next column repeats its header; when the first row there holds only the
    rest of the first cell (lower case, every other cell empty), that row was cut by the column break: its text
    joins the last row before the break, and the repeated header goes, so the table reads as one."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        last = _cut_row(out, lines[i + 1]) if lines[i] in headers and i + 1 < len(lines) else None
        if last is None:
            out.append(lines[i])
            i += 1
            continue
        first, *others = out[last].split(CELL_JOIN)
        out[last] = CELL_JOIN.join([f"{first} {lines[i + 1].split(CELL_JOIN)[0]}", *others])
        del out[last + 1 :]  # the blank line between the two parts
        i += 2  # the repeated header and the rest of the cut row
    return out


def _cut_row(out: list[str], row: str) -> int | None:
    """Where in ``out`` the row stands whose first cell ``row`` finishes (the last line written, a table row with
    as many cells), or None when ``row`` is a row of its own."""
    last = next((j for j in range(len(out) - 1, -1, -1) if out[j].strip()), None)
    cells = row.split(CELL_JOIN)
    if (
        last is None
        or CELL_JOIN not in out[last]
        or len(cells) != out[last].count(CELL_JOIN) + 1
        or not cells[0][:1].islower()
        or any(cell.strip() != EMPTY_CELL for cell in cells[1:])
    ):
        return None
    return last


def _table_line(table: RuledTable, body: float) -> Line:
    """A ruled table as one line at its top edge, as wide as the table, carrying its rows."""
    rows = table.lines()
    return Line(table.y1, (Span(rows[0], table.x0, table.x1, body, False),), rows)


def build_lines(runs: Sequence[TextRun]) -> list[Line]:
    """Runs grouped by baseline (top to bottom), each line split into spans at wide gaps."""
    groups: list[list[TextRun]] = []
    for run in sorted(runs, key=lambda r: (-r.y, r.x)):
        if groups and abs(groups[-1][0].y - run.y) <= 0.4 * max(run.size, groups[-1][0].size, 1.0):
            groups[-1].append(run)
        else:
            groups.append([run])
    return [_line(sorted(group, key=lambda r: r.x)) for group in groups]


def _line(runs: list[TextRun]) -> Line:
    spans: list[Span] = []
    for run in runs:
        size = max(run.size, 1.0)
        if spans and run.x - spans[-1].x1 <= SPAN_GAP_EM * size:
            last = spans[-1]
            glue = " " if run.x - last.x1 > WORD_GAP_EM * size and not last.text.endswith(" ") else ""
            end = max(last.x1, run.x + run.width)
            spans[-1] = Span(last.text + glue + run.text, last.x0, end, max(last.size, size), last.bold and run.bold)
        else:
            spans.append(Span(run.text, run.x, run.x + run.width, size, run.bold))
    merged: list[Span] = []
    for span in spans:
        if merged and LIST_MARKER.match(merged[-1].text.strip()):
            marker = merged.pop()
            text = f"{marker.text.strip()} {span.text.strip()}"
            span = Span(text, marker.x0, span.x1, max(marker.size, span.size), marker.bold and span.bold)
        text = re.sub(r"\s+", " ", span.text).strip()
        merged.append(Span(text, span.x0, span.x1, span.size, span.bold))
    return Line(runs[0].y, tuple(s for s in merged if s.text))


def find_gutter(lines: Sequence[Line], width: float, tables: Sequence[RuledTable] = ()) -> float | None:
    """The x of a vertical gap that splits the page into prose columns, or None.

    A gutter is crossed by few lines, has text on both sides, and at least one side reads as prose: mostly
    one span per line and lines of sentence length (a column of text beside a column of text or a table).
    A table alone fails the last test: its columns hold short or many cells. A ruled table counts for the
    side it stands on, and lines beside it count as text on both sides."""
    best: tuple[int, float] | None = None
    for step in range(30, 71):
        x = width * step / 100
        if any(t.x0 < x < t.x1 for t in tables):
            continue
        both = sum(1 for ln in lines if not ln.crosses(x) and ln.side(x, True) and ln.side(x, False))
        both += sum(1 for t in tables for ln in lines if not ln.table and _beside(ln, t, x))
        if best is None or both > best[0]:
            best = (both, x)
    if best is None or best[0] < 5:
        return None
    x = best[1]
    crossing = sum(1 for ln in lines if ln.crosses(x))
    if crossing > 0.3 * len(lines):
        return None
    sides = [[part for ln in lines if not ln.crosses(x) and (part := ln.side(x, left))] for left in (True, False)]
    if any(any(ln.table for ln in side) for side in sides) and min(len(side) for side in sides) >= 1:
        return x  # a ruled table in one column with text or another table beside it
    if min(len(side) for side in sides) < 5:
        return None
    return x if any(_reads_as_prose(side) for side in sides) else None


def _beside(line: Line, table: RuledTable, x: float) -> bool:
    """The line stands level with the table, on the other side of x."""
    if not table.y0 <= line.y <= table.y1 or line.crosses(x):
        return False
    return bool(line.side(x, table.x1 > x))


def _reads_as_prose(lines: list[Line]) -> bool:
    if len(lines) < 5:
        return False
    single = sum(1 for ln in lines if len(ln.spans) == 1) / len(lines)
    mean_chars = sum(1 for ln in lines for ch in ln.text if ch.isalpha()) / len(lines)
    left = min(ln.spans[0].x0 for ln in lines)
    width = max(ln.spans[-1].x1 for ln in lines) - left
    filled = sum(1 for ln in lines if ln.spans[-1].x1 - left >= 0.8 * width) / len(lines)
    return single >= 0.7 and mean_chars >= 15 and filled >= 0.3  # wrapped text fills its column


def _bands(lines: list[Line], gutter: float | None) -> list[tuple[list[Line], bool]]:
    """Consecutive lines that stay on one side of the gutter form a column band; lines across it do not."""
    bands: list[tuple[list[Line], bool]] = []
    for line in lines:
        in_columns = gutter is not None and not line.crosses(gutter)
        if bands and bands[-1][1] == in_columns:
            bands[-1][0].append(line)
        else:
            bands.append(([line], in_columns))
    return bands


def line_spacing(lines: Sequence[Line]) -> float:
    """The usual distance between consecutive baselines of the page's prose, in font sizes (lines of one
    span; table rows keep their own padding); 0 when it has too few lines to tell."""
    prose = [ln for ln in lines if len(ln.spans) == 1 and not ln.table]
    gaps = sorted(
        (a.y - b.y) / b.size for a, b in pairwise(prose) if b.size > 0 and 0.8 * b.size < a.y - b.y < 4 * b.size
    )
    return gaps[len(gaps) // 2] if len(gaps) >= 5 else 0.0


def render_block(lines: list[Line], body: float, levels: dict[float, int], spacing: float = 0.0) -> list[str]:
    """Lines of one column or full-width band: table rows as cells, headings marked, prose as text. A gap
    wider than PARAGRAPH_GAP font sizes ends a paragraph; on a double-spaced page (its line ``spacing`` wider
    than that), a gap wider than PARAGRAPH_OVER_SPACING times its spacing does."""
    groups = _style_groups(lines)
    out: list[str] = []
    for index, (group, is_table) in enumerate(groups):
        wide = max(PARAGRAPH_GAP, PARAGRAPH_OVER_SPACING * spacing if spacing > PARAGRAPH_GAP else 0.0)
        wide *= group[0].size  # on a double-spaced page the usual line distance already exceeds a paragraph gap
        if index and groups[index - 1][0][-1].y - group[0].y > wide:
            out.append("")  # a wider gap than the line spacing ends a paragraph
        if group[0].table:
            if out and out[-1]:
                out.append("")
            out.extend([*group[0].table, ""])  # a table is a block of its own
            continue
        if is_table:
            out.extend(CELL_JOIN.join(s.text for s in line.spans) for line in group)
            continue
        text = " ".join(ln.text for ln in group)
        before = out[-1] if out else ""
        after = groups[index + 1][0][0].text if index + 1 < len(groups) else ""
        level = _heading_level(group, text, body, levels)
        if level is not None and _stands_alone(before, after):
            out.append(heading_line(level, text))
        else:
            out.extend(ln.text for ln in group)
    return out


def _style_groups(lines: list[Line]) -> list[tuple[list[Line], bool]]:
    """Table rows one by one; other lines in runs of one font style (a wrapped heading stays together)."""
    rows = table_rows(lines)
    groups: list[tuple[list[Line], bool]] = []
    for i, line in enumerate(lines):
        if i in rows or line.table:
            groups.append(([line], True))
        elif groups and not groups[-1][1] and _same_heading_style(groups[-1][0][-1], line):
            groups[-1][0].append(line)
        else:
            groups.append(([line], False))
    return groups


def _stands_alone(before: str, after: str) -> bool:
    """A heading does not continue a sentence and is not continued by one."""
    before = before.strip()
    ends_block = not before or before.startswith(HEADING_MARK) or before.endswith((".", ":", ";", "?", "!"))
    return ends_block and not after[:1].islower()


def table_rows(lines: list[Line]) -> set[int]:
    """Indexes of lines that are table rows: neighbours with two or more cells starting at shared x."""
    rows: set[int] = set()
    for i in range(len(lines) - 1):
        a, b = lines[i], lines[i + 1]
        if len(a.spans) < 2 or len(b.spans) < 2:
            continue
        shared = sum(1 for s in b.spans if any(abs(s.x0 - t.x0) <= ALIGN_PT for t in a.spans))
        if shared >= 2:
            rows.update((i, i + 1))
    return rows


def _same_heading_style(previous: Line, line: Line) -> bool:
    """Two lines of one wrapped heading: same size and weight, close together."""
    return previous.size == line.size and previous.bold == line.bold and previous.y - line.y <= 1.6 * line.size


def _heading_level(group: list[Line], text: str, body: float, levels: dict[float, int]) -> int | None:
    """Level of a run of same-style lines set larger than the body text, or bold at body size."""
    question = text.endswith("?")  # a question set as a heading may wrap over more lines than a title
    if (
        len(group) > (MAX_QUESTION_LINES if question else 3)
        or body <= 0
        or not 2 <= len(text) <= (MAX_QUESTION_CHARS if question else MAX_TITLE_CHARS)
        or not re.search(r"[A-Za-z]{2}", text)
    ):
        return None
    spread = any(
        b.x0 - a.x1 > CELL_GAP_EM * ln.size for ln in group for a, b in zip(ln.spans, ln.spans[1:], strict=False)
    )
    if spread and not question:
        return None  # cells spread across the line: a table header, not a heading (a question is justified text)
    if text.endswith((".", ",", ";", ":")):
        return None
    line = group[0]
    larger = line.size >= body * 1.12
    if not larger and not (line.bold and line.size >= body * 0.95):
        return None
    return levels.get(round(line.size * 2) / 2, TYPOGRAPHIC_LEVEL) if larger else levels.get(body, TYPOGRAPHIC_LEVEL)


def heading_line(level: int, text: str) -> str:
    return f"{HEADING_MARK}{level} {text}"


def parse_heading_line(line: str) -> tuple[int, str] | None:
    if not line.startswith(HEADING_MARK) or len(line) < 3:
        return None
    return int(line[1]), line[3:].strip()


def strip_heading_mark(line: str) -> str:
    parsed = parse_heading_line(line)
    return parsed[1] if parsed else line


def pdf_page_texts(pages: Sequence[PdfPage]) -> list[str]:
    """Every page's text in reading order, headings judged against the document's own body font."""
    body = body_font_size(pages)
    levels = heading_levels(pages, body)
    return [page_text(page, body, levels) for page in pages]
