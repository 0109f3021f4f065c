"""BM25 over the stored chunks with bm25s (the only module that imports it).

Each build is a self-contained snapshot folder (index + the chunks it covers); a ``CURRENT`` file names the
live one and is replaced atomically, so a reader sees the old or the new index, never half of one.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path

import bm25s
import numpy as np

from assistant.index.analysis import ANALYSIS_VERSION, tokenize
from assistant.types import Chunk

HEADING_BOOST = 2  # headings name the topic of their section: they count more than a word of body text


def keyword_text(chunk: Chunk) -> str:
    return "\n".join([chunk.title, *([chunk.section_path] * HEADING_BOOST), chunk.text])


def fingerprint(chunk_ids: Iterable[str]) -> str:
    """Names a snapshot by its chunks and by the version of the analysis that made its tokens."""
    listed = "\n".join([f"analysis {ANALYSIS_VERSION}", *sorted(chunk_ids)])
    return hashlib.sha256(listed.encode("utf-8")).hexdigest()[:20]


class BM25Index:
    def __init__(self, chunks: Sequence[Chunk], model: bm25s.BM25 | None) -> None:
        self.chunks = list(chunks)
        self.model = model
        self.fingerprint = fingerprint(c.chunk_id for c in self.chunks)
        self.ids = frozenset(c.chunk_id for c in self.chunks)
        self._vocab: dict[str, int] = dict(getattr(model, "vocab_dict", None) or {}) if model else {}
        self._df = np.diff(np.asarray(model.scores["indptr"])) if model is not None else np.zeros(0)

    def doc_freq(self, token: str) -> int:
        """In how many chunks the (analysed) token occurs; 0 when the corpus never uses it."""
        index = self._vocab.get(token)
        return int(self._df[index]) if index is not None and index < len(self._df) else 0

    def chunks_with(self, token: str) -> frozenset[int]:
        """The chunks (by position) in which the analysed token occurs."""
        index = self._vocab.get(token)
        if index is None or self.model is None or index + 1 >= len(self.model.scores["indptr"]):
            return frozenset()
        start, end = self.model.scores["indptr"][index], self.model.scores["indptr"][index + 1]
        return frozenset(int(i) for i in self.model.scores["indices"][start:end])

    def idf(self, token: str) -> float:
        n = len(self.chunks)
        df = self.doc_freq(token)
        return float(np.log(1.0 + (n - df + 0.5) / (df + 0.5)))

    @classmethod
    def build(cls, chunks: Sequence[Chunk]) -> BM25Index:
        if not chunks:
            return cls([], None)
        model = bm25s.BM25(k1=1.2, b=0.75)
        model.index([tokenize(keyword_text(c)) or [""] for c in chunks], show_progress=False)
        return cls(chunks, model)

    def search(self, query: str, k: int, mask: np.ndarray | None = None) -> list[tuple[Chunk, float]]:
        """Top ``k`` chunks by BM25 score (only those with a positive score), best first."""
        if self.model is None:
            return []
        tokens = [t for t in tokenize(query) if t in self._vocab]
        if not tokens:
            return []
        scores = self.model.get_scores(tokens, weight_mask=mask)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(self.chunks[i], float(scores[i])) for i in top if scores[i] > 0]

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / "chunks.jsonl", "w", encoding="utf-8") as out:
            for chunk in self.chunks:
                out.write(json.dumps(chunk.to_dict(), ensure_ascii=False) + "\n")
        if self.model is not None:
            self.model.save(str(folder / "bm25"), show_progress=False)

    @classmethod
    def load(cls, folder: Path) -> BM25Index:
        with open(folder / "chunks.jsonl", encoding="utf-8") as src:
            chunks = [Chunk.from_dict(json.loads(line)) for line in src if line.strip()]
        model = bm25s.BM25.load(str(folder / "bm25"), show_progress=False) if chunks else None
        return cls(chunks, model)


class BM25Snapshots:
    """Snapshot folders under ``root`` and the atomically replaced ``CURRENT`` pointer."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def current_name(self) -> str | None:
        try:
            return (self.root / "CURRENT").read_text(encoding="utf-8").strip() or None
        except FileNotFoundError:
            return None

    def load_current(self) -> BM25Index | None:
        name = self.current_name()
        if not name or not (self.root / name).is_dir():
            return None
        return BM25Index.load(self.root / name)

    def publish(self, index: BM25Index) -> str:
        name = f"snap-{index.fingerprint}"
        target = self.root / name
        if not target.is_dir():
            staging = self.root / f".staging-{name}-{os.getpid()}"
            shutil.rmtree(staging, ignore_errors=True)
            index.save(staging)
            os.replace(staging, target)
        pointer = self.root / f".CURRENT.{os.getpid()}"
        pointer.write_text(name, encoding="utf-8")
        os.replace(pointer, self.root / "CURRENT")
        self._prune(keep={name})
        return name

    def _prune(self, keep: set[str]) -> None:
        """Old snapshots go; the previous one stays a while for readers that still hold it open."""
        snaps = sorted((p for p in self.root.glob("snap-*") if p.name not in keep), key=lambda p: p.stat().st_mtime)
        for old in snaps[:-1]:
            shutil.rmtree(old, ignore_errors=True)
        for stale in self.root.glob(".staging-*"):
            shutil.rmtree(stale, ignore_errors=True)
