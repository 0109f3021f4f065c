"""Why a regulation was made or amended ("Mengapa PP 101 Tahun 2012 perlu diubah?", "Why was the regulation
amended?") answered with the considerations the regulation states for itself.

Every Indonesian regulation opens in one drafting form: "Menimbang: a. bahwa …; b. bahwa …" gives its reasons,
then "Mengingat" its legal basis. The reasons for amending a regulation are in the considerations of the
regulation that amends it (titled "… tentang Perubahan atas <the amended one>"); the reasons for making one are
in its own. This reads the language's drafting form, not any one corpus.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from assistant.answer.definitions import Definition
from assistant.answer.enactment import NUMBER_YEAR, OWN_NUMBER, own_number, regulations_to_read
from assistant.types import Chunk

WHY = re.compile(r"\b(mengapa|kenapa|knp|why)\b", re.I)
REASON_FOR = re.compile(
    r"\b(alasan|pertimbangan|latar belakang|reasons?|rationale|grounds)\s+(?:(?:dari|untuk|for|of)\s+)?"
    r"(perubahan|penetapan|pembentukan|penerbitan|diterbitkannya|ditetapkannya|diubahnya|amending|issuing|"
    r"making|the amendment)\b",
    re.I,
)
DONE_TO_REGULATION = re.compile(
    r"\b(diubah|diganti|direvisi|dibuat|ditetapkan|diterbitkan|dikeluarkan|amended|changed|revised|issued|made|"
    r"adopted|enacted)\b",
    re.I,
)
AMENDING = re.compile(r"\b(diubah|diganti|direvisi|perubahan|diubahnya|amend\w*|revis\w*|changed)\b", re.I)
REGULATION = re.compile(r"\b(pp|peraturan|permen\w*|perpres|perda|undang-undang|uu|regulations?|decree|law)\b", re.I)
CONSIDERATIONS = re.compile(r"\bMenimbang\s*:?\s*(?P<body>.+?)(?=\bMengingat\b|$)", re.S)
MAX_CHARS = 1200


@dataclass(frozen=True)
class Reason:
    """What the question asks: why a regulation was made, or why it was amended, and the ones it names."""

    amended: bool
    named: tuple[tuple[str, str], ...]


def asked_reason(question: str) -> Reason | None:
    """The reason a question asks for, or None for any other question."""
    named = tuple(dict.fromkeys(NUMBER_YEAR.findall(question)))
    if not (named or REGULATION.search(question)):
        return None
    if not ((WHY.search(question) and DONE_TO_REGULATION.search(question)) or REASON_FOR.search(question)):
        return None
    return Reason(bool(AMENDING.search(question)), named)


def amended_number(title: str) -> tuple[str, str] | None:
    """The regulation an amending regulation's title amends: the number named after "Perubahan atas"."""
    at = re.search(r"\bPerubahan\b.*?\batas\b", title, re.I)
    found = OWN_NUMBER.search(title, at.end()) if at else None
    return (found.group(1), found.group(2)) if found else None


def find_considerations(asked: Reason, hits: Sequence[Chunk], everything: Iterable[Chunk]) -> Definition | None:
    """The considerations of the regulation that answers: the amending one when the question asks why a named
    regulation was amended, else the named one, else the best-ranked retrieved one that states them."""
    number = amended_number if asked.amended else own_number
    for chunks in regulations_to_read(lambda title: number(title) in asked.named, hits, everything):
        found = _considerations_of(chunks)
        if found is not None:
            return found
    return None


def _considerations_of(chunks: Sequence[Chunk]) -> Definition | None:
    for chunk in chunks:  # in document order: the considerations open it
        found = CONSIDERATIONS.search(chunk.text)
        if found and "bahwa" in found.group("body"):
            body = " ".join(found.group("body").split())[:MAX_CHARS]
            return Definition(chunk, found.start(), f"Menimbang: {body}")
    return None
