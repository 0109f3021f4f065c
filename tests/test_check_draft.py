"""Reading drafts for the check: headed parts from PDF, DOCX, Markdown and text, the budget table, bad input
refused with what is wrong and how to fix it; list and limit parsing of rule text, also on real documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.check.draft import budget_rows, heading_level, read_draft
from assistant.check.requirements import item_requirement
from assistant.check.text import limits_in, list_items
from assistant.check.types import DraftError, Source
from tests.pdfs import write_image_only_pdf, write_pdf
from tests.real_corpora import real_corpora

SOURCE = Source("aturan", "Aturan", "6.1 Sistematika", 8, 2019, "contoh")


def test_markdown_parts_keep_their_text_and_nesting(tmp_path: Path) -> None:
    draft = tmp_path / "d.md"
    draft.write_text(
        "Judul proposal di sampul\n\n## BAB 1 PENDAHULUAN\n\nLatar belakang.\n\n### 1.1 Tujuan\n\nTujuan kegiatan.\n\n"
        "## BAB 2 JADWAL\n\nEnam bulan.\n",
        encoding="utf-8",
    )
    parts = read_draft(draft).parts
    assert [p.heading for p in parts] == ["", "BAB 1 PENDAHULUAN", "1.1 Tujuan", "BAB 2 JADWAL"]
    assert "Tujuan kegiatan." in parts[1].text  # a chapter's text includes its subsections
    assert "Enam bulan." not in parts[1].text
    assert all(p.page is None for p in parts)


def test_pdf_parts_carry_their_page(tmp_path: Path) -> None:
    pdf = write_pdf(
        tmp_path / "d.pdf",
        [
            ["PROPOSAL KLASTER", "Diusulkan oleh Balitbangda"],
            ["BAB 1 PENDAHULUAN", "Latar belakang kegiatan."],
            ["BAB 2 JADWAL KEGIATAN", "Jadwal enam bulan."],
        ],
    )
    draft = read_draft(pdf)
    assert draft.pages == 3
    found = {p.heading: p.page for p in draft.parts}
    assert found["BAB 1 PENDAHULUAN"] == 2
    assert found["BAB 2 JADWAL KEGIATAN"] == 3


def test_docx_heading_styles_tables_and_plain_bold_titles(tmp_path: Path) -> None:
    import docx  # the test writes a real DOCX; the code reads it through assistant.docx_reader

    document = docx.Document()
    document.add_heading("BAB 1 Pendahuluan", level=1)
    document.add_paragraph("Latar belakang kegiatan klaster.")
    document.add_paragraph("DAFTAR PUSTAKA")  # no heading style: recognised by its form
    table = document.add_table(rows=2, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Honorarium tim", "Rp 30.000.000"
    table.rows[1].cells[0].text, table.rows[1].cells[1].text = "Perjalanan dinas", "Rp 70.000.000"
    document.save(str(tmp_path / "d.docx"))
    draft = read_draft(tmp_path / "d.docx")
    assert [p.heading for p in draft.parts] == ["BAB 1 Pendahuluan", "DAFTAR PUSTAKA"]
    assert [(r.component, r.amount) for r in draft.budget] == [("Honorarium tim", 3e7), ("Perjalanan dinas", 7e7)]


def test_budget_rows_take_the_table_not_amounts_inside_sentences() -> None:
    lines = [
        "Dana pendamping Rp25.000.000 bersumber dari APBD tahun ini.",
        "Honorarium | Rp 10.000.000",
        "Bahan habis pakai | Rp 5.000.000",
        "Jumlah | Rp 15.000.000",
    ]
    assert [r.component for r in budget_rows(lines)] == ["Honorarium", "Bahan habis pakai"]


@pytest.mark.parametrize(
    ("line", "level"),
    [
        ("BAB III ANALISIS HULU", 1),
        ("LEMBAR PENGESAHAN", 1),
        ("2.1 Profil Produk", 2),
        ("Latar belakang kegiatan ini adalah produksi madu.", 0),
        ("1. Halaman sampul.", 0),
        ("Rp 10.000", 0),
    ],
)
def test_heading_level(line: str, level: int) -> None:
    assert heading_level(line) == level


@pytest.mark.parametrize(
    ("name", "content", "needle"),
    [
        ("d.xlsx", b"PK\x03\x04", "cannot be checked"),
        ("d.pdf", b"", "empty"),
        ("d.pdf", b"hello, not a pdf", "not a PDF"),
        ("d.docx", b"%PDF-1.4 nope", "not a DOCX"),
        ("d.docx", b"PK\x03\x04 broken zip", "not a readable DOCX"),
        ("d.md", b"   \n", "no text"),
        ("d.txt", b"\xff\xfe\xfa bad", "UTF-8"),
    ],
)
def test_bad_files_are_refused_with_the_fix(tmp_path: Path, name: str, content: bytes, needle: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DraftError, match=needle) as info:
        read_draft(path)
    assert name in str(info.value)


def test_scanned_encrypted_and_overlong_pdfs_are_refused(tmp_path: Path) -> None:
    with pytest.raises(DraftError, match=r"scan without a text layer.*OCR"):
        read_draft(write_image_only_pdf(tmp_path / "scan.pdf"))
    with pytest.raises(DraftError, match="password"):
        read_draft(write_pdf(tmp_path / "locked.pdf", [["BAB 1 PENDAHULUAN"]], password="rahasia"))
    long = write_pdf(tmp_path / "long.pdf", [[f"Halaman isi {i}"] for i in range(300)])
    with pytest.raises(DraftError, match="300 pages, more than the limit of 150") as info:
        read_draft(long)
    assert "KLASINOV_MAX_PDF_PAGES" not in str(info.value)


def test_list_items_and_their_names_and_limits() -> None:
    text = (
        "Proposal disusun dengan urutan berikut.\n1. Halaman sampul.\n2. Ringkasan, paling banyak 300 kata.\n"
        "3. Bab 1 Pendahuluan: latar belakang,\ntujuan.\n4. Lampiran.\nParagraf sesudahnya."
    )
    items = list_items(text)
    assert items == [
        "Halaman sampul.",
        "Ringkasan, paling banyak 300 kata.",
        "Bab 1 Pendahuluan: latar belakang, tujuan.",
        "Lampiran.",
    ]
    summary = item_requirement(items[1], "bagian", SOURCE)
    assert summary.name == "Ringkasan"
    assert [(lim.op, lim.value, lim.unit) for lim in summary.limits] == [("max", 300.0, "kata")]
    assert item_requirement(items[2], "bagian", SOURCE).name == "Pendahuluan"
    conditional = item_requirement("Khusus tahap implementasi: master plan klaster, spesifikasi.", "lampiran", SOURCE)
    assert conditional.name == "master plan klaster"
    assert [(lim.op, lim.value) for lim in limits_in("paling sedikit 70% dari nilai", "x")] == [("min", 70.0)]


def test_real_regulation_reads_into_chapters_and_lists() -> None:
    pdf = real_corpora() / "jkn-pbi" / "pp-101-2012.pdf"
    draft = read_draft(pdf, max_pages=100)
    chapters = [p for p in draft.parts if p.heading.upper().startswith("BAB ")]
    assert len(chapters) >= 3, [p.heading for p in draft.parts][:30]
    assert all(p.page for p in chapters)
    assert any(len(list_items(p.text)) >= 3 for p in draft.parts)


def test_real_booklet_has_headed_parts_on_many_pages() -> None:
    pdf = real_corpora() / "beasiswa-share-2026" / "lpdp-share-2026.pdf"
    draft = read_draft(pdf, max_pages=100)
    pages = {p.page for p in draft.parts if p.heading}
    assert len(pages) >= 10
