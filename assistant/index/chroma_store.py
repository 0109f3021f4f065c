"""The vector store: Chroma embedded (PersistentClient) or a Chroma server (HttpClient).

The only module that imports chromadb. Vectors always come from our embedder: Chroma's default
embedding function would download a model, so every collection is opened with ``embedding_function=None``.

An embedded client keeps its vector index in memory and never sees what another process (an ingest next
to a running app) writes to the same folder: it would go on serving the old vectors, and ids deleted
elsewhere without their text. So before each call the store checks the database file and reopens the
client when another process has changed it.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import chromadb
import httpx
import numpy as np
from chromadb.config import Settings as ChromaSettings
from chromadb.errors import ChromaError

from assistant.errors import StoreError
from assistant.types import Chunk

STORE_ERRORS = (ChromaError, ValueError, ConnectionError, OSError, httpx.HTTPError, RuntimeError)
PAGE = 1000

# One build thread and a wide search: the same documents give the same graph and the same neighbours on every
# machine, so an index rebuilt after a rule edit changes only the answers that the edit touches.
HNSW = {"hnsw": {"space": "cosine", "ef_construction": 200, "ef_search": 200, "num_threads": 1}}


class ChromaStore:
    def __init__(self, collection: str, data_dir: Path, url: str | None = None, dim: int | None = None) -> None:
        self.collection_name = collection
        self.url = url
        self.location = url or str((data_dir / "chroma").resolve())
        self._dim = dim
        self._client: Any = None
        self._collection: Any = None
        self._lock = threading.RLock()  # a reopen must not close the client under a running call
        self._seen: tuple[int, ...] | None = None  # disk state the open client has caught up with

    def _connect(self) -> Any:
        settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
        if self.url:
            parts = urlparse(self.url)
            return chromadb.HttpClient(
                host=parts.hostname or "127.0.0.1",
                port=parts.port or 8000,
                ssl=parts.scheme == "https",
                settings=settings,
            )
        Path(self.location).mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=self.location, settings=settings)

    @property
    def collection(self) -> Any:
        if self._collection is not None and not self.url and disk_state(Path(self.location)) != self._seen:
            self._reopen()
        if self._collection is None:
            try:
                self._client = self._client or self._connect()
                metadata = {"dim": self._dim} if self._dim else None
                self._collection = self._client.get_or_create_collection(
                    self.collection_name, embedding_function=None, metadata=metadata, configuration=HNSW
                )
            except STORE_ERRORS as e:
                self._client = None
                raise self._error("open", e) from e
            self._mark_seen()
        return self._collection

    def _mark_seen(self) -> None:
        if not self.url:
            self._seen = disk_state(Path(self.location))

    def _reopen(self) -> None:
        """Drop the client so the next call loads the store as another process left it."""
        with self._lock:
            self.close()

    def close(self) -> None:
        """Release the client (an embedded store frees its files once no client in the process uses them)."""
        with self._lock:
            client, self._client, self._collection = self._client, None, None
            if client is not None and hasattr(client, "close"):
                try:
                    client.close()
                except STORE_ERRORS as e:
                    raise self._error("close", e) from e

    def _error(self, action: str, e: BaseException) -> StoreError:
        self._collection = None
        where = f"Chroma server {self.url}" if self.url else f"Chroma store {self.location}"
        fix = (
            "Start the server (chroma run --path DIR --port PORT) or unset KLASINOV_CHROMA_URL."
            if self.url
            else "Check that the data folder is writable; if it is damaged, run ingest with --rebuild."
        )
        return StoreError(f"{where}: cannot {action} ({type(e).__name__}: {str(e)[:200]}). {fix}")

    def upsert(self, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
        with self._lock:
            self._upsert(chunks, vectors)
            self._mark_seen()

    def _upsert(self, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
        for i in range(0, len(chunks), PAGE):
            part = chunks[i : i + PAGE]
            try:
                self.collection.upsert(
                    ids=[c.chunk_id for c in part],
                    embeddings=np.asarray(vectors[i : i + PAGE], dtype=np.float32),
                    documents=[c.text for c in part],
                    metadatas=[chunk_metadata(c) for c in part],
                )
            except STORE_ERRORS as e:
                raise self._error("write chunks", e) from e

    def delete(self, ids: Sequence[str]) -> None:
        ids = list(ids)
        with self._lock:
            for i in range(0, len(ids), PAGE):
                try:
                    self.collection.delete(ids=ids[i : i + PAGE])
                except STORE_ERRORS as e:
                    raise self._error("delete chunks", e) from e
            self._mark_seen()

    def _pages(self, include: list[str]) -> Iterator[dict[str, Any]]:
        offset = 0
        while True:
            try:
                with self._lock:
                    got = self.collection.get(include=include, limit=PAGE, offset=offset)
            except STORE_ERRORS as e:
                raise self._error("read chunks", e) from e
            if not got["ids"]:
                return
            yield got
            offset += len(got["ids"])

    def ids_by_doc(self) -> dict[str, set[str]]:
        result: dict[str, set[str]] = {}
        for got in self._pages(["metadatas"]):
            for chunk_id, meta in zip(got["ids"], got["metadatas"], strict=True):
                result.setdefault(str((meta or {}).get("doc_id", "")), set()).add(chunk_id)
        return result

    def all_chunks(self) -> list[Chunk]:
        chunks: list[Chunk] = []
        for got in self._pages(["metadatas", "documents"]):
            for chunk_id, text, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True):
                chunks.append(chunk_from_record(chunk_id, text, meta))
        return chunks

    def count(self) -> int:
        try:
            with self._lock:
                return int(self.collection.count())
        except STORE_ERRORS as e:
            raise self._error("count chunks", e) from e

    def query(self, vector: np.ndarray, k: int, where: dict[str, Any] | None = None) -> list[tuple[Chunk, float]]:
        """Nearest chunks with cosine similarity (1 - distance), best first."""
        try:
            with self._lock:
                got = self.collection.query(
                    query_embeddings=[np.asarray(vector, np.float32)],
                    n_results=k,
                    where=where or None,
                    include=["metadatas", "documents", "distances"],
                )
        except STORE_ERRORS as e:
            raise self._error("search", e) from e
        rows = zip(got["ids"][0], got["documents"][0], got["metadatas"][0], got["distances"][0], strict=True)
        # a row without text or metadata is a chunk deleted since this client loaded its vector index
        return [(chunk_from_record(i, t, m), 1.0 - float(d)) for i, t, m, d in rows if t is not None and m]

    def drop(self) -> None:
        with self._lock:
            self._drop()

    def _drop(self) -> None:
        try:
            self._client = self._client or self._connect()
            if self.collection_name in [c if isinstance(c, str) else c.name for c in self._client.list_collections()]:
                self._client.delete_collection(self.collection_name)
        except STORE_ERRORS as e:
            raise self._error("drop the collection", e) from e
        self._collection = None


def disk_state(folder: Path) -> tuple[int, ...]:
    """What changes whenever any process commits to the embedded store: the SQLite file's size, time and
    commit counter (header bytes 24-27), and the write-ahead log's size and time when there is one."""
    state: list[int] = []
    for name in ("chroma.sqlite3", "chroma.sqlite3-wal"):
        try:
            info = (folder / name).stat()
        except FileNotFoundError:
            state += [0, 0]
            continue
        state += [info.st_size, info.st_mtime_ns]
    try:
        with open(folder / "chroma.sqlite3", "rb") as db:
            header = db.read(28)
        state.append(int.from_bytes(header[24:28], "big") if len(header) == 28 else 0)
    except FileNotFoundError:
        state.append(0)
    return tuple(state)


def chunk_metadata(chunk: Chunk) -> dict[str, str | int | float | bool]:
    return {
        "doc_id": chunk.doc_id,
        "title": chunk.title,
        "section": json.dumps(list(chunk.section), ensure_ascii=False),
        "section_path": chunk.section_path,
        "ordinal": chunk.ordinal,
        "year": chunk.year if chunk.year is not None else -1,
        "doc_type": chunk.doc_type,
        "status": chunk.status,
        "doc_hash": chunk.doc_hash,
        "supersedes": chunk.supersedes or "",
        "amends": chunk.amends or "",
        "page_start": chunk.page_start if chunk.page_start is not None else -1,
        "page_starts": json.dumps(chunk.page_starts),
    }


def chunk_from_record(chunk_id: str, text: str | None, meta: dict[str, Any] | None) -> Chunk:
    meta = meta or {}
    year = int(meta.get("year", -1))
    return Chunk(
        chunk_id=chunk_id,
        doc_id=str(meta.get("doc_id", "")),
        text=text or "",
        section=tuple(json.loads(str(meta.get("section", "[]")))),
        ordinal=int(meta.get("ordinal", 0)),
        title=str(meta.get("title", "")),
        year=None if year < 0 else year,
        doc_type=str(meta.get("doc_type", "")),
        status=str(meta.get("status", "")),
        doc_hash=str(meta.get("doc_hash", "")),
        supersedes=str(meta.get("supersedes") or "") or None,
        page_starts=tuple((int(o), int(p)) for o, p in json.loads(str(meta.get("page_starts", "[]")))),
        amends=str(meta.get("amends") or "") or None,
    )
