"""The manifest: which document (path, content hash) owns which chunk ids. Saved atomically."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

MANIFEST_VERSION = 1


@dataclass(frozen=True)
class DocEntry:
    doc_id: str
    path: str
    content_hash: str
    chunk_ids: tuple[str, ...]
    title: str
    year: int | None
    doc_type: str
    status: str
    kind: str
    indexed_at: str
    warnings: tuple[str, ...] = ()
    reader: str = ""  # the version of the reading code that made the chunks (see loader.reader_version)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DocEntry:
        data = dict(data)
        data["chunk_ids"] = tuple(data.get("chunk_ids", ()))
        data["warnings"] = tuple(data.get("warnings", ()))
        return cls(**data)


@dataclass
class Manifest:
    path: Path
    embedder: str = ""
    docs: dict[str, DocEntry] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path, embedder: str) -> Manifest:
        if not path.is_file():
            return cls(path, embedder)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            docs = {d["doc_id"]: DocEntry.from_json(d) for d in data.get("docs", [])}
        except (ValueError, KeyError, TypeError):
            # A damaged manifest is rebuilt from the corpus: reconcile then treats every stored chunk as orphan.
            return cls(path, embedder)
        return cls(path, embedder, docs)

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "version": MANIFEST_VERSION,
            "embedder": self.embedder,
            "docs": [asdict(self.docs[k]) for k in sorted(self.docs)],
        }
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        with open(tmp, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, indent=1)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, self.path)

    def by_path(self) -> dict[str, DocEntry]:
        return {entry.path: entry for entry in self.docs.values()}

    def chunk_ids(self) -> set[str]:
        return {cid for entry in self.docs.values() for cid in entry.chunk_ids}
