"""Fact matching for the evaluation: expected facts against answers and quoted passages.

Both sides go through :func:`normalize` (:func:`assistant.normalize.normalize_text`, the reading of numbers and
amounts the assistant itself uses), so "Rp200 juta", "Rp 200.000.000", "Rp200.000.000,00" and "IDR 200 million"
all become ``200000000``; "200–600 juta" becomes ``200000000-600000000``; "30 persen" becomes ``30%``;
"8 (delapan) bulan" becomes ``8 bulan``. Case, dashes, quotes, Markdown emphasis and ``[n]`` markers do not
matter. A fact matches on whole words and whole numbers only ("200" never matches inside "2000").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from assistant.normalize import MARKUP, normalize_text


def normalize(text: str) -> str:
    """Canonical form used on both sides of every fact match."""
    return normalize_text(text)


@lru_cache(maxsize=4096)
def _phrase_pattern(phrase: str) -> re.Pattern[str] | None:
    norm = normalize(phrase)
    if not norm:
        return None
    start = r"(?<![0-9a-z])" if norm[0].isalnum() else ""
    end = r"(?![0-9a-z])" if norm[-1].isalnum() else ""
    if norm[-1].isdigit():
        end = r"(?![0-9]|[.,][0-9])"
    return re.compile(start + re.escape(norm) + end)


def contains_phrase(text: str, phrase: str) -> bool:
    """True when ``phrase`` occurs in ``text`` after normalising both, on whole words and numbers."""
    pattern = _phrase_pattern(phrase)
    return bool(pattern and pattern.search(normalize(text)))


def matches_regex(text: str, pattern: str) -> bool:
    """Case-insensitive search on the raw text (whitespace collapsed) and on its normalised form."""
    flat = " ".join(MARKUP.sub("", unicodedata.normalize("NFKC", text)).split())
    return bool(re.search(pattern, flat, re.IGNORECASE) or re.search(pattern, normalize(text), re.IGNORECASE))
