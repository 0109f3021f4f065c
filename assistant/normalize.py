"""One reading of numbers, amounts, percentages, years, list markers and citation keys for every stage.

Retrieval tokens, answer scoring, the check of a generated answer and the evaluation all read "Rp150 juta",
"Rp150.000.000", "Rp 150.000.000,00" and "150 juta rupiah" as the same amount, because they all go through this
module. Indonesian notation first: "." groups thousands, "," marks decimals ("2,5 juta" is 2 500 000); English
"200,000,000.00" is read too. A range shares its multiplier ("Rp200–600 juta": both ends are millions).
Pure functions over strings, standard library only.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

# --- citation keys, years, list markers -----------------------------------------------------------------

CITATION_KEY = re.compile(r"\[(\d{1,3})\]")
# a year is a four-digit 19xx or 20xx that is not a piece of a longer number ("2.019.000", "Rp12019")
YEAR = re.compile(r"(?<!\d)(?<!\d[.,])(?:19|20)\d\d(?!\d)(?![.,]\d)")
# a list item's marker: a bullet, "1." / "1)", "a." / "a)", "(1)" / "(a)" / "(iv)"
LIST_MARKER = r"(?:[-•*▪–]|\d{1,2}[.)]|[a-z][.)]|\(\w{1,3}\))"
LIST_ITEM = re.compile(rf"^\s*{LIST_MARKER}\s+")
NUMBERED_ITEM = re.compile(r"^\d{1,2}[.)]\s")


def citation_keys(text: str) -> list[int]:
    """The ``[n]`` keys of a text, in order of appearance (repeats kept)."""
    return [int(k) for k in CITATION_KEY.findall(text)]


def strip_citation_keys(text: str) -> str:
    return CITATION_KEY.sub("", text)


def years(text: str) -> list[str]:
    """The years a text names, as written, in order of appearance."""
    return YEAR.findall(text)


def is_list_marker(cell: str) -> bool:
    """Is the whole of ``cell`` a list marker ("1.", "a)", "•", "(iv)")?"""
    return re.fullmatch(LIST_MARKER, cell) is not None


# --- numbers and amounts --------------------------------------------------------------------------------

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
}  # a multiplier word -> its power of ten
NUMBER = re.compile(
    r"(?<![\d.,])(?P<num>\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?)(?!\d)"
    r"(?:\s*(?P<mult>" + "|".join(MULTIPLIERS) + r")\b)?",
    re.I,
)
DASHES = re.compile(r"[\u2010\u2011\u2012\u2013\u2014\u2015\u2212]")
RANGE_SEP = re.compile(r"\s*(?:[-\u2010-\u2015\u2212]|s\.?\s?d\.?|s/d|sampai dengan|sampai|hingga|to)\s*", re.I)
CURRENCY_BEFORE = re.compile(r"\b(?:rp|idr)\.?\s*(?=\d)", re.I)
CURRENCY_AFTER = re.compile(r"(?<=\d)(?:,-|\s*rupiah\b)", re.I)
PERCENT = re.compile(r"(?<=\d)\s*(?:%|persen\b|percent\b|per cent\b)", re.I)
INDONESIAN_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")  # 200.000.000,00
ENGLISH_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")  # 200,000,000.00
PLAIN = re.compile(r"\d+(?:[.,]\d+)?")  # 2019, 2,5, 2.5, 3.10


def number_value(raw: str) -> Decimal:
    """The number a literal stands for: Indonesian grouping first, then English, else one decimal mark.
    Raises ``decimal.InvalidOperation`` for a literal that is no number ("1.2.3")."""
    if INDONESIAN_THOUSANDS.fullmatch(raw):
        return Decimal(raw.replace(".", "").replace(",", "."))
    if ENGLISH_THOUSANDS.fullmatch(raw):
        return Decimal(raw.replace(",", ""))
    return Decimal(raw.replace(",", "."))


def number_readings(raw: str) -> frozenset[Decimal]:
    """Every number a literal may stand for: "2.500" is 2 500 in Indonesian and 2.5 in English."""
    readings = set()
    if INDONESIAN_THOUSANDS.fullmatch(raw):
        readings.add(Decimal(raw.replace(".", "").replace(",", ".")))
    if ENGLISH_THOUSANDS.fullmatch(raw):
        readings.add(Decimal(raw.replace(",", "")))
    if PLAIN.fullmatch(raw):
        readings.add(Decimal(raw.replace(",", ".")))
    return frozenset(readings)


def render_number(value: Decimal) -> str:
    """Plain digits: 150000000, 2.5 (no exponent, no trailing zeros)."""
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def canonical_number(raw: str, multiplier: str | None = None) -> str:
    """A literal (and its multiplier word) as plain digits: ("150", "juta") -> "150000000", "2,5" -> "2.5".
    A dotted literal that is not a thousands grouping ("3.10", a section number) keeps its digits."""
    try:
        value = number_value(raw)
    except InvalidOperation:
        return raw
    if multiplier:
        return render_number(value * (Decimal(10) ** MULTIPLIERS[multiplier.lower()]))
    if "." in raw and "," not in raw and not re.fullmatch(r"\d{1,3}(?:\.\d{3})+", raw):
        return raw
    return render_number(value)


@dataclass(frozen=True)
class Quantity:
    """A number as a text states it: "150 juta" (literal "150", multiplier "juta") or "Rp150.000.000"."""

    literal: str  # the digits as written: "150", "150.000.000,00"
    multiplier: str | None  # its own word, or the one a range shares ("200" in "200–600 juta")
    start: int  # offsets of the literal (and its own multiplier word) in the text
    end: int
    raw: str  # as written, own multiplier word included

    @property
    def canonical(self) -> str:
        return canonical_number(self.literal, self.multiplier)

    @property
    def bare(self) -> frozenset[Decimal]:
        """The literal's readings without any multiplier."""
        return number_readings(self.literal)

    @property
    def values(self) -> frozenset[Decimal]:
        """What the quantity may stand for, its multiplier applied."""
        if not self.multiplier:
            return self.bare
        scale = Decimal(10) ** MULTIPLIERS[self.multiplier.lower()]
        return frozenset(v * scale for v in self.bare)


def quantities(text: str) -> list[Quantity]:
    """Every number of ``text`` with its multiplier; the first end of a range takes the second end's."""
    matches = list(NUMBER.finditer(text))
    found = []
    for i, match in enumerate(matches):
        multiplier = match["mult"]
        if not multiplier and i + 1 < len(matches):
            following = matches[i + 1]
            if following["mult"] and RANGE_SEP.fullmatch(text[match.end() : following.start()]):
                multiplier = following["mult"]
        found.append(Quantity(match["num"], multiplier, match.start(), match.end(), match.group()))
    return found


def stated_values(text: str) -> frozenset[Decimal]:
    """Every number ``text`` states, with and without its multiplier ("150 juta" states 150 000 000 and 150)."""
    values: set[Decimal] = set()
    for quantity in quantities(text):
        values |= quantity.values | quantity.bare
    return frozenset(values)


def unsupported_quantities(text: str, sources: Iterable[str]) -> list[str]:
    """The numbers ``text`` states (as written) that none of ``sources`` states in any notation;
    citation keys do not count as numbers."""
    allowed = frozenset().union(*(stated_values(source) for source in sources))
    return [q.raw for q in quantities(strip_citation_keys(text)) if not (q.values & allowed)]


def normalize_numbers(text: str) -> str:
    """Rewrite every number (with its multiplier) as plain digits; a range becomes "low-high"."""
    found = quantities(text)
    out: list[str] = []
    position = 0
    for i, quantity in enumerate(found):
        out.append(text[position : quantity.start])
        out.append(quantity.canonical)
        following = found[i + 1] if i + 1 < len(found) else None
        if following and RANGE_SEP.fullmatch(text[quantity.end : following.start]):
            out.append("-")
            position = following.start
        else:
            position = quantity.end
    out.append(text[position:])
    return "".join(out)


def mentions_currency(text: str) -> bool:
    """Does the text state a rupiah amount ("Rp150", "Rp. 150", "IDR 150")?"""
    return CURRENCY_BEFORE.search(text) is not None


# --- numbers written as words, and the whole-text form used to match facts ------------------------------

UNITS = {
    "nol": 0, "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7, "delapan": 8,
    "sembilan": 9, "sepuluh": 10, "sebelas": 11, "seratus": 100,
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12,
}  # fmt: skip
_DIGIT_WORDS = "|".join(w for w in UNITS if UNITS[w] < 10 and w != "nol")
COMPOUND = re.compile(
    rf"\b(?P<tens>{_DIGIT_WORDS})\s+puluh(?:\s+(?P<ones>{_DIGIT_WORDS}))?\b|\b(?P<teen>{_DIGIT_WORDS})\s+belas\b"
)
UNIT_WORD = re.compile(r"\b(" + "|".join(sorted(UNITS, key=len, reverse=True)) + r")\b")
MARKUP = re.compile(rf"{CITATION_KEY.pattern}|[*_`]")
SPACED_DASH = re.compile(r"\s*-\s*")
REPEATED_NUMBER = re.compile(r"\b(\d+)\s*\(\s*\1\s*\)")


def number_words(text: str) -> str:
    """Number words as digits, in lowercase text: "dua puluh lima" -> "25", "delapan" -> "8"."""

    def compound(match: re.Match[str]) -> str:
        if match["teen"]:
            return str(10 + UNITS[match["teen"]])
        return str(10 * UNITS[match["tens"]] + (UNITS[match["ones"]] if match["ones"] else 0))

    text = COMPOUND.sub(compound, text)
    return UNIT_WORD.sub(lambda m: str(UNITS[m.group(1)]), text)


@lru_cache(maxsize=4096)
def normalize_text(text: str) -> str:
    """The form two texts are compared in: casefolded, without Markdown or ``[n]`` keys, dashes and quotes
    made plain, numbers and amounts as digits ("Rp200 juta" -> "200000000", "30 persen" -> "30%",
    "8 (delapan) bulan" -> "8 bulan", "Rp200–600 juta" -> "200000000-600000000")."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = MARKUP.sub(" ", text)
    text = DASHES.sub("-", text)
    text = text.replace("\u201c", '"').replace("\u201d", '"').replace("\u2018", "'").replace("\u2019", "'")
    text = number_words(text)
    text = REPEATED_NUMBER.sub(r"\1", text)  # "8 (delapan)" -> "8 (8)" -> "8"
    text = CURRENCY_BEFORE.sub("", text)
    text = CURRENCY_AFTER.sub("", text)
    text = normalize_numbers(text)
    text = CURRENCY_AFTER.sub("", text)  # "200 juta rupiah" -> "200000000 rupiah" -> "200000000"
    text = PERCENT.sub("%", text)
    text = SPACED_DASH.sub("-", text)
    return " ".join(text.split())
