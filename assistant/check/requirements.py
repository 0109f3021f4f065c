"""Requirements read from the indexed corpus: the sections that state a document's structure, found by retrieval.

Nothing here names a document or a section: a generic query per kind finds the section, and its numbered or
lettered list (or, for an outline document, its chapter headings) becomes the checklist. Replacing the rules in
the corpus and re-ingesting changes the checklist.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.check.text import CHAPTER, coverage, limits_in, list_items, sentences, strip_numbering, terms
from assistant.check.types import KINDS, Limit, Requirement, RequirementsError, Source
from assistant.retrieve import HybridRetriever
from assistant.types import Chunk

# What the rules are asked for, per kind: (group, query). The queries use the kind's own name only.
QUERIES: dict[str, tuple[tuple[str, str], ...]] = {
    "proposal": (
        ("bagian", "sistematika proposal"),
        ("lampiran", "lampiran wajib proposal"),
        ("halaman", "batas halaman isi proposal"),
        ("anggaran", "komponen biaya batas proporsi"),
    ),
    "master-plan": (
        ("bagian", "outline master plan"),
        ("halaman", "batas halaman isi master plan"),
    ),
}
KIND_WORDS = {"proposal": "proposal", "master-plan": "master plan"}
HITS = 8


@dataclass(frozen=True)
class Section:
    chunk: Chunk  # the first chunk, for its metadata
    text: str

    @property
    def heading(self) -> str:
        return self.chunk.section[-1] if self.chunk.section else self.chunk.title

    def source(self) -> Source:
        c = self.chunk
        return Source(c.doc_id, c.title, c.section_path or c.title, c.page_start, c.year, c.status)


def sections_of(chunks: Sequence[Chunk]) -> dict[tuple[str, tuple[str, ...]], Section]:
    """Whole section texts from the chunks (in order; lines repeated by chunk overlap dropped)."""
    grouped: dict[tuple[str, tuple[str, ...]], list[Chunk]] = defaultdict(list)
    for chunk in chunks:
        grouped[(chunk.doc_id, chunk.section)].append(chunk)
    result = {}
    for key, parts in grouped.items():
        parts.sort(key=lambda c: c.ordinal)
        lines: list[str] = []
        for part in parts:
            lines += [line for line in part.text.splitlines() if not line.strip() or line not in lines]
        result[key] = Section(parts[0], "\n".join(lines))
    return result


class RequirementReader:
    """Reads the checklist for a kind of document from the index through the retriever."""

    def __init__(self, retriever: HybridRetriever, chunks: Sequence[Chunk]) -> None:
        self.retriever = retriever
        self.sections = sections_of(chunks)

    def _ranked(self, query: str) -> list[Section]:
        """Retrieved sections, those whose heading or document title carries more of the query first."""
        seen: list[Section] = []
        for hit in self.retriever.search(query, HITS).hits:
            section = self.sections.get((hit.chunk.doc_id, hit.chunk.section))
            if section is not None and section not in seen:
                seen.append(section)
        wanted = terms(query)
        return sorted(seen, key=lambda s: -coverage(wanted, terms(f"{s.heading} {s.chunk.title}")))

    def read(self, kind: str) -> tuple[Requirement, ...]:
        if kind not in KINDS:
            raise RequirementsError(f"unknown kind {kind!r}; use one of {', '.join(KINDS)}")
        found: list[Requirement] = []
        for group, query in QUERIES[kind]:
            ranked = self._ranked(query)
            if group in ("bagian", "lampiran"):
                found += self._items(ranked[:3], group)
            elif group == "halaman":
                found += self._page_limit(ranked, KIND_WORDS[kind])
            else:
                found += self._budget_limits(ranked)
        if not any(r.group == "bagian" for r in found):
            raise RequirementsError(
                f"no section of the index states the structure of a {kind} (asked: {QUERIES[kind][0][1]!r}); "
                "add the guide that states it to the corpus and run `python -m assistant ingest`"
            )
        return tuple(found)

    def _items(self, ranked: list[Section], group: str) -> list[Requirement]:
        """The top section's document chapters when it is an outline; else the fullest list of the top sections
        of the top document (a structure stated in two lists, general and per stage, gives the general one)."""
        if not ranked:
            return []
        top_doc = ranked[0].chunk.doc_id
        chapters = self._chapters(top_doc) if group == "bagian" else []
        if len(chapters) >= 3 and not list_items(ranked[0].text):
            return [self._chapter_requirement(s) for s in chapters]
        lists = [(s, list_items(s.text)) for s in ranked if s.chunk.doc_id == top_doc]
        lists = [(s, items) for s, items in lists if items]
        if not lists:
            return []
        section, items = max(lists, key=lambda pair: len(pair[1])) if group == "bagian" else lists[0]
        return [item_requirement(item, group, section.source()) for item in items]

    def _chapters(self, doc_id: str) -> list[Section]:
        found = [s for (d, _), s in self.sections.items() if d == doc_id and CHAPTER.match(s.heading)]
        return sorted(found, key=lambda s: s.chunk.ordinal)

    def _chapter_requirement(self, section: Section) -> Requirement:
        name = strip_numbering(section.heading)
        return Requirement(name, f"{section.heading}: {section.text}", "bagian", section.source())

    def _page_limit(self, ranked: list[Section], kind_word: str) -> list[Requirement]:
        for section in ranked:
            for sentence in sentences(section.text):
                if kind_word not in sentence.lower():
                    continue
                pages = [lim for lim in limits_in(sentence, kind_word) if lim.unit == "halaman"]
                if pages:
                    limit = pages[0]
                    return [Requirement("batas halaman", sentence, "batas", section.source(), (limit,))]
        return []

    def _budget_limits(self, ranked: list[Section]) -> list[Requirement]:
        for section in ranked:
            rows = [_budget_rule(line) for line in section.text.splitlines() if "|" in line]
            rules = [r for r in rows if r is not None]
            if len(rules) >= 2:
                return [
                    Requirement(lim.subject, f"{lim.subject}: {lim.rule_text}", "batas", section.source(), (lim,))
                    for lim in rules
                ]
        return []


def _budget_rule(line: str) -> Limit | None:
    cells = [c.strip() for c in line.split("|") if c.strip()]
    if len(cells) < 2:
        return None
    found = limits_in(cells[-1], cells[0])
    if not found or found[0].unit != "%":
        return None
    return Limit(cells[0], found[0].op, found[0].value, "%", cells[-1])


def item_requirement(item: str, group: str, source: Source) -> Requirement:
    """ "Bab 1 Pendahuluan: latar belakang, ..." -> name "Pendahuluan"; limits such as "paling banyak 300 kata"."""
    body = CHAPTER.sub("", item.strip(), count=1)
    head, _, rest = body.partition(":")
    if rest and head.lower().startswith("khusus"):  # "Khusus tahap X: a, b" names a condition, then the parts
        head = rest.split(",")[0]
    name = re.split(r"[;(]|,\s*(?:paling|atau|maksimal|minimal|sesuai|misalnya)\b|\.$", head.strip())[0]
    name = name.strip(" .,") or item.strip(" .")
    return Requirement(name, item.strip(), group, source, limits_in(item, name))
