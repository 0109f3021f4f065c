"""What the web app does, without the UI toolkit: per-session chat, drafts, feedback, documents, re-index.

``app.py`` only builds the Gradio interface around a ``WebApp`` and turns its errors into messages.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant import ui_text
from assistant.answer.draft import Draft
from assistant.config import Settings
from assistant.errors import AssistantError, QuestionError
from assistant.feedback import FeedbackStore, feedback_path
from assistant.history import HistoryStore, history_path
from assistant.index.embedders import CachedEmbedder
from assistant.ingest.manifest import Manifest
from assistant.ingest.sync import SyncReport
from assistant.logs import log_question
from assistant.pipeline import Assistant
from assistant.sessions import turns_from
from assistant.types import Answer, Filters, Turn
from assistant.uploads import PlacedUpload, UploadMeta, place_upload
from assistant.users import UserDirectory, load_directory
from assistant.workbench import Reply, ReplyStore, replies_path, review_after_ingest

MAX_TURNS = 20  # answers a session keeps (history for follow-ups, targets for feedback)
MAX_MESSAGES = 2 * MAX_TURNS  # the chat shows as many exchanges as can still be rated
LOG = logging.getLogger("klasinov.app")
LOCAL_OWNER = "(satu pengguna)"  # the history owner in single-user mode (no account names contain spaces)
MEDIA_TYPES = {"pdf": "application/pdf", "markdown": "text/plain; charset=utf-8", "text": "text/plain; charset=utf-8"}


class AccessDenied(AssistantError):
    """A staff account asked for an admin action."""


@dataclass
class ChatState:
    """One browser session's conversation: follow-ups resolve against this history only."""

    session_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    history: list[Turn] = field(default_factory=list)
    answers: dict[int, Answer] = field(default_factory=dict)  # turn -> answer (the last MAX_TURNS)
    messages: list[dict[str, str]] = field(default_factory=list)  # what the chat shows
    message_turn: dict[int, int] = field(default_factory=dict)  # index of an answer message -> turn
    turns: int = 0
    feedback_turn: int | None = None  # the answer rated last: a comment goes to it

    def remember(self, answer: Answer) -> int:
        turn = self.turns
        self.turns += 1
        self.history.append(Turn(answer.question, answer.resolved_question or answer.question, answer.text))
        del self.history[:-MAX_TURNS]
        self.answers[turn] = answer
        for old in [t for t in self.answers if t <= turn - MAX_TURNS]:
            del self.answers[old]
        return turn

    def add_exchange(self, question: dict[str, str], pending: dict[str, str]) -> None:
        """Append a question and its (pending) answer; the oldest exchanges leave the chat."""
        self.messages += [question, pending]
        extra = len(self.messages) - MAX_MESSAGES
        if extra > 0:
            del self.messages[:extra]
            self.message_turn = {i - extra: t for i, t in self.message_turn.items() if i >= extra}

    @property
    def last_turn(self) -> int | None:
        return max(self.answers) if self.answers else None


@dataclass
class WebApp:
    settings: Settings
    assistant: Assistant
    embedder: CachedEmbedder
    feedback: FeedbackStore
    users: UserDirectory | None = None
    history: HistoryStore | None = None
    replies: ReplyStore | None = None
    _kinds: tuple[float, dict[str, str]] = field(default_factory=lambda: (-1.0, {}), repr=False)

    @classmethod
    def from_settings(cls, settings: Settings) -> WebApp:
        from assistant.services import build_assistant, open_embedder

        users = load_directory(settings.users_file) if settings.users_file else None
        embedder = open_embedder(settings)
        assistant = build_assistant(settings, embedder)
        feedback = FeedbackStore(feedback_path(settings.data_dir))
        history = HistoryStore(history_path(settings.data_dir))
        replies = ReplyStore(replies_path(settings.data_dir))
        return cls(settings, assistant, embedder, feedback, users, history, replies)

    def warm_up(self) -> None:
        """Load the model and the indexes now, so the first question is answered as fast as the rest."""
        self.assistant.search("syarat pengusul klaster inovasi")

    # --- access -------------------------------------------------------------------------------------
    @property
    def login_required(self) -> bool:
        return self.users is not None

    def role(self, user: str | None) -> str:
        if self.users is None:
            return "admin"  # single-user mode: the person at this computer runs everything
        return self.users.role(user) or "none"

    def require_admin(self, user: str | None, action: str) -> None:
        if self.role(user) != "admin":
            raise AccessDenied(f"only an admin may {action}; {user or 'this account'} is signed in as staff")

    # --- questions ----------------------------------------------------------------------------------
    def stream(
        self, question: str, state: ChatState, filters: Filters, mode: str | None, user: str | None
    ) -> Iterator[str | Answer]:
        """Text pieces while an LLM writes, then the final Answer (logged; the caller adds it to ``state``)."""
        question = self.assistant.check_question(question)
        for item in self.assistant.stream(question, tuple(state.history), filters, mode):
            if isinstance(item, Answer):
                log_question(self.settings.data_dir, item, source="app", user=user)
            yield item

    def question_problem(self, question: str, lang: str = ui_text.DEFAULT_LANG) -> str | None:
        """Why ``question`` cannot be asked, in ``lang`` (None when it can); a rejection is one log line."""
        try:
            self.assistant.check_question(question)
        except QuestionError as e:
            cleaned = " ".join((question or "").split())
            limit = self.settings.max_question_chars
            if not cleaned:
                key = "question_empty"
            elif len(cleaned) > limit:
                key = "question_too_long"
            else:
                key = "question_unusable"
            LOG.info("question rejected (%d characters): %s", len(question or ""), e)
            return ui_text.text(key, lang, chars=len(cleaned), limit=limit)
        if not has_words(question):
            LOG.info("question rejected (%d characters): no words once markup is removed", len(question))
            return self.with_helpdesk(ui_text.text("question_no_words", lang), lang)
        return None

    def with_helpdesk(self, message: str, lang: str = ui_text.DEFAULT_LANG) -> str:
        """``message`` and, when one is set, how to reach the helpdesk."""
        contact = self.settings.helpdesk_contact.strip()
        return f"{message} {ui_text.text('helpdesk', lang, contact=contact)}" if contact else message

    def ask_json(self, question: str, user: str | None, history: Sequence[Any] | None = None) -> dict[str, Any]:
        """``history``: the earlier turns, as questions or {question, answer, resolved_question} objects."""
        answer = self.assistant.ask(question, turns_from(history or (), "history"))
        log_question(self.settings.data_dir, answer, source="app-api", user=user)
        return answer.to_json()

    def draft(self, question: str, user: str | None, history: Sequence[Any] | None = None) -> Draft:
        draft = self.assistant.draft_reply(question, turns_from(history or (), "history"))
        log_question(self.settings.data_dir, draft.answer, source="app-draft", user=user)
        return draft

    def record_feedback(
        self, state: ChatState, turn: int | None, rating: str, comment: str, user: str | None
    ) -> tuple[int, int]:
        """(row id, turn) of the stored feedback; ``turn`` None means the latest answer."""
        turn = state.last_turn if turn is None else turn
        if turn is None or turn not in state.answers:
            raise AssistantError("that answer is no longer in this conversation (or none yet); ask a question first")
        row = self.feedback.record(
            state.answers[turn], rating, session=state.session_id, turn=turn, comment=comment, user=user
        )
        return row, turn

    # --- conversation history ----------------------------------------------------------------------
    @staticmethod
    def owner(user: str | None) -> str:
        """Whose history: the signed-in account, or the one person of single-user mode."""
        return user or LOCAL_OWNER

    def save_conversation(self, state: ChatState, user: str | None) -> None:
        if self.history is not None and state.history:
            self.history.save(state.session_id, self.owner(user), state.messages, state.history)

    def conversations(self, user: str | None) -> list[tuple[str, str]]:
        """(label, id) of the user's saved conversations, newest first."""
        if self.history is None:
            return []
        return [(f"{s.title} · {s.updated[:16].replace('T', ' ')}", s.id) for s in self.history.list(self.owner(user))]

    def open_conversation(self, conversation: str, user: str | None) -> ChatState:
        """A saved conversation as the session's chat: its follow-ups resolve, its old answers cannot be rated."""
        if self.history is None:
            raise AssistantError("conversation history is off; start a new conversation")
        saved = self.history.load(conversation, self.owner(user))
        return ChatState(
            session_id=saved.id, history=list(saved.turns), messages=list(saved.messages), turns=len(saved.turns)
        )

    def rename_conversation(self, conversation: str, title: str, user: str | None) -> None:
        if self.history is not None:
            self.history.rename(conversation, self.owner(user), title)

    def delete_conversation(self, conversation: str, user: str | None) -> None:
        if self.history is not None:
            self.history.delete(conversation, self.owner(user))

    # --- documents ----------------------------------------------------------------------------------
    def manifest(self) -> Manifest:
        from assistant.services import read_manifest

        return read_manifest(self.settings)

    def documents(self) -> list[dict[str, Any]]:
        entries = sorted(self.manifest().docs.values(), key=lambda e: (e.title.lower(), e.doc_id))
        return [
            {
                "doc_id": e.doc_id,
                "title": e.title,
                "year": e.year,
                "doc_type": e.doc_type,
                "status": e.status,
                "chunks": len(e.chunk_ids),
                "path": e.path,
                "kind": e.kind,
                "indexed_at": e.indexed_at,
                "warnings": list(e.warnings),
            }
            for e in entries
        ]

    def doc_kinds(self) -> dict[str, str]:
        """doc_id -> pdf | markdown | text, re-read only when the manifest file changes."""
        path = self.settings.index_dir / "manifest.json"
        stamp = path.stat().st_mtime if path.exists() else 0.0
        if stamp != self._kinds[0]:
            self._kinds = (stamp, {d: e.kind for d, e in self.manifest().docs.items()})
        return self._kinds[1]

    def document_file(self, doc_id: str) -> tuple[Path, str] | None:
        """(path, media type) of an indexed document, only when it lies inside the corpus folder."""
        entry = self.manifest().docs.get(doc_id)
        if entry is None:
            return None
        root = self.settings.corpus_dir.resolve()
        path = (root / entry.path).resolve()
        if not path.is_relative_to(root) or not path.is_file():
            return None
        return path, MEDIA_TYPES.get(entry.kind, "application/octet-stream")

    def upload(self, src: Path, original_name: str, meta: UploadMeta, user: str | None) -> PlacedUpload:
        self.require_admin(user, "upload documents")
        owners = {d: e.path for d, e in self.manifest().docs.items()}
        return place_upload(src, original_name, meta, self.settings.corpus_dir, self.settings.max_upload_mb, owners)

    def reindex(self, user: str | None, progress: Callable[[int, int, str], None] | None = None) -> SyncReport:
        from assistant.services import open_indexer

        self.require_admin(user, "re-index the documents")
        report = open_indexer(self.settings, self.embedder).sync(self.settings.corpus_dir, progress=progress)
        review_after_ingest(self.settings.data_dir, self.manifest().chunk_ids())
        return report

    # --- helpdesk workbench -------------------------------------------------------------------------
    def _replies(self) -> ReplyStore:
        if self.replies is None:
            raise AssistantError("the helpdesk replies are not kept in this setup; start the app with a data folder")
        return self.replies

    def keep_draft(self, draft: Draft, user: str | None) -> int:
        """Store a new draft in the workbench; returns its number."""
        return self._replies().add(draft.question, draft.markdown, draft.answer.citations, self.owner(user))

    def save_reply(self, reply_id: int, text: str, user: str | None, sent: bool = False) -> Reply:
        return self._replies().save(reply_id, text, self.owner(user), sent)

    def find_replies(self, text: str = "", status: str | None = None) -> list[Reply]:
        return self._replies().search(text, status or None)

    def replies_csv(self, text: str = "", status: str | None = None) -> str:
        return self._replies().to_csv(self.find_replies(text, status))

    # --- reports and start-up -----------------------------------------------------------------------
    @property
    def eval_report_path(self) -> Path:
        return self.settings.data_dir / "eval" / "report.md"

    def eval_report(self) -> str | None:
        """The latest local eval report (Markdown), else the committed baseline as a report."""
        from assistant.reports import eval_report_markdown

        return eval_report_markdown(self.eval_report_path)

    def index_summary(self) -> tuple[int, int]:
        docs = self.manifest().docs.values()
        return len(docs), sum(len(e.chunk_ids) for e in docs)

    def filter_choices(self) -> tuple[list[int], list[str]]:
        docs = self.manifest().docs.values()
        years = sorted({e.year for e in docs if e.year})
        types = sorted({e.doc_type for e in docs if e.doc_type})
        return years, types


_MARKUP = re.compile(r"<[^>]*>|&[#\w]+;")
_WORD = re.compile(r"[^\W\d_]{2,}")


def has_words(question: str) -> bool:
    """True when, markup removed, the question still holds a word (two letters or more, any script)."""
    return _WORD.search(_MARKUP.sub(" ", question or "")) is not None


def filters_from(years: Sequence[Any] | None, doc_types: Sequence[str] | None) -> Filters:
    return Filters(tuple(int(y) for y in years or ()), tuple(doc_types or ()))


def server_name() -> str:
    """Loopback unless GRADIO_SERVER_NAME says otherwise (with a users file, 0.0.0.0 is the usual choice)."""
    return os.environ.get("GRADIO_SERVER_NAME") or "127.0.0.1"


def write_draft_files(workdir: Path, question: str, markdown: str, keep_s: float = 86400) -> tuple[Path, Path]:
    """The draft as .md and .txt for download, in a folder named by its content; day-old folders go."""
    from assistant.answer.draft import to_plain_text

    digest = hashlib.sha256(f"{question}\0{markdown}".encode()).hexdigest()[:20]
    folder = workdir / digest
    folder.mkdir(parents=True, exist_ok=True)
    md, txt = folder / download_name(question, ".md"), folder / download_name(question, ".txt")
    md.write_text(markdown, encoding="utf-8")
    txt.write_text(to_plain_text(markdown), encoding="utf-8")
    cutoff = time.time() - keep_s
    for old in workdir.iterdir():
        if old != folder and old.is_dir() and old.stat().st_mtime < cutoff:
            shutil.rmtree(old, ignore_errors=True)
    return md, txt


def download_name(question: str, suffix: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", question.lower()).strip("-")[:50].strip("-") or "jawaban"
    return f"draf-{slug}{suffix}"
