"""Factories that build the stages from settings; dependencies are passed in, never found globally."""

from __future__ import annotations

from assistant.config import Settings
from assistant.index.chroma_store import ChromaStore
from assistant.index.embedders import CachedEmbedder, VectorCache, make_embedder
from assistant.ingest.manifest import Manifest
from assistant.ingest.sync import Indexer


def open_embedder(settings: Settings) -> CachedEmbedder:
    return CachedEmbedder(make_embedder(settings.embedder), VectorCache(settings.data_dir / "cache" / "vectors.sqlite"))


def open_store(settings: Settings, dim: int | None = None) -> ChromaStore:
    return ChromaStore(settings.collection_name, settings.data_dir, settings.chroma_url, dim)


def open_indexer(settings: Settings, embedder: CachedEmbedder | None = None) -> Indexer:
    embedder = embedder or open_embedder(settings)
    return Indexer(
        index_dir=settings.index_dir,
        lock_path=settings.data_dir / "ingest.lock",
        embedder=embedder,
        store=open_store(settings, embedder.dim),
        chunk_tokens=settings.chunk_tokens,
        chunk_overlap=settings.chunk_overlap,
        max_pdf_pages=settings.max_pdf_pages,
        lock_timeout_s=settings.lock_timeout_s,
    )


def read_manifest(settings: Settings) -> Manifest:
    return Manifest.load(settings.index_dir / "manifest.json", settings.embedder)
