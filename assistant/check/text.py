"""Plain text helpers shared by the check: terms, list items, headings, numeric limits."""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.check.types import Limit
from assistant.index.indonesian import stem, stopwords

ITEM = re.compile(r"^\s*(?:(\d{1,2})[.)]|([a-z])[.)]|[-•*▪])\s+(\S.*)$")
CHAPTER = re.compile(r"^(?:bab|bagian|chapter)\s+(?:[ivxlc]+|\d+)\b[.:]?\s*", re.IGNORECASE)
NUMBERING = re.compile(r"^(?:(?:bab|bagian|chapter|lampiran)\s+)?(?:[ivxlc]+|\d+(?:\.\d+)*|[a-z])\s*[.:)]?\s+", re.I)
# Indonesian wording of upper and lower bounds in rules ("paling banyak 25 halaman", "maksimal 300 kata").
BOUND = re.compile(
    r"(paling banyak|paling tinggi|maksimal|maksimum|tidak lebih dari|paling sedikit|paling rendah|minimal|minimum)"
    r"\s+(\d+(?:[.,]\d+)?)\s*(?:\([^)]*\)\s*)?(halaman|kata|%|persen)",
    re.IGNORECASE,
)
CHAPTER_WORDS = frozenset({"bab", "chapter"})  # numbering, not content
LOWER_WORDS = ("paling sedikit", "paling rendah", "minimal", "minimum")


@lru_cache(maxsize=20000)
def _stem(word: str) -> str:
    return stem(word)


def terms(text: str) -> frozenset[str]:
    """Stemmed content words (3+ letters, no stopwords): what term overlap compares."""
    words = re.findall(r"[a-zA-Z][a-zA-Z+\-]{2,}", text.lower())
    stop = stopwords()
    return frozenset(_stem(w) for w in words if w not in stop and w not in CHAPTER_WORDS)


def coverage(wanted: frozenset[str], have: frozenset[str]) -> float:
    return len(wanted & have) / len(wanted) if wanted else 0.0


def strip_numbering(heading: str) -> str:
    """ "BAB III Analisis Hulu" -> "Analisis Hulu"; "Lampiran 2. Surat ..." -> "Surat ..."."""
    return NUMBERING.sub("", heading.strip(), count=1).strip() or heading.strip()


def list_items(text: str) -> list[str]:
    """The longest run of numbered, lettered or bulleted items in a text, wrapped lines joined; [] below 3."""
    runs: list[list[str]] = []
    current: list[str] = []
    for line in text.splitlines():
        match = ITEM.match(line)
        if match:
            current.append(match.group(3).strip())
        elif current and line.strip() and not current[-1].endswith((".", ";", ":")):
            current[-1] += " " + line.strip()
        elif line.strip():
            runs.append(current)
            current = []
    runs.append(current)
    longest = max(runs, key=len)
    return longest if len(longest) >= 3 else []


def limits_in(text: str, subject: str) -> tuple[Limit, ...]:
    found = []
    for match in BOUND.finditer(text):
        word, number, unit = match.group(1).lower(), match.group(2), match.group(3).lower()
        op = "min" if word in LOWER_WORDS else "max"
        found.append(Limit(subject, op, float(number.replace(",", ".")), "%" if unit == "persen" else unit, text))
    return tuple(found)


def sentences(text: str) -> list[str]:
    """Sentences and list lines, bullet marks dropped."""
    parts = (s.strip().lstrip("-•*▪ ").strip() for s in re.split(r"(?<=[.;])\s+|\n+", text))
    return [s for s in parts if s]


def snippet(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
