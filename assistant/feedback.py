"""Thumbs up/down on answers, kept in SQLite; disliked answers export as draft eval questions.

One row per answer and session: rating again, or adding a comment later, updates the same row.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from assistant.errors import AssistantError
from assistant.sqlite_db import open_database
from assistant.types import Answer
from assistant.yaml_io import dump_yaml

RATINGS = ("up", "down")
MAX_COMMENT_CHARS = 2000

SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session TEXT NOT NULL,
    turn INTEGER NOT NULL,
    time TEXT NOT NULL,
    user TEXT,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    comment TEXT NOT NULL DEFAULT '',
    question TEXT NOT NULL,
    resolved_question TEXT NOT NULL,
    lang TEXT NOT NULL,
    answer TEXT NOT NULL,
    refused INTEGER NOT NULL,
    citations TEXT NOT NULL,
    mode TEXT NOT NULL,
    UNIQUE (session, turn)
)
"""


class FeedbackError(AssistantError):
    """Feedback that cannot be stored (bad rating, unwritable database)."""


@dataclass(frozen=True)
class FeedbackRecord:
    id: int
    session: str
    turn: int
    time: str
    user: str | None
    rating: str
    comment: str
    question: str
    resolved_question: str
    lang: str
    answer: str
    refused: bool
    citations: tuple[dict[str, object], ...]
    mode: str

    @property
    def cited_docs(self) -> list[str]:
        """Cited document ids, first citation first, each once."""
        seen: list[str] = []
        for c in self.citations:
            doc = str(c.get("doc_id", ""))
            if doc and doc not in seen:
                seen.append(doc)
        return seen


def feedback_path(data_dir: Path) -> Path:
    return data_dir / "feedback" / "feedback.sqlite"


class FeedbackStore:
    """Thread-safe: the app answers several sessions at once."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db = open_database(path, SCHEMA, FeedbackError, "the feedback database")

    def record(
        self,
        answer: Answer,
        rating: str,
        *,
        session: str,
        turn: int,
        comment: str = "",
        user: str | None = None,
    ) -> int:
        """Store (or update) the rating of one answer; returns the row id."""
        if rating not in RATINGS:
            raise FeedbackError(f"rating {rating!r} must be one of {', '.join(RATINGS)}")
        comment = (comment or "").strip()[:MAX_COMMENT_CHARS]
        row = {
            "session": session,
            "turn": turn,
            "time": datetime.now(UTC).isoformat(timespec="seconds"),
            "user": user,
            "rating": rating,
            "comment": comment,
            "question": answer.question,
            "resolved_question": answer.resolved_question or answer.question,
            "lang": answer.lang,
            "answer": answer.text,
            "refused": int(answer.refused),
            "citations": json.dumps([c.to_json() for c in answer.citations], ensure_ascii=False),
            "mode": answer.mode,
        }
        columns = ", ".join(row)
        sql = (
            f"INSERT INTO feedback ({columns}) VALUES ({', '.join(':' + k for k in row)}) "
            "ON CONFLICT (session, turn) DO UPDATE SET time = excluded.time, rating = excluded.rating, "
            "comment = CASE WHEN excluded.comment != '' THEN excluded.comment ELSE feedback.comment END, "
            "user = excluded.user RETURNING id"
        )
        try:
            with self._lock, self._db:
                return int(self._db.execute(sql, row).fetchone()[0])
        except sqlite3.Error as e:
            raise FeedbackError(f"feedback not saved to {self.path}: {e}; check the disk and retry") from e

    def records(self, rating: str | None = None) -> list[FeedbackRecord]:
        where, args = ("WHERE rating = ?", (rating,)) if rating else ("", ())
        with self._lock:
            cursor = self._db.execute(f"SELECT * FROM feedback {where} ORDER BY id", args)
            names = [d[0] for d in cursor.description]
            rows = cursor.fetchall()
        return [_record(dict(zip(names, r, strict=True))) for r in rows]

    def close(self) -> None:
        with self._lock:
            self._db.close()


def _record(row: dict[str, object]) -> FeedbackRecord:
    row["refused"] = bool(row["refused"])
    row["citations"] = tuple(json.loads(str(row["citations"])))
    return FeedbackRecord(**row)  # type: ignore[arg-type]


def _comment_lines(label: str, text: str) -> list[str]:
    lines = [line.rstrip() for line in text.strip().splitlines()] or [""]
    return [f"# {label}: {lines[0]}"] + [f"#   {line}" for line in lines[1:]]


def draft_question(record: FeedbackRecord) -> dict[str, object]:
    """An eval question for a person to complete: what was asked, what was cited, nothing yet to match."""
    return {
        "id": f"feedback-{record.id}",
        "question": record.question,
        "lang": record.lang if record.lang in ("id", "en") else "id",
        "category": "feedback",
        "answerable": True,
        "expected_docs": record.cited_docs,
        "must_contain": [],
    }


def export_drafts(records: Sequence[FeedbackRecord]) -> str:
    """YAML (the eval question file format) with the user's comment and the given answer as comments."""
    out = [
        "# Draft eval questions from disliked answers. Complete each one before adding it to the eval set:",
        "# check answerable and expected_docs, fill must_contain (and expected_sections) from the documents.",
        "",
    ]
    if not records:
        out.append("[]")
    for record in records:
        out.append(f"# feedback {record.id}, {record.time}, user {record.user or '-'}, mode {record.mode}")
        out += _comment_lines("comment", record.comment or "(none)")
        if record.resolved_question != record.question:
            out += _comment_lines("understood as", record.resolved_question)
        out += _comment_lines("answer given" + (" (refused)" if record.refused else ""), record.answer)
        out.append(dump_yaml([draft_question(record)]).rstrip())
        out.append("")
    return "\n".join(out).rstrip() + "\n"
