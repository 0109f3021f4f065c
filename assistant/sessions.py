"""Named conversations kept between commands: ``ask --session NAME`` reads the earlier turns from
``data_dir/sessions/NAME.json`` and adds its own; ``--new-session`` starts the conversation over."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from assistant.errors import AssistantError
from assistant.types import Answer, Turn

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
MAX_TURNS = 20  # as in the app: enough for follow-ups, bounded on disk


class SessionError(AssistantError):
    """A session name or file that cannot be used."""


def check_name(name: str) -> str:
    if not NAME.fullmatch(name or "") or ".." in name:
        raise SessionError(
            f"session name {name!r} is not allowed; use 1-64 letters, digits, '.', '_' or '-', "
            "starting with a letter or digit (e.g. --session helpdesk-1)"
        )
    return name


def turn_json(turn: Turn) -> dict[str, str]:
    return {"question": turn.question, "resolved_question": turn.resolved_question, "answer": turn.answer_text}


def turn_of(answer: Answer) -> Turn:
    return Turn(answer.question, answer.resolved_question or answer.question, answer.text)


def turns_from(data: Sequence[Any], where: str) -> list[Turn]:
    """Turns from a list of questions or of {question, answer?, resolved_question?} objects."""
    turns = []
    for i, item in enumerate(data):
        if isinstance(item, str) and item.strip():
            turns.append(Turn(item.strip(), item.strip(), ""))
        elif isinstance(item, Mapping) and isinstance(item.get("question"), str) and item["question"].strip():
            question = item["question"].strip()
            resolved = item.get("resolved_question")
            answer = item.get("answer")
            turns.append(
                Turn(
                    question,
                    resolved.strip() if isinstance(resolved, str) and resolved.strip() else question,
                    answer if isinstance(answer, str) else "",
                )
            )
        else:
            raise SessionError(
                f"{where}: turn {i + 1} is {item!r}; give a question string or an object with a 'question' string "
                "(optionally 'answer' and 'resolved_question', as /ask returns them)"
            )
    return turns[-MAX_TURNS:]


class SessionStore:
    def __init__(self, data_dir: Path) -> None:
        self.folder = data_dir / "sessions"

    def path(self, name: str) -> Path:
        return self.folder / f"{check_name(name)}.json"

    def load(self, name: str) -> list[Turn]:
        path = self.path(name)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return []
        except (OSError, ValueError) as e:
            raise SessionError(f"session file {str(path)!r} cannot be read ({e}); start over with --new-session") from e
        if not isinstance(data, Mapping) or not isinstance(data.get("turns"), list):
            raise SessionError(f"session file {str(path)!r} has no 'turns' list; start over with --new-session")
        return turns_from(data["turns"], str(path))

    def save(self, name: str, turns: Sequence[Turn]) -> None:
        """Written to a temporary file and renamed, so a crash never leaves half a conversation."""
        path = self.path(name)
        self.folder.mkdir(parents=True, exist_ok=True)
        temp = path.with_suffix(f".{os.getpid()}.tmp")
        data = {"name": name, "turns": [turn_json(t) for t in list(turns)[-MAX_TURNS:]]}
        temp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(temp, path)

    def append(self, name: str, answer: Answer) -> None:
        self.save(name, [*self.load(name), turn_of(answer)])

    def clear(self, name: str) -> None:
        self.path(name).unlink(missing_ok=True)
