"""Structured logs for the helpdesk: one JSON line per question with timings and what was cited.

Never logged: passwords, API keys, or document text beyond the cited chunk ids.
"""

from __future__ import annotations

import json
import logging
import threading
from datetime import UTC, datetime
from pathlib import Path

from assistant.types import Answer

_lock = threading.Lock()
log = logging.getLogger("klasinov")


def question_record(answer: Answer, source: str, user: str | None = None) -> dict[str, object]:
    return {
        "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "source": source,
        "user": user,
        "question": answer.question,
        "resolved_question": answer.resolved_question,
        "lang": answer.lang,
        "mode": answer.mode,
        "refused": answer.refused,
        "cited": [c.chunk_id for c in answer.citations],
        "support": round(float(answer.timings_ms.get("support", 0.0)), 4),
        "timings_ms": {k: round(v, 1) for k, v in answer.timings_ms.items() if k.endswith("_ms")},
    }


def log_question(data_dir: Path, answer: Answer, source: str, user: str | None = None) -> None:
    """Append to ``DATA_DIR/logs/questions.jsonl``; a full disk is reported, never fatal to the answer."""
    path = data_dir / "logs" / "questions.jsonl"
    line = json.dumps(question_record(answer, source, user), ensure_ascii=False)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with _lock, open(path, "a", encoding="utf-8") as out:
            out.write(line + "\n")
    except OSError as e:
        log.warning("question log not written to %s: %s", path, e)
