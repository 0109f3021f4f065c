"""Reading a draft (PDF, DOCX, Markdown, text) into headed parts, its page count and its budget table.

Bad input is refused with what is wrong and how to fix it; nothing is written anywhere.
"""

from __future__ import annotations

import re
from pathlib import Path

from assistant.check.text import CHAPTER
from assistant.check.types import BudgetRow, Draft, DraftError, DraftPart
from assistant.errors import IngestError

SUFFIXES = {".pdf": "pdf", ".docx": "docx", ".md": "markdown", ".markdown": "markdown", ".txt": "text"}
MAX_BYTES = 50 * 1024 * 1024
MAX_PAGES = 150
MIN_CHARS_PER_PAGE = 20  # below this on average a PDF is a scan without a text layer
NUMBERED_HEADING = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)\.?\s+\S")
LETTERED_HEADING = re.compile(r"^(?:lampiran|attachment)\b", re.IGNORECASE)
MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
AMOUNT = re.compile(r"(?:Rp\.?\s*)(\d{1,3}(?:[.,]\d{3})+|\d+)(?:,-|,00)?[\s|]*$")  # a row ends in its amount
TOTAL_WORDS = re.compile(r"^\s*(?:total|jumlah|sub ?total)\b", re.IGNORECASE)


def read_draft(path: Path, shown: str | None = None, max_pages: int = MAX_PAGES) -> Draft:
    shown = shown or path.name
    kind = _kind(path, shown)
    if kind == "pdf":
        return _from_pages(shown, kind, _pdf_pages(path, shown, max_pages))
    if kind == "docx":
        return _from_docx(path, shown)
    text = _text(path, shown)
    return _from_pages(shown, kind, [text], paged=False)


def _kind(path: Path, shown: str) -> str:
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise DraftError(
            f"{shown}: the type {path.suffix or '(no extension)'!r} cannot be checked; "
            "upload the draft as PDF, DOCX, Markdown (.md) or text (.txt)"
        )
    if not path.is_file():
        raise DraftError(f"{shown}: no such file; check the path")
    size = path.stat().st_size
    if size == 0:
        raise DraftError(f"{shown}: the file is empty (0 bytes); upload the saved draft again")
    if size > MAX_BYTES:
        raise DraftError(
            f"{shown}: {size / 2**20:.0f} MB is more than {MAX_BYTES // 2**20} MB; upload the draft "
            "without its scanned attachments"
        )
    with path.open("rb") as handle:
        head = handle.read(8)
    if kind == "pdf" and not head.startswith(b"%PDF"):
        raise DraftError(f"{shown}: the file is named .pdf but is not a PDF; export the draft to PDF again")
    if kind == "docx" and not head.startswith(b"PK"):
        raise DraftError(f"{shown}: the file is named .docx but is not a DOCX (an old .doc?); save it as .docx")
    return kind


def _pdf_pages(path: Path, shown: str, max_pages: int) -> list[str]:
    from assistant.ingest.loader import read_pdf_text

    try:
        pages = read_pdf_text(path, shown, max_pages)
    except IngestError as e:
        fix = e.fix.replace("raise KLASINOV_MAX_PDF_PAGES", "check only the proposal without attachments")
        raise DraftError(f"{shown}: {e.reason}. {fix}") from e
    if sum(len(p.strip()) for p in pages) < MIN_CHARS_PER_PAGE * len(pages):
        raise DraftError(
            f"{shown}: the PDF has {len(pages)} pages but almost no text (a scan without a text layer); "
            "upload the PDF exported from the word processor, or run OCR on the scan first"
        )
    return pages


def _text(path: Path, shown: str) -> str:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as e:
        raise DraftError(f"{shown}: not UTF-8 text (byte {e.start}); save the file as UTF-8 text") from e
    if not text.strip():
        raise DraftError(f"{shown}: the file holds no text; upload the saved draft again")
    return text


def _from_docx(path: Path, shown: str) -> Draft:
    from assistant.docx_reader import read_docx_blocks

    lines = [(b.text, b.level or heading_level(b.text)) for b in read_docx_blocks(path, shown)]
    if not any(text.strip() for text, _ in lines):
        raise DraftError(f"{shown}: the document holds no text; upload the saved draft again")
    return Draft(
        shown,
        "docx",
        tuple(_parts([(text, level, None) for text, level in lines])),
        None,
        budget_rows([t for t, _ in lines]),
    )


def _from_pages(shown: str, kind: str, pages: list[str], paged: bool = True) -> Draft:
    lines: list[tuple[str, int, int | None]] = []
    for number, page in enumerate(pages, start=1):
        for raw in page.splitlines():
            line = " ".join(raw.split()) if kind == "pdf" else raw.rstrip()
            md = MD_HEADING.match(line) if kind == "markdown" else None
            level = len(md.group(1)) if md else heading_level(line)
            lines.append((md.group(2) if md else line, level, number if paged else None))
    table_lines = [re.sub(r"\s{2,}", " | ", raw.strip()) for page in pages for raw in page.splitlines()]
    return Draft(shown, kind, tuple(_parts(lines)), len(pages) if paged else None, budget_rows(table_lines))


def heading_level(line: str) -> int:
    """1 for a chapter or an all-capitals title line, 2-3 for a numbered title, 0 for body text."""
    text = line.strip()
    words = text.split()
    if not text or len(text) > 90 or len(words) > 12 or "|" in text:
        return 0
    if CHAPTER.match(text):
        return 1
    if text.endswith((".", ",", ";", ":")) or not re.search(r"[A-Za-z]{3}", text):
        return 0
    letters = [c for c in text if c.isalpha()]
    if len(letters) >= 4 and all(c.isupper() for c in letters):
        return 1
    numbered = NUMBERED_HEADING.match(text)
    if numbered and text[len(numbered.group(0)) - 1].isupper():
        return 1 + numbered.group(1).count(".") + (1 if "." not in numbered.group(1) else 0)
    if LETTERED_HEADING.match(text) and words[0][0].isupper():
        return 2
    return 0


def _parts(lines: list[tuple[str, int, int | None]]) -> list[DraftPart]:
    """A part per heading; its text runs to the next heading of the same or a higher level."""
    heads = [i for i, (_, level, _) in enumerate(lines) if level > 0]
    parts: list[DraftPart] = []
    first = heads[0] if heads else len(lines)
    preamble = "\n".join(t for t, _, _ in lines[:first]).strip()
    if preamble:
        parts.append(DraftPart("", preamble, lines[0][2], 0))
    for i in heads:
        heading, level, page = lines[i]
        end = next((j for j in heads if j > i and lines[j][1] <= level), len(lines))
        body = "\n".join(t for t, lvl, _ in lines[i + 1 : end] if lvl == 0 or lvl > level).strip()
        parts.append(DraftPart(heading.strip(), body, page, level))
    return parts


def budget_rows(lines: list[str]) -> tuple[BudgetRow, ...]:
    """The longest run of consecutive "component ... Rp amount" lines (totals left out)."""
    best: list[BudgetRow] = []
    run: list[BudgetRow] = []
    for line in [*lines, ""]:
        match = AMOUNT.search(line)
        label = re.sub(r"[|:.\s]+$", "", line[: match.start()]).strip(" |") if match else ""
        if match and re.search(r"[A-Za-z]{3}", label):
            if not TOTAL_WORDS.match(label):
                run.append(BudgetRow(label, float(re.sub(r"[.,]", "", match.group(1)))))
            continue
        if len(run) > len(best):
            best = run
        run = []
    return tuple(best) if len(best) >= 2 else ()
