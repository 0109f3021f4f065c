"""The app's logic without the UI: per-session history, feedback targets, and which files may be served."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assistant.config import get_settings
from assistant.errors import AssistantError
from assistant.feedback import FeedbackStore
from assistant.ingest.manifest import DocEntry, Manifest
from assistant.types import Answer
from assistant.webapp import (
    MAX_MESSAGES,
    MAX_TURNS,
    AccessDenied,
    ChatState,
    WebApp,
    download_name,
    filters_from,
    write_draft_files,
)


def answer(n: int) -> Answer:
    return Answer(f"q{n}", f"a{n}", False, (), (), "extractive", resolved_question=f"q{n} resolved")


def entry(doc_id: str, path: str, kind: str = "pdf") -> DocEntry:
    return DocEntry(
        doc_id, path, "h", ("c1", "c2"), doc_id.title(), 2019, "panduan", "berlaku", kind, "2026-01-01T00:00:00+00:00"
    )


@pytest.fixture
def web(tmp_path: Path) -> WebApp:
    settings = get_settings(corpus_dir=tmp_path / "corpus", data_dir=tmp_path / "var", users_file=None)
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "panduan.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "corpus" / "catatan.md").write_text("# Catatan", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("rahasia", encoding="utf-8")
    manifest = Manifest(settings.index_dir / "manifest.json", settings.embedder)
    for e in (
        entry("panduan", "panduan.pdf"),
        entry("catatan", "catatan.md", "markdown"),
        entry("keluar", "../secret.txt", "text"),
        entry("hilang", "hilang.pdf"),
    ):
        manifest.docs[e.doc_id] = e
    manifest.save()
    # Only the document, feedback and access methods run here; no model or store is needed.
    return WebApp(settings, assistant=None, embedder=None, feedback=FeedbackStore(tmp_path / "fb.sqlite"))  # type: ignore[arg-type]


def test_history_keeps_the_last_turns_and_follows_the_session() -> None:
    chat, other = ChatState(), ChatState()
    for n in range(MAX_TURNS + 5):
        assert chat.remember(answer(n)) == n
    assert len(chat.history) == MAX_TURNS and chat.history[-1].resolved_question == f"q{MAX_TURNS + 4} resolved"
    assert min(chat.answers) == 5 and chat.last_turn == MAX_TURNS + 4
    assert other.history == [] and other.session_id != chat.session_id


def test_the_chat_keeps_only_exchanges_that_can_still_be_rated() -> None:
    chat = ChatState()
    for n in range(MAX_TURNS + 3):
        chat.add_exchange({"role": "user", "content": f"q{n}"}, {"role": "assistant", "content": "..."})
        chat.message_turn[len(chat.messages) - 1] = chat.remember(answer(n))
    assert len(chat.messages) == MAX_MESSAGES and chat.messages[0]["content"] == "q3"
    assert chat.message_turn[1] == 3 and chat.message_turn[MAX_MESSAGES - 1] == MAX_TURNS + 2
    assert set(chat.message_turn.values()) == set(chat.answers)


def test_feedback_goes_to_the_latest_answer_unless_one_is_named(web: WebApp) -> None:
    chat = ChatState()
    with pytest.raises(AssistantError, match="no longer in this conversation"):
        web.record_feedback(chat, None, "down", "", None)
    chat.remember(answer(0))
    chat.remember(answer(1))
    assert web.record_feedback(chat, None, "down", "x", "budi")[1] == 1
    assert web.record_feedback(chat, 0, "up", "", "budi")[1] == 0
    assert [(r.turn, r.question) for r in web.feedback.records()] == [(1, "q1"), (0, "q0")]


def test_only_indexed_files_inside_the_corpus_are_served(web: WebApp) -> None:
    path, media = web.document_file("panduan")
    assert path.name == "panduan.pdf" and media == "application/pdf"
    assert web.document_file("catatan")[1] == "text/plain; charset=utf-8"
    assert web.document_file("keluar") is None  # a manifest path that leaves the corpus folder
    assert web.document_file("hilang") is None and web.document_file("../panduan") is None
    assert web.doc_kinds() == {"panduan": "pdf", "catatan": "markdown", "keluar": "text", "hilang": "pdf"}
    assert web.index_summary() == (4, 8) and web.filter_choices() == ([2019], ["panduan"])


def test_single_user_mode_may_do_everything_and_staff_may_not_administer(web: WebApp) -> None:
    assert web.role(None) == "admin"
    web.require_admin(None, "upload documents")
    web.users = type("Users", (), {"role": lambda self, name: {"sari": "admin", "budi": "staff"}.get(name or "")})()
    web.require_admin("sari", "upload documents")
    with pytest.raises(AccessDenied, match="only an admin may upload documents; budi"):
        web.require_admin("budi", "upload documents")


def test_small_helpers() -> None:
    assert filters_from(["2018", 2019], ["kak"]).years == (2018, 2019)
    assert filters_from(None, None).empty
    assert download_name("Berapa dana <b>perumusan</b>?", ".md") == "draf-berapa-dana-b-perumusan-b.md"
    assert download_name("???", ".txt") == "draf-jawaban.txt"


def test_draft_files_are_markdown_and_plain_text_and_old_ones_are_swept(tmp_path: Path) -> None:
    stale = tmp_path / "old"
    stale.mkdir()
    os.utime(stale, (0, 0))
    md, txt = write_draft_files(tmp_path, "Siapa pengusul?", "Yth.\n\n_Catatan: cek._\n")
    assert md.name == "draf-siapa-pengusul.md" and md.read_text(encoding="utf-8") == "Yth.\n\n_Catatan: cek._\n"
    assert txt.read_text(encoding="utf-8") == "Yth.\n\nCatatan: cek.\n"
    assert write_draft_files(tmp_path, "Siapa pengusul?", "Yth.\n\n_Catatan: cek._\n") == (md, txt)
    assert not stale.exists()


def test_a_question_needs_a_word_once_markup_is_removed() -> None:
    from assistant.webapp import has_words

    assert not has_words("<img src=x onerror=alert(1)>")
    assert not has_words("<script></script> 2019 ??? &amp; 1.")
    assert has_words("<b>dana</b>?") and has_words("Ada dana? 2019") and has_words("资金")
