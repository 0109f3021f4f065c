"""Split a document into sections (BAB / numbered headings / Markdown headings), keeping pages."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.types import SourceDoc

BAB = re.compile(r"^BAB\s+([IVXLCDM]+|\d+)\b[.:]?\s*(.*)$")
NUMBERED = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){1,3})\.?\s+([A-Z(\"“].{1,90})$")
MARKDOWN = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
FENCE = re.compile(r"^(```|~~~)")


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


def _heading(line: str) -> tuple[int, str] | None:
    stripped = line.strip()
    if len(stripped) > 100:
        return None
    match = BAB.match(stripped)
    if match:
        return 1, stripped
    match = NUMBERED.match(stripped)
    if match and not stripped.endswith((".", ",", ";", ":")):
        return match.group(1).count(".") + 1, stripped
    return None


def split_sections(doc: SourceDoc) -> list[Section]:
    """Sections in document order; empty ones are dropped. Pre-heading text gets the title as its path."""
    builder = _Builder()
    if doc.kind == "markdown":
        _markdown(doc, builder)
    else:
        _plain(doc, builder)
    sections = [s for s in builder.sections if s.text_length > 0]
    for section in sections:
        if not section.path:
            section.path = (doc.meta.title,)
    return sections


def _plain(doc: SourceDoc, builder: _Builder) -> None:
    pending_bab: str | None = None
    for page in doc.pages:
        for line in page.text.split("\n"):
            if pending_bab is not None and line.strip():
                title = line.strip()
                if len(title) <= 80 and title.upper() == title:
                    builder.open(1, f"{pending_bab} {title}")
                    pending_bab = None
                    continue
                builder.open(1, pending_bab)
                pending_bab = None
            heading = _heading(line)
            if heading and heading[0] == 1 and BAB.match(line.strip()).group(2) == "":  # type: ignore[union-attr]
                pending_bab = line.strip()
            elif heading:
                builder.open(*heading)
            else:
                builder.add(page.number, line)
    if pending_bab is not None:
        builder.open(1, pending_bab)


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
