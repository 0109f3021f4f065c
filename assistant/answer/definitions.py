"""Definition questions ("Apa yang dimaksud dengan X?", "Apa itu X?", "Apa definisi X?") answered with the
documents' own definition of X.

Indonesian rules define their terms in one drafting form: a numbered item or a sentence that opens with the term,
optionally "yang selanjutnya disebut/disingkat Y", then "adalah" and the definition (Pasal 1 of every regulation,
the glossary of a guide). A definition of exactly the asked term, found in any indexed chunk, is the answer; the
long definition list around it is not. This reads the language's drafting form, not any one corpus.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from assistant.index.analysis import tokenize
from assistant.types import Chunk

ASKED = re.compile(
    r"^\s*(?:apa(?:kah)?\s+(?:(?:yang|yg)\s+)?(?:di)?maksud(?:nya)?\s+(?:dengan\s+)?|apa(?:kah)?\s+itu\s+|"
    r"apa(?:kah)?\s+(?:definisi|pengertian|arti)(?:\s+dari)?\s+|(?:definisi|pengertian|arti)(?:\s+dari)?\s+|"
    r"siapa\s+(?:yang|yg)\s+(?:termasuk|dimaksud(?:\s+dengan)?)\s+)"
    r"(?P<term>.+?)"
    r"(?:\s+(?:menurut|dalam|pada|di|berdasarkan|sesuai|sebagaimana|itu|tersebut|gmn|bagaimana|dan\s+\w+\s+apa)\b.*)?"
    r"\s*[?.!]*\s*$",
    re.I,
)
ITEM_START = r"(?:(?<=\n)|^|(?<=[.;:]\s))\s*(?:(?:\d{1,3}|[a-z])[.)]\s+)?"
BREAK = re.compile(r"\s(?:\d{1,3}|[a-z])[.)](?=\s|$)|(?<=[.;])\s+(?=[A-Z])")
HEAD = re.compile(ITEM_START + r"(?P<head>[^\W\d][^.;:]{0,200}?)\s+adalah\s")
MAX_TERM_WORDS = 8
MAX_DEFINITION_CHARS = 700


@dataclass(frozen=True)
class Definition:
    chunk: Chunk
    start: int  # offset of the definition in the chunk text
    text: str


def asked_term(question: str) -> str | None:
    """The term a definition question asks about, or None for any other question."""
    found = ASKED.match(question.strip())
    if not found:
        return None
    term = found.group("term").strip(" ?.!\"'“”")
    words = term.split()
    return term if 0 < len(words) <= MAX_TERM_WORDS else None


def _heads(term: str) -> set[frozenset[str]]:
    return {frozenset(tokenize(term))} - {frozenset()}


def find_definition(term: str, chunks: Iterable[Chunk]) -> Definition | None:
    """The first definition of exactly ``term`` (or of the abbreviation it stands for) in ``chunks``, in the
    order given (pass the retrieved chunks first)."""
    wanted = _heads(term)
    if not wanted:
        return None
    words = [w.lower() for w in term.split()]
    for chunk in chunks:
        lowered = chunk.text.lower()
        if "adalah" not in lowered or not all(w in lowered for w in words):  # cheap test before the pattern
            continue
        for found in HEAD.finditer(chunk.text):
            if not _matches(found.group("head"), wanted):
                continue
            end = _end_of(chunk.text, found.end())
            text = " ".join(chunk.text[found.start("head") : end].split())
            return Definition(chunk, found.start("head"), text)
    return None


def _matches(head: str, wanted: set[frozenset[str]]) -> bool:
    head = " ".join(head.split())
    names = [head]
    alias = re.search(r"\byang\s+selanjutnya\s+(?:disebut|disingkat)(?:\s+dengan)?\s+(.+)$", head, re.I)
    if alias:
        names = [head[: alias.start()], alias.group(1)]
    names += [n for n in re.findall(r"\(([^)]+)\)", head)]
    names = [re.sub(r"\([^)]*\)", " ", n) for n in names]
    return any(frozenset(tokenize(n)) in wanted for n in names)


def _end_of(text: str, start: int) -> int:
    """Where the definition ends: the next item or sentence, at most ``MAX_DEFINITION_CHARS`` later."""
    rest = text[start : start + MAX_DEFINITION_CHARS]
    stop = BREAK.search(rest)
    return start + (stop.start() if stop else len(rest))


def ordered(first: Sequence[Chunk], everything: Iterable[Chunk]) -> list[Chunk]:
    """The retrieved chunks first, then every other indexed chunk."""
    seen = {c.chunk_id for c in first}
    return [*first, *(c for c in everything if c.chunk_id not in seen)]
