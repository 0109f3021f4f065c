"""A general English–Indonesian word list, so an English question meets the Indonesian words of any corpus.

A corpus's glossary is written for that corpus; a new guide arrives without one, and an English question over it
then shares no keyword with the documents. This list is general (about 8,000 English words and phrases with
their Indonesian translations, derived from the FreeDict English–Indonesian dictionary, itself built from
Wiktionary; CC BY-SA 3.0, see ``data/en-id.tsv``), so it favours no corpus. Its translations join an English
question's keyword side beside the glossary's, at the glossary's weight.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from assistant.lang import ENGLISH

DATA = Path(__file__).parent / "data" / "en-id.tsv"
WORD = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class Lexicon:
    entries: Mapping[str, tuple[str, ...]]  # English word or phrase -> Indonesian translations, commonest sense first
    longest: int = 1  # words in the longest phrase

    def matches(self, text: str) -> list[tuple[str, tuple[str, ...]]]:
        """The English words and phrases of ``text`` found in the list (the longest phrase at each place) with
        their translations; the function words of English ("who", "what", "the") are not looked up."""
        words = WORD.findall(text.lower())
        out: list[tuple[str, tuple[str, ...]]] = []
        i = 0
        while i < len(words):
            for n in range(min(self.longest, len(words) - i), 0, -1):
                if n == 1 and words[i] in ENGLISH:
                    continue
                found = self._lookup(words[i : i + n])
                if found:
                    out.append((" ".join(words[i : i + n]), found))
                    i += n
                    break
            else:
                i += 1
        return out

    def gap_translations(
        self,
        text: str,
        known: Callable[[str], bool],
        used: Callable[[str], bool],
        together: Callable[[str], int] = lambda translation: 0,
    ) -> list[str]:
        """For each English word or phrase of ``text`` that is not ``known`` (to the corpus or its glossary), one
        translation that the corpus ``used``: the one it uses most ``together`` with the question's other words,
        the commonest sense on a tie ("changes" over a regulation on changing data: "ubah", not "ganti"). A word
        the documents use as it is ("proposal", "cluster") or the glossary translates keeps its meaning there."""
        out: list[str] = []
        for phrase, translations in self.matches(text):
            if all(known(w) for w in phrase.split()):
                continue
            candidates = [t for t in translations if used(t)]
            if candidates:
                best = max(candidates, key=together) if len(candidates) > 1 else candidates[0]  # ties: the first
                if best not in out:
                    out.append(best)
        return out

    def _lookup(self, words: list[str]) -> tuple[str, ...]:
        head, last = " ".join(words[:-1]), words[-1]
        for form in base_forms(last):
            found = self.entries.get(f"{head} {form}".strip())
            if found:
                return found
        return ()


def base_forms(word: str) -> list[str]:
    """The word and the forms it may be inflected from: "pages" -> page, "applies" -> apply, "funded" -> fund."""
    forms = [word]
    for suffix, base in (("ies", "y"), ("s", ""), ("es", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            forms.append(word[: -len(suffix)] + base)
    return list(dict.fromkeys(forms))


def parse_lexicon(text: str) -> Lexicon:
    entries: dict[str, tuple[str, ...]] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        english, _, indonesian = line.partition("\t")
        translations = tuple(t.strip() for t in indonesian.split(",") if t.strip())
        if english and translations:
            entries[english] = translations
    longest = max((len(k.split()) for k in entries), default=1)
    return Lexicon(MappingProxyType(entries), longest)


@lru_cache(maxsize=1)
def load_lexicon(path: Path = DATA) -> Lexicon:
    return parse_lexicon(path.read_text(encoding="utf-8"))


# Building the list from the FreeDict English-Indonesian dictionary (Debian's dict-freedict-eng-ind installs it
# under /usr/share/dictd): `python -m assistant.lexicon /usr/share/dictd/freedict-eng-ind > assistant/data/en-id.tsv`

HEADER = (
    "# English -> Indonesian (translations comma-separated, commonest sense first).\n"
    "# Derived from the FreeDict English-Bahasa Indonesia dictionary, edition {edition} (FreeDict + WikDict, from\n"
    "# Wiktionary via DBnary), licensed CC BY-SA 3.0: https://creativecommons.org/licenses/by-sa/3.0/ .\n"
    "# Rebuild with: python -m assistant.lexicon /usr/share/dictd/freedict-eng-ind > assistant/data/en-id.tsv\n"
)
B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
SKIPPED_KINDS = {"pn", "suffix", "prefix", "abbr", "symbol", "interj", "prop"}  # names and affixes translate nothing
KIND = re.compile(r"<(?P<kind>[^>]+)>\s*$")
SENSE = re.compile(r"^\d+\.\s+(?P<words>.+?)(?:\s+\d+\.)?\s*$")
TRANSLATION = re.compile(r"[a-zA-Z][a-zA-Z \-']*")


def _number(text: str) -> int:
    value = 0
    for ch in text:
        value = value * 64 + B64.index(ch)
    return value


def from_dictd(index: str, data: bytes) -> str:
    """The list's text from a dictd dictionary (its ``.index`` text and its uncompressed ``.dict`` bytes): per
    English headword, the translations of every sense in order (a numbered sense's line, else the first line
    after the headword); entries for names and affixes are left out."""
    entries: dict[str, list[str]] = {}
    edition = "unknown"
    for line in index.splitlines():
        word, offset, length = line.split("\t")
        text = data[_number(offset) : _number(offset) + _number(length)].decode("utf-8")
        if word.startswith(("00database", "00-database")):  # the dictionary's own description
            found = re.search(r"Edition: (\S+)", text)
            edition = found.group(1) if found else edition
            continue
        lines = text.strip("\n").split("\n")
        kind = KIND.search(lines[0])
        if not kind or kind.group("kind") in SKIPPED_KINDS or len(lines) < 2:
            continue
        senses = [m.group("words") for m in map(SENSE.match, lines[1:]) if m] if SENSE.match(lines[1]) else [lines[1]]
        found_words = [t.strip() for sense in senses for t in sense.split(",")]
        kept = entries.setdefault(word.strip().lower(), [])
        kept += [t for t in dict.fromkeys(found_words) if TRANSLATION.fullmatch(t) and t not in kept]
    body = "".join(f"{w}\t{', '.join(ts)}\n" for w, ts in sorted(entries.items()) if ts)
    return HEADER.format(edition=edition) + body


if __name__ == "__main__":
    import gzip
    import sys

    base = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/dictd/freedict-eng-ind"
    with gzip.open(f"{base}.dict.dz") as compressed:
        sys.stdout.write(from_dictd(Path(f"{base}.index").read_text(encoding="utf-8"), compressed.read()))
