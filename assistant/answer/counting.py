"""What a "how many X" question counts, and whether a passage states X with a number.

"Berapa skor akhir klaster ...?", "berapa jumlah peserta ...?", "how many jobs ...?" ask for a figure about one
thing. A passage about the right cluster or event that never gives that thing a number does not answer them;
the reader prefers the block that states it, and the refusal counts a count no passage states against answering.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.glossary import Glossary
from assistant.index.indonesian import stem, stopwords
from assistant.normalize import YEAR, mentions_currency

ASKED_ID = re.compile(r"\bberapa\s+(?:(?:jumlah|banyak)\s+)?([a-z]+)", re.I)
ASKED_EN = re.compile(r"\bhow many\s+([a-z]+)", re.I)
# "berapa lama / besar / persen / kali" ask for a measure, not for a count of some thing ("berapa ton" does count
# tonnes: a passage must give tonnes a number)
MEASURES = frozenset("besar besarnya lama kali sering luas persen lebih tinggi jauh banyak jumlah total".split())
NUMBER_WORDS = frozenset(
    "satu dua tiga empat lima enam tujuh delapan sembilan sepuluh sebelas belas puluh ratus ribu juta miliar "
    "seratus seribu".split()
)
# money is counted in rupiah: "berapa dana ..." is answered by an amount, whatever word the passage uses for it
MONEY = frozenset("dana biaya anggaran honor honorarium harga insentif plafon bantuan hibah uang".split())
WORD = re.compile(r"\d+(?:[.,]\d+)*|[a-z]+")
WINDOW = 6  # words between the counted thing and its number


@dataclass(frozen=True)
class Counted:
    label: str  # the question's word, for explanations
    raw: frozenset[str]  # words matched as written ("orang", "kata": stopwords have no useful stem)
    stems: frozenset[str]  # stems matched on passage words that are not stopwords


def counted(question: str, glossary: Glossary) -> Counted | None:
    """The thing a how-many question counts, in the documents' words; None when the question counts nothing
    or (English) the glossary has no Indonesian word for it, so there is nothing to check."""
    text = question.lower()
    if match := ASKED_ID.search(text):
        word = match.group(1)
        if word in MEASURES:
            return None
        return Counted(word, frozenset({word}), frozenset({stem(word)}))
    if match := ASKED_EN.search(text):
        word = match.group(1)
        forms = glossary.expansions(word)
        heads = [WORD.findall(form.lower())[:1] for form in forms]
        words = {h[0] for h in heads if h}
        if not words:
            return None
        return Counted(word, frozenset(words), frozenset(stem(w) for w in words))
    return None


def states_count(text: str, thing: Counted) -> bool:
    """Does the passage give the thing a number (digits other than a year, or a number word) nearby?"""
    if thing.raw & MONEY and mentions_currency(text):
        return True
    words = WORD.findall(text.lower())
    stop = stopwords()
    numbers = [i for i, w in enumerate(words) if (w[0].isdigit() and not YEAR.fullmatch(w)) or w in NUMBER_WORDS]
    if not numbers:
        return False
    places = [
        i
        for i, word in enumerate(words)
        if word in thing.raw or (word not in stop and not word[0].isdigit() and stem(word) in thing.stems)
    ]
    return any(abs(i - j) <= WINDOW for i in places for j in numbers)
