"""Matching the draft's parts to the requirements: its own headings first, then content similarity (the same
embedder as the index), then terms; then the numeric limits against the page count and the budget table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from assistant.check.text import coverage, snippet, terms
from assistant.check.types import ADA, KURANG, TIDAK_ADA, Draft, DraftPart, Limit, Requirement
from assistant.index.embedders import Embedder

COVER_WORDS = frozenset({"sampul", "cover"})  # the cover has no heading: it is the text before the first one


@dataclass(frozen=True)
class MatchSettings:
    """How sure a match must be. Heading coverage is the share of the requirement's name words in a heading;
    content similarity is the cosine of e5 vectors, accepted only for the part that is the requirement's best and
    whose best requirement it is, with some of its words present."""

    heading_coverage: float = 0.6
    content_similarity: float = 0.80
    content_terms: float = 0.25
    merged_terms: float = 0.6
    merged_name: float = 0.5
    min_words: int = 15
    part_chars: int = 1200


@dataclass(frozen=True)
class Finding:
    status: str
    part: DraftPart | None
    evidence: str


def _words(part: DraftPart) -> frozenset[str]:
    return terms(part.heading)


def _fit(name: frozenset[str], heading: frozenset[str]) -> float:
    """Both ways: the share of the name in the heading and of the heading in the name."""
    return (coverage(name, heading) + coverage(heading, name)) / 2


class Matcher:
    """``rules`` embeds requirement texts (the cached embedder: they are corpus text); ``drafts`` embeds the
    draft's parts (the bare model: a draft is never written to the vector cache)."""

    def __init__(self, rules: Embedder, drafts: Embedder, settings: MatchSettings | None = None) -> None:
        self.rules = rules
        self.drafts = drafts
        self.settings = settings or MatchSettings()

    def match(self, requirements: Sequence[Requirement], draft: Draft) -> list[Finding]:
        parts = list(draft.parts)
        by_heading = {i: self._by_heading(r, parts, requirements) for i, r in enumerate(requirements)}
        claimed = {id(p) for p in by_heading.values() if p is not None}
        cover = [i for i, r in enumerate(requirements) if terms(r.name) & COVER_WORDS]
        for i in cover:  # the cover is the draft's first part, unless that part is another requirement's
            by_heading[i] = parts[0] if parts and id(parts[0]) not in claimed else None
        free = _free_parts(parts, claimed)
        owners: dict[int, frozenset[str]] = {}  # a taken part -> the name words of the requirements that took it
        for i, p in by_heading.items():
            if p is not None:
                owners[id(p)] = owners.get(id(p), frozenset()) | terms(requirements[i].name)
        missing = [i for i, p in by_heading.items() if p is None]
        by_content = self._by_content([requirements[i] for i in missing], parts, owners, free - set(owners))
        findings = []
        for i, requirement in enumerate(requirements):
            part = by_heading[i]
            if part is not None:
                where = f"di bawah judul “{part.heading or 'awal dokumen'}”"
                findings.append(self._judge(requirement, part, where, short_ok=i in cover))
            elif (hit := by_content.get(requirement.name)) is not None:
                part, similarity = hit
                how = f"di bawah judul lain “{part.heading}” (kemiripan isi {similarity:.2f})"
                findings.append(self._judge(requirement, part, how))
            else:
                findings.append(Finding(TIDAK_ADA, None, _missing_note(requirement)))
        return findings

    def _by_heading(
        self, requirement: Requirement, parts: list[DraftPart], rivals: Sequence[Requirement]
    ) -> DraftPart | None:
        """The heading carrying most of the requirement's name. A heading that carries only part of the name
        goes to the requirement it fits best ("Surat komitmen bupati" is not "Surat komitmen gubernur"); one that
        carries whole names may serve several (merged chapters)."""
        wanted = terms(requirement.name)
        if wanted & COVER_WORDS:
            return None
        need = self.settings.heading_coverage if len(wanted) > 1 else 1.0
        good = []
        for part in parts:
            have = _words(part)
            score = coverage(wanted, have)
            if not part.heading or score < need:
                continue
            if score < 1.0 and any(_fit(terms(r.name), have) > _fit(wanted, have) for r in rivals):
                continue
            good.append((score, part))
        if not good:
            return None
        return max(good, key=lambda pair: (pair[0], -pair[1].level, pair[1].words))[1]

    def _by_content(
        self, requirements: list[Requirement], parts: list[DraftPart], owners: dict[int, frozenset[str]], free: set[int]
    ) -> dict[str, tuple[DraftPart, float]]:
        """Mutual best pairs of (missing requirement, free part) by e5 similarity, with enough shared words.
        A part is free when no requirement's heading took it and it is not a subsection of one that did; a taken
        part may still hold a second requirement whose name its heading partly carries (merged chapters)."""
        candidates = [p for p in parts if p.heading and (id(p) in free or id(p) in owners)]
        allowed = np.array([[self._eligible(r, p, owners.get(id(p))) for p in candidates] for r in requirements])
        if not allowed.any():
            return {}
        keep = allowed.any(axis=0)
        candidates = [p for p, k in zip(candidates, keep, strict=True) if k]
        cut = self.settings.part_chars
        need = self.rules.embed_passages([r.text[:cut] for r in requirements])
        have = self.drafts.embed_passages([f"{p.heading}\n{p.text}"[:cut] for p in candidates])
        sims = np.where(allowed[:, keep], need @ have.T, -1.0)
        found = {}
        for i, requirement in enumerate(requirements):
            j = int(np.argmax(sims[i]))
            similarity = float(sims[i, j])
            if similarity >= self.settings.content_similarity and int(np.argmax(sims[:, j])) == i:
                found[requirement.name] = (candidates[j], similarity)
        return found

    def _eligible(self, requirement: Requirement, part: DraftPart, taken_by: frozenset[str] | None) -> bool:
        shared = coverage(terms(requirement.text), terms(f"{part.heading} {part.text}"))
        if taken_by is None:
            return shared >= self.settings.content_terms
        name, heading = terms(requirement.name), _words(part)
        named = coverage(name, heading) >= self.settings.merged_name
        own = (name & heading) - taken_by  # words of this name in the heading that the takers' names lack
        return named and bool(own) and shared >= self.settings.merged_terms

    def _judge(self, requirement: Requirement, part: DraftPart, where: str, short_ok: bool = False) -> Finding:
        """A cover is complete with a few words (``short_ok``); any other part needs ``min_words``."""
        words = part.words
        if words < self.settings.min_words and not short_ok:
            return Finding(KURANG, part, f"{where[:1].upper()}{where[1:]} ada, tetapi isinya hanya {words} kata")
        for limit in requirement.limits:
            if limit.unit == "kata" and not _within(limit, words):
                rule = f"{_op(limit)} {limit.value:g} kata"
                return Finding(KURANG, part, f"Ada {where}, tetapi {words} kata; aturan: {rule}")
        return Finding(ADA, part, f"Ada {where}: {snippet(part.text, 120)}")


def _free_parts(parts: list[DraftPart], claimed: set[int]) -> set[int]:
    free: set[int] = set()
    inside: int | None = None  # level of the taken part we are in
    for part in parts:
        if inside is not None and part.level > inside:
            continue
        inside = part.level if id(part) in claimed else None
        if id(part) not in claimed:
            free.add(id(part))
    return free


def _missing_note(requirement: Requirement) -> str:
    condition = requirement.text.split(":")[0] if requirement.text.lower().startswith("khusus") else ""
    note = "Tidak ditemukan: tidak ada judul maupun isi yang sesuai"
    return f"{note} (bersyarat: {condition})" if condition else note


def _within(limit: Limit, value: float) -> bool:
    return value <= limit.value if limit.op == "max" else value >= limit.value


def _op(limit: Limit) -> str:
    return "paling banyak" if limit.op == "max" else "paling sedikit"
