"""Enactment questions ("Kapan PP 76 Tahun 2015 ditetapkan?", "When did the regulation take effect?") answered
with the regulation's own closing.

Every Indonesian regulation closes in one drafting form: its last article says it "mulai berlaku pada tanggal
diundangkan" (or names another date), then "Ditetapkan di <place> pada tanggal <date>" with the signatory and
"Diundangkan di <place> pada tanggal <date>". The regulation asked about is the one whose own number and year the
question names ("PP 76 Tahun 2015", "Permendikbudristek 63/2023"), else the best-ranked retrieved one that has a
closing. This reads the language's drafting form, not any one corpus.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from assistant.answer.definitions import Definition
from assistant.types import Chunk

WHEN = re.compile(r"\b(kapan|kpn|tanggal berapa|tgl berapa|sejak kapan|when|what date|since when)\b", re.I)
ACT = re.compile(
    r"\b(ditetapkan|diundangkan|disahkan|diterbitkan|terbit|berlaku|penetapan|pengundangan|enacted|issued|signed|"
    r"promulgated|adopted|take effect|took effect|come into force|came into force|in force|effective|valid)\b",
    re.I,
)
NUMBER_YEAR = re.compile(r"\b(\d{1,4})\s*(?:tahun|thn|th\.?|/|of|year)\s*((?:19|20)\d\d)\b", re.I)
OWN_NUMBER = re.compile(r"\bNomor\s+(\d{1,4})\s+Tahun\s+((?:19|20)\d\d)\b", re.I)
CLOSING = re.compile(
    r"[^.;:\n]*\bmulai berlaku\b[^.;:\n]{0,80}?\b(?:diundangkan|ditetapkan|tanggal \d{1,2} \w+ (?:19|20)\d\d)\b\.?"
    r"|\b(?:Ditetapkan|Diundangkan) di [^\n.]{1,60}? pada tanggal \d{1,2} \w+ (?:19|20)\d\d",
    re.I,
)


@dataclass(frozen=True)
class Enactment:
    """What the question asks: the date a regulation was enacted or took effect, and the regulations it names."""

    named: tuple[tuple[str, str], ...]  # (number, year) of each regulation the question names


def asked_enactment(question: str) -> Enactment | None:
    """The enactment a question asks about, or None for any other question."""
    if not (WHEN.search(question) and ACT.search(question)):
        return None
    return Enactment(tuple(dict.fromkeys(NUMBER_YEAR.findall(question))))


def own_number(title: str) -> tuple[str, str] | None:
    """The regulation's own number and year: the first "Nomor N Tahun YYYY" of its title (an amending
    regulation's title names the amended one after its own)."""
    found = OWN_NUMBER.search(title)
    return (found.group(1), found.group(2)) if found else None


def regulations_to_read(
    wanted: Callable[[str], bool], hits: Sequence[Chunk], everything: Iterable[Chunk]
) -> list[list[Chunk]]:
    """The chunks, in document order, of each indexed document whose title ``wanted`` accepts; when none is, of
    each retrieved document in rank order."""
    by_doc: dict[str, list[Chunk]] = {}
    for chunk in everything:
        by_doc.setdefault(chunk.doc_id, []).append(chunk)
    docs = [d for d, chunks in by_doc.items() if wanted(chunks[0].title)] or list(dict.fromkeys(c.doc_id for c in hits))
    return [sorted(by_doc.get(d, []), key=lambda c: c.ordinal) for d in docs]


def find_closing(asked: Enactment, hits: Sequence[Chunk], everything: Iterable[Chunk]) -> Definition | None:
    """The closing of the regulation asked about, as one passage of the chunk that holds it (its sentences
    joined), or None when no such regulation or closing is indexed."""
    for chunks in regulations_to_read(lambda title: own_number(title) in asked.named, hits, everything):
        closing = _closing_of(chunks)
        if closing is not None:
            return closing
    return None


def _closing_of(chunks: Sequence[Chunk]) -> Definition | None:
    for chunk in reversed(chunks):  # the closing is the document's end
        found = list(CLOSING.finditer(chunk.text))
        if any(f.group(0).lstrip().startswith(("Ditetapkan", "ditetapkan")) for f in found):
            text = " ".join(_sentence(f.group(0)) for f in found)
            return Definition(chunk, found[0].start(), text)
    return None


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text.endswith(".") else f"{text}."
