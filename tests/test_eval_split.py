"""Calibration and holdout: the split field, several question files, and the stratified assignment."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from assistant.yaml_io import dump_yaml
from eval.dataset import DatasetError, load_question_files, load_questions, select_split
from eval.split import assign_splits, write_splits

ROOT = Path(__file__).resolve().parents[1]


def record(qid: str, **extra: Any) -> dict[str, Any]:
    base = {
        "id": qid,
        "question": f"Pertanyaan {qid}?",
        "lang": "id",
        "category": "funding",
        "answerable": True,
        "expected_docs": ["aturan"],
    }
    return base | extra


def write(tmp_path: Path, records: list[dict[str, Any]], name: str = "q.yaml") -> Path:
    path = tmp_path / name
    path.write_text(dump_yaml({"questions": records}), encoding="utf-8")
    return path


def test_split_field_is_read_and_checked(tmp_path: Path) -> None:
    path = write(tmp_path, [record("a", split="calibration"), record("b", split="holdout")])
    assert [q.split for q in load_questions(path)] == ["calibration", "holdout"]
    bad = write(tmp_path, [record("a", split="test")], "bad.yaml")
    with pytest.raises(DatasetError, match=r"question 'a' field 'split': 'test' is not one of calibration, holdout"):
        load_questions(bad)


def test_follow_up_must_share_its_first_turns_split(tmp_path: Path) -> None:
    path = write(tmp_path, [record("a", split="calibration"), record("b", split="holdout", follow_up_of="a")])
    with pytest.raises(DatasetError, match=r"question 'b' field 'split'.*goes with its first turn"):
        load_questions(path)


def test_several_files_load_as_one_set_and_ids_stay_unique(tmp_path: Path) -> None:
    one = write(tmp_path, [record("a", split="calibration")], "one.yaml")
    two = write(tmp_path, [record("b", split="holdout")], "two.yaml")
    questions = load_question_files([one, two])
    assert [q.id for q in select_split(questions, "holdout")] == ["b"]
    assert len(select_split(questions, "all")) == 2
    clash = write(tmp_path, [record("a", split="holdout")], "three.yaml")
    with pytest.raises(DatasetError, match=r"question 'a' field 'id': already used in .*one.yaml"):
        load_question_files([one, clash])


def test_assignment_is_stratified_and_keeps_chats_together() -> None:
    records = [record(f"f{i}") for i in range(10)] + [record(f"e{i}", lang="en") for i in range(5)]
    records += [record("f0-next", follow_up_of="f0"), record("none", answerable=False, expected_docs=[])]
    from eval.dataset import validate_records

    questions = validate_records([(r["id"], r) for r in records], "test")
    splits = assign_splits(questions)
    assert splits["f0-next"] == splits["f0"]
    assert Counter(splits[f"f{i}"] for i in range(10)) == {"calibration": 6, "holdout": 4}
    assert Counter(splits[f"e{i}"] for i in range(5)) == {"calibration": 3, "holdout": 2}
    # once recorded, a split stays when questions are added
    recorded = [r | {"split": splits[r["id"]]} for r in records]
    more = validate_records([(r["id"], r) for r in [*recorded, record("f10")]], "test")
    again = assign_splits(more)
    assert {k: again[k] for k in splits} == splits


def test_write_splits_keeps_comments_and_existing_splits(tmp_path: Path) -> None:
    path = tmp_path / "q.yaml"
    path.write_text(
        "# gold questions\nquestions:\n  - id: a\n    split: holdout\n    question: Satu?\n    lang: id\n"
        "    category: x\n    answerable: false\n  - id: b\n    question: Dua?\n    lang: id\n    category: x\n"
        "    answerable: false\n",
        encoding="utf-8",
    )
    write_splits(path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# gold questions\n")
    assert load_questions(path)[0].split == "holdout"
    assert all(q.split in ("calibration", "holdout") for q in load_questions(path))


def test_shipped_questions_all_have_a_split_in_every_language_and_answerability() -> None:
    questions = load_questions(ROOT / "eval" / "questions.yaml")
    assert all(q.split for q in questions)
    holdout = select_split(questions, "holdout")
    assert {q.lang for q in holdout} == {"id", "en"}
    assert {q.answerable for q in holdout} == {True, False}
    assert 0.3 <= len(holdout) / len(questions) <= 0.5
