"""SQLite files in the data folder (conversation history, feedback, helpdesk replies): one way to open them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from assistant.errors import AssistantError


def open_database(path: Path, schema: str, error: type[AssistantError], what: str) -> sqlite3.Connection:
    """The database at ``path`` with ``schema`` applied, shared between threads (callers hold a lock); a file
    that cannot be opened raises ``error`` naming ``what`` and the fix."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(path, check_same_thread=False, timeout=30)
        db.execute("PRAGMA foreign_keys = ON")
        with db:
            db.executescript(schema)
    except (OSError, sqlite3.Error) as e:
        raise error(f"cannot open {what} {path} ({e}); check that KLASINOV_DATA_DIR is writable") from e
    return db
