"""Uploads: safe names, size and content checks, metadata from the form, nothing broken left behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.ingest.loader import CorpusFile, load_document
from assistant.uploads import UploadError, UploadMeta, parse_year, place_upload, safe_filename
from assistant.yaml_io import load_yaml
from tests.pdfs import RULES_PAGES, write_image_only_pdf, write_pdf, write_sidecar

MD = "# Panduan Monitoring\n\n## Kunjungan\n\nKunjungan lapangan dua kali setahun.\n"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    path = tmp_path / "corpus"
    path.mkdir()
    return path


def upload(tmp_path: Path, name: str, data: bytes | str) -> Path:
    src = tmp_path / "incoming" / name
    src.parent.mkdir(parents=True, exist_ok=True)
    src.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return src


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd.md", "passwd.md"),
        ("..\\..\\Windows\\evil.PDF", "evil.pdf"),
        ("Panduan Klaster (final) 2019.pdf", "panduan-klaster-final-2019.pdf"),
        ("Ringkasan Évaluasi.markdown", "ringkasan-evaluasi.markdown"),
        (".hidden.md", "hidden.md"),
        ("_draft.md", "draft.md"),
    ],
)
def test_names_lose_folders_and_odd_characters(name: str, safe: str) -> None:
    assert safe_filename(name) == safe


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("skrip.html", "not a PDF or Markdown"),
        ("tanpa-ekstensi", "extension missing"),
        ("$$$.pdf", "no letters"),
        ("README.md", "reserved"),
    ],
)
def test_unsafe_or_unsupported_names_are_refused(name: str, message: str) -> None:
    with pytest.raises(UploadError, match=message):
        safe_filename(name)


def test_pdf_with_form_metadata_gets_a_sidecar(tmp_path: Path, corpus: Path) -> None:
    src = write_pdf(tmp_path / "in" / "Aturan Dana.pdf", RULES_PAGES)
    meta = UploadMeta(title="Aturan Dana 2018", year=2018, doc_type="ketentuan", status="contoh", issuer="Uji")
    placed = place_upload(src, src.name, meta, corpus, max_mb=5)
    assert placed.path == corpus / "aturan-dana.pdf" and placed.doc_id == "aturan-dana" and not placed.replaced
    sidecar = load_yaml((corpus / "aturan-dana.pdf.yaml").read_text(encoding="utf-8"), "sidecar")
    assert sidecar == {
        "title": "Aturan Dana 2018",
        "issuer": "Uji",
        "year": 2018,
        "doc_type": "ketentuan",
        "status": "contoh",
    }
    doc = load_document(CorpusFile(placed.path, placed.path.name))
    assert (doc.meta.title, doc.meta.status, len(doc.pages)) == ("Aturan Dana 2018", "contoh", 3)
    assert sorted(p.name for p in corpus.iterdir()) == ["aturan-dana.pdf", "aturan-dana.pdf.yaml"]


def test_replacing_a_pdf_keeps_its_sidecar_values_unless_the_form_changes_them(tmp_path: Path, corpus: Path) -> None:
    old = write_pdf(corpus / "aturan.pdf", RULES_PAGES[:1])
    write_sidecar(old, doc_id="aturan-dana", title="Aturan Lama", year=2018, doc_type="ketentuan", status="berlaku")
    src = write_pdf(tmp_path / "in" / "aturan.pdf", RULES_PAGES)
    placed = place_upload(src, "aturan.pdf", UploadMeta(status="diganti"), corpus, 5, {"aturan-dana": "aturan.pdf"})
    assert placed.replaced and placed.doc_id == "aturan-dana" and placed.title == "Aturan Lama"
    assert load_document(CorpusFile(placed.path, "aturan.pdf")).meta.status == "diganti"


def test_markdown_gets_the_form_values_as_front_matter(tmp_path: Path, corpus: Path) -> None:
    own = "---\ntitle: Judul Sendiri\nyear: 2017\n---\n" + MD
    src = upload(tmp_path, "monitoring.md", own)
    placed = place_upload(src, src.name, UploadMeta(year=2019, doc_type="panduan"), corpus, 5)
    doc = load_document(CorpusFile(placed.path, placed.path.name))
    assert (doc.meta.title, doc.meta.year, doc.meta.doc_type) == ("Judul Sendiri", 2019, "panduan")
    assert "Kunjungan lapangan dua kali setahun." in doc.pages[0].text


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("palsu.pdf", "hanya teks", "content is not a PDF"),
        ("dok.md", b"%PDF-1.4\n%%EOF", "holds a PDF but ends with .md"),
        ("biner.md", b"\x89PNG\r\n\x1a\n\x00\x00", "binary data"),
        ("latin.md", "caf\xe9".encode("latin-1"), "not UTF-8 text"),
        ("kosong.md", "   \n", "is empty"),
        ("rusak.pdf", b"%PDF-1.7\n1 0 obj <<", "cannot be indexed: not a readable PDF"),
    ],
)
def test_content_is_checked_not_just_the_extension(
    tmp_path: Path, corpus: Path, name: str, data: bytes | str, message: str
) -> None:
    with pytest.raises(UploadError, match=message):
        place_upload(upload(tmp_path, name, data), name, UploadMeta(title="X"), corpus, 5)
    assert list(corpus.iterdir()) == []


def test_scanned_pdf_and_bad_metadata_are_refused_before_entering_the_corpus(tmp_path: Path, corpus: Path) -> None:
    scan = write_image_only_pdf(tmp_path / "in" / "scan.pdf")
    with pytest.raises(UploadError, match="no extractable text"):
        place_upload(scan, "scan.pdf", UploadMeta(title="Scan"), corpus, 5)
    with pytest.raises(UploadError, match="doc_id 'Bad Id'"):
        place_upload(upload(tmp_path, "a.md", MD), "a.md", UploadMeta(doc_id="Bad Id"), corpus, 5)
    with pytest.raises(UploadError, match="status 'resmi' is unknown"):
        place_upload(upload(tmp_path, "a.md", MD), "a.md", UploadMeta(status="resmi"), corpus, 5)
    assert list(corpus.iterdir()) == []


def test_size_cap_and_taken_doc_ids(tmp_path: Path, corpus: Path) -> None:
    big = upload(tmp_path, "besar.md", "# Besar\n\n" + "kata " * 300_000)
    with pytest.raises(UploadError, match="over the limit of 1 MB"):
        place_upload(big, "besar.md", UploadMeta(), corpus, max_mb=1)
    src = upload(tmp_path, "lain.md", MD)
    with pytest.raises(UploadError, match=r"doc_id 'panduan' is already used by panduan\.pdf"):
        place_upload(src, "lain.md", UploadMeta(doc_id="panduan"), corpus, 5, {"panduan": "panduan.pdf"})
    assert list(corpus.iterdir()) == []


def test_years_from_the_form() -> None:
    assert parse_year(" 2019 ") == 2019 and parse_year("") is None and parse_year(None) is None
    for bad in ("19", "dua ribu", "3000"):
        with pytest.raises(UploadError, match="between 1945 and 2100"):
            parse_year(bad)
