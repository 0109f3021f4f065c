"""Factories that build the stages from settings; dependencies are passed in, never found globally."""

from __future__ import annotations

from dataclasses import replace

from assistant.config import Settings
from assistant.glossary import Glossary, load_glossary
from assistant.index.bm25_index import BM25Snapshots
from assistant.index.chroma_store import ChromaStore
from assistant.index.embedders import CachedEmbedder, VectorCache, make_embedder
from assistant.ingest.manifest import Manifest
from assistant.ingest.sync import Indexer
from assistant.lexicon import load_lexicon
from assistant.retrieve import BM25Source, DenseRetriever, HybridRetriever, SparseRetriever


def open_embedder(settings: Settings) -> CachedEmbedder:
    return CachedEmbedder(make_embedder(settings.embedder), VectorCache(settings.vector_cache_path))


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


def open_glossary(settings: Settings) -> Glossary:
    """The corpus's glossary (empty when there is none) with the general English-Indonesian word list attached
    unless it is turned off."""
    glossary = load_glossary(settings.glossary_path)
    return replace(glossary, lexicon=load_lexicon()) if settings.retrieval.general_lexicon else glossary


def open_retriever(settings: Settings, embedder: CachedEmbedder | None = None) -> HybridRetriever:
    embedder = embedder or open_embedder(settings)
    store = open_store(settings, embedder.dim)
    source = BM25Source(
        BM25Snapshots(settings.index_dir / "bm25"), fallback=store.all_chunks, fallback_version=store.count
    )
    reranker = None
    if settings.retrieval.reranker_model:
        from assistant.index.st_models import CrossEncoderReranker

        reranker = CrossEncoderReranker(settings.retrieval.reranker_model)
    glossary = open_glossary(settings)
    dense = DenseRetriever(embedder, store, glossary=glossary if settings.retrieval.expand_dense else None, live=source)
    retrievers = [dense, SparseRetriever(source, glossary)]
    return HybridRetriever(retrievers, settings.retrieval, reranker)


def build_assistant(settings: Settings, embedder: CachedEmbedder | None = None):  # type: ignore[no-untyped-def]
    from assistant.answer.extractive import ExtractiveComposer
    from assistant.answer.generate import LLMGenerator
    from assistant.answer.llm import open_llm
    from assistant.answer.reader import Reader
    from assistant.pipeline import Assistant

    embedder = embedder or open_embedder(settings)
    retriever = open_retriever(settings, embedder)
    sparse = next(r for r in retriever.retrievers if isinstance(r, SparseRetriever))
    reader = Reader(embedder, settings.answer.max_hits)
    llm = open_llm(settings.llm)
    return Assistant(
        settings=settings,
        retriever=retriever,
        bm25=sparse.source,
        composer=ExtractiveComposer.from_settings(reader, sparse.glossary, settings.answer),
        generator=LLMGenerator(llm) if llm else None,
    )
