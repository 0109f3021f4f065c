"""Tokens for BM25: lowercase, Indonesian stems, stopwords out, numbers and acronyms kept whole."""

from __future__ import annotations

import re

from assistant.index.indonesian import stem, stopwords

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
MULTIPLIERS = {"ribu": 10**3, "juta": 10**6, "miliar": 10**9, "milyar": 10**9, "triliun": 10**12}
TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[a-z]+(?:\+[a-z]+)*")


def _number(raw: str) -> str:
    """'200.000.000' -> '200000000'; '2,5' -> '2.5' (Indonesian decimal comma)."""
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", raw):
        return raw.replace(".", "")
    return raw.replace(",", ".")


def _scaled(number: str, word: str) -> str | None:
    if word not in MULTIPLIERS:
        return None
    try:
        value = float(number) * MULTIPLIERS[word]
    except ValueError:
        return None
    return str(int(value)) if value == int(value) else None


def tokenize(text: str) -> list[str]:
    """'Rp200 juta' yields '200', 'juta' and '200000000', so it matches 'Rp 200.000.000'."""
    raw = TOKEN.findall(text.lower().replace("-", " "))
    tokens: list[str] = []
    stop = stopwords()
    for i, word in enumerate(raw):
        if word[0].isdigit():
            number = _number(word)
            tokens.append(number)
            scaled = _scaled(number, raw[i + 1]) if i + 1 < len(raw) else None
            if scaled:
                tokens.append(scaled)
        elif "+" in word:
            tokens.append(word.replace("+", ""))  # ABG+C -> abgc
        elif word not in stop and word not in ENGLISH_STOPWORDS:
            tokens.append(stem(word))
    return tokens
