"""Frozen records of the draft check: requirements read from the corpus, the draft's parts, the checklist."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assistant.errors import AssistantError

KINDS = ("proposal", "master-plan")
ADA, KURANG, TIDAK_ADA = "ada", "kurang", "tidak ada"
SAMPLE_NOTE = "contoh — bukan ketentuan resmi"


class DraftError(AssistantError):
    """The uploaded draft cannot be checked (empty, scanned, encrypted, wrong type, too long)."""


class RequirementsError(AssistantError):
    """The indexed corpus holds no section that states the required structure."""


@dataclass(frozen=True)
class Source:
    """The corpus section a requirement comes from."""

    doc_id: str
    title: str
    section: str
    page: int | None
    year: int | None
    status: str

    def to_json(self, n: int) -> dict[str, Any]:
        data: dict[str, Any] = {
            "n": n,
            "doc_id": self.doc_id,
            "title": self.title,
            "section": self.section,
            "page": self.page,
            "year": self.year,
            "status": self.status,
        }
        if self.status == "contoh":
            data["note"] = SAMPLE_NOTE
        return data


@dataclass(frozen=True)
class Limit:
    """A numeric rule: ``value`` ``unit`` at most (``op`` "max") or at least ("min"); ``subject`` names what."""

    subject: str
    op: str  # max | min
    value: float
    unit: str  # halaman | kata | %
    rule_text: str


@dataclass(frozen=True)
class Requirement:
    """One required part (``group`` "bagian" or "lampiran") or a numeric limit (``group`` "batas")."""

    name: str  # short name, e.g. "Pendahuluan"
    text: str  # the whole item as the rule states it
    group: str
    source: Source
    limits: tuple[Limit, ...] = ()

    @property
    def label(self) -> str:
        return self.text if self.group == "batas" else self.name


@dataclass(frozen=True)
class DraftPart:
    """A heading of the draft and the text under it; ``page`` is 1-based or None (DOCX, Markdown, text)."""

    heading: str
    text: str
    page: int | None
    level: int = 1

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass(frozen=True)
class BudgetRow:
    component: str
    amount: float


@dataclass(frozen=True)
class Draft:
    file: str
    kind: str  # pdf | docx | markdown | text
    parts: tuple[DraftPart, ...]
    pages: int | None
    budget: tuple[BudgetRow, ...] = ()


@dataclass(frozen=True)
class CheckItem:
    requirement: Requirement
    status: str
    page: int | None
    heading: str | None
    evidence: str
    n: int  # citation number

    def to_json(self) -> dict[str, Any]:
        return {
            "requirement": self.requirement.label,
            "status": self.status,
            "found_at": {"page": self.page, "heading": self.heading},
            "evidence": self.evidence,
            "citation": self.requirement.source.to_json(self.n),
        }


@dataclass(frozen=True)
class CheckResult:
    file: str
    kind: str
    items: tuple[CheckItem, ...]
    seconds: float = 0.0
    notes: tuple[str, ...] = field(default=())

    @property
    def summary(self) -> dict[str, int]:
        count = {s: sum(1 for i in self.items if i.status == s) for s in (ADA, KURANG, TIDAK_ADA)}
        return {"ada": count[ADA], "kurang": count[KURANG], "tidak_ada": count[TIDAK_ADA]}

    def to_json(self) -> dict[str, Any]:
        """The ``check --json`` contract."""
        return {
            "file": self.file,
            "kind": self.kind,
            "items": [i.to_json() for i in self.items],
            "summary": self.summary,
        }
