"""Numeric rules against the draft: the page limit against its page count, budget shares against its budget table.
A rule is checked only when the draft shows what it limits (pages of a PDF, a budget table)."""

from __future__ import annotations

from assistant.check.match import Finding
from assistant.check.text import CHAPTER, coverage, terms
from assistant.check.types import ADA, KURANG, Draft, DraftPart, Limit, Requirement

ROW_COVERAGE = 0.34  # a budget row belongs to the rule component sharing the most of its words, a third at least


def applicable(requirement: Requirement, draft: Draft) -> bool:
    units = {limit.unit for limit in requirement.limits}
    if "halaman" in units:
        return draft.pages is not None
    return "%" not in units or bool(draft.budget)


def check_limit(requirement: Requirement, draft: Draft) -> Finding:
    limit = requirement.limits[0]
    if limit.unit == "halaman":
        return _pages(limit, draft)
    return _share(requirement, limit, draft)


def content_pages(draft: Draft) -> tuple[int, DraftPart | None]:
    """Pages from the first chapter to the page before the first top-level part after the chapters."""
    parts = [p for p in draft.parts if p.page is not None]
    chapters = [i for i, p in enumerate(parts) if CHAPTER.match(p.heading)]
    if not chapters or draft.pages is None:
        return draft.pages or 0, None
    first = parts[chapters[0]]
    after = next((p for p in parts[chapters[-1] + 1 :] if p.level == 1), None)
    last = (after.page - 1) if after and after.page and after.page > (first.page or 1) else draft.pages
    return last - (first.page or 1) + 1, first


def _pages(limit: Limit, draft: Draft) -> Finding:
    count, first = content_pages(draft)
    scope = f"isi dari “{first.heading}” (hlm. {first.page})" if first else "seluruh berkas"
    rule = f"aturan: “{limit.rule_text}”"
    if _within(limit, count):
        return Finding(ADA, first, f"{count} halaman ({scope}); {rule}")
    return Finding(KURANG, first, f"{count} halaman ({scope}) melebihi batas {limit.value:g} halaman; {rule}")


def _share(requirement: Requirement, limit: Limit, draft: Draft) -> Finding:
    total = sum(row.amount for row in draft.budget)
    mine = [row for row in draft.budget if _owner(row.component, requirement) and total]
    amount = sum(row.amount for row in mine)
    share = 100 * amount / total if total else 0.0
    names = ", ".join(row.component for row in mine) or "tidak ada baris yang sesuai"
    quoted = f"RAB draf: {names} {_rupiah(amount)} dari {_rupiah(total)} = {share:.1f}%"
    rule = f"aturan: {limit.subject} {limit.rule_text}"
    status = ADA if _within(limit, share) else KURANG
    return Finding(status, None, f"{quoted}; {rule}")


def _rupiah(amount: float) -> str:
    return "Rp" + f"{amount:,.0f}".replace(",", ".")


def _owner(component: str, requirement: Requirement) -> bool:
    mine = coverage(terms(requirement.name), terms(component))
    return mine >= ROW_COVERAGE


def _within(limit: Limit, value: float) -> bool:
    return value <= limit.value + 1e-9 if limit.op == "max" else value >= limit.value - 1e-9
