"""PDF text per page through pypdf (the only module that imports it)."""

from __future__ import annotations

import logging
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError, PyPdfError

from assistant.errors import IngestError

logging.getLogger("pypdf").setLevel(logging.ERROR)  # pypdf warns per object on damaged files; we report once


def read_pdf_pages(path: Path, shown: str, max_pages: int) -> tuple[list[str], dict[str, str]]:
    """Raw text of every page and the PDF's info dictionary. Raises IngestError with the fix."""
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
    return [_page_text(reader, i, shown) for i in range(count)], _info(reader)


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


def _page_text(reader: PdfReader, index: int, shown: str) -> str:
    try:
        # Layout mode keeps the gaps between table columns, which clean-up turns into " | " cells.
        return reader.pages[index].extract_text(extraction_mode="layout") or ""
    except FileNotDecryptedError as e:
        raise IngestError(shown, "the PDF is password-protected", "Save a copy without a password.") from e
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, RecursionError) as e:
        raise IngestError(
            shown,
            f"page {index + 1} cannot be read ({type(e).__name__}: {_first_line(e)})",
            "Export or download the PDF again and replace the file.",
        ) from e


def _info(reader: PdfReader) -> dict[str, str]:
    try:
        info = reader.metadata or {}
        return {str(k).lstrip("/"): str(v) for k, v in info.items()}
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError):
        return {}


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0][:160] if text else "no detail"
