"""Regenerate the corpus PDFs and their metadata sidecars from ``corpus/_src/*.txt``.

Usage: ``python corpus/build.py [--src DIR] [--out DIR]`` (needs the ``dev`` extra for fpdf2).

Each source file starts with YAML front matter (the sidecar keys plus ``pdf_header``, the running header) and
continues with a small line-based markup:

- ``# text`` document title; ``## text`` subtitle line; ``! text`` notice paragraph (bold, framed);
- ``BAB IV TITLE`` chapter heading; it starts a new page unless the current page is still mostly empty;
- ``4.2 Title`` section heading; ``- text``, ``1. text``, ``a. text`` list items (continuation lines indented);
- ``@cols 12 110 43`` column widths in mm for the next table; ``| a | b | c |`` table rows (first row = header);
- ``@newpage`` page break; any other non-empty lines form a paragraph until the next blank line.

Lines are wrapped here (never inside a word, never so that a continuation line could be read as a heading or
a list item), so pypdf returns every line exactly as laid out. The creation date is fixed: the same sources
always give byte-identical PDFs.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

CORPUS_DIR = Path(__file__).resolve().parent
SRC_DIR = CORPUS_DIR / "_src"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_FILES = {"": FONT_DIR / "DejaVuSans.ttf", "B": FONT_DIR / "DejaVuSans-Bold.ttf"}
FONT = "DejaVu"
META_KEYS = ("doc_id", "title", "issuer", "year", "doc_type", "status", "supersedes", "source_url", "language")
FIXED_DATE = datetime(2026, 1, 1, tzinfo=UTC)

PAGE_W, PAGE_H = 210.0, 297.0
MARGIN_L, MARGIN_R, MARGIN_T, MARGIN_B = 25.0, 20.0, 22.0, 22.0
BODY_W = PAGE_W - MARGIN_L - MARGIN_R
BODY_BOTTOM = PAGE_H - MARGIN_B
TITLE_W = 125.0  # titles and subtitles wrap short, so the loader never joins them to the text below
SUBTITLE_W = 100.0
ITEM_INDENT = 8.0
BAB_SAME_PAGE_LIMIT = 0.72  # fraction of the page after which a chapter goes to the next page
BAB_GAP = 8.0
NOTICE_PAD = 3.0

# A continuation line must not look like a new block to the loader (see assistant/ingest/textclean.py).
BLOCK_LIKE = re.compile(
    r"^(?:#{1,6}\s|[-•*▪–—]\s|\d{1,2}[.)]\s|[a-z][.)]\s|\(\w{1,3}\)\s|\||>|BAB\s+[IVXLCDM\d]+\b"
    r"|\d{1,2}(?:\.\d{1,2}){1,3}\.?\s)"
)
BAB_HEADING = re.compile(r"^BAB\s+[IVXLCDM]+\s+\S.*$")
SECTION_HEADING = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){1,3})\s+([A-Z(\"“].{1,90})$")
ABBREVIATION = re.compile(r"^(?:[A-Z][a-z]{0,4}\.|(?:[A-Za-z]{1,3}\.){2,}|dll\.|dsb\.|mis\.|hlm\.|No\.)$")
ITEM = re.compile(r"^(-|\d{1,2}\.|[a-z]\.)\s+(.*)$")


class BuildError(Exception):
    """A source that cannot be laid out as the loader expects; the message names the file and line."""


@dataclass(frozen=True)
class Style:
    weight: str
    size: float
    leading: float
    before: float = 0.0
    after: float = 0.0


STYLES = {
    "title": Style("B", 15, 7.4, 0, 3),
    "subtitle": Style("", 10.5, 5.6, 0, 1),
    "notice": Style("B", 9.5, 5.0, 3, 5),
    "bab": Style("B", 13, 7.0, 0, 4),
    "section": Style("B", 10.5, 5.6, 3.5, 1.4),
    "para": Style("", 9.5, 4.6, 0, 2.0),
    "item": Style("", 9.5, 4.6, 0, 0.8),
    "table": Style("", 9, 5.8, 1, 3),
    "header": Style("", 8, 4.0),
    "footer": Style("", 8.5, 4.0),
}


@dataclass
class Block:
    kind: str  # title | subtitle | notice | bab | section | para | item | table | newpage
    text: str = ""
    marker: str = ""
    rows: list[list[str]] = field(default_factory=list)
    cols: list[float] = field(default_factory=list)
    line_no: int = 0


@dataclass(frozen=True)
class Line:
    """One laid-out line: what is drawn and what pypdf must give back for it."""

    kind: str
    text: str
    x: float
    y: float
    cells: tuple[str, ...] = ()
    widths: tuple[float, ...] = ()
    marker: str = ""
    header_row: bool = False
    box_height: float = 0.0  # notice: the first line carries the height of the shaded box

    @property
    def expected(self) -> str:
        parts = [self.marker, *self.cells] if self.cells else [self.marker, self.text]
        return " ".join(p for p in parts if p)


@dataclass
class Document:
    source: Path
    meta: dict[str, Any]
    header: str
    blocks: list[Block]
    pages: list[list[Line]] = field(default_factory=list)


# ---------------------------------------------------------------- parsing


def read_source(path: Path) -> Document:
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise BuildError(f"{path.name}: must start with YAML front matter between '---' lines")
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        raise BuildError(f"{path.name}: front matter never ends")
    raw = yaml.safe_load("\n".join(lines[1:end])) or {}
    header = str(raw.pop("pdf_header", "") or "")
    missing = [k for k in META_KEYS if k not in raw]
    unknown = sorted(set(raw) - set(META_KEYS))
    if missing or unknown:
        raise BuildError(f"{path.name}: front matter missing {missing} / unknown {unknown}")
    if raw["doc_id"] != path.stem:
        raise BuildError(f"{path.name}: doc_id {raw['doc_id']!r} must equal the file name")
    meta = {k: raw[k] for k in META_KEYS}
    return Document(path, meta, header, parse_blocks(lines[end + 1 :], path.name, end + 2))


def parse_blocks(lines: list[str], name: str, first_line_no: int) -> list[Block]:
    blocks: list[Block] = []
    current: Block | None = None
    cols: list[float] = []

    def close() -> None:
        nonlocal current
        if current is not None:
            blocks.append(current)
            current = None

    for offset, raw in enumerate(lines):
        line_no = first_line_no + offset
        line = raw.rstrip()
        stripped = line.strip()
        if not stripped:
            close()
            continue
        if current is not None and current.kind == "item" and raw[:1] == " ":
            current.text += " " + stripped
            continue
        if stripped.startswith("@"):
            close()
            command, _, arg = stripped.partition(" ")
            if command == "@newpage":
                blocks.append(Block("newpage", line_no=line_no))
            elif command == "@cols":
                cols = [float(v) for v in arg.split()]
            else:
                raise BuildError(f"{name}:{line_no}: unknown directive {command}")
            continue
        if stripped.startswith("|"):
            if current is None or current.kind != "table":
                close()
                current = Block("table", cols=cols, line_no=line_no)
                cols = []
            current.rows.append([c.strip() for c in stripped.strip("|").split("|")])
            continue
        if current is not None and current.kind == "table":
            close()
        block = _start_block(stripped, line_no)
        if block is None:  # plain text: continue a paragraph or start one
            if current is not None and current.kind in ("para", "notice"):
                current.text += " " + stripped
            else:
                close()
                current = Block("para", stripped, line_no=line_no)
            continue
        close()
        if block.kind in ("para", "item", "notice"):
            current = block
        else:
            blocks.append(block)
    close()
    return blocks


def _start_block(stripped: str, line_no: int) -> Block | None:
    if stripped.startswith("## "):
        return Block("subtitle", stripped[3:].strip(), line_no=line_no)
    if stripped.startswith("# "):
        return Block("title", stripped[2:].strip(), line_no=line_no)
    if stripped.startswith("! "):
        return Block("notice", stripped[2:].strip(), line_no=line_no)
    if BAB_HEADING.match(stripped):
        return Block("bab", stripped, line_no=line_no)
    if SECTION_HEADING.match(stripped):
        return Block("section", stripped, line_no=line_no)
    item = ITEM.match(stripped)
    if item:
        marker = "•" if item.group(1) == "-" else item.group(1)
        return Block("item", item.group(2), marker=marker, line_no=line_no)
    return None


# ---------------------------------------------------------------- layout


def new_pdf() -> Any:
    try:
        from fpdf import FPDF
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise SystemExit("fpdf2 is not installed: run `pip install -e '.[dev]'` (the dev extra) first") from e
    for path in FONT_FILES.values():
        if not path.is_file():
            raise SystemExit(
                f"font {path} is missing: install the DejaVu fonts (Debian: apt-get install fonts-dejavu-core)"
            )
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    for weight, path in FONT_FILES.items():
        pdf.add_font(FONT, weight, str(path))
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(MARGIN_L, MARGIN_T, MARGIN_R)
    pdf.set_creation_date(FIXED_DATE)
    return pdf


def wrap(pdf: Any, text: str, width: float) -> list[str]:
    """Greedy word wrap at spaces only; then repair breaks the loader would misread."""
    words = text.split()
    lines: list[list[str]] = [[]]
    for word in words:
        candidate = " ".join([*lines[-1], word])
        if lines[-1] and pdf.get_string_width(candidate) > width:
            lines.append([word])
        else:
            lines[-1].append(word)
    i = 1
    while i < len(lines):
        for _ in range(3):  # pull words down until the break is harmless
            bad_start = BLOCK_LIKE.match(" ".join(lines[i]) + " ")
            bad_end = ABBREVIATION.match(lines[i - 1][-1])
            if not (bad_start or bad_end) or len(lines[i - 1]) < 2:
                break
            lines[i].insert(0, lines[i - 1].pop())
        while pdf.get_string_width(" ".join(lines[i])) > width and len(lines[i]) > 1:
            if i + 1 == len(lines):
                lines.append([])
            lines[i + 1].insert(0, lines[i].pop())
        i += 1
    return [" ".join(line) for line in lines if line]


class Layout:
    def __init__(self, pdf: Any, doc: Document) -> None:
        self.pdf = pdf
        self.doc = doc
        self.pages: list[list[Line]] = []
        self.y = 0.0

    def new_page(self) -> None:
        self.pages.append([])
        self.y = MARGIN_T

    def room(self, height: float) -> bool:
        return self.y + height <= BODY_BOTTOM

    def ensure(self, height: float) -> None:
        if not self.pages or not self.room(height):
            self.new_page()

    def set_style(self, style: Style) -> None:
        self.pdf.set_font(FONT, style.weight, style.size)

    def run(self) -> list[list[Line]]:
        self.new_page()
        blocks = self.doc.blocks
        for index, block in enumerate(blocks):
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            getattr(self, f"_{block.kind}")(block, following)
        return self.pages

    def _lines_of(self, block: Block, width: float) -> list[str]:
        self.set_style(STYLES[block.kind])
        lines = wrap(self.pdf, block.text, width)
        if not lines:
            raise BuildError(f"{self.doc.source.name}:{block.line_no}: empty {block.kind}")
        return lines

    def _first_height(self, block: Block | None) -> float:
        """Height of the first two lines of a block, to keep a heading with its text."""
        if block is None or block.kind in ("newpage", "bab"):
            return 0.0
        style = STYLES.get(block.kind, STYLES["para"])
        return style.before + 2 * style.leading

    def _heading(self, block: Block, following: Block | None) -> None:
        style = STYLES[block.kind]
        self.set_style(style)
        if self.pdf.get_string_width(block.text) > BODY_W:
            raise BuildError(f"{self.doc.source.name}:{block.line_no}: heading too long for one line")
        before = style.before if self.pages[-1] else 0.0
        self.ensure(before + style.leading + self._first_height(following))
        if self.pages[-1]:
            self.y += before
        self.pages[-1].append(Line(block.kind, block.text, MARGIN_L, self.y))
        self.y += style.leading + style.after

    def _bab(self, block: Block, following: Block | None) -> None:
        """A chapter starts a new page unless the current page is still mostly empty."""
        filled = self.y > MARGIN_T + BAB_SAME_PAGE_LIMIT * (BODY_BOTTOM - MARGIN_T)
        if self.pages[-1] and filled:
            self.new_page()
        elif self.pages[-1]:
            self.y += BAB_GAP
        self._heading(block, following)

    def _section(self, block: Block, following: Block | None) -> None:
        self._heading(block, following)

    def _newpage(self, block: Block, following: Block | None) -> None:
        if self.pages[-1]:
            self.new_page()

    def _flow(self, block: Block, x: float, width: float, marker: str = "") -> None:
        style = STYLES[block.kind]
        lines = self._lines_of(block, width)
        self.ensure(style.leading * min(2, len(lines)))
        for number, text in enumerate(lines):
            self.ensure(style.leading)
            self.pages[-1].append(Line(block.kind, text, x, self.y, marker=marker if number == 0 else ""))
            self.y += style.leading
        self.y += style.after

    def _title(self, block: Block, following: Block | None) -> None:
        self._flow(block, MARGIN_L, TITLE_W)

    def _subtitle(self, block: Block, following: Block | None) -> None:
        self._flow(block, MARGIN_L, SUBTITLE_W)

    def _para(self, block: Block, following: Block | None) -> None:
        self._flow(block, MARGIN_L, BODY_W)

    def _item(self, block: Block, following: Block | None) -> None:
        self._flow(block, MARGIN_L + ITEM_INDENT, BODY_W - ITEM_INDENT, marker=block.marker)

    def _notice(self, block: Block, following: Block | None) -> None:
        style = STYLES["notice"]
        lines = self._lines_of(block, BODY_W - 2 * NOTICE_PAD)
        self.y += style.before
        self.ensure(len(lines) * style.leading + 2 * NOTICE_PAD)
        self.y += NOTICE_PAD
        box = len(lines) * style.leading + 2 * NOTICE_PAD
        for number, text in enumerate(lines):
            self.pages[-1].append(
                Line("notice", text, MARGIN_L + NOTICE_PAD, self.y, box_height=box if number == 0 else 0.0)
            )
            self.y += style.leading
        self.y += NOTICE_PAD + style.after

    def _table(self, block: Block, following: Block | None) -> None:
        """A table is kept on one page, so every row (and the header) is drawn exactly once."""
        style = STYLES["table"]
        widths = block.cols or [BODY_W / len(block.rows[0])] * len(block.rows[0])
        where = f"{self.doc.source.name}:{block.line_no}"
        if abs(sum(widths) - BODY_W) > 0.5:
            raise BuildError(f"{where}: @cols must add up to {BODY_W:g} mm")
        for number, row in enumerate(block.rows):
            if len(row) != len(widths):
                raise BuildError(f"{where}: row {number + 1} has {len(row)} cells, expected {len(widths)}")
            self.pdf.set_font(FONT, "B" if number == 0 else "", style.size)
            for cell, width in zip(row, widths, strict=True):
                if self.pdf.get_string_width(cell) > width - 2 * self.pdf.c_margin:
                    raise BuildError(f"{where}: cell {cell!r} is too wide for its column")
        height = len(block.rows) * style.leading
        if height > BODY_BOTTOM - MARGIN_T:
            raise BuildError(f"{where}: table longer than a page; split it")
        self.y += style.before
        self.ensure(height)
        for number, row in enumerate(block.rows):
            self.pages[-1].append(self._row(row, widths, header=number == 0))
            self.y += style.leading
        self.y += style.after

    def _row(self, cells: list[str], widths: list[float], header: bool) -> Line:
        return Line("table", "", MARGIN_L, self.y, tuple(cells), tuple(widths), header_row=header)


def layout(doc: Document, pdf: Any | None = None) -> list[list[Line]]:
    pdf = pdf or new_pdf()
    doc.pages = Layout(pdf, doc).run()
    validate(doc)
    return doc.pages


def validate(doc: Document) -> None:
    """Every heading must be detected as one, and nothing else may look like a heading."""
    for number, page in enumerate(doc.pages, start=1):
        for index, line in enumerate(page):
            where = f"{doc.source.name}, page {number}: {line.expected[:60]!r}"
            text = line.expected
            if line.kind == "bab" and not BAB_HEADING.match(text):
                raise BuildError(f"{where} is not a BAB heading")
            if line.kind == "section" and (not SECTION_HEADING.match(text) or text.endswith((".", ",", ";", ":"))):
                raise BuildError(f"{where} is not a numbered heading")
            if line.kind not in ("bab", "section") and (BAB_HEADING.match(text) or SECTION_HEADING.match(text)):
                raise BuildError(f"{where} would be read as a heading")
            flowing = line.kind in ("para", "item", "notice", "title", "subtitle") and not line.marker
            if flowing and BLOCK_LIKE.match(text + " ") and not _starts_block(page, index):
                raise BuildError(f"{where} continuation would be read as a new block")


def _starts_block(page: list[Line], index: int) -> bool:
    """True when the line at ``index`` is the first line of its block (not a wrapped continuation)."""
    if index == 0:
        return True
    line, previous = page[index], page[index - 1]
    return previous.kind != line.kind or previous.y + STYLES[line.kind].leading + 0.01 < line.y


# ---------------------------------------------------------------- rendering


def render(doc: Document) -> bytes:
    pdf = new_pdf()
    pages = layout(doc, pdf)
    pdf.set_title(str(doc.meta["title"]))
    pdf.set_author(str(doc.meta["issuer"]))
    pdf.set_subject(f"doc_id: {doc.meta['doc_id']}; status: {doc.meta['status']}")
    pdf.set_lang("id-ID")
    total = len(pages)
    for number, page in enumerate(pages, start=1):
        pdf.add_page()
        _draw_header(pdf, doc.header)
        for line in page:
            _draw_line(pdf, line)
        _draw_footer(pdf, number, total)
    return bytes(pdf.output())


def _draw_header(pdf: Any, header: str) -> None:
    if not header:
        return
    style = STYLES["header"]
    pdf.set_font(FONT, style.weight, style.size)
    pdf.set_text_color(90, 90, 90)
    pdf.set_xy(MARGIN_L, 11)
    pdf.cell(BODY_W, style.leading, header, align="R")
    pdf.set_draw_color(150, 150, 150)
    pdf.line(MARGIN_L, 16.5, PAGE_W - MARGIN_R, 16.5)
    pdf.set_text_color(0, 0, 0)
    pdf.set_draw_color(0, 0, 0)


def _draw_footer(pdf: Any, number: int, total: int) -> None:
    style = STYLES["footer"]
    pdf.set_font(FONT, style.weight, style.size)
    pdf.set_text_color(60, 60, 60)
    pdf.set_xy(MARGIN_L, PAGE_H - 15)
    pdf.cell(BODY_W, style.leading, f"Halaman {number} dari {total}", align="C")
    pdf.set_text_color(0, 0, 0)


def _draw_line(pdf: Any, line: Line) -> None:
    style = STYLES[line.kind]
    if line.kind == "table":
        _draw_row(pdf, line)
        return
    pdf.set_font(FONT, style.weight, style.size)
    if line.box_height:
        pdf.set_fill_color(242, 242, 242)
        pdf.set_draw_color(120, 120, 120)
        pdf.rect(MARGIN_L, line.y - NOTICE_PAD, BODY_W, line.box_height, style="DF")
        pdf.set_draw_color(0, 0, 0)
    if line.marker:
        pdf.set_xy(line.x - ITEM_INDENT + 1.5, line.y)
        pdf.cell(ITEM_INDENT - 1.5, style.leading, line.marker)
    pdf.set_xy(line.x, line.y)
    pdf.cell(PAGE_W - MARGIN_R - line.x, style.leading, line.text)


def _draw_row(pdf: Any, line: Line) -> None:
    style = STYLES["table"]
    pdf.set_font(FONT, "B" if line.header_row else "", style.size)
    pdf.set_xy(MARGIN_L, line.y)
    if line.header_row:
        pdf.set_fill_color(230, 230, 230)
    for cell, width in zip(line.cells, line.widths, strict=True):
        pdf.cell(width, style.leading, cell, border=1, fill=line.header_row)
    pdf.set_fill_color(255, 255, 255)


# ---------------------------------------------------------------- files


def sidecar_text(meta: dict[str, Any]) -> str:
    note = f"# Kept in step with corpus/_src/{meta['doc_id']}.txt: edit the source, then run python corpus/build.py\n"
    return note + yaml.safe_dump({k: meta[k] for k in META_KEYS}, allow_unicode=True, sort_keys=False, width=1000)


def build_one(source: Path, out_dir: Path) -> Document:
    """Write ``<doc_id>.pdf`` and ``<doc_id>.pdf.yaml`` for one source; returns the laid-out document."""
    doc = read_source(source)
    target = out_dir / f"{doc.meta['doc_id']}.pdf"
    target.write_bytes(render(doc))
    (out_dir / f"{target.name}.yaml").write_text(sidecar_text(doc.meta), encoding="utf-8")
    return doc


def sources(src_dir: Path) -> list[Path]:
    return sorted(src_dir.glob("*.txt"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--src", type=Path, default=SRC_DIR, help="folder of *.txt sources")
    parser.add_argument("--out", type=Path, default=CORPUS_DIR, help="folder for the PDFs and sidecars")
    args = parser.parse_args(argv)
    files = sources(args.src)
    if not files:
        print(f"no sources in {args.src}", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    try:
        for source in files:
            doc = build_one(source, args.out)
            print(f"{args.out / (doc.meta['doc_id'] + '.pdf')}: {len(doc.pages)} pages")
    except BuildError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
