"""The domain glossary (``corpus/glossary.yaml``): acronyms and Indonesian/English equivalents.

Maintainers edit the YAML; the code only reads it. Used to expand the keyword side of a query so an
English or jargon question still meets the Indonesian words of the rules.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Protocol

from assistant.errors import ConfigError
from assistant.index.analysis import tokenize
from assistant.lang import detect_language
from assistant.lexicon import Lexicon
from assistant.yaml_io import YamlProblem, load_yaml

EXPANSIONS_KEPT = 1024  # recent questions whose expansion is remembered

FormIndex = dict[str, list[tuple[int, re.Pattern[str]]]]  # leading word -> (term number, form pattern); "" = any
LEADING = re.compile(r"\w+")


@dataclass(frozen=True)
class Term:
    indonesian: tuple[str, ...]
    english: tuple[str, ...]
    acronym: str | None = None
    description: str = ""

    @property
    def forms(self) -> tuple[str, ...]:
        return self.indonesian + self.english + ((self.acronym,) if self.acronym else ())


def _pattern(form: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w+])" + re.escape(form.lower()) + r"(?![\w+])")


class _Memo:
    """What a glossary computes once: its compiled forms, its word set and its recent expansions.

    One question is expanded by several stages (dense and keyword retrieval, the answer scorer), and with
    thousands of forms one expansion costs milliseconds."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.index: FormIndex | None = None
        self.words: frozenset[str] | None = None
        # a question -> its glossary expansion; (question, index fingerprint) -> the same with the lexicon's words
        self.expansions: OrderedDict[Hashable, tuple[str, ...]] = OrderedDict()

    def remembered(self, key: Hashable, compute: Callable[[], tuple[str, ...]]) -> tuple[str, ...]:
        """The expansion kept under ``key``, computed once and kept among the recent ones."""
        with self.lock:
            found = self.expansions.get(key)
            if found is not None:
                self.expansions.move_to_end(key)
                return found
        found = compute()
        with self.lock:
            self.expansions[key] = found
            if len(self.expansions) > EXPANSIONS_KEPT:
                self.expansions.popitem(last=False)
        return found


class Vocabulary(Protocol):
    """What the general lexicon asks of the corpus (a BM25 index answers it)."""

    fingerprint: str  # names the corpus it describes: expansions are remembered per question and corpus

    def doc_freq(self, token: str) -> int: ...

    def chunks_with(self, token: str) -> frozenset[int]: ...


@dataclass(frozen=True)
class Glossary:
    terms: tuple[Term, ...] = ()
    lexicon: Lexicon | None = None  # set: English words it lacks are looked up in this general word list
    _memo: _Memo = field(default_factory=_Memo, init=False, repr=False, compare=False)

    def expansions(self, query: str) -> list[str]:
        """Indonesian forms (and acronyms) of every term the query mentions in any language."""
        return list(self._memo.remembered(query, lambda: self._find(query)))

    def _find(self, query: str) -> tuple[str, ...]:
        text = query.lower()
        index = self._index()
        candidates = index.get("", []) + [m for word in set(LEADING.findall(text)) for m in index.get(word, [])]
        hit = sorted({i for i, pattern in candidates if pattern.search(text)})
        extra: list[str] = []
        for term in (self.terms[i] for i in hit):
            for form in term.indonesian + ((term.acronym,) if term.acronym else ()):
                if form.lower() not in text and form not in extra:
                    extra.append(form)
        return tuple(extra)

    def _index(self) -> FormIndex:
        """Forms by their leading word: a form that begins with a word character can only match where that
        word stands whole in the question (its pattern's boundaries say so), so only those forms are tried."""
        memo = self._memo
        if memo.index is None:
            index: dict[str, list[tuple[int, re.Pattern[str]]]] = {}
            for i, term in enumerate(self.terms):
                for form in filter(None, term.forms):
                    lead = LEADING.match(form.lower())
                    index.setdefault(lead.group() if lead else "", []).append((i, _pattern(form)))
            memo.index = index
        return memo.index

    def words(self) -> frozenset[str]:
        """Every lowercase word of every form: a question word found here is one the glossary understands."""
        memo = self._memo
        if memo.words is None:
            memo.words = frozenset(
                w for term in self.terms for form in term.forms for w in re.findall(r"[a-z]+", form.lower())
            )
        return memo.words

    def expand(self, query: str) -> str:
        return _joined(query, self.expansions(query))

    def expansions_in(self, query: str, vocabulary: Vocabulary) -> list[str]:
        """``expansions``, then for an English query the general lexicon's translation of each word that neither
        the corpus (``vocabulary``) nor the glossary knows: of its translations the corpus uses, the one found
        most often in a chunk with the question's other words. Read by BM25, the dense query and the question
        record alike, so it is remembered per question and corpus."""
        lexicon = self.lexicon
        if lexicon is None or detect_language(query) != "en":
            return self.expansions(query)
        key = (query, vocabulary.fingerprint)
        return list(self._memo.remembered(key, lambda: self._with_general(lexicon, query, vocabulary)))

    def _with_general(self, lexicon: Lexicon, query: str, vocabulary: Vocabulary) -> tuple[str, ...]:
        extra = self.expansions(query)
        known, used = self._tests(vocabulary)

        @cache
        def around() -> frozenset[int]:  # the chunks holding any other word of the question (asked only on a choice)
            context = [t for t in tokenize(f"{query} {' '.join(extra)}") if vocabulary.doc_freq(t) > 0]
            return frozenset[int]().union(*(vocabulary.chunks_with(t) for t in context))

        def together(translation: str) -> int:
            chunks = [vocabulary.chunks_with(t) for t in tokenize(translation)]
            return len(frozenset.intersection(*chunks) & around()) if chunks else 0

        found = lexicon.gap_translations(query, known, used, together)
        return tuple(extra + [t for t in found if t not in extra])

    def untranslated(self, query: str, vocabulary: Vocabulary) -> list[str]:
        """The English words and phrases of an English query that neither the corpus nor the glossary knows and
        that the general lexicon translates into nothing the corpus uses ("insurance" where no passage says
        "asuransi"): what the documents do not speak of. A phrase that translates into function words ("how
        many": "berapa") names nothing."""
        if self.lexicon is None or detect_language(query) != "en":
            return []
        known, used = self._tests(vocabulary)
        return [
            phrase
            for phrase, translations in self.lexicon.matches(query)
            if not all(known(w) for w in phrase.split()) and not any(used(t) or not tokenize(t) for t in translations)
        ]

    def _tests(self, vocabulary: Vocabulary) -> tuple[Callable[[str], bool], Callable[[str], bool]]:
        """(known, used): is an English word known to the corpus or the glossary; does the corpus use every term
        of a text."""
        words = self.words()

        def used(text: str) -> bool:
            terms = tokenize(text)
            return bool(terms) and all(vocabulary.doc_freq(t) > 0 for t in terms)

        def known(word: str) -> bool:
            return word in words or not tokenize(word) or used(word)

        return known, used

    def expand_in(self, query: str, vocabulary: Vocabulary) -> str:
        """The query with ``expansions_in``: what BM25 reads (and, for an English query, the dense model)."""
        return _joined(query, self.expansions_in(query, vocabulary))


def _joined(query: str, extra: list[str]) -> str:
    return f"{query} {' '.join(extra)}" if extra else query


def _strings(value: object, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str | int) for v in value):
        return tuple(str(v) for v in value)
    raise ConfigError(f"{where} must be a list of words, got {value!r}; fix corpus/glossary.yaml")


def load_glossary(path: Path) -> Glossary:
    """An absent file is an empty glossary; a malformed one is an error that names the entry."""
    if not path.is_file():
        return Glossary()
    try:
        data = load_yaml(path.read_text(encoding="utf-8"), str(path))
    except (YamlProblem, UnicodeDecodeError) as e:
        raise ConfigError(f"{e}; fix the glossary file") from e
    entries = (data or {}).get("terms", []) if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ConfigError(f"{path} must have a top-level 'terms:' list")
    terms = []
    for i, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise ConfigError(f"{path}: entry {i} must be a mapping with id/en lists")
        acronym = entry.get("acronym")
        terms.append(
            Term(
                indonesian=_strings(entry.get("id"), f"{path}: entry {i} 'id'"),
                english=_strings(entry.get("en"), f"{path}: entry {i} 'en'"),
                acronym=str(acronym) if acronym else None,
                description=str(entry.get("description") or ""),
            )
        )
    return Glossary(tuple(terms))
