"""Articles changed by an amending regulation, so retrieval serves the article as amended.

An Indonesian amending regulation is titled "… tentang Perubahan (Kedua) atas <base regulation>" and restates each
changed article under "Pasal I" ("Ketentuan Pasal 11 diubah sehingga berbunyi …"); the base stays in force for
every other article. An article of the base whose number the amendment restates is superseded article by article:
retrieval ranks the amended text in its place and the base text below it (``follow_amendments``). The base is the
document the amendment's metadata names (``amends: <doc_id>``), or else the indexed document whose title starts
with the name the amendment's title gives; explanatory parts (Penjelasan) are left alone, since a question may ask
what the base's explanation said.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from assistant.types import Chunk, Hit

AMENDS = re.compile(r"\bperubahan\s+(?:\w+\s+)?atas\s+(?P<base>.+?)(?:\s+tentang\b|$)", re.I)
ARTICLE = re.compile(r"^pasal\s+\d+[a-z]?$", re.I)
EXPLANATION = "penjelasan"


@dataclass(frozen=True)
class Amendments:
    by_article: Mapping[tuple[str, str], tuple[Chunk, ...]]  # (base doc_id, "pasal 11") -> the amended text

    def of(self, chunk: Chunk) -> tuple[Chunk, ...]:
        key = article_key(chunk)
        return self.by_article.get(key, ()) if key else ()


def _name(text: str) -> str:
    return " ".join(text.lower().split())


def article_key(chunk: Chunk) -> tuple[str, str] | None:
    """(doc_id, article) of a chunk in the body of a regulation; None for preambles and explanations."""
    if len(chunk.section) < 2 or chunk.section[0].lower().startswith(EXPLANATION):
        return None
    last = chunk.section[-1].strip()
    return (chunk.doc_id, _name(last)) if ARTICLE.match(last) else None


def amended_bases(titles: Mapping[str, str], declared: Mapping[str, str] | None = None) -> dict[str, str]:
    """Amending doc_id -> the doc_id of the regulation it amends, for every amendment whose base is indexed: the
    base ``declared`` in the amendment's metadata, else the one its title names."""
    bases = {doc: base for doc, base in (declared or {}).items() if base in titles and base != doc}
    for doc, title in titles.items():
        if doc in bases:
            continue
        found = AMENDS.search(title)
        if not found:
            continue
        base = _name(found.group("base"))
        for other, other_title in titles.items():
            if other != doc and _name(other_title).startswith(base):
                bases[doc] = other
                break
    return bases


def find_amendments(chunks: Iterable[Chunk]) -> Amendments:
    chunks = list(chunks)
    bases = amended_bases({c.doc_id: c.title for c in chunks}, {c.doc_id: c.amends for c in chunks if c.amends})
    keys = [(chunk, article_key(chunk)) for chunk in chunks]
    articles = {key for _, key in keys if key}
    by_article: dict[tuple[str, str], list[Chunk]] = {}
    for chunk, key in keys:
        if chunk.doc_id in bases and key and (bases[chunk.doc_id], key[1]) in articles:  # inserted ones replace none
            by_article.setdefault((bases[chunk.doc_id], key[1]), []).append(chunk)
    return Amendments({k: tuple(v) for k, v in by_article.items()})


def follow_amendments(
    hits: Sequence[Hit], amendments: Amendments, weight: float
) -> tuple[list[Hit], dict[str, set[str]]]:
    """Hits with each amended article's new text ranked where the base article was (if not already higher) and the
    base article's score times ``weight``; and for each amended article found, a note with the chunk ids (base and
    amended text) it is about."""
    if not amendments.by_article:
        return list(hits), {}
    present = {h.chunk.chunk_id: h for h in hits}
    out: dict[str, Hit] = {}
    notes: dict[str, set[str]] = {}
    for hit in hits:
        newer = amendments.of(hit.chunk)
        if not newer:
            out.setdefault(hit.chunk.chunk_id, hit)
            continue
        for chunk in newer:
            known = present.get(chunk.chunk_id)
            score = max(hit.score, known.score if known else 0.0)
            if chunk.chunk_id not in out or out[chunk.chunk_id].score < score:
                out[chunk.chunk_id] = Hit(chunk, score, known.ranks if known else {}, known.scores if known else {})
        out[hit.chunk.chunk_id] = Hit(hit.chunk, hit.score * weight, hit.ranks, hit.scores)
        note = (
            f"{hit.chunk.section[-1]} {hit.chunk.title} telah diubah oleh {newer[0].title}; "
            f"yang berlaku adalah rumusan perubahan."
        )
        notes.setdefault(note, set()).update({hit.chunk.chunk_id, *(c.chunk_id for c in newer)})
    return sorted(out.values(), key=lambda h: -h.score), notes
