"""The helpdesk workbench: every drafted reply kept in SQLite in the data folder, with its status, author, dates,
sources and final text; searchable, exportable as CSV, and flagged for review when a source it cites changes.

A reply starts as ``draf`` when a draft is made, keeps the edited text when saved, and becomes ``terkirim`` when the
helpdesk marks it sent. Sources are the citations of the draft (document, section, page, chunk id). Chunk ids
derive from the chunk's text, so after an ingest a sent reply whose cited chunk id is no longer indexed cites a
section that changed or was removed: ``review_changed_sources`` marks it ``perlu ditinjau`` with what changed.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assistant.errors import AssistantError
from assistant.sqlite_db import open_database
from assistant.types import Citation

DRAFT, SENT = "draf", "terkirim"
STATUSES = (DRAFT, SENT)
MAX_LISTED = 200
CSV_COLUMNS = ("id", "status", "author", "created", "updated", "sent", "question", "final_text", "sources", "review")

SCHEMA = """
CREATE TABLE IF NOT EXISTS replies (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    question TEXT NOT NULL,
    draft TEXT NOT NULL,
    final_text TEXT NOT NULL,
    status TEXT NOT NULL,
    author TEXT NOT NULL,
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    sent TEXT,
    sources TEXT NOT NULL,
    review TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS replies_updated ON replies (updated);
"""


class WorkbenchError(AssistantError):
    """A reply cannot be stored, found or changed."""


@dataclass(frozen=True)
class Source:
    doc_id: str
    title: str
    section: str
    page: int | None
    chunk_id: str

    @classmethod
    def of(cls, citation: Citation) -> Source:
        return cls(citation.doc_id, citation.title, citation.section, citation.page, citation.chunk_id)

    def label(self) -> str:
        page = f", hlm. {self.page}" if self.page else ""
        return f"{self.title} — {self.section}{page}"


@dataclass(frozen=True)
class Reply:
    id: int
    question: str
    draft: str
    final_text: str
    status: str
    author: str
    created: str
    updated: str
    sent: str | None
    sources: tuple[Source, ...]
    review: str  # why the reply needs another look ("" when it does not)

    def row(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "author": self.author,
            "created": self.created,
            "updated": self.updated,
            "sent": self.sent or "",
            "question": self.question,
            "final_text": self.final_text,
            "sources": "; ".join(s.label() for s in self.sources),
            "review": self.review,
        }


def replies_path(data_dir: Path) -> Path:
    return data_dir / "helpdesk" / "replies.sqlite"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class ReplyStore:
    """Thread-safe: several helpdesk sessions may save at once."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db = open_database(path, SCHEMA, WorkbenchError, "the helpdesk replies")

    def add(self, question: str, draft: str, citations: Sequence[Citation], author: str) -> int:
        """A new reply in status ``draf``; returns its number."""
        if not question.strip() or not draft.strip():
            raise WorkbenchError("a reply needs its question and a draft text; make the draft first")
        sources = json.dumps([Source.of(c).__dict__ for c in citations], ensure_ascii=False)
        now = _now()
        with self._write(f"cannot store the reply to {question[:60]!r}"):
            cursor = self._db.execute(
                "INSERT INTO replies (question, draft, final_text, status, author, created, updated, sources) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (question.strip(), draft, draft, DRAFT, author, now, now, sources),
            )
            return int(cursor.lastrowid or 0)

    def save(self, reply_id: int, final_text: str, author: str, sent: bool = False) -> Reply:
        """Keep the edited text; ``sent`` marks the reply ``terkirim`` (and clears a review flag)."""
        if not final_text.strip():
            raise WorkbenchError(f"reply #{reply_id}: the text is empty; write the reply before saving it")
        self.get(reply_id)
        now = _now()
        with self._write(f"cannot save reply #{reply_id}"):
            if sent:
                self._db.execute(
                    "UPDATE replies SET final_text = ?, author = ?, updated = ?, status = ?, sent = ?, review = '' "
                    "WHERE id = ?",
                    (final_text, author, now, SENT, now, reply_id),
                )
            else:
                self._db.execute(
                    "UPDATE replies SET final_text = ?, author = ?, updated = ? WHERE id = ?",
                    (final_text, author, now, reply_id),
                )
        return self.get(reply_id)

    def get(self, reply_id: int) -> Reply:
        with self._lock:
            row = self._db.execute(f"SELECT {_FIELDS} FROM replies WHERE id = ?", (reply_id,)).fetchone()
        if row is None:
            raise WorkbenchError(f"there is no reply #{reply_id}; pick one from the list of replies")
        return _reply(row)

    def search(self, text: str = "", status: str | None = None) -> list[Reply]:
        """Newest first; ``text`` is looked for in the question, the final text and the sources."""
        if status and status not in STATUSES:
            raise WorkbenchError(f"status {status!r} must be one of {', '.join(STATUSES)}")
        where, args = ["1 = 1"], []
        if text.strip():
            where.append("(question LIKE ? OR final_text LIKE ? OR sources LIKE ?)")
            args += [f"%{text.strip()}%"] * 3
        if status:
            where.append("status = ?")
            args.append(status)
        with self._lock:
            rows = self._db.execute(
                f"SELECT {_FIELDS} FROM replies WHERE {' AND '.join(where)} ORDER BY updated DESC, id DESC LIMIT ?",
                (*args, MAX_LISTED),
            ).fetchall()
        return [_reply(r) for r in rows]

    def to_csv(self, replies: Iterable[Reply] | None = None) -> str:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for reply in self.search() if replies is None else replies:
            writer.writerow(reply.row())
        return out.getvalue()

    def review_changed_sources(self, indexed_chunk_ids: set[str]) -> list[int]:
        """Flag every sent reply that cites a chunk no longer in the index; returns the replies newly flagged."""
        flagged = []
        for reply in self.search(status=SENT):
            gone = [s for s in reply.sources if s.chunk_id not in indexed_chunk_ids]
            if not gone or reply.review:
                continue
            reason = "sumber berubah atau dihapus: " + "; ".join(s.label() for s in gone)
            with self._write(f"cannot flag reply #{reply.id}"):
                self._db.execute("UPDATE replies SET review = ? WHERE id = ?", (reason, reply.id))
            flagged.append(reply.id)
        return flagged

    @contextmanager
    def _write(self, what: str) -> Iterator[None]:
        """The store's lock and one transaction; a database error names what failed and the file."""
        try:
            with self._lock, self._db:
                yield
        except sqlite3.Error as e:
            raise WorkbenchError(f"{what} in {self.path} ({e}); check the disk and retry") from e


_FIELDS = "id, question, draft, final_text, status, author, created, updated, sent, sources, review"


def _reply(row: Sequence[Any]) -> Reply:
    sources = tuple(Source(**s) for s in json.loads(row[9]))
    return Reply(*row[:9], sources=sources, review=row[10])  # type: ignore[misc]


def review_after_ingest(data_dir: Path, indexed_chunk_ids: set[str]) -> list[int]:
    """After an ingest: flag sent replies whose sources changed. Nothing is created when no reply was ever kept."""
    path = replies_path(data_dir)
    if not path.is_file():
        return []
    return ReplyStore(path).review_changed_sources(indexed_chunk_ids)
