"""DOCX text through python-docx (the only module that imports it): paragraphs with their heading level, tables."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph

from assistant.check.types import DraftError

HEADING_STYLE = re.compile(r"^(?:heading|judul)\s*(\d)$", re.IGNORECASE)


@dataclass(frozen=True)
class DocxBlock:
    """A paragraph (``level`` 1-9 for a heading style, 0 for body text) or a table row joined with " | "."""

    text: str
    level: int


def read_docx_blocks(path: Path, shown: str) -> list[DocxBlock]:
    """Paragraphs and table rows in document order. Raises DraftError with the fix."""
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as e:
        raise DraftError(
            f"{shown}: not a readable DOCX file ({type(e).__name__}); a password-protected or old .doc file cannot "
            "be read: save it again in Word as .docx without a password, or export it to PDF"
        ) from e
    blocks: list[DocxBlock] = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            for row in item.rows:
                cells = [c.text.strip() for c in row.cells]
                blocks.append(DocxBlock(" | ".join(dict.fromkeys(c for c in cells if c)), 0))
        else:
            blocks.append(DocxBlock(item.text, _level(item)))
    return blocks


def _level(paragraph: Paragraph) -> int:
    name = paragraph.style.name if paragraph.style is not None else ""
    if name.lower() == "title":
        return 1
    match = HEADING_STYLE.match(name.strip())
    return int(match.group(1)) if match else 0
