"""Document metadata from front matter or a sidecar, with reported fallbacks for what is missing."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from assistant.normalize import years
from assistant.types import STATUSES, DocMeta

DOC_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")
KNOWN_KEYS = {
    "doc_id",
    "title",
    "issuer",
    "year",
    "doc_type",
    "status",
    "supersedes",
    "source_url",
    "language",
    "amends",
}


class MetadataProblem(ValueError):
    """Metadata that cannot be used; the message says which key and how to fix it."""


def slugify(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug[:80] or "dokumen"


def _year_from(value: Any, key_source: str) -> int | None:
    if value is None or value == "":
        return None
    try:
        year = int(str(value).strip())
    except ValueError as e:
        raise MetadataProblem(f"year {value!r} in {key_source} is not a number; write e.g. year: 2018") from e
    if not 1945 <= year <= 2100:
        raise MetadataProblem(f"year {year} in {key_source} is out of range; use a year between 1945 and 2100")
    return year


def _urls(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(str(v) for v in value if v)
    raise MetadataProblem(f"source_url {value!r} must be a string or a list of strings")


def _amends(value: Any, doc_id: str, key_source: str) -> str | None:
    """The doc_id an amending regulation changes; the base stays in force, amended article by article."""
    if value is None or value == "":
        return None
    amended = str(value).strip()
    if not DOC_ID_PATTERN.match(amended):
        raise MetadataProblem(
            f"amends {value!r} in {key_source} must be the doc_id of the amended document, e.g. amends: pp-101-2012"
        )
    if amended == doc_id:
        raise MetadataProblem(f"amends {amended!r} in {key_source} names the document itself; name the base document")
    return amended


def _guess_year(text: str) -> int | None:
    found = years(text)
    return int(found[0]) if found else None


def build_meta(
    raw: Mapping[str, Any] | None, path: Path, key_source: str, fallback_title: str | None = None
) -> tuple[DocMeta, list[str]]:
    """Validate ``raw``; fill what is missing from the file name and return the warnings to report."""
    raw = dict(raw or {})
    warnings: list[str] = []
    unknown = sorted(set(raw) - KNOWN_KEYS)
    if unknown:
        warnings.append(f"unknown metadata keys {unknown} in {key_source} were ignored")
    doc_id = str(raw.get("doc_id") or "").strip()
    if not doc_id:
        doc_id = slugify(path.name.split(".")[0])
        warnings.append(f"no doc_id in {key_source}; used {doc_id!r} from the file name")
    elif not DOC_ID_PATTERN.match(doc_id):
        raise MetadataProblem(f"doc_id {doc_id!r} in {key_source} must be lowercase letters, digits, '-', '_' or '.'")
    title = str(raw.get("title") or "").strip()
    if not title:
        title = fallback_title or path.stem.replace("-", " ").replace("_", " ").strip().title()
        warnings.append(f"no title in {key_source}; used {title!r}")
    status = str(raw.get("status") or "").strip().lower()
    if not status:
        status = "berlaku"
        warnings.append(f"no status in {key_source}; assumed 'berlaku'")
    elif status not in STATUSES:
        raise MetadataProblem(f"status {status!r} in {key_source} must be one of {', '.join(STATUSES)}")
    year = _year_from(raw.get("year"), key_source)
    if year is None:
        year = _guess_year(path.name)
        warnings.append(f"no year in {key_source}; " + (f"took {year} from the file name" if year else "left empty"))
    doc_type = str(raw.get("doc_type") or "").strip().lower()
    if not doc_type:
        doc_type = "lainnya"
        warnings.append(f"no doc_type in {key_source}; used 'lainnya'")
    issuer = str(raw.get("issuer") or "").strip()
    if not issuer:
        issuer = "tidak disebutkan"
        warnings.append(f"no issuer in {key_source}")
    supersedes = raw.get("supersedes")
    amends = _amends(raw.get("amends"), doc_id, key_source)
    meta = DocMeta(
        doc_id=doc_id,
        title=title,
        issuer=issuer,
        year=year,
        doc_type=doc_type,
        status=status,
        supersedes=str(supersedes).strip() if supersedes else None,
        source_urls=_urls(raw.get("source_url")),
        language=str(raw.get("language") or "id"),
        amends=amends,
    )
    return meta, warnings
