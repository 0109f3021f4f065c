"""PDF text runs per page through pypdf (the only module that imports it).

Each run is a piece of text the page draws, with its position, font size and weight, so that the layout
step can rebuild lines, columns and tables from the page's own geometry."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError, PyPdfError

from assistant.errors import IngestError

logging.getLogger("pypdf").setLevel(logging.ERROR)  # pypdf warns per object on damaged files; we report once

AVERAGE_GLYPH_EM = 0.5  # width of a glyph whose font gives no width table (a fair average for text fonts)
BOLD_NAMES = ("bold", "black", "heavy", "semibold", "demi")
# Check and cross marks of the Windows symbol fonts, which draw them from letters or the private-use area
# (U+F000 + code): tables of required documents mark their columns with them.
SYMBOL_MARKS = {
    "wingdings2": {0x50: "✓", 0x4F: "✗"},
    "wingdings": {0xFC: "✓", 0xFB: "✗", 0xFE: "☑", 0xFD: "☒"},
}


@dataclass(frozen=True)
class TextRun:
    """Text drawn by one show-text operator; x, y in points from the bottom-left corner (y is the baseline)."""

    text: str
    x: float
    y: float
    width: float
    size: float
    bold: bool


@dataclass(frozen=True)
class Rule:
    """A ruling line the page paints (a thin filled rectangle or a stroked segment), in points."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def horizontal(self) -> bool:
        return self.x1 - self.x0 >= self.y1 - self.y0


@dataclass(frozen=True)
class PdfPage:
    number: int  # 1-based
    width: float
    height: float
    runs: tuple[TextRun, ...]
    rules: tuple[Rule, ...] = ()


def read_pdf(path: Path, shown: str, max_pages: int) -> tuple[list[PdfPage], dict[str, str]]:
    """Text runs of every page and the PDF's info dictionary. Raises IngestError with the fix."""
    try:
        reader = PdfReader(path, strict=False)
        _unlock(reader, shown)
        count = len(reader.pages)
    except IngestError:
        raise
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError) as e:
        raise IngestError(
            shown,
            f"not a readable PDF (truncated or corrupt: {type(e).__name__}: {_first_line(e)})",
            "Export or download the PDF again and replace the file.",
        ) from e
    if count == 0:
        raise IngestError(shown, "the PDF has no pages", "Replace it with the complete document.")
    if count > max_pages:
        raise IngestError(
            shown,
            f"the PDF has {count} pages, more than the limit of {max_pages}",
            "Split it into parts or raise KLASINOV_MAX_PDF_PAGES.",
        )
    return [_page(reader, i, shown) for i in range(count)], _info(reader)


def _unlock(reader: PdfReader, shown: str) -> None:
    if not reader.is_encrypted:
        return
    try:
        ok = reader.decrypt("")  # many official PDFs only restrict editing; they open without a password
    except (DependencyError, NotImplementedError) as e:
        raise IngestError(
            shown,
            f"the PDF uses an encryption this installation cannot open ({e})",
            "Save an unprotected copy.",
        ) from e
    if not ok:
        raise IngestError(
            shown,
            "the PDF is password-protected",
            "Save a copy without a password (e.g. print to PDF) and replace the file.",
        )


def _page(reader: PdfReader, index: int, shown: str) -> PdfPage:
    runs: list[TextRun] = []
    spacing = _Spacing()
    rules = _Rules()

    def before(operator: bytes, args: list[Any], cm: Any, tm: Any) -> None:
        spacing.see(operator, args, cm, tm)
        rules.see(operator, args, cm)

    def visit(text: str, cm: list[float], tm: list[float], font: Any, font_size: float) -> None:
        run = _run(text, cm, tm, font, font_size, spacing)
        if run is not None:
            runs.append(run)

    try:
        page = reader.pages[index]
        page.extract_text(visitor_text=visit, visitor_operand_before=before)
        box = page.mediabox
        return PdfPage(index + 1, float(box.width), float(box.height), tuple(runs), tuple(rules.found))
    except FileNotDecryptedError as e:
        raise IngestError(shown, "the PDF is password-protected", "Save a copy without a password.") from e
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, RecursionError) as e:
        raise IngestError(
            shown,
            f"page {index + 1} cannot be read ({type(e).__name__}: {_first_line(e)})",
            "Export or download the PDF again and replace the file.",
        ) from e


class _Spacing:
    """Word and character spacing (Tw, Tc) in force when text was last shown: justified lines widen their
    spaces through Tw, which the width table does not know about."""

    def __init__(self) -> None:
        self.word = self.char = 0.0
        self.shown_word = self.shown_char = 0.0
        self.saved: list[tuple[float, float]] = []
        self.adjust = 0.0  # TJ position adjustments (em) shown since the last run was reported

    def see(self, operator: bytes, args: list[Any], cm: Any, tm: Any) -> None:
        try:
            if operator == b"Tw" and args:
                self.word = float(args[0])
            elif operator == b"Tc" and args:
                self.char = float(args[0])
            elif operator == b'"' and len(args) >= 2:
                self.word, self.char = float(args[0]), float(args[1])
        except (TypeError, ValueError):
            return
        if operator == b"q":
            self.saved.append((self.word, self.char))
        elif operator == b"Q" and self.saved:
            self.word, self.char = self.saved.pop()
        if operator in (b"Tj", b"TJ", b"'", b'"'):
            self.shown_word, self.shown_char = self.word, self.char
        if operator == b"TJ" and args and isinstance(args[0], list):
            self.adjust -= sum(float(v) for v in args[0] if isinstance(v, (int, float))) / 1000

    def take_adjust(self) -> float:
        adjust, self.adjust = self.adjust, 0.0
        return adjust


class _Rules:
    """Rules the page paints: thin filled rectangles, stroked segments and the four sides of stroked
    rectangles (cell borders). Paths are collected until a painting operator; a path ended by ``n`` is a
    clipping path and paints nothing."""

    THIN = 2.0  # points: at most this thick
    LONG = 3.0  # points: at least this long (the dots at rule crossings are not rules)
    FILL = frozenset((b"f", b"F", b"f*"))
    STROKE = frozenset((b"S", b"s", b"B", b"B*", b"b", b"b*"))

    def __init__(self) -> None:
        self.found: list[Rule] = []
        self.path: list[tuple[bool, tuple[float, float, float, float]]] = []  # (a rectangle?, its box)
        self.point: tuple[float, float] | None = None

    def see(self, operator: bytes, args: list[Any], cm: Any) -> None:
        try:
            if operator == b"re" and len(args) == 4:
                x, y, w, h = (float(v) for v in args)
                self.path.append((True, _box(_apply(cm, x, y), _apply(cm, x + w, y + h))))
            elif operator == b"m" and len(args) == 2:
                self.point = _apply(cm, float(args[0]), float(args[1]))
            elif operator == b"l" and len(args) == 2 and self.point is not None:
                end = _apply(cm, float(args[0]), float(args[1]))
                self.path.append((False, _box(self.point, end)))
                self.point = end
        except (TypeError, ValueError):
            return
        if operator in self.FILL or operator in self.STROKE:
            for rectangle, (x0, y0, x1, y1) in self.path:
                if rectangle and operator in self.STROKE:
                    sides = [(x0, y0, x1, y0), (x0, y1, x1, y1), (x0, y0, x0, y1), (x1, y0, x1, y1)]
                else:
                    sides = [(x0, y0, x1, y1)]
                for a, b, c, d in sides:
                    thick, long = sorted((c - a, d - b))
                    if thick <= self.THIN and long >= self.LONG:
                        self.found.append(Rule(round(a, 1), round(b, 1), round(c, 1), round(d, 1)))
        if operator in self.FILL or operator in self.STROKE or operator == b"n":
            self.path, self.point = [], None


def _box(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float, float, float]:
    return min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1])


def _apply(cm: Any, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = (float(v) for v in cm)
    return x * a + y * c + e, x * b + y * d + f


def _run(text: str, cm: list[float], tm: list[float], font: Any, font_size: float, spacing: _Spacing) -> TextRun | None:
    text = _symbol_marks(text.replace("\n", " ").replace("\r", " "), font)
    if not text.strip():
        return None  # the adjustments wait for the text they belong to
    a, b, c, d, e, f = (float(v) for v in tm)
    ca, cb, cc, cd, ce, cf = (float(v) for v in cm)
    x = e * ca + f * cc + ce
    y = e * cb + f * cd + cf
    scale_x = abs(a * ca + b * cc) or 1.0
    scale_y = abs(c * cb + d * cd) or scale_x
    size = abs(float(font_size)) * scale_y
    extra = spacing.shown_char * len(text) + spacing.shown_word * text.count(" ")
    em = _text_width(text, font) + spacing.take_adjust()
    width = (em * abs(float(font_size)) + extra) * scale_x
    return TextRun(text, x, y, width, round(size, 2), _is_bold(font))


def _symbol_marks(text: str, font: Any) -> str:
    try:
        name = str(font.get("/BaseFont", "")) if font else ""
    except (TypeError, ValueError, AttributeError, PyPdfError):
        return text
    key = re.sub(r"[^a-z0-9]", "", name.split("+")[-1].lower())
    marks = next((m for f, m in SYMBOL_MARKS.items() if key.startswith(f)), None)
    if marks is None:
        return text
    return "".join(marks.get(ord(ch) - 0xF000 if ord(ch) >= 0xF000 else ord(ch), ch) for ch in text)


def _text_width(text: str, font: Any) -> float:
    """Width in text space units (em) from the font's width table; an average glyph where it has none."""
    try:
        widths = font.get("/Widths") if font else None
        first = int(font.get("/FirstChar", 0)) if widths is not None else 0
        table = [float(w) / 1000 for w in widths] if widths is not None else []
    except (TypeError, ValueError, AttributeError, PyPdfError):
        table, first = [], 0
    total = 0.0
    for ch in text:
        code = ord(ch) - first
        total += table[code] if 0 <= code < len(table) and table[code] > 0 else AVERAGE_GLYPH_EM
    return total


def _is_bold(font: Any) -> bool:
    try:
        name = str(font.get("/BaseFont", "")) if font else ""
        descriptor = font.get("/FontDescriptor") if font else None
        weight = float(descriptor.get_object().get("/FontWeight", 0)) if descriptor is not None else 0.0
    except (TypeError, ValueError, AttributeError, PyPdfError):
        return False
    return weight >= 600 or any(part in name.lower() for part in BOLD_NAMES)


def _info(reader: PdfReader) -> dict[str, str]:
    try:
        info = reader.metadata or {}
        return {str(k).lstrip("/"): str(v) for k, v in info.items()}
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError):
        return {}


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0][:160] if text else "no detail"
