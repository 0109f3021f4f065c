"""Split a document into sections, keeping pages.

Headings come from the document itself: regulation structure (BAB, Bagian, Paragraf, Pasal, the Penjelasan
part and the articles an amending regulation quotes), numbered headings (1.1), Markdown headings, headings the
PDF sets in a larger or bold font (marked by the layout step) and question-style lines. A PDF without any
heading is split by page, never kept as one section."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.ingest.textclean import HEADING_MARK
from assistant.types import SourceDoc

BAB = re.compile(r"^BAB\s+([IVXLCDM]+[A-Z]?|\d+)\b[.:]?\s*(.*)$")
NUMBERED = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){1,3})\.?\s+([A-Z(\"“].{1,90})$")
MARKDOWN = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
FENCE = re.compile(r"^(```|~~~)")
PASAL = re.compile(r"^Pasal\s+(\d+[A-Za-z]?|[IVXLC]+)$")
ROMAN = re.compile(r"^[IVXLC]+$")
DIVISION = re.compile(r"^(Bagian|Paragraf)\s+(\w+)$")
PART = re.compile(r"^(PENJELASAN|LAMPIRAN(?:\s+[IVXLC\d]+)?)$")
ROMAN_SECTION = re.compile(r"^[IVX]{1,5}\.\s+[A-Z][A-Z ,/&-]{2,80}$")
QUESTION = re.compile(r"^[A-Z][^?]{3,98}\?$")
MARKED = re.compile(f"^{HEADING_MARK}(\\d) (.+)$")
TERMINAL = (".", ":", ";", "!", "?")

# Levels: a part (Penjelasan) above all; BAB and the articles of an amending regulation (Pasal I); Bagian;
# Paragraf; Pasal and Roman-numbered sections of a part ("I. UMUM").
PART_LEVEL, BAB_LEVEL, PASAL_LEVEL = 0, 1, 4
DIVISION_LEVEL = {"Bagian": 2, "Paragraf": 3}


@dataclass
class Section:
    path: tuple[str, ...]
    segments: list[tuple[int | None, str]] = field(default_factory=list)  # (page, text)

    @property
    def text_length(self) -> int:
        return sum(len(t.strip()) for _, t in self.segments)


@dataclass
class _Builder:
    sections: list[Section] = field(default_factory=list)
    stack: list[tuple[int, str]] = field(default_factory=list)  # (level, label)

    def open(self, level: int, label: str) -> None:
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        self.stack.append((level, label))
        self.sections.append(Section(tuple(lbl for _, lbl in self.stack)))

    def add(self, page: int | None, line: str) -> None:
        if not self.sections:
            self.sections.append(Section(()))
        segments = self.sections[-1].segments
        if segments and segments[-1][0] == page:
            segments[-1] = (page, segments[-1][1] + "\n" + line)
        else:
            segments.append((page, line))


def split_sections(doc: SourceDoc) -> list[Section]:
    """Sections in document order; empty ones are dropped. Pre-heading text gets the title as its path."""
    builder = _Builder()
    if doc.kind == "markdown":
        _markdown(doc, builder)
    else:
        _plain(doc, builder)
    sections = [s for s in builder.sections if s.text_length > 0]
    if doc.kind == "pdf" and all(not s.path for s in sections):
        sections = _by_page(doc)
    for section in sections:
        if not section.path:
            section.path = (doc.meta.title,)
    return sections


def _by_page(doc: SourceDoc) -> list[Section]:
    """One section per page with text: the fallback for a PDF that shows no heading at all."""
    return [
        Section((doc.meta.title, f"Halaman {page.number}"), [(page.number, page.text)])
        for page in doc.pages
        if page.text.strip()
    ]


def _plain(doc: SourceDoc, builder: _Builder) -> None:
    lines = [(page.number, line) for page in doc.pages for line in page.text.split("\n")]
    state = _State()
    index = 0
    while index < len(lines):
        page, line = lines[index]
        heading = _heading(line.strip(), state)
        if heading is None:
            builder.add(page, _unmarked(line))
            if line.strip():
                state.previous = line.strip()
            index += 1
            continue
        level, label, takes_title = heading
        index += 1
        if takes_title:
            label, index = _with_title(label, lines, index, upper=label.startswith("BAB"))
        builder.open(level, label)
        state.previous = HEADING_MARK


@dataclass
class _State:
    previous: str = HEADING_MARK  # the last non-empty line; HEADING_MARK after a heading or at the start
    in_part: bool = False


def _heading(line: str, state: _State) -> tuple[int, str, bool] | None:
    """(level, label, whether a title line follows) for a heading line, else None."""
    marked = MARKED.match(line)
    text = marked.group(2) if marked else line
    if not text or len(text) > (200 if marked and text.endswith("?") else 120):  # a set question may run long
        return None
    regulation = _regulation_heading(text, state)
    if regulation is not None:
        return regulation
    match = NUMBERED.match(text)
    if match and not text.endswith((".", ",", ";", ":")) and len(text) <= 100:
        return match.group(1).count(".") + 1, text, False
    if marked:
        return int(marked.group(1)), text, False
    after_block = state.previous == HEADING_MARK or state.previous.endswith(TERMINAL)
    if QUESTION.match(text) and after_block:
        return 3, text, False
    return None


def _regulation_heading(text: str, state: _State) -> tuple[int, str, bool] | None:
    if PART.match(text):
        state.in_part = True
        word, _, number = text.partition(" ")
        return PART_LEVEL, f"{word.capitalize()} {number}".strip(), False
    match = BAB.match(text)
    if match:
        return BAB_LEVEL, text, match.group(2) == ""
    after_block = state.previous == HEADING_MARK or state.previous.endswith(TERMINAL) or state.previous.isupper()
    match = PASAL.match(text)
    if match and after_block:
        return (BAB_LEVEL if ROMAN.match(match.group(1)) else PASAL_LEVEL), text, False
    match = DIVISION.match(text)
    if match and after_block:
        return DIVISION_LEVEL[match.group(1)], text, True
    if state.in_part and ROMAN_SECTION.match(text):
        return PASAL_LEVEL, text, False
    return None


def _with_title(label: str, lines: list[tuple[int | None, str]], index: int, upper: bool) -> tuple[str, int]:
    """A BAB's title is the upper-case lines after it (up to three); a Bagian's the one line after it."""
    titles: list[str] = []
    while index < len(lines) and len(titles) < (3 if upper else 1):
        text = _unmarked(lines[index][1]).strip()
        if not text:
            index += 1
            continue
        fits = len(text) <= 100 and not text.endswith((".", ";", ":")) and not PASAL.match(text)
        if not fits or BAB.match(text) or DIVISION.match(text) or (upper and text.upper() != text):
            break
        titles.append(text)
        index += 1
    return " ".join([label, *titles]), index


def _unmarked(line: str) -> str:
    match = MARKED.match(line.strip())
    return match.group(2) if match else line


def _markdown(doc: SourceDoc, builder: _Builder) -> None:
    text = "\n".join(p.text for p in doc.pages)
    lines = text.split("\n")
    in_fence = False
    headings = [MARKDOWN.match(line) for line in lines]
    h1_count = sum(1 for m in headings if m and len(m.group(1)) == 1)
    for line, match in zip(lines, headings, strict=True):
        if FENCE.match(line.strip()):
            in_fence = not in_fence
        if match and not in_fence:
            level = len(match.group(1))
            if level == 1 and h1_count == 1:
                continue  # the single H1 is the document title, already in the metadata
            builder.open(level, match.group(2).strip())
        else:
            builder.add(None, line)
