"""Sync, not rebuild: bring the store, the BM25 index and the manifest in line with the corpus folder.

Order of writes for one document: upsert its new chunks, delete its stale ones, then save the manifest.
A run killed anywhere is repaired by ``reconcile`` at the start of the next one.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout
from tqdm import tqdm

from assistant.errors import IngestError, IngestLockedError, StoreError
from assistant.index.bm25_index import BM25Index, BM25Snapshots, fingerprint
from assistant.index.chroma_store import ChromaStore
from assistant.index.embedders import CachedEmbedder
from assistant.index.embedders import Progress as EmbedProgress
from assistant.ingest.chunking import chunk_document
from assistant.ingest.loader import CorpusFile, content_hash, discover, load_document, reader_version
from assistant.ingest.manifest import DocEntry, Manifest
from assistant.types import Chunk, SourceDoc
from assistant.units import unit_texts

Progress = Callable[[int, int, str], None]  # (done, total, message)


@dataclass(frozen=True)
class SyncReport:
    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    failed: tuple[tuple[str, str], ...] = ()  # (path, error)
    warnings: tuple[tuple[str, str], ...] = ()  # (path, warning)
    repaired: int = 0
    chunks_embedded: int = 0
    chunks_total: int = 0
    seconds: float = 0.0
    units_embedded: int = 0  # sentence/list vectors cached for the answerer
    pages_indexed: int = 0  # PDF pages (a Markdown or text file counts as one) of the documents indexed
    chunks_embed_seconds: float = 0.0  # inside the embedder for chunk vectors
    units_embed_seconds: float = 0.0  # inside the embedder for answer-unit vectors

    def to_json(self) -> dict[str, Any]:
        return {
            "added": list(self.added),
            "updated": list(self.updated),
            "removed": list(self.removed),
            "unchanged": list(self.unchanged),
            "failed": [{"path": p, "error": e} for p, e in self.failed],
            "warnings": [{"path": p, "warning": w} for p, w in self.warnings],
            "repaired_chunks": self.repaired,
            "chunks_embedded": self.chunks_embedded,
            "chunks_total": self.chunks_total,
            "units_embedded": self.units_embedded,
            "pages_indexed": self.pages_indexed,
            "chunks_embed_seconds": round(self.chunks_embed_seconds, 3),
            "units_embed_seconds": round(self.units_embed_seconds, 3),
            "seconds": round(self.seconds, 3),
        }


@dataclass
class _Run:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    claimed: dict[str, str] = field(default_factory=dict)  # doc_id -> path
    kept_paths: set[str] = field(default_factory=set)  # failed paths whose old version stays indexed
    chunks_embedded: int = 0
    units_embedded: int = 0
    pages_indexed: int = 0
    chunks_embed_seconds: float = 0.0
    units_embed_seconds: float = 0.0

    def fail(self, error: IngestError) -> None:
        self.failed.append((error.path, f"{error.reason}. {error.fix}"))


class Indexer:
    def __init__(
        self,
        index_dir: Path,
        lock_path: Path,
        embedder: CachedEmbedder,
        store: ChromaStore,
        chunk_tokens: int = 320,
        chunk_overlap: int = 40,
        max_pdf_pages: int = 1000,
        lock_timeout_s: float = 0.0,
        unit_vectors: bool = True,
    ) -> None:
        self.unit_vectors = unit_vectors
        self.index_dir = index_dir
        self.lock = FileLock(str(lock_path))
        self.lock_timeout_s = lock_timeout_s
        self.embedder = embedder
        self.store = store
        self.chunk_tokens = chunk_tokens
        self.chunk_overlap = chunk_overlap
        self.max_pdf_pages = max_pdf_pages
        self.snapshots = BM25Snapshots(index_dir / "bm25")

    def manifest(self) -> Manifest:
        return Manifest.load(self.index_dir / "manifest.json", self.embedder.name)

    def sync(
        self,
        corpus_dir: Path,
        rebuild: bool = False,
        progress: Progress | None = None,
        on_wait: Callable[[str], None] | None = None,
    ) -> SyncReport:
        """``on_wait`` hears once, before the wait, when another ingest holds the lock and this one waits for it."""
        if not corpus_dir.is_dir():
            raise IngestError(
                str(corpus_dir), "the corpus folder does not exist", "Create it or set KLASINOV_CORPUS_DIR."
            )
        started = time.perf_counter()
        self._acquire_lock(on_wait)
        try:
            return self._sync_locked(corpus_dir, rebuild, progress, started)
        finally:
            self.lock.release()

    def _acquire_lock(self, on_wait: Callable[[str], None] | None) -> None:
        try:
            self.lock.acquire(timeout=0)
            return
        except Timeout:
            pass
        if self.lock_timeout_s > 0:
            if on_wait:
                on_wait(
                    f"another ingest is running on this index (lock {self.lock.lock_file}); "
                    f"waiting up to {self.lock_timeout_s:g} s for it to finish"
                )
            try:
                self.lock.acquire(timeout=self.lock_timeout_s)
                return
            except Timeout:
                pass
        raise IngestLockedError(
            f"another ingest is running on this index (lock {self.lock.lock_file}); "
            "wait for it to finish, then run ingest again"
            + (f" (waited {self.lock_timeout_s:g} s; raise KLASINOV_LOCK_TIMEOUT_S to wait longer)"
               if self.lock_timeout_s > 0 else "")
        )

    def _sync_locked(self, corpus_dir: Path, rebuild: bool, progress: Progress | None, started: float) -> SyncReport:
        manifest = self.manifest()
        if rebuild:
            self.store.drop()
            manifest.docs.clear()
            manifest.save()
        repaired = reconcile(self.store, manifest)
        run = _Run()
        todo = self._plan(corpus_dir, manifest, run)
        loaded = self._load_all(todo, manifest, run)
        self._index_all(loaded, manifest, run, progress)
        self._remove_missing(manifest, run)
        chunks_total = self.publish_bm25(manifest)
        return SyncReport(
            tuple(run.added),
            tuple(run.updated),
            tuple(run.removed),
            tuple(sorted(run.unchanged)),
            tuple(run.failed),
            tuple(run.warnings),
            repaired,
            run.chunks_embedded,
            chunks_total,
            time.perf_counter() - started,
            run.units_embedded,
            run.pages_indexed,
            run.chunks_embed_seconds,
            run.units_embed_seconds,
        )

    def _plan(self, corpus_dir: Path, manifest: Manifest, run: _Run) -> list[tuple[CorpusFile, str]]:
        files, problems = discover(corpus_dir)
        for problem in problems:
            run.fail(problem)
        known = manifest.by_path()
        todo = []
        for file in files:
            try:
                digest = content_hash(file)
            except IngestError as e:
                run.fail(e)
                if file.shown in known:
                    run.kept_paths.add(file.shown)
                continue
            entry = known.get(file.shown)
            fresh = entry is not None and entry.content_hash == digest and entry.reader == reader_version()
            if entry and fresh and entry.doc_id not in run.claimed:
                run.unchanged.append(entry.doc_id)
                run.claimed[entry.doc_id] = file.shown
            else:
                todo.append((file, digest))
        return todo

    def _load_all(
        self, todo: list[tuple[CorpusFile, str]], manifest: Manifest, run: _Run
    ) -> list[tuple[SourceDoc, list[Chunk]]]:
        known = manifest.by_path()
        loaded = []
        for file, _ in todo:
            try:
                doc = load_document(file, self.max_pdf_pages)
                owner = run.claimed.get(doc.meta.doc_id)
                if owner:
                    raise IngestError(
                        file.shown,
                        f"doc_id {doc.meta.doc_id!r} is already used by {owner}",
                        "Give each document its own doc_id in its metadata.",
                    )
                chunks = chunk_document(doc, self.chunk_tokens, self.chunk_overlap)
            except IngestError as e:
                run.fail(e)
                if file.shown in known:
                    run.kept_paths.add(file.shown)
                continue
            run.claimed[doc.meta.doc_id] = file.shown
            run.warnings.extend((file.shown, w) for w in doc.warnings)
            loaded.append((doc, chunks))
        return loaded

    def _index_all(
        self,
        loaded: list[tuple[SourceDoc, list[Chunk]]],
        manifest: Manifest,
        run: _Run,
        progress: Progress | None,
    ) -> None:
        total = sum(len(chunks) for _, chunks in loaded)
        pages = sum(_pages(doc) for doc, _ in loaded)
        bar = tqdm(
            total=self._to_embed(loaded), unit="passage", desc="embedding", file=sys.stderr, disable=None, leave=False
        )
        done = pages_done = 0
        try:
            for doc, chunks in loaded:
                if progress:
                    progress(done, total, doc.path)
                self._index_one(doc, chunks, manifest, run, bar.update)
                done += len(chunks)
                pages_done += _pages(doc)
                run.pages_indexed = pages_done
                bar.set_postfix_str(f"{pages_done}/{pages} pages, {done}/{total} chunks indexed")
        finally:
            bar.close()
        if progress:
            progress(total, total, "done")

    def _to_embed(self, loaded: list[tuple[SourceDoc, list[Chunk]]]) -> int:
        """Passages the model still has to embed (the cache holds the rest): the bar's ETA is embedding time."""
        chunks = [c for _, doc_chunks in loaded for c in doc_chunks]
        texts = [c.index_text for c in chunks] + (unit_texts(chunks) if self.unit_vectors else [])
        return self.embedder.missing(texts) if texts else 0

    def _index_one(
        self, doc: SourceDoc, chunks: list[Chunk], manifest: Manifest, run: _Run, embedded: EmbedProgress
    ) -> None:
        before, started = self.embedder.misses, time.perf_counter()
        vectors = self.embedder.embed_passages([c.index_text for c in chunks], embedded)
        run.chunks_embedded += self.embedder.misses - before
        run.chunks_embed_seconds += time.perf_counter() - started
        if self.unit_vectors:
            before, started = self.embedder.misses, time.perf_counter()
            self.embedder.embed_passages(unit_texts(chunks), embedded)  # warms the cache the answerer reads
            run.units_embedded += self.embedder.misses - before
            run.units_embed_seconds += time.perf_counter() - started
        old = manifest.docs.get(doc.meta.doc_id)
        self.store.upsert(chunks, vectors)
        new_ids = {c.chunk_id for c in chunks}
        if old:
            self.store.delete(sorted(set(old.chunk_ids) - new_ids))
        manifest.docs[doc.meta.doc_id] = DocEntry(
            doc_id=doc.meta.doc_id,
            path=doc.path,
            content_hash=doc.content_hash,
            chunk_ids=tuple(c.chunk_id for c in chunks),
            title=doc.meta.title,
            year=doc.meta.year,
            doc_type=doc.meta.doc_type,
            status=doc.meta.status,
            kind=doc.kind,
            indexed_at=datetime.now(UTC).isoformat(timespec="seconds"),
            warnings=doc.warnings,
            reader=reader_version(),
        )
        manifest.save()
        (run.updated if old else run.added).append(doc.meta.doc_id)

    def _remove_missing(self, manifest: Manifest, run: _Run) -> None:
        for doc_id, entry in sorted(manifest.docs.items()):
            if doc_id in run.claimed or entry.path in run.kept_paths:
                continue
            self.store.delete(list(entry.chunk_ids))
            del manifest.docs[doc_id]
            manifest.save()
            run.removed.append(doc_id)

    def publish_bm25(self, manifest: Manifest) -> int:
        """Rebuild BM25 from the store when it no longer matches the manifest; returns the chunk count."""
        wanted = fingerprint(manifest.chunk_ids())
        current = self.snapshots.current_name()
        if current != f"snap-{wanted}" or not (self.snapshots.root / current).is_dir():
            chunks = [c for c in self.store.all_chunks() if c.chunk_id in manifest.chunk_ids()]
            chunks.sort(key=lambda c: (c.doc_id, c.ordinal))
            index = BM25Index.build(chunks)
            if index.fingerprint != wanted:
                raise StoreError(
                    f"the store holds {len(chunks)} of the {len(manifest.chunk_ids())} chunks the manifest lists; "
                    "run ingest again (it repairs the index) or ingest --rebuild"
                )
            self.snapshots.publish(index)
        return len(manifest.chunk_ids())


def _pages(doc: SourceDoc) -> int:
    """Numbered pages (PDF); a Markdown or text file counts as one."""
    return sum(1 for p in doc.pages if p.number is not None) or 1


def reconcile(store: ChromaStore, manifest: Manifest) -> int:
    """Make store and manifest agree after an interrupted run. Returns how many chunks were removed."""
    in_store = store.ids_by_doc()
    removed = 0
    changed = False
    for doc_id, entry in list(manifest.docs.items()):
        if not set(entry.chunk_ids) <= in_store.get(doc_id, set()):
            del manifest.docs[doc_id]  # half-written: drop it so this run ingests it again
            changed = True
    expected = manifest.chunk_ids()
    orphans = sorted(cid for ids in in_store.values() for cid in ids if cid not in expected)
    if orphans:
        store.delete(orphans)
        removed = len(orphans)
    if changed:
        manifest.save()
    return removed
