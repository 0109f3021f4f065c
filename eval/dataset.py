"""The gold question file (YAML or JSON Lines, chosen by extension): loading and validation.

Every problem is reported with the question id (or its position) and the field, e.g.
``eval/questions.yaml: question 'dana-03' field 'lang': 'ind' is not one of id, en``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.yaml_io import YamlProblem, load_yaml
from eval.normalize import contains_phrase, matches_regex

LANGS = ("id", "en")
FIELDS = (
    "id",
    "question",
    "lang",
    "category",
    "answerable",
    "expected_docs",
    "expected_sections",
    "must_contain",
    "follow_up_of",
    "notes",
    "split",
)
SPLITS = ("calibration", "holdout")
REQUIRED = ("id", "question", "lang", "category", "answerable")


class DatasetError(ValueError):
    """The question file cannot be used; the message names the file, the question and the field."""


@dataclass(frozen=True)
class Fact:
    """One expected fact: any of ``alternatives`` (normalised phrase match) or ``regex`` (case-insensitive)."""

    alternatives: tuple[str, ...] = ()
    regex: str | None = None

    @property
    def label(self) -> str:
        if self.regex is not None:
            return f"/{self.regex}/"
        return " | ".join(self.alternatives)

    def found_in(self, text: str) -> bool:
        if self.regex is not None:
            return matches_regex(text, self.regex)
        return any(contains_phrase(text, alt) for alt in self.alternatives)

    def to_json(self) -> Any:
        if self.regex is not None:
            return {"regex": self.regex}
        return self.alternatives[0] if len(self.alternatives) == 1 else list(self.alternatives)


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    lang: str
    category: str
    answerable: bool
    expected_docs: tuple[str, ...] = ()
    expected_sections: tuple[str, ...] = ()
    must_contain: tuple[Fact, ...] = ()
    follow_up_of: str | None = None
    notes: str = ""
    split: str | None = None  # calibration (rules are fitted on it) or holdout (only graded); None: not assigned


def load_questions(path: Path) -> list[Question]:
    """Read and validate a question file; raises DatasetError naming the question and field at fault."""
    if not path.is_file():
        raise DatasetError(f"question file {path} does not exist; pass --questions FILE (.yaml or .jsonl)")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise DatasetError(f"question file {path} cannot be read ({e}); save it as UTF-8 text") from e
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        records = _yaml_records(text, path)
    elif suffix in (".jsonl", ".ndjson"):
        records = _jsonl_records(text, path)
    else:
        raise DatasetError(f"question file {path}: unknown extension {suffix!r}; use .yaml, .yml or .jsonl")
    return validate_records(records, str(path))


def _yaml_records(text: str, path: Path) -> list[tuple[str, Any]]:
    try:
        data = load_yaml(text, str(path))
    except YamlProblem as e:
        raise DatasetError(f"{e}; fix the YAML syntax") from e
    if isinstance(data, dict) and "questions" in data:
        data = data["questions"]
    if not isinstance(data, list):
        raise DatasetError(
            f"{path}: expected a list of questions (or a mapping with a 'questions:' list), got {type(data).__name__}"
        )
    return [(f"entry {i}", item) for i, item in enumerate(data, start=1)]


def _jsonl_records(text: str, path: Path) -> list[tuple[str, Any]]:
    records = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append((f"line {number}", json.loads(line)))
        except json.JSONDecodeError as e:
            raise DatasetError(
                f"{path}: line {number} is not valid JSON ({e.msg}); one question object per line"
            ) from e
    return records


def validate_records(records: list[tuple[str, Any]], source: str) -> list[Question]:
    questions: list[Question] = []
    seen: dict[str, str] = {}
    for where, record in records:
        question = _question(record, where, source)
        if question.id in seen:
            raise DatasetError(
                f"{source}: question {question.id!r} ({where}) field 'id': duplicate of {seen[question.id]}; "
                "give every question its own id"
            )
        if question.follow_up_of is not None and question.follow_up_of not in seen:
            raise DatasetError(
                f"{source}: question {question.id!r} field 'follow_up_of': {question.follow_up_of!r} is not the id "
                "of an earlier question; put the first turn before its follow-up"
            )
        if question.follow_up_of is not None:
            first = next(q for q in questions if q.id == question.follow_up_of)
            if first.split != question.split:
                raise DatasetError(
                    f"{source}: question {question.id!r} field 'split': {question.split!r} differs from its first "
                    f"turn {first.id!r} ({first.split!r}); a follow-up goes with its first turn"
                )
        seen[question.id] = where
        questions.append(question)
    if not questions:
        raise DatasetError(f"{source}: the file holds no questions")
    return questions


def _question(record: Any, where: str, source: str) -> Question:
    if not isinstance(record, dict):
        raise DatasetError(f"{source}: {where} must be a mapping of fields, got {type(record).__name__}")
    qid = record.get("id")
    label = f"question {qid!r}" if isinstance(qid, str) and qid.strip() else where

    def fail(field: str, problem: str) -> DatasetError:
        return DatasetError(f"{source}: {label} field {field!r}: {problem}")

    unknown = sorted(set(record) - set(FIELDS))
    if unknown:
        raise fail(unknown[0], f"unknown field; allowed fields are {', '.join(FIELDS)}")
    for name in REQUIRED:
        if name not in record or record[name] is None:
            raise fail(name, "missing; every question needs " + ", ".join(REQUIRED))
    for name in ("id", "question", "category"):
        if not isinstance(record[name], str) or not record[name].strip():
            raise fail(name, f"{record[name]!r} must be a non-empty string")
    if record["lang"] not in LANGS:
        raise fail("lang", f"{record['lang']!r} is not one of {', '.join(LANGS)}")
    if not isinstance(record["answerable"], bool):
        raise fail("answerable", f"{record['answerable']!r} must be true or false")
    follow = record.get("follow_up_of")
    if follow is not None and (not isinstance(follow, str) or not follow.strip()):
        raise fail("follow_up_of", f"{follow!r} must be the id of an earlier question")
    split = record.get("split")
    if split is not None and split not in SPLITS:
        raise fail("split", f"{split!r} is not one of {', '.join(SPLITS)}; run `python -m eval split` to assign one")
    docs = _strings(record.get("expected_docs"), fail, "expected_docs")
    if record["answerable"] and not docs:
        raise fail("expected_docs", "an answerable question needs at least one document id")
    return Question(
        id=record["id"].strip(),
        question=" ".join(record["question"].split()),
        lang=record["lang"],
        category=record["category"].strip(),
        answerable=record["answerable"],
        expected_docs=docs,
        expected_sections=_strings(record.get("expected_sections"), fail, "expected_sections"),
        must_contain=tuple(
            _fact(item, lambda p, i=i: fail(f"must_contain[{i}]", p))
            for i, item in enumerate(_list(record.get("must_contain"), fail, "must_contain"))
        ),
        follow_up_of=follow.strip() if follow else None,
        notes=str(record.get("notes") or ""),
        split=split,
    )


def _list(value: Any, fail: Any, field: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise fail(field, f"{value!r} must be a list")
    return value


def _strings(value: Any, fail: Any, field: str) -> tuple[str, ...]:
    items = _list(value, fail, field)
    for item in items:
        if not isinstance(item, str) or not item.strip():
            raise fail(field, f"item {item!r} must be a non-empty string")
    return tuple(item.strip() for item in items)


def _scalar(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _fact(item: Any, fail: Any) -> Fact:
    if isinstance(item, dict):
        if set(item) != {"regex"} or not isinstance(item["regex"], str) or not item["regex"]:
            raise fail(f"{item!r} must be a string, a list of alternatives or {{regex: PATTERN}}")
        try:
            re.compile(item["regex"])
        except re.error as e:
            raise fail(f"regex {item['regex']!r} does not compile ({e}); fix the pattern") from e
        return Fact(regex=item["regex"])
    if isinstance(item, list):
        alternatives = [_scalar(alt) for alt in item]
        if not alternatives or any(alt is None for alt in alternatives):
            raise fail(f"{item!r} must be a non-empty list of non-empty strings")
        return Fact(alternatives=tuple(a for a in alternatives if a))
    text = _scalar(item)
    if text is None:
        raise fail(f"{item!r} must be a string, a list of alternatives or {{regex: PATTERN}}")
    return Fact(alternatives=(text,))


def chain_of(question: Question, by_id: dict[str, Question]) -> list[Question]:
    """The earlier turns of a follow-up, oldest first (empty for a first turn)."""
    chain: list[Question] = []
    current = question
    while current.follow_up_of is not None:
        current = by_id[current.follow_up_of]
        chain.append(current)
    return list(reversed(chain))


def load_question_files(paths: Sequence[Path]) -> list[Question]:
    """Several question files as one set; an id may appear in only one of them."""
    if not paths:
        raise DatasetError("no question file given; pass --questions FILE (.yaml or .jsonl)")
    questions: list[Question] = []
    origin: dict[str, Path] = {}
    for path in paths:
        for question in load_questions(path):
            if question.id in origin:
                raise DatasetError(
                    f"{path}: question {question.id!r} field 'id': already used in {origin[question.id]}; "
                    "give every question its own id across files"
                )
            origin[question.id] = path
            questions.append(question)
    return questions


def select_split(questions: Sequence[Question], split: str) -> list[Question]:
    """The questions of one split (``all``: every question). A question without a split is in neither part."""
    if split == "all":
        return list(questions)
    if split not in SPLITS:
        raise DatasetError(f"split {split!r} is not one of all, {', '.join(SPLITS)}")
    chosen = [q for q in questions if q.split == split]
    if not chosen:
        raise DatasetError(
            f"no question has split {split!r}; assign splits with `python -m eval split --questions FILE`"
        )
    return chosen
