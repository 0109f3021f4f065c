"""Text clean-up for extracted pages: running headers and footers, hyphenation, white space."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

EDGE_LINES = 3  # headers and footers live in the first and last few lines of a page
PAGE_NUMBER_LINE = re.compile(
    r"^\s*(?:[-–—]\s*\d+\s*[-–—]|\d+|(?:halaman|hal\.|page)\s*\d+(?:\s*(?:dari|of|/)\s*\d+)?)\s*$", re.I
)


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ").replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00ad", "")  # soft hyphens only mark possible breaks
    text = re.sub(r"[ \t\f\v]+", " ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def dehyphenate(text: str) -> str:
    """Join words broken across lines ("pen-\\ndanaan" -> "pendanaan"); keep real hyphens ("ABG-C")."""
    return re.sub(r"([a-z])-\n([a-z])", r"\1\2", text)


def _shape(line: str) -> str:
    return re.sub(r"\d+", "#", line.strip().lower())


def strip_running_lines(pages: list[str]) -> list[str]:
    """Drop lines that repeat at the top or bottom of most pages, and bare page numbers."""
    split = [page.split("\n") for page in pages]
    counts: Counter[str] = Counter()
    for lines in split:
        edges = {_shape(line) for line in lines[:EDGE_LINES] + lines[-EDGE_LINES:] if line.strip()}
        counts.update(edges)
    needed = max(2, (len(pages) + 1) // 2)
    running = {shape for shape, n in counts.items() if n >= needed} if len(pages) >= 2 else set()
    cleaned = []
    for lines in split:
        keep = []
        last = len(lines) - 1
        for i, line in enumerate(lines):
            at_edge = i < EDGE_LINES or i > last - EDGE_LINES
            if at_edge and (_shape(line) in running or PAGE_NUMBER_LINE.match(line)):
                continue
            keep.append(line)
        cleaned.append("\n".join(keep))
    return cleaned


CATCHWORD = re.compile(r"^\S.{0,80}?[^.\s]\s*(?:\.\s){2}\.$")  # "Pasal 10 . . .": spaced dots, unlike a form's "....."


def drop_catchwords(pages: list[str]) -> list[str]:
    """Drop the catchword that ends a page of a printed regulation ("Pasal 10 . . .", "Agar . . ."): it repeats
    the start of the next page and would read as a heading. Only the last line of a page, never the last page."""
    out = []
    for index, page in enumerate(pages):
        lines = page.rstrip().split("\n")
        while index < len(pages) - 1 and lines and CATCHWORD.match(lines[-1].strip()):
            lines = lines[:-1]
        out.append("\n".join(lines))
    return out


def clean_pdf_pages(raw_pages: list[str]) -> list[str]:
    """Pages in reading order (from the layout step) to clean text: running lines, page numbers and
    catchwords removed, hyphenation joined, wrapped lines reflowed."""
    normalized = [normalize(page) for page in raw_pages]
    stripped = drop_catchwords(strip_running_lines(normalized))
    return [reflow_pdf_page(dehyphenate(page).strip()) for page in stripped]


def strip_markdown_emphasis(text: str) -> str:
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    return re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"\1", text)


BLOCK_START = re.compile(
    r"^(?:\ue000|#{1,6}\s|[-•*▪–]\s|\d{1,2}[.)]\s|[a-z][.)]\s|\(\w{1,3}\)\s|\||>|BAB\s+[IVXLCDM\d]+\b|\d{1,2}(?:\.\d{1,2}){1,3}\.?\s)"
)
TERMINAL = (".", ":", ";", "!", "?")


def reflow_markdown(text: str) -> str:
    """Join soft-wrapped lines of a paragraph or list item (Markdown treats them as one line)."""
    out: list[str] = []
    for line in text.split("\n"):
        stripped = line.strip()
        previous = out[-1].strip() if out else ""
        joinable = (
            stripped
            and previous
            and not BLOCK_START.match(stripped)
            and not previous.startswith(("#", "|"))
            and not previous.endswith("  ")
        )
        if joinable:
            out[-1] = f"{out[-1].rstrip()} {stripped}"
        else:
            out.append(line)
    return "\n".join(out)


def reflow_pdf_page(text: str) -> str:
    """Join lines a PDF wrapped. A line runs on when it has no final punctuation and is long (a wrapped
    paragraph line), or when the next line starts in lowercase; table rows (cells split by ' | ') and
    headings never run on."""
    lines = text.split("\n")
    width = max((len(line) for line in lines), default=0)
    out: list[str] = []
    for line in lines:
        stripped = line.strip()
        if out and stripped and continues(out[-1], stripped, width):
            out[-1] = f"{out[-1]} {stripped}"
        else:
            out.append(stripped)
    return "\n".join(out)


def continues(previous: str, line: str, width: int) -> bool:
    previous = previous.strip()
    if not previous or BLOCK_START.match(line) or TABLE_CELLS in previous or TABLE_CELLS in line:
        return False
    if previous.startswith(HEADING_MARK) or REGULATION_HEADING.match(previous):
        return False
    if REGULATION_HEADING.match(line):
        return previous[-1].islower() or previous.endswith(",")  # "... dimaksud dalam" + "Pasal 5" runs on
    if HEADING.match(previous) and len(previous) < 100:
        return False  # a heading never runs on
    if previous.endswith((".", "!", "?", ";")):
        return False
    if NEEDS_NUMBER.search(previous) and re.match(r"^\(?\w{1,4}\)", line):
        return True  # "... pada ayat" + "(2) dilaksanakan": a reference wrapped before its number
    if line[:1].islower() or line.startswith(("(", "https://", "http://")):
        return True  # mid-sentence, also after a colon ("alamat contoh:\nhttps://...")
    return not previous.endswith(":") and width > 0 and len(previous) >= 0.6 * width


TABLE_CELLS = " | "
NEEDS_NUMBER = re.compile(r"\b(?:ayat|huruf|angka|pasal|nomor|article|section|paragraph)$")
# Marks a heading the layout step found by its font (assistant.ingest.layout): a private-use character,
# never in real text and not white space.
HEADING_MARK = "\ue000"
REGULATION_HEADING = re.compile(r"^(?:(?:Pasal|Bagian|Paragraf)\s+\w+|PENJELASAN)\s*$")
HEADING = re.compile(r"^(BAB\s+[IVXLCDM\d]+\b|\d{1,2}(?:\.\d{1,2}){1,3}\.?\s)")
