"""Feedback in SQLite: one row per answer and session, updates keep the comment, export as eval drafts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from assistant.feedback import FeedbackError, FeedbackStore, export_drafts, feedback_path
from assistant.types import Answer, Citation
from assistant.yaml_io import load_yaml

ROOT = Path(__file__).resolve().parents[1]


def cite(n: int, doc_id: str) -> Citation:
    return Citation(n, doc_id, "Judul", "BAB I", 1, 2018, "kutipan", f"{doc_id}#1", "berlaku")


def answer(question: str = "Berapa dana perumusan?", lang: str = "id", **kw: object) -> Answer:
    values = (
        dict(
            text="Dana paling banyak Rp150 juta [1] [2] [3].",
            refused=False,
            citations=(cite(1, "panduan"), cite(2, "contoh"), cite(3, "panduan")),
            hits=(),
            mode="extractive",
            lang=lang,
            resolved_question=question,
        )
        | kw
    )
    return Answer(question=question, **values)  # type: ignore[arg-type]


@pytest.fixture
def store(tmp_path: Path) -> FeedbackStore:
    return FeedbackStore(feedback_path(tmp_path / "var"))


def test_rating_again_updates_the_row_and_keeps_the_comment(store: FeedbackStore) -> None:
    first = store.record(answer(), "down", session="s1", turn=0, comment="angka salah", user="budi")
    again = store.record(answer(), "up", session="s1", turn=0)
    other = store.record(answer(), "down", session="s2", turn=0)
    assert first == again != other
    rows = store.records()
    assert [(r.session, r.rating, r.comment) for r in rows] == [("s1", "up", "angka salah"), ("s2", "down", "")]
    assert rows[0].cited_docs == ["panduan", "contoh"]
    assert rows[0].citations[1]["doc_id"] == "contoh" and rows[0].mode == "extractive"
    assert [r.session for r in store.records(rating="down")] == ["s2"]


def test_bad_rating_is_refused(store: FeedbackStore) -> None:
    with pytest.raises(FeedbackError, match="'meh' must be one of up, down"):
        store.record(answer(), "meh", session="s", turn=0)


def test_unwritable_folder_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(FeedbackError, match="KLASINOV_DATA_DIR is writable"):
        FeedbackStore(blocker / "feedback.sqlite")


def test_export_is_the_eval_question_format_with_comments(store: FeedbackStore) -> None:
    store.record(answer(), "down", session="s", turn=0, comment="kurang lengkap\nbaris dua", user="budi")
    store.record(
        answer("What is the deadline?", "en", refused=True, citations=(), text="Sorry."), "down", session="s", turn=1
    )
    text = export_drafts(store.records(rating="down"))
    items = load_yaml(text, "export")
    assert items == [
        {
            "id": "feedback-1",
            "question": "Berapa dana perumusan?",
            "lang": "id",
            "category": "feedback",
            "answerable": True,
            "expected_docs": ["panduan", "contoh"],
            "must_contain": [],
        },
        {
            "id": "feedback-2",
            "question": "What is the deadline?",
            "lang": "en",
            "category": "feedback",
            "answerable": True,
            "expected_docs": [],
            "must_contain": [],
        },
    ]
    assert "# comment: kurang lengkap\n#   baris dua" in text
    assert "# answer given: Dana paling banyak Rp150 juta [1] [2] [3]." in text
    assert "# answer given (refused): Sorry." in text


def test_export_of_nothing_is_an_empty_list() -> None:
    assert load_yaml(export_drafts([]), "export") == []


def test_cli_export_writes_only_disliked_answers(tmp_path: Path) -> None:
    data = tmp_path / "var"
    store = FeedbackStore(feedback_path(data))
    store.record(answer("Disukai?"), "up", session="s", turn=0)
    store.record(answer("Tidak disukai?"), "down", session="s", turn=1)
    out = tmp_path / "drafts.yaml"
    env = {"PATH": "/usr/bin:/bin", "KLASINOV_DATA_DIR": str(data), "KLASINOV_CORPUS_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "assistant", "feedback", "export", "--out", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "1 disliked answers written" in done.stderr
    assert [q["question"] for q in load_yaml(out.read_text(encoding="utf-8"), "export")] == ["Tidak disukai?"]
