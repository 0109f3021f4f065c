"""The domain glossary (``corpus/glossary.yaml``): acronyms and Indonesian/English equivalents.

Maintainers edit the YAML; the code only reads it. Used to expand the keyword side of a query so an
English or jargon question still meets the Indonesian words of the rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assistant.errors import ConfigError
from assistant.yaml_io import YamlProblem, load_yaml


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


@dataclass(frozen=True)
class Glossary:
    terms: tuple[Term, ...] = ()

    def expansions(self, query: str) -> list[str]:
        """Indonesian forms (and acronyms) of every term the query mentions in any language."""
        text = query.lower()
        extra: list[str] = []
        for term, patterns in zip(self.terms, _patterns(self), strict=True):
            if any(p.search(text) for p in patterns):
                for form in term.indonesian + ((term.acronym,) if term.acronym else ()):
                    if form.lower() not in text and form not in extra:
                        extra.append(form)
        return extra

    def words(self) -> frozenset[str]:
        """Every lowercase word of every form: a question word found here is one the glossary understands."""
        return _words(self)

    def expand(self, query: str) -> str:
        extra = self.expansions(query)
        return f"{query} {' '.join(extra)}" if extra else query


@lru_cache(maxsize=8)
def _words(glossary: Glossary) -> frozenset[str]:
    return frozenset(w for term in glossary.terms for form in term.forms for w in re.findall(r"[a-z]+", form.lower()))


@lru_cache(maxsize=8)
def _patterns(glossary: Glossary) -> tuple[tuple[re.Pattern[str], ...], ...]:
    return tuple(tuple(_pattern(f) for f in term.forms if f) for term in glossary.terms)


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
