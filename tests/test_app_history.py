"""Conversation history in real SQLite: it survives a new store on the same file, stays per user, and can be
renamed and deleted."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.history import MAX_TITLE_CHARS, HistoryError, HistoryStore, history_path
from assistant.types import Turn

MESSAGES = [{"role": "user", "content": "Berapa dana?"}, {"role": "assistant", "content": "<b>Rp150 juta</b> [1]"}]
TURNS = [Turn("Berapa dana?", "Berapa dana perumusan?", "Rp150 juta [1]")]


def test_a_conversation_survives_a_restart_and_reopens_as_it_was(tmp_path: Path) -> None:
    path = history_path(tmp_path)
    HistoryStore(path).save("c1", "ani", MESSAGES, TURNS)
    again = HistoryStore(path)  # a new process on the same file
    [summary] = again.list("ani")
    assert (summary.id, summary.title) == ("c1", "Berapa dana?")
    opened = again.load("c1", "ani")
    assert list(opened.messages) == MESSAGES and list(opened.turns) == TURNS


def test_saving_again_replaces_the_messages_and_keeps_the_title(tmp_path: Path) -> None:
    store = HistoryStore(history_path(tmp_path))
    store.save("c1", "ani", MESSAGES, TURNS)
    store.rename("c1", "ani", "  Dana   perumusan ")
    more = [*TURNS, Turn("Kalau honor?", "Honor dana perumusan?", "30% [1]")]
    store.save("c1", "ani", [*MESSAGES, *MESSAGES], more)
    opened = store.load("c1", "ani")
    assert opened.title == "Dana perumusan" and len(opened.messages) == 4 and len(opened.turns) == 2


def test_each_user_sees_and_changes_only_their_own(tmp_path: Path) -> None:
    store = HistoryStore(history_path(tmp_path))
    store.save("c1", "ani", MESSAGES, TURNS)
    store.save("c2", "budi", MESSAGES, TURNS)
    assert [s.id for s in store.list("ani")] == ["c1"]
    for action in (lambda: store.load("c2", "ani"), lambda: store.delete("c2", "ani")):
        with pytest.raises(HistoryError, match="'c2'"):
            action()
    with pytest.raises(HistoryError, match="another user"):
        store.save("c2", "ani", MESSAGES, TURNS)
    store.delete("c1", "ani")
    assert store.list("ani") == [] and [s.id for s in store.list("budi")] == ["c2"]


def test_titles_are_cut_and_an_empty_name_is_refused(tmp_path: Path) -> None:
    store = HistoryStore(history_path(tmp_path))
    long_question = "dana " * 60
    store.save("c1", "ani", MESSAGES, [Turn(long_question, long_question, "-")])
    title = store.list("ani")[0].title
    assert len(title) <= MAX_TITLE_CHARS + 2 and title.endswith(" …")
    with pytest.raises(HistoryError, match="empty"):
        store.rename("c1", "ani", "   ")
