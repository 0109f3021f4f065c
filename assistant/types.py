"""The frozen records that flow between the stages: load -> chunk -> embed -> store -> retrieve -> answer."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

STATUSES = ("berlaku", "diganti", "contoh")
DOC_TYPES = ("panduan", "kak", "outline", "regulasi", "berita", "ketentuan", "ringkasan", "lainnya")


@dataclass(frozen=True)
class DocMeta:
    doc_id: str
    title: str
    issuer: str
    year: int | None
    doc_type: str
    status: str
    supersedes: str | None = None
    source_urls: tuple[str, ...] = ()
    language: str = "id"
    amends: str | None = None  # doc_id of the regulation this one amends article by article (both stay in force)

    @property
    def is_sample(self) -> bool:
        return self.status == "contoh"


@dataclass(frozen=True)
class Page:
    """Text of one page; ``number`` is 1-based, None for formats without pages (Markdown, text)."""

    number: int | None
    text: str


@dataclass(frozen=True)
class SourceDoc:
    meta: DocMeta
    path: str  # relative to the corpus folder, with forward slashes
    content_hash: str  # of the file and its sidecar
    kind: str  # pdf | markdown | text
    pages: tuple[Page, ...]
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Chunk:
    chunk_id: str
    doc_id: str
    text: str
    section: tuple[str, ...]
    ordinal: int
    title: str
    year: int | None
    doc_type: str
    status: str
    doc_hash: str = ""
    supersedes: str | None = None
    # (offset in text, page number) for every page that starts inside this chunk, in order.
    page_starts: tuple[tuple[int, int], ...] = ()
    amends: str | None = None  # doc_id of the regulation the chunk's document amends article by article

    @property
    def section_path(self) -> str:
        return " > ".join(self.section)

    @property
    def page_start(self) -> int | None:
        return self.page_starts[0][1] if self.page_starts else None

    @property
    def page_end(self) -> int | None:
        return self.page_starts[-1][1] if self.page_starts else None

    def page_at(self, offset: int) -> int | None:
        """Page of the character at ``offset`` in ``text``."""
        if not self.page_starts:
            return None
        index = bisect_right([o for o, _ in self.page_starts], offset) - 1
        return self.page_starts[max(index, 0)][1]

    @property
    def page_label(self) -> str:
        if self.page_start is None:
            return "-"
        if self.page_start == self.page_end:
            return str(self.page_start)
        return f"{self.page_start}–{self.page_end}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "chunk_id": self.chunk_id,
            "doc_id": self.doc_id,
            "text": self.text,
            "section": list(self.section),
            "ordinal": self.ordinal,
            "title": self.title,
            "year": self.year,
            "doc_type": self.doc_type,
            "status": self.status,
            "doc_hash": self.doc_hash,
            "supersedes": self.supersedes,
            "page_starts": [list(p) for p in self.page_starts],
            "amends": self.amends,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Chunk:
        return cls(
            **{k: v for k, v in data.items() if k not in ("section", "page_starts")},
            section=tuple(data["section"]),
            page_starts=tuple((int(o), int(p)) for o, p in data["page_starts"]),
        )

    @property
    def index_text(self) -> str:
        """What the retrievers see: the document title and section path give a chunk its context."""
        return f"{self.title}\n{self.section_path}\n{self.text}"


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    score: float
    ranks: Mapping[str, int] = field(default_factory=dict)  # retriever name -> 1-based rank
    scores: Mapping[str, float] = field(default_factory=dict)  # retriever name -> raw score


@dataclass(frozen=True)
class Citation:
    n: int
    doc_id: str
    title: str
    section: str
    page: int | None
    year: int | None
    text: str  # the quoted passage
    chunk_id: str
    status: str

    @property
    def is_sample(self) -> bool:
        return self.status == "contoh"

    def to_json(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "doc_id": self.doc_id,
            "title": self.title,
            "section": self.section,
            "page": self.page,
            "year": self.year,
            "text": self.text,
            "chunk_id": self.chunk_id,
            "status": self.status,
        }


@dataclass(frozen=True)
class Turn:
    question: str
    resolved_question: str
    answer_text: str


@dataclass(frozen=True)
class Answer:
    question: str
    text: str  # with [n] markers that resolve to ``citations``
    refused: bool
    citations: tuple[Citation, ...]
    hits: tuple[Hit, ...]
    mode: str
    lang: str = "id"
    resolved_question: str = ""
    notes: tuple[str, ...] = ()
    timings_ms: Mapping[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The ``ask --json`` contract."""
        return {
            "question": self.question,
            "answer": self.text,
            "refused": self.refused,
            "citations": [c.to_json() for c in self.citations],
            "retrieved": [
                {
                    "doc_id": h.chunk.doc_id,
                    "chunk_id": h.chunk.chunk_id,
                    "section": h.chunk.section_path,
                    "page": h.chunk.page_start,
                    "score": round(h.score, 6),
                }
                for h in self.hits
            ],
            "mode": self.mode,
            "lang": self.lang,
            "resolved_question": self.resolved_question or self.question,
            "notes": list(self.notes),
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
        }


@dataclass(frozen=True)
class Filters:
    """Restrict retrieval by year, document type and status; empty tuples mean 'any'."""

    years: tuple[int, ...] = ()
    doc_types: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.years or self.doc_types or self.statuses)

    def allows(self, chunk: Chunk) -> bool:
        return (
            (not self.years or chunk.year in self.years)
            and (not self.doc_types or chunk.doc_type in self.doc_types)
            and (not self.statuses or chunk.status in self.statuses)
        )


@dataclass(frozen=True)
class SearchResult:
    query: str
    hits: tuple[Hit, ...]
    expanded_query: str = ""
    notes: tuple[str, ...] = ()
    timings_ms: Mapping[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The ``search --json`` contract."""
        return {
            "query": self.query,
            "expanded_query": self.expanded_query,
            "results": [
                {
                    "rank": i,
                    "chunk_id": h.chunk.chunk_id,
                    "doc_id": h.chunk.doc_id,
                    "title": h.chunk.title,
                    "section": h.chunk.section_path,
                    "page": h.chunk.page_start,
                    "page_end": h.chunk.page_end,
                    "year": h.chunk.year,
                    "status": h.chunk.status,
                    "doc_type": h.chunk.doc_type,
                    "score": round(h.score, 6),
                    "ranks": dict(h.ranks),
                    "scores": {k: round(v, 6) for k, v in h.scores.items()},
                    "text": h.chunk.text,
                }
                for i, h in enumerate(self.hits, start=1)
            ],
            "notes": list(self.notes),
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
        }
