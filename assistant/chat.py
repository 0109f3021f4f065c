"""Conversation: follow-up questions ("berapa dananya?", "and the deadline?") are resolved against the
session's earlier turns before retrieval. Each session keeps its own history."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from assistant.index.analysis import tokenize
from assistant.types import Answer, Filters, Turn

if TYPE_CHECKING:
    from assistant.pipeline import Assistant

FOLLOW_UP_OPENERS = (
    "kalau",
    "kalo",
    "bagaimana dengan",
    "bagaimana kalau",
    "lalu",
    "terus",
    "trus",
    "dan ",
    "lantas",
    "untuk yang",
    "yang untuk",
    "and ",
    "what about",
    "how about",
    "also",
    "then ",
    "same for",
)
REFERENCES = {
    "itu",
    "tersebut",
    "tadi",
    "sana",
    "it",
    "its",
    "they",
    "them",
    "their",
    "that",
    "those",
    "this",
    "there",
}
QUESTION_WORDS = {
    "apa",
    "apakah",
    "siapa",
    "kapan",
    "berapa",
    "bagaimana",
    "mengapa",
    "kenapa",
    "dimana",
    "mana",
    "bolehkah",
    "what",
    "who",
    "when",
    "how",
    "why",
    "where",
    "which",
    "much",
    "many",
    "saja",
}
MAX_FOLLOW_UP_WORDS = 12


def is_follow_up(question: str) -> bool:
    """Short questions that open like a continuation, point back, or name almost nothing themselves."""
    text = question.strip().lower()
    words = re.findall(r"[a-z0-9]+", text)
    if not words or len(words) > MAX_FOLLOW_UP_WORDS:
        return False
    if text.startswith(FOLLOW_UP_OPENERS):
        return True
    if any(w in REFERENCES for w in words) and not re.match(r"^(apa|what)\s+(itu|is)\b", text):
        return True
    if any(len(w) > 5 and w.endswith("nya") for w in words):
        return True
    content = [t for t in tokenize(question) if t not in QUESTION_WORDS and not t.isdigit()]
    return len(content) <= 1


def topic_of(question: str) -> str:
    """The previous question without its question words: what the conversation is about."""
    words = re.findall(r"[\w+–-]+", question)
    return " ".join(w for w in words if w.lower() not in QUESTION_WORDS)


def resolve_follow_up(question: str, history: Sequence[Turn]) -> tuple[str, str]:
    """(question to answer, context words taken from the history); context is empty for a new topic."""
    if not history or not is_follow_up(question):
        return question, ""
    context = topic_of(history[-1].resolved_question)
    return f"{question.strip()} ({context})", context


@dataclass
class ChatSession:
    assistant: Assistant
    history: list[Turn] = field(default_factory=list)
    max_turns: int = 20

    def ask(self, question: str, filters: Filters | None = None, mode: str | None = None) -> Answer:
        answer = self.assistant.ask(question, self.history, filters, mode)
        self.remember(answer)
        return answer

    def remember(self, answer: Answer) -> None:
        self.history.append(Turn(answer.question, answer.resolved_question or answer.question, answer.text))
        del self.history[: -self.max_turns]
