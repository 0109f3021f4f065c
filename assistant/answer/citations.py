"""Citations are data: the answer text carries keys [n]; code resolves them and drops unknown ones."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.normalize import CITATION_KEY, citation_keys
from assistant.types import Chunk, Citation

MAX_QUOTE_CHARS = 700


@dataclass(frozen=True)
class Source:
    """A numbered piece of evidence offered to the answer: a passage of a chunk and its page."""

    key: int
    chunk: Chunk
    passage: str
    page: int | None


def citation_for(n: int, source: Source) -> Citation:
    passage = source.passage if len(source.passage) <= MAX_QUOTE_CHARS else source.passage[:MAX_QUOTE_CHARS] + " …"
    chunk = source.chunk
    return Citation(
        n=n,
        doc_id=chunk.doc_id,
        title=chunk.title,
        section=chunk.section_path,
        page=source.page,
        year=chunk.year,
        text=passage,
        chunk_id=chunk.chunk_id,
        status=chunk.status,
    )


def resolve(text: str, sources: Sequence[Source]) -> tuple[str, tuple[Citation, ...], list[int]]:
    """Renumber the keys of ``text`` 1..n in order of first use; drop keys that name no source.

    Returns the new text, the citations and the unknown keys that were dropped.
    """
    by_key = {s.key: s for s in sources}
    order: dict[int, int] = {}
    dropped: list[int] = []

    def renumber(match: re.Match[str]) -> str:
        key = int(match.group(1))
        if key not in by_key:
            dropped.append(key)
            return ""
        order.setdefault(key, len(order) + 1)
        return f"[{order[key]}]"

    new_text = CITATION_KEY.sub(renumber, text)
    new_text = re.sub(r"[ \t]+([.,;:])", r"\1", re.sub(r"[ \t]{2,}", " ", new_text)).strip()
    citations = tuple(citation_for(n, by_key[key]) for key, n in sorted(order.items(), key=lambda kv: kv[1]))
    return new_text, citations, dropped


def keys_in(text: str) -> list[int]:
    return citation_keys(text)
