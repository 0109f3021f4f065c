"""Tokens for BM25: lowercase, Indonesian stems, stopwords out, numbers and acronyms kept whole."""

from __future__ import annotations

import re

from assistant.index.indonesian import stem, stopwords
from assistant.normalize import canonical_number, quantities

# Part of every BM25 snapshot's name: change it whenever tokens change, so the next ingest rebuilds the snapshot
# instead of serving one whose terms the queries no longer produce.
ANALYSIS_VERSION = "2"

ENGLISH_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "do",
        "does",
        "for",
        "from",
        "has",
        "have",
        "how",
        "i",
        "in",
        "is",
        "it",
        "its",
        "may",
        "must",
        "of",
        "on",
        "or",
        "our",
        "should",
        "that",
        "the",
        "their",
        "there",
        "these",
        "this",
        "those",
        "to",
        "was",
        "we",
        "what",
        "when",
        "where",
        "which",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "about",
        "any",
        "if",
        "into",
        "than",
        "then",
        "they",
    ]
)
TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[a-z]+(?:\+[a-z]+)*")


def tokenize(text: str) -> list[str]:
    """Numbers as plain digits (:mod:`assistant.normalize`), and an amount with a multiplier word also as its
    value: 'Rp200 juta' yields '200', 'juta' and '200000000', so it matches 'Rp 200.000.000'."""
    lowered = text.lower()
    spaced = lowered.replace("-", " ")  # same length: offsets agree
    # a hyphen may join a range ("200-600 juta") or stand for a space ("rp250-juta" in a web address)
    scaled = {q.start: q.canonical for t in (lowered, spaced) for q in quantities(t) if q.multiplier}
    tokens: list[str] = []
    stop = stopwords()
    for match in TOKEN.finditer(spaced):
        word = match.group()
        if word[0].isdigit():
            tokens.append(canonical_number(word))
            if match.start() in scaled:
                tokens.append(scaled[match.start()])
        elif "+" in word:
            tokens.append(word.replace("+", ""))  # ABG+C -> abgc
        elif word not in stop and word not in ENGLISH_STOPWORDS:
            tokens.append(stem(word))
    return tokens
