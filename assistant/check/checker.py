"""The draft check from end to end: requirements from the index, the draft's parts, one status per requirement."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from assistant.check.draft import MAX_PAGES, read_draft
from assistant.check.limits import applicable, check_limit
from assistant.check.match import Finding, Matcher
from assistant.check.requirements import RequirementReader
from assistant.check.types import CheckItem, CheckResult, Draft, Requirement, Source


class Checker:
    def __init__(self, reader: RequirementReader, matcher: Matcher, max_pages: int = MAX_PAGES) -> None:
        self.reader = reader
        self.matcher = matcher
        self.max_pages = max_pages
        self._cache: dict[str, tuple[Requirement, ...]] = {}

    def requirements(self, kind: str) -> tuple[Requirement, ...]:
        if kind not in self._cache:
            self._cache[kind] = self.reader.read(kind)
        return self._cache[kind]

    def check(self, path: Path, kind: str, shown: str | None = None) -> CheckResult:
        started = time.perf_counter()
        draft = read_draft(path, shown, self.max_pages)
        return self.check_draft(draft, kind, started)

    def check_draft(self, draft: Draft, kind: str, started: float | None = None) -> CheckResult:
        started = time.perf_counter() if started is None else started
        required = self.requirements(kind)
        parts = [r for r in required if r.group != "batas"]
        limits = [r for r in required if r.group == "batas" and applicable(r, draft)]
        findings = self.matcher.match(parts, draft) + [check_limit(r, draft) for r in limits]
        items = _items([*parts, *limits], findings)
        return CheckResult(draft.file, kind, tuple(items), time.perf_counter() - started)


def _items(requirements: Sequence[Requirement], findings: Sequence[Finding]) -> list[CheckItem]:
    numbers: dict[Source, int] = {}
    items = []
    for requirement, finding in zip(requirements, findings, strict=True):
        n = numbers.setdefault(requirement.source, len(numbers) + 1)
        part = finding.part
        items.append(
            CheckItem(
                requirement,
                finding.status,
                part.page if part else None,
                (part.heading or "(awal dokumen)") if part else None,
                finding.evidence,
                n,
            )
        )
    return items
