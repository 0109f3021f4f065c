"""Terms of the same kind, learned from where the documents put them side by side.

Two terms are parallel when the documents use them in parallel positions: headings of sibling sections
("4.1 Dana Tahap Perumusan" / "4.2 Dana Tahap Pendampingan"), items of one list ("a. tahap perumusan …;
b. tahap pendampingan …"), cells of one table column ("Pulau Jawa" / "Papua"). Words every item of a group
shares ("tahap") say what the group is about, so only the words that tell the items apart are paired. A follow-up
such as "kalau tahap pendampingan?" then replaces "perumusan" in the previous question instead of adding to it.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import combinations

from assistant.index.analysis import ENGLISH_STOPWORDS, TOKEN
from assistant.index.indonesian import stopwords
from assistant.types import Chunk

LIST_ITEM = re.compile(r"^\s*(?:[a-z]\.|[a-z]\)|\(?\d{1,2}[.)]|[-•*–▪])\s+(\S.*)$", re.IGNORECASE)
ROMAN = re.compile(r"^[ivxlc]+$")
HEAD_TOKENS = 5  # list items differ at their head ("a. tahap perumusan, yaitu …"); the rest is explanation
CELL_TOKENS = 8
MAX_ITEMS = 30  # a longer run of lines is a page of text, not a list of alternatives


def words(text: str) -> list[str]:
    """Lowercase content words as written, "-nya" dropped ("honorariumnya" -> "honorarium"); no stemming: the
    stemmer costs milliseconds a word, and parallel items write their terms in the same form anyway."""
    stop = stopwords()
    found = []
    for word in TOKEN.findall(text.lower().replace("-", " ")):
        if word.endswith("nya") and len(word) > 6:
            word = word[:-3]
        if word not in stop and word not in ENGLISH_STOPWORDS:
            found.append(word)
    return found


def item_tokens(text: str, most: int) -> tuple[str, ...]:
    """The content words of one item, numbering and roman numerals left out."""
    kept = [w for w in words(text) if not w[0].isdigit() and not ROMAN.match(w) and len(w) > 2]
    return tuple(dict.fromkeys(kept))[:most]


def sibling_headings(chunks: Iterable[Chunk]) -> Iterator[list[str]]:
    """The headings of sections that share a parent in the same document."""
    children: dict[tuple[str, tuple[str, ...]], dict[str, None]] = {}
    for chunk in chunks:
        for depth in range(len(chunk.section)):
            children.setdefault((chunk.doc_id, chunk.section[:depth]), {})[chunk.section[depth]] = None
    yield from (list(group) for group in children.values() if 1 < len(group) <= MAX_ITEMS)


def list_runs(text: str) -> Iterator[list[str]]:
    """Items of each run of consecutive list lines."""
    run: list[str] = []
    for line in [*text.splitlines(), ""]:
        found = LIST_ITEM.match(line)
        if found:
            run.append(found.group(1))
            continue
        if 1 < len(run) <= MAX_ITEMS:
            yield run
        run = []


def table_columns(text: str) -> Iterator[list[str]]:
    """Cells of each column of each table written with '|' separators, header rows left out."""
    table: list[list[str]] = []
    for line in [*text.splitlines(), ""]:
        if "|" in line:
            if not re.fullmatch(r"[\s|:-]+", line):  # a Markdown separator row keeps the table going
                table.append([c.strip() for c in line.strip().strip("|").split("|")])
            continue
        for column in range(max((len(row) for row in table), default=0)):
            cells = [row[column] for row in table[1:] if column < len(row) and row[column]]
            if 1 < len(cells) <= MAX_ITEMS:
                yield cells
        table = []


def parallel_groups(chunks: Sequence[Chunk]) -> Iterator[list[tuple[str, ...]]]:
    """Every group of parallel items, each item as its analysed words."""
    for headings in sibling_headings(chunks):
        yield [item_tokens(h, CELL_TOKENS) for h in headings]
    for chunk in chunks:
        for items in list_runs(chunk.text):
            yield [item_tokens(i, HEAD_TOKENS) for i in items]
        for cells in table_columns(chunk.text):
            yield [item_tokens(c, CELL_TOKENS) for c in cells]


@dataclass(frozen=True)
class Parallels:
    """How often two analysed words stand in parallel positions, and in how many groups each word does."""

    pairs: Counter[tuple[str, str]]
    groups: Counter[str]

    @classmethod
    def empty(cls) -> Parallels:
        return cls(Counter(), Counter())

    def score(self, a: str, b: str) -> float:
        """Association of ``a`` and ``b`` as alternatives (0 when never parallel): shared groups over the
        geometric mean of each word's groups, so words that stand beside everything weigh less."""
        shared = self.pairs.get((a, b) if a < b else (b, a), 0)
        return shared / math.sqrt(self.groups[a] * self.groups[b]) if shared else 0.0


def learn_parallels(chunks: Sequence[Chunk]) -> Parallels:
    pairs: Counter[tuple[str, str]] = Counter()
    groups: Counter[str] = Counter()
    for items in parallel_groups(chunks):
        sets = [set(i) for i in items if i]
        if len(sets) < 2:
            continue
        common = set.intersection(*sets)
        distinct = [s - common for s in sets]
        found: set[tuple[str, str]] = set()
        for (i, a_set), (j, b_set) in combinations(enumerate(distinct), 2):
            for a in a_set - sets[j]:
                for b in b_set - sets[i]:
                    found.add((a, b) if a < b else (b, a))
        pairs.update(found)
        groups.update({w for pair in found for w in pair})
    return Parallels(pairs, groups)
