"""Past conversations per user, kept in SQLite in the data folder: list, reopen, rename, delete.

A conversation keeps what the chat showed (its messages) and its turns (question, how it was read, answer
text), so a reopened conversation looks the same and its follow-up questions still resolve.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from assistant.errors import AssistantError
from assistant.sqlite_db import open_database
from assistant.types import Turn

MAX_TITLE_CHARS = 80
MAX_LISTED = 50  # the newest conversations a user sees in the list

SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    title TEXT NOT NULL,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS conversations_owner ON conversations (owner, updated);
CREATE TABLE IF NOT EXISTS messages (
    conversation TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    pos INTEGER NOT NULL,
    role TEXT NOT NULL,
    content TEXT NOT NULL,
    PRIMARY KEY (conversation, pos)
);
CREATE TABLE IF NOT EXISTS turns (
    conversation TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    pos INTEGER NOT NULL,
    question TEXT NOT NULL,
    resolved TEXT NOT NULL,
    answer TEXT NOT NULL,
    PRIMARY KEY (conversation, pos)
);
"""


class HistoryError(AssistantError):
    """The conversation history cannot be read or written, or a conversation is not the user's."""


@dataclass(frozen=True)
class Summary:
    id: str
    title: str
    updated: str  # ISO time, UTC


@dataclass(frozen=True)
class Conversation:
    id: str
    title: str
    messages: tuple[dict[str, str], ...]
    turns: tuple[Turn, ...]


def history_path(data_dir: Path) -> Path:
    return data_dir / "history" / "history.sqlite"


def title_of(question: str) -> str:
    """A conversation's first title: its first question, cut at a word boundary."""
    text = " ".join(question.split())
    if len(text) <= MAX_TITLE_CHARS:
        return text
    return text[:MAX_TITLE_CHARS].rsplit(None, 1)[0] + " …"


class HistoryStore:
    """Thread-safe; every method takes the owner, and a user only ever sees their own conversations."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db = open_database(path, SCHEMA, HistoryError, "the conversation history")

    def save(self, conversation: str, owner: str, messages: Sequence[dict[str, str]], turns: Sequence[Turn]) -> None:
        """Store the conversation as it is now (its title stays once set)."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        title = title_of(turns[0].question) if turns else "…"
        try:
            with self._lock, self._db:
                found = self._db.execute("SELECT owner FROM conversations WHERE id = ?", (conversation,)).fetchone()
                if found is not None and found[0] != owner:
                    raise HistoryError(f"conversation {conversation!r} belongs to another user")
                self._db.execute(
                    "INSERT INTO conversations (id, owner, title, created, updated) VALUES (?, ?, ?, ?, ?) "
                    "ON CONFLICT (id) DO UPDATE SET updated = excluded.updated",
                    (conversation, owner, title, now, now),
                )
                self._db.execute("DELETE FROM messages WHERE conversation = ?", (conversation,))
                self._db.execute("DELETE FROM turns WHERE conversation = ?", (conversation,))
                self._db.executemany(
                    "INSERT INTO messages VALUES (?, ?, ?, ?)",
                    [(conversation, i, m["role"], m["content"]) for i, m in enumerate(messages)],
                )
                self._db.executemany(
                    "INSERT INTO turns VALUES (?, ?, ?, ?, ?)",
                    [(conversation, i, t.question, t.resolved_question, t.answer_text) for i, t in enumerate(turns)],
                )
        except sqlite3.Error as e:
            raise HistoryError(f"cannot save conversation {conversation!r} in {self.path} ({e})") from e

    def list(self, owner: str) -> list[Summary]:
        """The owner's conversations, newest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT id, title, updated FROM conversations WHERE owner = ? ORDER BY updated DESC, rowid DESC "
                "LIMIT ?",
                (owner, MAX_LISTED),
            ).fetchall()
        return [Summary(*row) for row in rows]

    def load(self, conversation: str, owner: str) -> Conversation:
        with self._lock:
            title = self._owned(conversation, owner)
            messages = self._db.execute(
                "SELECT role, content FROM messages WHERE conversation = ? ORDER BY pos", (conversation,)
            ).fetchall()
            turns = self._db.execute(
                "SELECT question, resolved, answer FROM turns WHERE conversation = ? ORDER BY pos", (conversation,)
            ).fetchall()
        return Conversation(
            conversation,
            title,
            tuple({"role": role, "content": content} for role, content in messages),
            tuple(Turn(*t) for t in turns),
        )

    def rename(self, conversation: str, owner: str, title: str) -> None:
        title = " ".join(title.split())[:MAX_TITLE_CHARS]
        if not title:
            raise HistoryError("the new name is empty; type a name for the conversation")
        with self._lock, self._db:
            self._owned(conversation, owner)
            self._db.execute("UPDATE conversations SET title = ? WHERE id = ?", (title, conversation))

    def delete(self, conversation: str, owner: str) -> None:
        with self._lock, self._db:
            self._owned(conversation, owner)
            self._db.execute("DELETE FROM conversations WHERE id = ?", (conversation,))

    def _owned(self, conversation: str, owner: str) -> str:
        """The conversation's title; an error when it does not exist or is someone else's (callers hold the lock)."""
        row = self._db.execute(
            "SELECT title FROM conversations WHERE id = ? AND owner = ?", (conversation, owner)
        ).fetchone()
        if row is None:
            raise HistoryError(f"no conversation {conversation!r} for this user; pick one from the list")
        return str(row[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()
