"""Text normalisation for matching expected facts against answers and quoted passages.

Both sides go through :func:`normalize`, so "Rp200 juta", "Rp 200.000.000", "Rp200.000.000,00" and
"IDR 200 million" all become ``200000000``; "200–600 juta" becomes ``200000000-600000000``; "30 persen" becomes
``30%``; "8 (delapan) bulan" becomes ``8 bulan``. Case, dashes, quotes, Markdown emphasis and ``[n]`` markers
do not matter. A fact matches on whole words and whole numbers only ("200" never matches inside "2000").
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache

MULTIPLIERS = {
    "ribu": 3,
    "rb": 3,
    "thousand": 3,
    "juta": 6,
    "jt": 6,
    "million": 6,
    "miliar": 9,
    "milyar": 9,
    "billion": 9,
    "triliun": 12,
    "trillion": 12,
}
UNITS = {
    "nol": 0, "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7, "delapan": 8,
    "sembilan": 9, "sepuluh": 10, "sebelas": 11, "seratus": 100,
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12,
}  # fmt: skip
_DIGITS_WORDS = "|".join(w for w in UNITS if UNITS[w] < 10 and w not in ("nol",))
COMPOUND = re.compile(
    rf"\b(?P<tens>{_DIGITS_WORDS})\s+puluh(?:\s+(?P<ones>{_DIGITS_WORDS}))?\b|\b(?P<teen>{_DIGITS_WORDS})\s+belas\b"
)
UNIT_WORD = re.compile(r"\b(" + "|".join(sorted(UNITS, key=len, reverse=True)) + r")\b")
DASHES = re.compile(r"[\u2010\u2011\u2012\u2013\u2014\u2015\u2212]")
MARKUP = re.compile(r"\[\d{1,3}\]|[*_`]")
CURRENCY_BEFORE = re.compile(r"\b(?:rp|idr)\.?\s*(?=\d)")
CURRENCY_AFTER = re.compile(r"(?<=\d)(?:,-|\s*rupiah\b)")
NUMBER = re.compile(
    r"(?<![\d.,])(?P<num>\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?)(?!\d)"
    r"(?:\s*(?P<mult>" + "|".join(MULTIPLIERS) + r")\b)?"
)
RANGE_SEP = re.compile(r"\s*(?:-|s\.?\s?d\.?|s/d|sampai dengan|sampai|hingga|to)\s*")
PERCENT = re.compile(r"(?<=\d)\s*(?:%|persen\b|percent\b|per cent\b)")
SPACED_DASH = re.compile(r"\s*-\s*")
REPEATED_NUMBER = re.compile(r"\b(\d+)\s*\(\s*\1\s*\)")


def _value(raw: str) -> Decimal:
    """The number a literal stands for, in Indonesian or English notation."""
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", raw):  # 200.000.000,00
        return Decimal(raw.replace(".", "").replace(",", "."))
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", raw):  # 200,000,000.00
        return Decimal(raw.replace(",", ""))
    return Decimal(raw.replace(",", "."))  # 2,5 or 2.5


def _render(value: Decimal) -> str:
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def _canonical(raw: str, multiplier: str | None) -> str:
    try:
        value = _value(raw)
    except InvalidOperation:
        return raw
    if multiplier:
        return _render(value * (Decimal(10) ** MULTIPLIERS[multiplier]))
    if "." in raw and "," not in raw and not re.fullmatch(r"\d{1,3}(?:\.\d{3})+", raw):
        return raw  # a section number such as 3.10 keeps its digits
    return _render(value)


def _numbers(text: str) -> str:
    """Rewrite every number (with its multiplier word) as plain digits; ranges share the multiplier."""
    matches = list(NUMBER.finditer(text))
    out: list[str] = []
    position = 0
    for i, match in enumerate(matches):
        multiplier = match["mult"]
        if not multiplier and i + 1 < len(matches):
            following = matches[i + 1]
            if RANGE_SEP.fullmatch(text[match.end() : following.start()]) and following["mult"]:
                multiplier = following["mult"]  # "200–600 juta": both ends are millions
        out.append(text[position : match.start()])
        out.append(_canonical(match["num"], multiplier))
        if i + 1 < len(matches) and RANGE_SEP.fullmatch(text[match.end() : matches[i + 1].start()]):
            out.append("-")
            position = matches[i + 1].start()
        else:
            position = match.end()
    out.append(text[position:])
    return "".join(out)


def _number_words(text: str) -> str:
    def compound(match: re.Match[str]) -> str:
        if match["teen"]:
            return str(10 + UNITS[match["teen"]])
        return str(10 * UNITS[match["tens"]] + (UNITS[match["ones"]] if match["ones"] else 0))

    text = COMPOUND.sub(compound, text)
    return UNIT_WORD.sub(lambda m: str(UNITS[m.group(1)]), text)


@lru_cache(maxsize=4096)
def normalize(text: str) -> str:
    """Canonical form used on both sides of every fact match."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = MARKUP.sub(" ", text)
    text = DASHES.sub("-", text)
    text = text.replace("\u201c", '"').replace("\u201d", '"').replace("\u2018", "'").replace("\u2019", "'")
    text = _number_words(text)
    text = REPEATED_NUMBER.sub(r"\1", text)  # "8 (delapan)" -> "8 (8)" -> "8"
    text = CURRENCY_BEFORE.sub("", text)
    text = CURRENCY_AFTER.sub("", text)
    text = _numbers(text)
    text = CURRENCY_AFTER.sub("", text)  # "200 juta rupiah" -> "200000000 rupiah" -> "200000000"
    text = PERCENT.sub("%", text)
    text = SPACED_DASH.sub("-", text)
    return " ".join(text.split())


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
