"""Find corpus files and turn each into a SourceDoc (or an IngestError that says how to fix it)."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assistant.errors import IngestError
from assistant.ingest.layout import pdf_page_texts
from assistant.ingest.metadata import MetadataProblem, build_meta
from assistant.ingest.pdf_loader import read_pdf
from assistant.ingest.textclean import (
    HEADING_MARK,
    clean_pdf_pages,
    normalize,
    reflow_markdown,
    reflow_pdf_page,
    strip_markdown_emphasis,
)
from assistant.types import DocMeta, Page, SourceDoc
from assistant.yaml_io import YamlProblem, load_yaml

SUPPORTED = {".pdf": "pdf", ".md": "markdown", ".markdown": "markdown", ".txt": "text"}
IGNORED_NAMES = {"readme.md", "glossary.yaml", "glossary.yml", ".gitignore", ".gitattributes"}
IGNORED_SUFFIXES = {".yaml", ".yml", ".py", ".pyc"}


@dataclass(frozen=True)
class CorpusFile:
    path: Path  # absolute
    shown: str  # relative to the corpus folder, for messages and the manifest


def discover(corpus_dir: Path) -> tuple[list[CorpusFile], list[IngestError]]:
    """Candidate files in a stable order, plus the entries that can never be indexed (bad links, types)."""
    root = corpus_dir.resolve()
    files: list[CorpusFile] = []
    problems: list[IngestError] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_")))
        for name in sorted(filenames):
            path = Path(dirpath) / name
            shown = path.relative_to(root).as_posix()
            if name.startswith(".") or name.lower() in IGNORED_NAMES or path.suffix.lower() in IGNORED_SUFFIXES:
                continue
            problem = _entry_problem(path, shown, root)
            if problem:
                problems.append(problem)
            else:
                files.append(CorpusFile(path, shown))
    return files, problems


def _entry_problem(path: Path, shown: str, root: Path) -> IngestError | None:
    if path.is_symlink():
        target = path.resolve()
        if not target.exists():
            return IngestError(shown, f"broken symbolic link to {target}", "Remove the link or restore its target.")
        if not target.is_relative_to(root):
            return IngestError(
                shown,
                f"symbolic link points outside the corpus ({target})",
                "Copy the document into the corpus folder instead of linking to it.",
            )
    if not path.is_file():  # a pipe, socket or device: reading it would block or never end
        return IngestError(
            shown,
            "not a regular file (a pipe, socket or device)",
            "Replace it with the document file or move it out of the corpus.",
        )
    if path.suffix.lower() not in SUPPORTED:
        return IngestError(
            shown,
            f"unsupported file type {path.suffix or '(no extension)'!r}",
            "Convert it to PDF, Markdown (.md) or plain text (.txt), or move it out of the corpus.",
        )
    return None


def sidecar_of(path: Path) -> Path:
    return path.with_name(path.name + ".yaml")


@lru_cache(maxsize=1)
def reader_version() -> str:
    """A hash of the code that turns a file into chunks: when it changes (a better PDF reading, a new chunk
    rule), every document is read again on the next ingest; chunks whose text did not change cost no
    embedding (the embedding cache holds them)."""
    here = Path(__file__).resolve().parent
    sources = [*sorted(here.glob("*.py")), here.parent / "docx_reader.py", here.parent / "units.py"]
    digest = hashlib.sha256()
    for source in sources:
        if source.is_file():
            digest.update(source.name.encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()[:16]


def content_hash(file: CorpusFile) -> str:
    """Hash of the file and its sidecar: any edit to either one makes the document 'changed'."""
    digest = hashlib.sha256(_read_bytes(file))
    sidecar = sidecar_of(file.path)
    if sidecar.is_file():
        digest.update(b"\0sidecar\0" + _read_bytes(file, sidecar))
    return digest.hexdigest()


def _read_bytes(file: CorpusFile, path: Path | None = None) -> bytes:
    """The bytes of the file (or of its sidecar ``path``); a vanished or unreadable one is an IngestError."""
    what = f"its sidecar {path.name}" if path else "the file"
    try:
        return (path or file.path).read_bytes()
    except FileNotFoundError as e:
        raise IngestError(file.shown, f"{what} disappeared during ingest", "Run ingest again.") from e
    except OSError as e:
        raise IngestError(
            file.shown,
            f"{what} cannot be read ({e.strerror})",
            "Check its permissions and run ingest again.",
        ) from e


def load_document(file: CorpusFile, max_pdf_pages: int = 1000) -> SourceDoc:
    data = _read_bytes(file)
    kind = SUPPORTED[file.path.suffix.lower()]
    looks_pdf = b"%PDF-" in data[:1024]
    if not data.strip():
        raise IngestError(file.shown, "the file is empty", "Replace it with the complete document or delete it.")
    if kind == "pdf" and not looks_pdf:
        raise IngestError(
            file.shown,
            "the name ends with .pdf but the content is not a PDF",
            "Give it the right extension (.md or .txt) or replace it with the real PDF.",
        )
    if kind != "pdf" and looks_pdf:
        raise IngestError(
            file.shown,
            f"the content is a PDF but the name ends with {file.path.suffix}",
            "Rename it to .pdf.",
        )
    digest = content_hash(file)
    if kind == "pdf":
        return _load_pdf(file, digest, max_pdf_pages)
    return _load_text(file, data, kind, digest)


def read_pdf_text(path: Path, shown: str, max_pages: int) -> list[str]:
    """Each page's text in reading order (columns in turn, table rows as ' | ' cells), for readers other than
    ingest, such as the draft check. Raises IngestError with the fix."""
    pages, _ = read_pdf(path, shown, max_pages)
    return [text.replace(HEADING_MARK, "") for text in pdf_page_texts(pages)]


def _load_pdf(file: CorpusFile, digest: str, max_pdf_pages: int) -> SourceDoc:
    pdf_pages, info = read_pdf(file.path, file.shown, max_pdf_pages)
    pages = clean_pdf_pages(pdf_page_texts(pdf_pages))
    if not any(p.strip() for p in pages):
        raise IngestError(
            file.shown,
            "no extractable text (a scanned or image-only PDF)",
            "Run OCR on it (e.g. ocrmypdf) or add a text version, then ingest again.",
        )
    sidecar = sidecar_of(file.path)
    raw_meta = _read_sidecar(sidecar, file) if sidecar.is_file() else None
    meta, warnings = _meta(raw_meta, file, f"sidecar {sidecar.name}", info.get("Title") or None)
    if raw_meta is None:
        warnings.insert(0, f"no sidecar {sidecar.name}; metadata was guessed; add the sidecar to set it")
    warnings.extend(image_only_warning(pages))
    doc_pages = tuple(Page(i + 1, text) for i, text in enumerate(pages))
    return SourceDoc(meta, file.shown, digest, "pdf", doc_pages, tuple(warnings))


def image_only_warning(pages: list[str]) -> list[str]:
    """Pages with no text beyond running lines: scans or pictures that cannot be searched until OCR."""
    empty = [str(number) for number, text in enumerate(pages, start=1) if not text.strip()]
    if not empty:
        return []
    shown = ", ".join(empty[:40]) + (f" and {len(empty) - 40} more" if len(empty) > 40 else "")
    return [f"no text layer: OCR needed on page{'s' if len(empty) > 1 else ''} {shown} (scanned or image-only)"]


def _read_sidecar(sidecar: Path, file: CorpusFile) -> dict:
    try:
        raw = load_yaml(_read_bytes(file, sidecar).decode("utf-8"), f"sidecar {sidecar.name}")
    except (YamlProblem, UnicodeDecodeError) as e:
        raise IngestError(file.shown, str(e), f"Fix {sidecar.name} (UTF-8 YAML with key: value lines).") from e
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise IngestError(file.shown, f"sidecar {sidecar.name} is not a mapping", "Write it as key: value lines.")
    return raw


def _meta(raw: dict | None, file: CorpusFile, where: str, title: str | None) -> tuple[DocMeta, list[str]]:
    try:
        return build_meta(raw, file.path, where, title)
    except MetadataProblem as e:
        raise IngestError(file.shown, str(e), "Correct the metadata and run ingest again.") from e


def _load_text(file: CorpusFile, data: bytes, kind: str, digest: str) -> SourceDoc:
    if b"\0" in data[:4096]:
        raise IngestError(file.shown, "the file is binary, not text", "Save it as UTF-8 text or convert to PDF.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise IngestError(
            file.shown,
            f"not UTF-8 text (byte {data[e.start]:#04x} at offset {e.start})",
            "Re-save the file with UTF-8 encoding.",
        ) from e
    raw_meta, body = split_front_matter(text, file)
    if raw_meta is None and sidecar_of(file.path).is_file():
        raw_meta = _read_sidecar(sidecar_of(file.path), file)
    meta, warnings = _meta(raw_meta, file, "front matter" if kind == "markdown" else "sidecar", None)
    body = normalize(body)
    body = reflow_markdown(strip_markdown_emphasis(body)) if kind == "markdown" else reflow_pdf_page(body)
    if not body.strip():
        raise IngestError(file.shown, "the document has metadata but no text", "Add the document text.")
    return SourceDoc(meta, file.shown, digest, kind, (Page(None, body),), tuple(warnings))


def split_front_matter(text: str, file: CorpusFile) -> tuple[dict | None, str]:
    """YAML between a first line '---' and the next '---' line; None when there is none."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None, text
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            try:
                raw = load_yaml("\n".join(lines[1:end]), "front matter", line_offset=1)
            except YamlProblem as e:
                raise IngestError(file.shown, str(e), "Fix the YAML between the '---' lines.") from e
            if raw is not None and not isinstance(raw, dict):
                raise IngestError(file.shown, "front matter is not a mapping", "Write it as key: value lines.")
            return raw or {}, "\n".join(lines[end + 1 :])
    raise IngestError(file.shown, "front matter starts with '---' but never ends", "Add the closing '---' line.")
