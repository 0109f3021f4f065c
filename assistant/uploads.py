"""Uploads from the Documents tab: safe names, size and content checks, metadata from the form.

A file is checked completely (it parses, its metadata is valid, its doc_id is free) in a staging folder
before it enters the corpus folder, so a bad upload never leaves a broken file behind.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.errors import AssistantError, IngestError
from assistant.ingest.loader import IGNORED_NAMES, CorpusFile, load_document, sidecar_of, split_front_matter
from assistant.types import DOC_TYPES, STATUSES, SourceDoc
from assistant.yaml_io import YamlProblem, dump_yaml, load_yaml

ALLOWED_EXTENSIONS = {".pdf": "pdf", ".md": "markdown", ".markdown": "markdown"}
MAX_STEM_CHARS = 80


class UploadError(AssistantError):
    """An upload that cannot enter the corpus; the message says what is wrong and what to do."""


@dataclass(frozen=True)
class UploadMeta:
    """Metadata typed into the upload form; empty fields keep the file's own (or the previous) values."""

    title: str = ""
    year: int | None = None
    doc_type: str = ""
    status: str = ""
    issuer: str = ""
    doc_id: str = ""
    supersedes: str = ""

    def to_mapping(self) -> dict[str, Any]:
        values = {
            "doc_id": self.doc_id.strip(),
            "title": self.title.strip(),
            "issuer": self.issuer.strip(),
            "year": self.year,
            "doc_type": self.doc_type.strip().lower(),
            "status": self.status.strip().lower(),
            "supersedes": self.supersedes.strip(),
        }
        return {k: v for k, v in values.items() if v not in ("", None)}

    def check(self) -> None:
        if self.doc_type and self.doc_type.strip().lower() not in DOC_TYPES:
            raise UploadError(f"document type {self.doc_type!r} is unknown; choose one of {', '.join(DOC_TYPES)}")
        if self.status and self.status.strip().lower() not in STATUSES:
            raise UploadError(f"status {self.status!r} is unknown; choose one of {', '.join(STATUSES)}")


def parse_year(text: object) -> int | None:
    """A year typed into the form ('' = not given)."""
    value = str(text if text is not None else "").strip()
    if not value:
        return None
    if not re.fullmatch(r"\d{4}", value) or not 1945 <= int(value) <= 2100:
        raise UploadError(f"year {value!r} is not a year between 1945 and 2100; write it as e.g. 2019")
    return int(value)


@dataclass(frozen=True)
class PlacedUpload:
    path: Path  # inside the corpus folder
    doc_id: str
    title: str
    replaced: bool  # a file of that name was already in the corpus
    warnings: tuple[str, ...] = ()


def safe_filename(name: str) -> str:
    """The last path part, ASCII, lowercase, only [a-z0-9_-] before one allowed extension."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode("ascii")
    stem, dot, ext = base.rpartition(".")
    ext = f".{ext.lower()}" if dot else ""
    if ext not in ALLOWED_EXTENSIONS:
        raise UploadError(
            f"{name!r} is not a PDF or Markdown file (extension {ext or 'missing'}); upload a .pdf or .md file"
        )
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-_").lower()[:MAX_STEM_CHARS].strip("-_")
    if not stem:
        raise UploadError(f"file name {name!r} has no letters or digits; rename it, e.g. panduan-2019.pdf")
    safe = f"{stem}{ext}"
    if safe in IGNORED_NAMES:
        raise UploadError(f"the name {safe!r} is reserved for a corpus support file; rename the upload")
    return safe


def sniff(data: bytes, name: str, ext: str) -> str:
    """The kind the *content* shows (pdf | markdown); raises when it disagrees with the extension."""
    is_pdf = b"%PDF-" in data[:1024]
    if ALLOWED_EXTENSIONS[ext] == "pdf":
        if not is_pdf:
            raise UploadError(f"{name!r} ends with .pdf but its content is not a PDF; upload the real PDF")
        return "pdf"
    if is_pdf:
        raise UploadError(f"{name!r} holds a PDF but ends with {ext}; rename it to .pdf")
    if b"\0" in data[:8192]:
        raise UploadError(f"{name!r} holds binary data, not Markdown text; save it as UTF-8 text")
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise UploadError(
            f"{name!r} is not UTF-8 text (byte {data[e.start]:#04x} at offset {e.start}); re-save it as UTF-8"
        ) from e
    return "markdown"


def read_checked(src: Path, name: str, max_mb: int) -> bytes:
    try:
        size = src.stat().st_size
        if size > max_mb * 1024 * 1024:
            raise UploadError(
                f"{name!r} is {size / 1024 / 1024:.1f} MB, over the limit of {max_mb} MB; "
                "make it smaller or raise KLASINOV_MAX_UPLOAD_MB"
            )
        data = src.read_bytes()
    except OSError as e:
        raise UploadError(f"the uploaded file {name!r} cannot be read ({e.strerror}); upload it again") from e
    if not data.strip():
        raise UploadError(f"{name!r} is empty; upload the complete document")
    return data


def _existing_meta(target: Path, kind: str) -> dict[str, Any]:
    """Metadata already kept for a file of this name (its sidecar), so a replacement need not retype it."""
    sidecar = sidecar_of(target)
    if kind != "pdf" or not sidecar.is_file():
        return {}
    try:
        raw = load_yaml(sidecar.read_text(encoding="utf-8"), f"sidecar {sidecar.name}")
    except (YamlProblem, OSError, UnicodeDecodeError):
        return {}
    return raw if isinstance(raw, dict) else {}


def _with_front_matter(data: bytes, name: str, form: Mapping[str, Any]) -> bytes:
    """Markdown with the form's values merged over its own front matter."""
    text = data.decode("utf-8-sig")
    try:
        own, body = split_front_matter(text, CorpusFile(Path(name), name))
    except IngestError as e:
        raise UploadError(f"{e}") from e
    if not form:
        return text.encode("utf-8")
    merged = (own or {}) | dict(form)
    return ("---\n" + dump_yaml(merged) + "---\n" + body.lstrip("\n")).encode("utf-8")


def _stage(staging: Path, name: str, kind: str, data: bytes, meta: Mapping[str, Any]) -> SourceDoc:
    path = staging / name
    if kind == "pdf":
        path.write_bytes(data)
        if meta:
            sidecar_of(path).write_text(dump_yaml(dict(meta)), encoding="utf-8")
    else:
        path.write_bytes(_with_front_matter(data, name, meta))
    try:
        return load_document(CorpusFile(path, name))
    except IngestError as e:
        raise UploadError(f"{name} cannot be indexed: {e.reason}. {e.fix}") from e


def _install(source: Path, target: Path) -> None:
    """Copy next to the target, then rename: a reader never sees half a file."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.upload")
    shutil.copyfile(source, tmp)
    os.replace(tmp, target)


def place_upload(
    src: Path,
    original_name: str,
    form: UploadMeta,
    corpus_dir: Path,
    max_mb: int,
    doc_owners: Mapping[str, str] | None = None,
) -> PlacedUpload:
    """Check an uploaded file and put it (with its metadata) into the corpus folder.

    ``doc_owners`` maps indexed doc ids to their corpus paths, to refuse an id another file already uses.
    """
    form.check()
    name = safe_filename(original_name)
    ext = Path(name).suffix
    data = read_checked(src, original_name, max_mb)
    kind = sniff(data, original_name, ext)
    root = corpus_dir.resolve()
    target = (root / name).resolve()
    if target.parent != root:
        raise UploadError(f"file name {original_name!r} points outside the corpus folder; use a plain name")
    meta = _existing_meta(target, kind) | form.to_mapping()
    with tempfile.TemporaryDirectory(prefix="klasinov-upload-") as staging:
        doc = _stage(Path(staging), name, kind, data, meta)
        owner = (doc_owners or {}).get(doc.meta.doc_id)
        if owner and owner != name:
            raise UploadError(
                f"doc_id {doc.meta.doc_id!r} is already used by {owner}; enter another doc_id, "
                f"or upload the file as {owner} to replace that document"
            )
        replaced = target.exists()
        staged = Path(staging) / name
        if kind == "pdf" and sidecar_of(staged).is_file():
            _install(sidecar_of(staged), sidecar_of(target))
        _install(staged, target)
    return PlacedUpload(target, doc.meta.doc_id, doc.meta.title, replaced, doc.warnings)
