"""One reading of the question, made once at the door and read by the reader and the refusal.

The record holds what every later stage needs: language, the analysed content terms with their rarity in this
corpus (glossary translations at half weight, carried-over topic words at a fifth), the words the corpus never
uses, the expected kind of answer, the years named, the focus words (the question's rarest own terms) and, for a
how-many question, the thing counted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from assistant.answer.considerations import Reason, asked_reason
from assistant.answer.counting import Counted, counted
from assistant.answer.definitions import asked_term
from assistant.answer.enactment import Enactment, asked_enactment
from assistant.answer.qtype import expected_kinds
from assistant.glossary import Glossary
from assistant.index.analysis import tokenize
from assistant.index.bm25_index import BM25Index
from assistant.index.indonesian import is_root_word, stopwords

EXPANSION_WEIGHT = 0.5  # a glossary equivalent is weaker evidence than the question's own word
CONTEXT_WEIGHT = 0.2  # words carried over from earlier turns name the topic; the turn's own words say what is asked
FOCUS_TERMS = 3
YEAR = re.compile(r"\b(?:19[5-9]\d|20\d\d)\b")
WORD = re.compile(r"[\w-]+")  # a word as the question writes it
ENUMERATION = re.compile(
    r"\b(apa saja|siapa saja|mana saja|apa-apa saja|sebutkan|daftar|rincian|unsur-unsur|tahapan|sistematika|"
    r"what are|which are|which \w+s|who were|list|name all|outline of|what do(es)? .* include)\b",
    re.I,
)


@dataclass(frozen=True)
class QuestionRecord:
    text: str  # the turn's own words
    lang: str  # the language it is written in
    context: str = ""  # topic words carried over from earlier turns of the chat
    weights: Mapping[str, float] = field(default_factory=dict)  # analysed term -> weight (idf-based)
    own: frozenset[str] = frozenset()  # analysed terms of the question itself that the corpus uses
    unknown: tuple[str, ...] = ()  # content words of the question the corpus never uses
    unfound: tuple[str, ...] = ()  # of these, the ones that name something, as the question writes them
    kinds: frozenset[str] = frozenset()  # expected kinds of answer: amount, date, person, place
    years: tuple[str, ...] = ()
    focus: tuple[str, ...] = ()  # the rarest own terms: what the question is about
    counted: Counted | None = None  # the thing a how-many question counts
    enumerative: bool = False  # asks for a list ("apa saja", "what are")
    surface: Mapping[str, str] = field(default_factory=dict)  # analysed term -> the question's own word for it
    defines: str | None = None  # the term a definition question asks about ("Apa yang dimaksud dengan X?")
    enactment: Enactment | None = None  # asks when a regulation was enacted or took effect
    reason: Reason | None = None  # asks why a regulation was made or amended

    @property
    def query(self) -> str:
        """What the dense model reads: the turn with its carried-over topic."""
        return f"{self.text} {self.context}".strip()

    def overlap(self, tokens: set[str]) -> float:
        """Share of the question's weighted terms found among ``tokens``."""
        total = sum(self.weights.values())
        return sum(w for t, w in self.weights.items() if t in tokens) / total if total > 0 else 0.0

    def own_share(self, tokens: set[str]) -> float:
        """Share of the question's own terms (unweighted) found among ``tokens``."""
        return len(self.own & tokens) / len(self.own) if self.own else 0.0

    def focus_share(self, tokens: set[str]) -> float:
        return sum(t in tokens for t in self.focus) / len(self.focus) if self.focus else 0.0


def read_question(text: str, lang: str, glossary: Glossary, index: BM25Index, context: str = "") -> QuestionRecord:
    weights: dict[str, float] = {}
    unknown: list[str] = []
    for token in tokenize(context):
        if index.doc_freq(token) > 0:
            weights[token] = CONTEXT_WEIGHT * index.idf(token)
    own: dict[str, float] = {}
    for token in tokenize(text):
        if index.doc_freq(token) > 0:
            own[token] = index.idf(token)
            weights[token] = max(weights.get(token, 0.0), own[token])
        elif not token.isdigit():
            unknown.append(token)
    for token in tokenize(" ".join(glossary.expansions_in(text, index))):
        if index.doc_freq(token) > 0 and token not in weights:
            weights[token] = EXPANSION_WEIGHT * index.idf(token)
            own.setdefault(token, 0.0)
    focus = tuple(t for t, _ in sorted(own.items(), key=lambda kv: -kv[1])[:FOCUS_TERMS] if _ > 0)
    return QuestionRecord(
        text=text,
        lang=lang,
        context=context,
        weights=MappingProxyType(weights),
        own=frozenset(own),
        unknown=tuple(dict.fromkeys(unknown)),
        unfound=naming_words(text, lang, unknown, glossary.untranslated(text, index)),
        kinds=frozenset(expected_kinds(text)),
        years=tuple(dict.fromkeys(YEAR.findall(text))),
        focus=focus,
        counted=counted(text, glossary),
        enumerative=bool(ENUMERATION.search(text)),
        surface=MappingProxyType(_surface(text)),
        defines=asked_term(text),
        enactment=asked_enactment(text),
        reason=asked_reason(text),
    )


NAMING_MIN_LENGTH = 4  # shorter lowercase words are particles and chat spellings ("sih", "kah", "gak")


def naming_words(text: str, lang: str, unknown: list[str], untranslated: Sequence[str] = ()) -> tuple[str, ...]:
    """The words of the question the corpus never uses that name something, as the question writes them, for
    the refusal to say what was not found: an acronym or brand ("BNI", "AMDAL", "WhatsApp"); in an Indonesian
    question also a capitalised name after the first word and an Indonesian root word ("asuransi", "dolar").
    Chat spellings and typos ("gak", "brp", "thn") name nothing. A plain English word ("insurance", "North") is
    named only when it is ``untranslated``: the general lexicon translates it and the documents use none of its
    translations; otherwise they may say it in Indonesian."""
    missing = set(unknown)
    out: list[str] = []
    seen: set[str] = set()
    for i, match in enumerate(WORD.finditer(text)):
        word = match.group()
        tokens = [t for t in tokenize(word) if t in missing and t not in seen]
        if not tokens:
            continue
        acronym = any(ch.isupper() for ch in word[1:])
        named = lang == "id" and i > 0 and word[0].isupper()
        root = (
            lang == "id"
            and len(word) >= NAMING_MIN_LENGTH
            and any(is_root_word(t) and t not in stopwords() for t in tokens)
        )
        if acronym or named or root:
            out.append(word)
            seen.update(tokens)
    return tuple(out) + tuple(p for p in untranslated if not set(tokenize(p)) & seen)


def _surface(text: str) -> dict[str, str]:
    words: dict[str, str] = {}
    for word in WORD.findall(text):
        for token in tokenize(word):
            words.setdefault(token, word)
    return words
