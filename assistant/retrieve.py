"""Hybrid retrieval: multilingual dense vectors + Indonesian BM25, fused by reciprocal rank, filtered,
with superseded rules ranked below the rules in force. Each retriever implements ``retrieve`` only."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from assistant.amendments import Amendments, find_amendments, follow_amendments
from assistant.config import RetrievalSettings
from assistant.glossary import Glossary
from assistant.index.bm25_index import BM25Index, BM25Snapshots
from assistant.index.chroma_store import ChromaStore
from assistant.index.embedders import Embedder
from assistant.lang import detect_language
from assistant.types import Chunk, Filters, Hit, SearchResult


class Retriever(Protocol):
    name: str

    def retrieve(self, query: str, k: int, filters: Filters) -> list[Hit]: ...


def chroma_where(filters: Filters) -> dict[str, Any] | None:
    clauses: list[dict[str, Any]] = []
    if filters.years:
        clauses.append({"year": {"$in": list(filters.years)}})
    if filters.doc_types:
        clauses.append({"doc_type": {"$in": list(filters.doc_types)}})
    if filters.statuses:
        clauses.append({"status": {"$in": list(filters.statuses)}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


class BM25Source:
    """The live BM25 snapshot, reloaded when ingest publishes a new one (checked on every call).

    Without a snapshot in the data folder (an app host beside a shared Chroma server) the index is built
    from the store, and built again when the store's size changes."""

    def __init__(
        self,
        snapshots: BM25Snapshots,
        fallback: Callable[[], Sequence[Chunk]] | None = None,
        fallback_version: Callable[[], object] | None = None,
    ) -> None:
        self.snapshots = snapshots
        self.fallback = fallback
        self.fallback_version = fallback_version
        self._name: str | None = None
        self._version: object = None
        self._index: BM25Index | None = None

    def get(self) -> BM25Index:
        name = self.snapshots.current_name()
        if name is not None and name == self._name and self._index is not None:
            return self._index
        if name is not None:
            index = self.snapshots.load_current()
            if index is not None:
                self._index, self._name = index, name
                return index
        if self._index is None or self._name is not None or self._fallback_changed():
            self._version = self.fallback_version() if self.fallback_version else None
            self._index = BM25Index.build(list(self.fallback()) if self.fallback else [])
            self._name = None
        return self._index

    def _fallback_changed(self) -> bool:
        return self.fallback_version is not None and self.fallback_version() != self._version


@dataclass
class DenseRetriever:
    embedder: Embedder
    store: ChromaStore
    name: str = "dense"
    glossary: Glossary | None = None  # set: English questions also carry their Indonesian glossary terms
    live: BM25Source | None = None  # set: only chunks of the published index count (none half-ingested)

    def retrieve(self, query: str, k: int, filters: Filters) -> list[Hit]:
        return self.nearest(self.query_vector(query), k, filters)

    def query_vector(self, query: str) -> np.ndarray:
        """One model call per distinct question: the embedder keeps recent query vectors."""
        if self.glossary is not None and detect_language(query) == "en":
            query = self.glossary.expand_in(query, self.live.get()) if self.live else self.glossary.expand(query)
        return self.embedder.embed_query(query)

    def nearest(self, vector: np.ndarray, k: int, filters: Filters) -> list[Hit]:
        found = self.store.query(vector, 2 * k if self.live else k, chroma_where(filters))
        if self.live is not None:
            published = self.live.get().ids
            found = [(c, s) for c, s in found if c.chunk_id in published][:k]
        return [Hit(c, s, {self.name: i}, {self.name: s}) for i, (c, s) in enumerate(found, start=1)]


@dataclass
class SparseRetriever:
    source: BM25Source
    glossary: Glossary
    name: str = "bm25"

    def retrieve(self, query: str, k: int, filters: Filters) -> list[Hit]:
        index = self.source.get()
        mask = None if filters.empty else np.array([filters.allows(c) for c in index.chunks], dtype=np.float32)
        found = index.search(self.glossary.expand_in(query, index), k, mask)
        return [Hit(c, s, {self.name: i}, {self.name: s}) for i, (c, s) in enumerate(found, start=1)]

    def expanded(self, query: str) -> str:
        """What BM25 reads: the question with its glossary terms and, when English, the general lexicon's."""
        return self.glossary.expand_in(query, self.source.get())


# Fusion is ours, not llama-index's QueryFusionRetriever: its RRF fixes k at 60 (ours is a setting), ignores
# retriever weights, re-ranks each run by score and merges nodes by content hash; it returns one score per node,
# while every Hit keeps each retriever's rank and raw score (shown in `ask --json` and the eval's comparisons);
# and built without an LLM it reads Settings.llm, which fails without the OpenAI package.
def reciprocal_rank_fusion(
    runs: Sequence[list[Hit]], rrf_k: int, weights: Mapping[str, float] | None = None
) -> list[Hit]:
    """Sum of weight / (rrf_k + rank) over the runs; ranks and raw scores of every run are kept."""
    return _fuse(runs, lambda name, rank, score, run: (weights or {}).get(name, 1.0) / (rrf_k + rank))


def relative_score_fusion(runs: Sequence[list[Hit]], weights: Mapping[str, float] | None = None) -> list[Hit]:
    """Sum of weight x min-max-normalised score: a confident retriever's lead survives fusion."""

    def contribution(name: str, rank: int, score: float, run: list[Hit]) -> float:
        values = [h.scores.get(name, 0.0) for h in run]
        low, high = min(values), max(values)
        scaled = 1.0 if high == low else (score - low) / (high - low)
        return (weights or {}).get(name, 1.0) * scaled

    return _fuse(runs, contribution)


def _fuse(runs: Sequence[list[Hit]], contribution: Callable[[str, int, float, list[Hit]], float]) -> list[Hit]:
    fused: dict[str, float] = defaultdict(float)
    ranks: dict[str, dict[str, int]] = defaultdict(dict)
    scores: dict[str, dict[str, float]] = defaultdict(dict)
    chunks: dict[str, Chunk] = {}
    for run in runs:
        for hit in run:
            cid = hit.chunk.chunk_id
            chunks.setdefault(cid, hit.chunk)
            for name, rank in hit.ranks.items():
                fused[cid] += contribution(name, rank, hit.scores.get(name, 0.0), run)
                ranks[cid][name] = rank
            scores[cid].update(hit.scores)
    order = sorted(fused, key=lambda cid: (-fused[cid], cid))
    return [Hit(chunks[cid], fused[cid], ranks[cid], scores[cid]) for cid in order]


def demote_superseded(hits: list[Hit], weight: float) -> list[Hit]:
    adjusted = [Hit(h.chunk, h.score * weight, h.ranks, h.scores) if h.chunk.status == "diganti" else h for h in hits]
    return sorted(adjusted, key=lambda h: -h.score)


def cap_per_section(hits: list[Hit], most: int) -> list[Hit]:
    seen: dict[tuple[str, str], int] = defaultdict(int)
    kept = []
    for hit in hits:
        key = (hit.chunk.doc_id, hit.chunk.section_path)
        if seen[key] < most:
            seen[key] += 1
            kept.append(hit)
    return kept


def version_notes(hits: Sequence[Hit]) -> list[str]:
    """Say when superseded and in-force rules both appear, so the answer can name the year that applies."""
    old = {h.chunk.doc_id: h.chunk for h in hits if h.chunk.status == "diganti"}
    if not old:
        return []
    notes = []
    current = {h.chunk.doc_id: h.chunk for h in hits if h.chunk.status != "diganti"}
    for chunk in old.values():
        newer = [c for c in current.values() if c.supersedes == chunk.doc_id]
        if newer:
            new = newer[0]
            notes.append(
                f"{chunk.title} ({chunk.year}) sudah diganti oleh {new.title} ({new.year}); "
                f"yang berlaku adalah ketentuan {new.year}."
            )
        else:
            notes.append(f"{chunk.title} ({chunk.year}) berstatus diganti; periksa ketentuan yang berlaku.")
    return notes


class HybridRetriever:
    name = "hybrid"

    def __init__(
        self,
        retrievers: Sequence[Retriever],
        settings: RetrievalSettings,
        reranker: Callable[[str, list[Hit]], list[Hit]] | None = None,
    ) -> None:
        self.retrievers = list(retrievers)
        self.settings = settings
        self.reranker = reranker
        self._amendments: tuple[str, Amendments] = ("", Amendments({}))

    def amendments(self) -> Amendments:
        """The articles amended by other indexed regulations, found once per index snapshot."""
        sparse = next((r for r in self.retrievers if isinstance(r, SparseRetriever)), None)
        if sparse is None:
            return self._amendments[1]
        index = sparse.source.get()
        if self._amendments[0] != index.fingerprint:
            self._amendments = (index.fingerprint, find_amendments(index.chunks))
        return self._amendments[1]

    def retrieve(self, query: str, k: int, filters: Filters) -> list[Hit]:
        return list(self.search(query, k, filters).hits)

    def search(self, query: str, k: int | None = None, filters: Filters | None = None) -> SearchResult:
        k = k or self.settings.top_k
        filters = filters or Filters()
        timings: dict[str, float] = {}
        runs = []
        for retriever in self.retrievers:
            started = time.perf_counter()
            depth = max(self.settings.dense_k if retriever.name == "dense" else self.settings.sparse_k, k)
            if isinstance(retriever, DenseRetriever):  # timed in two stages: the model call and the store
                vector = retriever.query_vector(query)
                timings["embed_ms"] = (time.perf_counter() - started) * 1000
                runs.append(retriever.nearest(vector, depth, filters))
            else:
                runs.append(retriever.retrieve(query, depth, filters))
            timings[f"{retriever.name}_ms"] = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        weights = {"dense": self.settings.dense_weight, "bm25": self.settings.sparse_weight}
        if self.settings.fusion == "rrf":
            fused = reciprocal_rank_fusion(runs, self.settings.rrf_k, weights)
        else:
            fused = relative_score_fusion(runs, weights)
        hits = demote_superseded(fused, self.settings.superseded_weight)
        hits, amended = follow_amendments(hits, self.amendments(), self.settings.superseded_weight)
        if self.reranker:
            hits = self.reranker(query, hits[: max(3 * k, 20)])
        hits = cap_per_section(hits, self.settings.per_section_max)[:k]
        timings["fusion_ms"] = (time.perf_counter() - started) * 1000
        expanded = next((r.expanded(query) for r in self.retrievers if isinstance(r, SparseRetriever)), query)
        shown = {h.chunk.chunk_id for h in hits}
        notes = version_notes(hits) + [note for note, about in amended.items() if about & shown]
        return SearchResult(query, tuple(hits), expanded, tuple(notes), timings)
