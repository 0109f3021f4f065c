"""The question-file loader: YAML and JSON Lines, and errors that name the question and the field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from assistant.yaml_io import dump_yaml
from eval.dataset import DatasetError, load_questions

GOOD: list[dict[str, Any]] = [
    {
        "id": "dana-1",
        "question": "Berapa   dana perumusan?",
        "lang": "id",
        "category": "funding",
        "answerable": True,
        "expected_docs": ["aturan"],
        "expected_sections": ["Besaran Dana"],
        "must_contain": ["Rp150 juta", ["delapan bulan", "8 bulan"], {"regex": "per\\s+klaster"}, 2018],
    },
    {
        "id": "dana-2",
        "question": "and the deadline?",
        "lang": "en",
        "category": "timeline",
        "answerable": True,
        "expected_docs": ["aturan"],
        "follow_up_of": "dana-1",
    },
    {"id": "none-1", "question": "Gaji pegawai?", "lang": "id", "category": "x", "answerable": False},
]


def write_yaml(tmp_path: Path, records: Any, name: str = "q.yaml") -> Path:
    path = tmp_path / name
    path.write_text(dump_yaml(records), encoding="utf-8")
    return path


def with_change(index: int, **change: Any) -> list[dict[str, Any]]:
    records = [dict(r) for r in GOOD]
    records[index] |= change
    return [{k: v for k, v in r.items() if v is not None} for r in records]


def test_yaml_list_mapping_and_jsonl_load_the_same_questions(tmp_path: Path) -> None:
    from_list = load_questions(write_yaml(tmp_path, GOOD))
    from_mapping = load_questions(write_yaml(tmp_path, {"questions": GOOD}, "m.yml"))
    jsonl = tmp_path / "q.jsonl"
    jsonl.write_text("\n".join(json.dumps(r) for r in GOOD) + "\n\n", encoding="utf-8")
    assert from_list == from_mapping == load_questions(jsonl)
    first = from_list[0]
    assert first.question == "Berapa dana perumusan?" and first.expected_sections == ("Besaran Dana",)
    assert [f.label for f in first.must_contain] == [
        "Rp150 juta",
        "delapan bulan | 8 bulan",
        "/per\\s+klaster/",
        "2018",
    ]
    assert from_list[1].follow_up_of == "dana-1" and from_list[2].expected_docs == ()


@pytest.mark.parametrize(
    ("index", "change", "expected"),
    [
        (0, {"lang": "ind"}, "question 'dana-1' field 'lang': 'ind' is not one of id, en"),
        (1, {"answerable": "yes"}, "question 'dana-2' field 'answerable'"),
        (0, {"expected_docs": []}, "question 'dana-1' field 'expected_docs'"),
        (0, {"must_contain": ["ok", {"regex": "(unclosed"}]}, "question 'dana-1' field 'must_contain[1]': regex"),
        (0, {"must_contain": [{"pattern": "x"}]}, "question 'dana-1' field 'must_contain[0]'"),
        (0, {"must_contain": [[]]}, "question 'dana-1' field 'must_contain[0]'"),
        (1, {"follow_up_of": "nope"}, "question 'dana-2' field 'follow_up_of': 'nope' is not the id"),
        (2, {"id": "dana-1"}, "question 'dana-1' (entry 3) field 'id': duplicate of entry 1"),
        (2, {"expected_doc": ["x"]}, "question 'none-1' field 'expected_doc': unknown field"),
        (2, {"question": ""}, "question 'none-1' field 'question'"),
        (2, {"category": None}, "question 'none-1' field 'category': missing"),
        (1, {"id": 7}, "entry 2 field 'id'"),
    ],
)
def test_each_bad_field_is_named_with_its_question(tmp_path: Path, index: int, change: dict, expected: str) -> None:
    with pytest.raises(DatasetError) as caught:
        load_questions(write_yaml(tmp_path, with_change(index, **change)))
    assert expected in str(caught.value)
    assert str(tmp_path / "q.yaml") in str(caught.value)


def test_follow_up_must_come_after_its_first_turn(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="'dana-2' field 'follow_up_of'"):
        load_questions(write_yaml(tmp_path, [GOOD[1], GOOD[0]]))


def test_file_level_problems(tmp_path: Path) -> None:
    bad_json = tmp_path / "q.jsonl"
    bad_json.write_text(json.dumps(GOOD[0]) + "\n{not json\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="line 2 is not valid JSON"):
        load_questions(bad_json)
    with pytest.raises(DatasetError, match="does not exist"):
        load_questions(tmp_path / "missing.yaml")
    with pytest.raises(DatasetError, match=r"unknown extension '\.csv'"):
        load_questions(write_yaml(tmp_path, GOOD, "q.csv"))
    broken = tmp_path / "broken.yaml"
    broken.write_text("- id: a\n  question: [unclosed\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="not valid YAML at line"):
        load_questions(broken)
    with pytest.raises(DatasetError, match="expected a list of questions"):
        load_questions(write_yaml(tmp_path, {"id": "a"}))


def test_cli_reports_a_bad_question_file_with_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from eval.__main__ import main

    path = write_yaml(tmp_path, with_change(0, lang="fr"))
    assert main(["run", "--questions", str(path), "--out", str(tmp_path / "out")]) == 2
    assert "question 'dana-1' field 'lang': 'fr'" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_shipped_questions_cover_the_brief_and_match_the_corpus() -> None:
    """The gold set's size and mix, and every expected document, section and fact exists in the shipped corpus
    (a renamed heading or an edited rule shows up here, naming the question to update)."""
    from collections import Counter

    from assistant.ingest.loader import discover, load_document
    from assistant.ingest.sections import split_sections

    repo = Path(__file__).resolve().parents[1]
    questions = load_questions(repo / "eval" / "questions.yaml")
    langs = Counter(q.lang for q in questions)
    assert len(questions) >= 120 and langs["en"] >= 30
    assert sum(not q.answerable for q in questions) >= 15 and sum(bool(q.follow_up_of) for q in questions) >= 10
    expected_categories = {"eligibility", "funding", "cost-components", "proposal", "master-plan", "selection",
                           "timeline", "obligations", "definitions", "history"}  # fmt: skip
    assert expected_categories <= {q.category for q in questions}

    files, problems = discover(repo / "corpus")
    assert not problems
    texts: dict[str, str] = {}
    sections: dict[str, list[str]] = {}
    for file in files:
        doc = load_document(file)
        texts[doc.meta.doc_id] = "\n".join(page.text for page in doc.pages)
        sections[doc.meta.doc_id] = [" > ".join(s.path).lower() for s in split_sections(doc)]
    wrong = []
    for q in questions:
        wrong += [f"{q.id}: unknown document {d!r}" for d in q.expected_docs if d not in texts]
        docs = [d for d in q.expected_docs if d in texts]
        wrong += [
            f"{q.id}: no expected document states {fact.label!r}"
            for fact in q.must_contain
            if not any(fact.found_in(texts[d]) for d in docs)
        ]
        wrong += [
            f"{q.id}: no section of {', '.join(docs)} contains {s!r}"
            for s in q.expected_sections
            if not any(s.lower() in section for d in docs for section in sections[d])
        ]
    assert not wrong, "eval/questions.yaml no longer matches corpus/:\n" + "\n".join(wrong)
