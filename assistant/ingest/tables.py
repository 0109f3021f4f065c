"""Ruled tables from a PDF page's own ruling lines: rows between the horizontal rules, cells between the vertical
rules that cross the row, each cell's text read whole however many lines it wraps over.

Text-gap rules cannot tell a wrapped cell from the next row (a check mark is set level with the middle of its
cell, beside the cell's second or third line); the ruling the page paints can."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.ingest.pdf_loader import PdfPage, Rule, TextRun

TOUCH_PT = 2.0  # rules this close (points) meet: cell borders drawn as separate segments form one grid
SAME_PT = 1.5  # rules this close in y (or x) are one row (or column) boundary
WORD_GAP_EM = 0.15  # a wider gap (in font sizes) between two runs is a word space the runs do not carry
EMPTY_CELL = "–"
CELL_JOIN = " | "


@dataclass(frozen=True)
class RuledTable:
    x0: float
    y0: float
    x1: float
    y1: float
    rows: tuple[tuple[str, ...], ...]
    # a cell wraps over lines or spans rows: only the ruling can say where its row ends. A grid of one-line,
    # unmerged cells reads the same from its text alone, and is left to the text (as unruled tables are)
    needs_rules: bool = True

    def holds(self, run: TextRun) -> bool:
        x, y = anchor(run)
        return self.x0 - SAME_PT <= x <= self.x1 + SAME_PT and self.y0 - SAME_PT <= y <= self.y1 + SAME_PT

    def lines(self) -> tuple[str, ...]:
        return tuple(CELL_JOIN.join(cell or EMPTY_CELL for cell in row) for row in self.rows)


def ruled_tables(page: PdfPage) -> list[RuledTable]:
    """Every grid of rules with at least two rows or two columns, with the page's text placed in its cells."""
    tables = []
    for grid in _grids(page.rules):
        table = _read(grid, page.runs)
        if table is not None:
            tables.append(table)
    return tables


def _grids(rules: Sequence[Rule]) -> list[list[Rule]]:
    """Rules that touch one another, as connected groups (union-find over pairs)."""
    parent = list(range(len(rules)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(rules):
        for j in range(i + 1, len(rules)):
            b = rules[j]
            if (
                a.x0 - TOUCH_PT <= b.x1
                and b.x0 - TOUCH_PT <= a.x1
                and a.y0 - TOUCH_PT <= b.y1
                and b.y0 - TOUCH_PT <= a.y1
            ):
                parent[root(i)] = root(j)
    groups: dict[int, list[Rule]] = {}
    for i, rule in enumerate(rules):
        groups.setdefault(root(i), []).append(rule)
    return list(groups.values())


def _levels(values: Sequence[float]) -> list[float]:
    """Distinct positions, values within SAME_PT of each other counted once."""
    out: list[float] = []
    for value in sorted(values):
        if not out or value - out[-1] > SAME_PT:
            out.append(value)
    return out


def _read(grid: list[Rule], runs: Sequence[TextRun]) -> RuledTable | None:
    across = [r for r in grid if r.horizontal]
    down = [r for r in grid if not r.horizontal]
    ys = _levels([r.y0 for r in across])
    if len(ys) < 2 or not down:
        return None  # underlines and single rules are not tables; rules without columns are left to the text
    x0, x1 = min(r.x0 for r in grid), max(r.x1 for r in grid)
    y0, y1 = ys[0], ys[-1]
    bands = list(zip(reversed(ys[:-1]), reversed(ys[1:]), strict=True))  # (bottom, top), top row first
    columns = [_columns(down, bottom, top, x0, x1) for bottom, top in bands]
    if len(bands) < 2 and all(len(c) < 3 for c in columns):
        return None  # one framed box: a callout, read as text
    placed: dict[tuple[int, int], list[TextRun]] = {}  # (row, column) -> the runs whose anchor lies in it
    for run in runs:
        x, y = anchor(run)
        if x0 - SAME_PT <= x <= x1 + SAME_PT and y0 <= y <= y1:
            for place in _places(x, y, bands, columns):
                placed.setdefault(place, []).append(run)
    cells = _merged_cells(across, bands, columns, set(placed))
    members: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for place, start in cells.items():
        members.setdefault(start, []).append(place)
    cell_lines = {
        start: _text_lines(list({id(r): r for place in places for r in placed.get(place, ())}.values()))
        for start, places in members.items()
    }
    texts = {start: _cell_text(lines) for start, lines in cell_lines.items()}
    spans_rows = any(len(places) > 1 and cell_lines[start] for start, places in members.items())
    wraps = any(len(lines) > 1 for lines in cell_lines.values())
    rows: list[tuple[str, ...]] = []
    for i, edges in enumerate(columns):
        row = tuple(texts[cells[(i, j)]] for j in range(len(edges) - 1))
        if any(row):
            rows.append(row)
    if not rows:
        return None
    return RuledTable(x0, y0, x1, y1, tuple(rows), spans_rows or wraps)


def _merged_cells(
    across: list[Rule],
    bands: list[tuple[float, float]],
    columns: list[list[float]],
    filled: set[tuple[int, int]],
) -> dict[tuple[int, int], tuple[int, int]]:
    """(row, column) -> the (row, column) where its cell starts: a cell with no rule above it, under a cell of
    the same width, continues that cell (a province spanning the rows of its districts), unless text starts
    again in it after an empty row of a cell that already has text (two cells whose rule the page left out)."""
    start: dict[tuple[int, int], tuple[int, int]] = {}
    has_text: set[tuple[int, int]] = set()
    for i, edges in enumerate(columns):
        for j, (a, b) in enumerate(itertools.pairwise(edges)):
            start[(i, j)] = (i, j)
            if i == 0:
                continue
            middle, top = (a + b) / 2, bands[i][1]
            ruled = any(abs(r.y0 - top) <= SAME_PT and r.x0 - TOUCH_PT <= middle <= r.x1 + TOUCH_PT for r in across)
            above = columns[i - 1]
            k = next(
                (k for k in range(len(above) - 1) if abs(above[k] - a) <= SAME_PT and abs(above[k + 1] - b) <= SAME_PT),
                None,
            )
            if k is None or ruled:
                continue
            restarts = (i, j) in filled and (i - 1, k) not in filled and start[(i - 1, k)] in has_text
            if not restarts:
                start[(i, j)] = start[(i - 1, k)]
        for j in range(len(edges) - 1):
            if (i, j) in filled:
                has_text.add(start[(i, j)])
    return start


def anchor(run: TextRun) -> tuple[float, float]:
    """The point that places a run in a cell: the middle of its width, a third of the way up its letters."""
    return run.x + run.width / 2, run.y + run.size * 0.3


def _places(x: float, y: float, bands: list[tuple[float, float]], columns: list[list[float]]) -> list[tuple[int, int]]:
    """The (row, column) cells whose row band and column hold the point (x, y)."""
    return [
        (i, j)
        for i, (bottom, top) in enumerate(bands)
        if bottom <= y <= top
        for j, (a, b) in enumerate(itertools.pairwise(columns[i]))
        if a <= x <= b
    ]


def _columns(down: list[Rule], bottom: float, top: float, x0: float, x1: float) -> list[float]:
    """Cell edges of one row: the vertical rules that cross its middle, and the table's own edges."""
    middle = (bottom + top) / 2
    xs = [(r.x0 + r.x1) / 2 for r in down if r.y0 - SAME_PT <= middle <= r.y1 + SAME_PT]
    return _levels([x0, *xs, x1])


def _text_lines(runs: list[TextRun]) -> list[list[TextRun]]:
    """Runs grouped by baseline, top to bottom, each line left to right."""
    lines: list[list[TextRun]] = []
    for run in sorted(runs, key=lambda r: (-r.y, r.x)):
        if lines and abs(lines[-1][0].y - run.y) <= 0.4 * max(run.size, 1.0):
            lines[-1].append(run)
        else:
            lines.append([run])
    return lines


def _cell_text(lines: list[list[TextRun]]) -> str:
    """A cell's lines joined; a line ending in a hyphen runs on into the next word."""
    text = ""
    for line in lines:
        part = _line_text(sorted(line, key=lambda r: r.x))
        if not part:
            continue
        glue = "" if not text or (text.endswith("-") and part[:1].islower()) else " "
        text = f"{text}{glue}{part}"
    return text


def _line_text(runs: list[TextRun]) -> str:
    """Runs of one line; a space only where the page leaves a word gap (runs may split a word)."""
    text, end = "", None
    for run in runs:
        gap = run.x - end if end is not None else 0.0
        glue = " " if end is not None and gap > WORD_GAP_EM * max(run.size, 1.0) else ""
        text += glue + run.text
        end = run.x + run.width
    return " ".join(text.split())
