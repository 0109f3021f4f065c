"""PDF text runs per page through pypdf (the only module that imports it).

Each run is a piece of text the page draws, with its position, font size and weight, so that the layout
step can rebuild lines, columns and tables from the page's own geometry."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError, PyPdfError

from assistant.errors import IngestError

logging.getLogger("pypdf").setLevel(logging.ERROR)  # pypdf warns per object on damaged files; we report once

AVERAGE_GLYPH_EM = 0.5  # width of a glyph whose font gives no width table (a fair average for text fonts)
BOLD_NAMES = ("bold", "black", "heavy", "semibold", "demi")


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
class PdfPage:
    number: int  # 1-based
    width: float
    height: float
    runs: tuple[TextRun, ...]


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

    def visit(text: str, cm: list[float], tm: list[float], font: Any, font_size: float) -> None:
        run = _run(text, cm, tm, font, font_size, spacing)
        if run is not None:
            runs.append(run)

    try:
        page = reader.pages[index]
        page.extract_text(visitor_text=visit, visitor_operand_before=spacing.see)
        box = page.mediabox
        return PdfPage(index + 1, float(box.width), float(box.height), tuple(runs))
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


def _run(text: str, cm: list[float], tm: list[float], font: Any, font_size: float, spacing: _Spacing) -> TextRun | None:
    text = text.replace("\n", " ").replace("\r", " ")
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
