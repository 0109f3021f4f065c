"""Real published PDFs through the real loader and chunker: reading order, tables, headings, clean-up.

The two regulations are fixtures in tests/real_pdfs/ (Indonesian regulations carry no copyright); the
two-column programme booklet is read from the shared real-corpora folder and skipped where it is absent."""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path

import pytest

from assistant.errors import IngestError
from assistant.ingest.chunking import chunk_document
from assistant.ingest.loader import CorpusFile, load_document
from assistant.ingest.textclean import CATCHWORD, HEADING_MARK
from assistant.types import Chunk, SourceDoc
from tests.pdfs import write_pdf, write_sidecar, write_table_pdf

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "real_pdfs"


def real_corpora() -> Path | None:
    for candidate in (ROOT.parent / "shared" / "real-corpora", Path(os.environ.get("KLASINOV_REAL_CORPORA", ""))):
        if str(candidate) and (candidate / "README.md").is_file():
            return candidate
    return None


def booklet_path() -> Path:
    folder = real_corpora()
    path = folder / "beasiswa-share-2026" / "lpdp-share-2026.pdf" if folder else None
    if path is None or not path.is_file():
        pytest.skip("the real corpora folder is absent: put it at ../shared/real-corpora or set KLASINOV_REAL_CORPORA")
    return path


@cache
def _load(path: str) -> tuple[SourceDoc, tuple[Chunk, ...]]:
    doc = load_document(CorpusFile(Path(path), Path(path).name))
    return doc, tuple(chunk_document(doc))


def load(path: Path) -> tuple[SourceDoc, tuple[Chunk, ...]]:
    return _load(str(path))


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def paths(chunks: tuple[Chunk, ...]) -> list[str]:
    return [" > ".join(c.section) for c in chunks]


def assert_whole(chunks: tuple[Chunk, ...], sentences: list[str]) -> None:
    texts = [flat(c.text) for c in chunks]
    broken = [s for s in sentences if not any(s in t for t in texts)]
    assert not broken, f"sentences not found whole in any chunk: {broken}"


def assert_sections_found(chunks: tuple[Chunk, ...], expected: list[str], share: float = 0.9) -> None:
    found = [e for e in expected if any(e.lower() in p.lower() for p in paths(chunks))]
    missing = sorted(set(expected) - set(found))
    assert len(found) >= share * len(expected), f"section titles not found: {missing}"


def assert_no_running_lines(chunks: tuple[Chunk, ...], running: re.Pattern[str]) -> None:
    offending = [(c.section, line) for c in chunks for line in c.text.split("\n") if running.search(line)]
    assert not offending, f"running header/footer/page number left in chunks: {offending[:5]}"


def assert_no_markers_or_catchwords(chunks: tuple[Chunk, ...]) -> None:
    for chunk in chunks:
        assert HEADING_MARK not in chunk.text
        assert not any(HEADING_MARK in label for label in chunk.section)
        catchwords = [line for line in chunk.text.split("\n") if CATCHWORD.match(line.strip())]
        assert not catchwords, f"catchword left in {chunk.section}: {catchwords}"
        assert not any(CATCHWORD.match(label) for label in chunk.section)


# ---------------------------------------------------------------- the two-column booklet (shared folder)

BOOKLET_SENTENCES = [  # each crosses a column break or a page break in the PDF
    "keterangan dari pimpinan lembaga/instansi/perusahaan sebagaimana terlampir.",
    "wajib menyelesaikan jenjang studi sebelumnya yang berbeda dengan pendaftaran ke LPDP, sebelum melakukan "
    "penandatanganan Surat Pernyataan Penerima Beasiswa.",
    "Khusus untuk pendaftar jenjang Doktor dari program magister tanpa IPK, wajib melampirkan surat keterangan dari "
    "perguruan tinggi asal.",
    "sekurang-kurangnya 3,00 pada skala 4,0 atau yang setara dibuktikan dengan transkrip nilai asli atau salinan "
    "yang telah dilegalisir.",
    "puluh tujuh) tahun untuk jenjang pendidikan doktor dibuktikan dengan",
    "jelaskan secara ringkas mengapa masih perlunya Anda teliti. Tunjukkan bahwa solusi yang ada terhadap isu tersebut",
    "Skema Pendanaan Parsial adalah skema pendanaan bersama antara LPDP dengan individu Penerima Beasiswa",
    "pada 31 Desember di tahun pendaftaran yaitu: a. CPNS/PNS paling tinggi berusia 37 (tiga puluh tujuh) tahun",
    "Bahasa Inggris.",
    "yang telah memiliki LoA Unconditional sesuai ketentuan LPDP,",
    "tanggal pengumuman hasil sanggah pada periode pendaftaran berjalan",
    "Rp 10.000. Status anggota keluarga yang dimaksud adalah",
    "minimal kemampuan bahasa Inggris TOEFL iBT® 80, PTE",
    "pendidikan doktor dengan mengacu pada contoh format kerangka",
]

BOOKLET_SECTIONS = [
    "Tentang LPDP",
    "Apa itu Beasiswa SHARE?",
    "Seperti apa skema Beasiswa SHARE?",
    "Apa saja komponen Dana yang diberikan?",
    "Siapa Sasaran Beasiswa SHARE?",
    "Apa Saja Jenis Skema Pendanaan Beasiswa SHARE?",
    "Siapa Saja yang Dapat Memilih Skema Pendanaan Parsial pada Beasiswa SHARE?",
    "Ketentuan Pendanaan Parsial",
    "Apa saja persyaratan umum pendaftaran Beasiswa SHARE?",
    "Persyaratan Khusus Pendaftar Kriteria Umum",
    "Persyaratan Khusus Pendaftar Kriteria CPNS/PNS/TNI/POLRI",
    "Persyaratan Khusus Pendaftar Kriteria Afirmasi - Putra Putri Papua",
    "Persyaratan Khusus Pendaftar Kriteria Afirmasi - Penyandang Disabilitas",
    "Bagaimana Cara Mendaftar Beasiswa LPDP?",
    "Apa saja tahapan dan jadwal Seleksi Beasiswa LPDP?",
    "Ketentuan tentang LoA Unconditional",
    "Apa saja Pelanggaran dan Sanksi yang diberlakukan oleh LPDP?",
    "Dokumen apa saja yang harus diisi atau diunggah pada aplikasi pendaftaran Beasiswa SHARE Skema Pendanaan Penuh?",
    "C. Dokumen Tambahan Pendaftar Kriteria Afirmasi - Putra Putri Papua",
    "Daftar Daerah Afirmasi",
    "Format Surat Keterangan Penyandang Disabilitas",
    "Contoh Sertifikat Bahasa (IELTS)",
]


def test_booklet_sentences_across_columns_and_pages_come_out_whole() -> None:
    _, chunks = load(booklet_path())
    assert len(BOOKLET_SENTENCES) >= 10
    assert_whole(chunks, BOOKLET_SENTENCES)


def test_booklet_prose_columns_are_not_interleaved_as_cells() -> None:
    _, chunks = load(booklet_path())
    prose = [c for c in chunks if c.page_start is not None and 2 <= c.page_start <= 15]
    assert len(prose) >= 20
    # the only cells on these pages are the selection schedule, a real table inside a column
    with_cells = {c.section for c in prose if " | " in c.text}
    assert with_cells <= {("Apa saja tahapan dan jadwal Seleksi Beasiswa LPDP?",)}
    schedule = " ".join(c.text for c in prose if " | " in c.text)
    assert "Seleksi Administrasi | 3 – 27 Agustus 2026" in schedule


def test_booklet_table_rows_keep_their_cells_and_header() -> None:
    _, chunks = load(booklet_path())
    table = next(c for c in chunks if "No | Provinsi | No | Kabupaten/Kota" in c.text)
    assert "1 | Aceh | 1 | Kabupaten Aceh Jaya" in table.text
    assert "5 | Kalimantan Barat | 8 | Kabupaten Bengkayang" in table.text
    assert table.section[-1] == "Daftar Daerah Afirmasi"


def test_booklet_ruled_checklists_keep_wrapped_cells_marks_and_header() -> None:
    """The required-document tables (pages 16-19): cells wrap over up to twelve lines with the check mark set
    level with their middle, in both columns of the page; the page's ruling says where each row ends."""
    _, chunks = load(booklet_path())
    header = "Dokumen | Online Form | Unggah"
    checklist = [c for c in chunks if header in c.text]
    assert len(checklist) >= 8
    for chunk in checklist:  # every chunk of a checklist leads with its header and holds whole rows only
        rows = [line for line in chunk.text.split("\n") if " | " in line]
        assert rows[0] == header
        assert all(line.count(" | ") == 2 for line in rows), rows
    text = "\n".join(c.text for c in checklist)
    for row in (
        "Biodata Diri | ✓ | –",
        "Kartu Tanda Penduduk (KTP) | – | ✓",
        "Surat rekomendasi dari tokoh masyarakat atau akademisi (opsional) *) | ✓ | ✓",
        "Proposal Penelitian (khusus Doktor) | ✓ | –",
        "Kartu Keluarga (KK) | – | ✓",  # a Wingdings 2 check mark (U+F050) read as ✓
        # a row cut by the column break, joined again (the next column repeats the header)
        "Proses Verifikasi Terdaftar dan Penerima Bansos Aktif pada Data Tunggal Sosial dan Ekonomi Nasional "
        "(DTSEN) melalui Nomor KTP/NIK dan No KK pada aplikasi pendaftaran | ✓ | –",
    ):
        assert row in text, row
    assert (
        "Scan Ijazah SD/SMP/SMA bagi pendaftar yang bertempat tinggal di Indonesia di luar Provinsi Papua, "
        "Provinsi Papua Barat, Provinsi Papua Selatan, Provinsi Papua Tengah, Provinsi Papua Pegunungan atau "
        "Provinsi Papua Barat Daya | – | ✓" in text
    )
    first = next(c for c in checklist if "Biodata Diri" in c.text)
    assert first.section[-1].startswith("Dokumen apa saja yang harus diisi atau diunggah")
    assert "\uf050" not in text


def test_booklet_merged_province_cells_repeat_on_each_district_row() -> None:
    _, chunks = load(booklet_path())
    text = "\n".join(c.text for c in chunks if c.section[-1:] == ("Daftar Daerah Afirmasi",))
    assert "1 | Aceh | 4 | Kota Sabang" in text
    assert "6 | Kalimantan Timur | 14 | Kabupaten Mahakam Ulu" in text
    assert "7 | Kalimantan Utara | 15 | Kabupaten Malinau" in text  # the rule between the two is missing
    assert "25 | Sumatera Utara | 127 | Kabupaten Nias Utara" in text


def test_booklet_headings_come_from_its_fonts() -> None:
    _, chunks = load(booklet_path())
    assert_sections_found(chunks, BOOKLET_SECTIONS)
    assert len(set(paths(chunks))) >= 30  # never one giant section
    assert_no_markers_or_catchwords(chunks)
    # the answer to "Apa itu Beasiswa SHARE?" sits under that heading
    share = [c for c in chunks if c.section[-1] == "Apa itu Beasiswa SHARE?"]
    assert share and any("humaniora" in c.text for c in share)


def test_booklet_running_line_and_image_pages() -> None:
    doc, chunks = load(booklet_path())
    assert_no_running_lines(chunks, re.compile(r"Dipublikasikan tanggal"))
    notes = " ".join(doc.warnings)
    assert "OCR needed" in notes and "pages 1, 37, 38, 44" in notes


# ---------------------------------------------------------------- regulations (fixtures in tests/real_pdfs)

PP101 = FIXTURES / "pp-101-2012.pdf"
PP76 = FIXTURES / "pp-76-2015.pdf"
BOSP = FIXTURES / "permendikbudristek-63-2023.pdf"
PAGE_NUMBER = re.compile(r"^\s*-\s*\d+\s*-\s*$")

PP101_SECTIONS = [
    "BAB I KETENTUAN UMUM > Pasal 1",
    "BAB II PENETAPAN KRITERIA DAN PENDATAAN FAKIR MISKIN DAN ORANG TIDAK MAMPU > Pasal 2",
    "BAB III PENETAPAN PENERIMA BANTUAN IURAN JAMINAN KESEHATAN > Pasal 4",
    "BAB V PENDANAAN IURAN > Pasal 10",
    "BAB VI PERUBAHAN DATA PENERIMA BANTUAN IURAN JAMINAN KESEHATAN > Pasal 11",
    "BAB VII PERAN SERTA MASYARAKAT > Pasal 13",
    "BAB VIII KETENTUAN PENUTUP > Pasal 16",
    "Penjelasan > I. UMUM",
    "Penjelasan > Pasal 3",
    "Penjelasan > Pasal 11",
]


def test_regulation_articles_are_sections_under_their_chapter_and_penjelasan_is_its_own_part() -> None:
    doc, chunks = load(PP101)
    assert_sections_found(chunks, PP101_SECTIONS, share=1.0)
    assert not any(c.section[0].startswith("BAB VIII") and c.page_start and c.page_start >= 10 for c in chunks)
    assert_no_markers_or_catchwords(chunks)
    assert_no_running_lines(chunks, PAGE_NUMBER)
    assert not any("OCR" in w for w in doc.warnings)


def test_regulation_sentences_across_pages_and_wrapped_references_stay_whole() -> None:
    _, chunks = load(PP101)
    assert_whole(
        chunks,
        [
            "sebagaimana dimaksud pada ayat (3) dilakukan setiap 6 (enam) bulan dalam tahun anggaran berjalan.",
            "karena tidak lagi memenuhi kriteria; dan b. penambahan data Fakir Miskin dan Orang Tidak Mampu",
        ],
    )
    _, chunks = load(BOSP)
    assert_whole(
        chunks,
        [
            "Dana BOSP untuk operasional Satuan Pendidikan dalam menyelenggarakan layanan pendidikan anak usia",
            "agar anak memiliki kesiapan dalam memasuki pendidikan lebih lanjut.",
            "yang berfungsi sebagai nomor identitas peserta didik.",
        ],
    )


def test_double_spaced_explanation_keeps_its_paragraphs_whole() -> None:
    """The Penjelasan of PP 101/2012 is set with about two lines' spacing: a line break there is not a paragraph."""
    _, chunks = load(PP101)
    explanation = [c for c in chunks if c.section[0] == "Penjelasan"]
    assert explanation
    midsentence = [m.group(0) for c in explanation for m in re.finditer(r"\w{3,}[,]?\n\n[a-z]\w+", c.text)]
    assert len(midsentence) <= 1, midsentence[:5]
    paragraphs = [p for c in explanation for p in c.text.split("\n\n")]
    assert any(
        "diharapkan seluruh penduduk dapat memenuhi kebutuhan dasar hidup yang layak, termasuk mereka yang "
        "tergolong Fakir Miskin dan Orang Tidak Mampu." in flat(p)
        for p in paragraphs
    )


def test_amending_regulation_cites_the_quoted_article() -> None:
    _, chunks = load(PP76)
    assert_sections_found(
        chunks,
        ["Pasal I > Pasal 11", "Pasal I > Pasal 11A", "Pasal I > Pasal 11B", "Pasal I > Pasal 11C", "Pasal II"],
        share=1.0,
    )
    article = [c for c in chunks if c.section == ("Pasal I", "Pasal 11B")]
    assert article and "bayi" in " ".join(c.text for c in article).lower()
    assert any(c.section[0] == "Penjelasan" for c in chunks)
    assert_no_markers_or_catchwords(chunks)


def test_amending_ministerial_regulation_with_annex() -> None:
    doc, chunks = load(BOSP)
    expected = ["Pasal I > Pasal 1", "Pasal I > Pasal 24", "Pasal I > Pasal 37A", "Pasal I > Pasal 52a", "Pasal II"]
    assert_sections_found(chunks, [*expected, "Lampiran I"], share=1.0)
    annex = [c for c in chunks if c.section[0] == "Lampiran I"]
    assert annex and min(c.page_start or 0 for c in annex) == 11
    assert_no_running_lines(chunks, re.compile(r"jdih\.kemdikbud\.go\.id|^\s*-\s*\d+\s*-\s*$"))
    assert_no_markers_or_catchwords(chunks)
    assert not any("OCR" in w for w in doc.warnings)


# ---------------------------------------------------------------- generated PDFs keep working


def test_pdf_without_headings_is_split_by_page(tmp_path: Path) -> None:
    pages = [
        ["Pengusul menyiapkan proposal dan mengunggahnya melalui laman resmi program."],
        ["Setiap klaster didampingi oleh tim ahli dari perguruan tinggi mitra di daerah."],
        ["Laporan kemajuan disampaikan setiap enam bulan kepada direktorat pembina."],
    ]
    pdf = write_pdf(tmp_path / "polos.pdf", pages)
    write_sidecar(pdf, doc_id="polos", title="Polos", year=2020, status="berlaku", doc_type="lainnya")
    _, chunks = load(pdf)
    assert [c.section for c in chunks] == [("Polos", f"Halaman {n}") for n in (1, 2, 3)]
    assert [c.page_start for c in chunks] == [1, 2, 3]


def test_ruled_table_cells_wrap_whole_and_marks_keep_their_column(tmp_path: Path) -> None:
    rows = [
        ("Dokumen", "Formulir", "Unggah"),
        (
            "Surat pernyataan kesediaan menjadi mitra yang ditandatangani pimpinan perusahaan dan dibubuhi meterai",
            "",
            "✓",
        ),
        ("Proposal lengkap", "✓", ""),
        ("Rencana anggaran biaya per tahap, dengan rincian honorarium, perjalanan, dan bahan habis pakai", "✓", "✓"),
    ]
    pdf = write_table_pdf(
        tmp_path / "daftar.pdf",
        "Dokumen yang diunggah adalah sebagai berikut.",
        rows,
        "Dokumen dikirim paling lambat 5 April.",
        (80, 22, 22),
    )
    write_sidecar(pdf, doc_id="daftar", title="Daftar Dokumen")
    _, chunks = load(pdf)
    text = "\n".join(c.text for c in chunks)
    assert (
        "Dokumen | Formulir | Unggah\n"
        "Surat pernyataan kesediaan menjadi mitra yang ditandatangani pimpinan perusahaan dan dibubuhi meterai"
        " | – | ✓\n"
        "Proposal lengkap | ✓ | –\n"
        "Rencana anggaran biaya per tahap, dengan rincian honorarium, perjalanan, dan bahan habis pakai | ✓ | ✓"
    ) in text
    assert "Dokumen dikirim paling lambat 5 April." in text


def test_long_table_is_split_between_rows_and_each_part_leads_with_its_header(tmp_path: Path) -> None:
    rows = [
        f"| {n} | Kabupaten Contoh {n} dengan nama yang cukup panjang untuk mengisi baris | Zona {n % 3 + 1} |"
        for n in range(1, 90)
    ]
    page = "\n".join(["# Daftar Kabupaten", "", "| No | Kabupaten | Zona |", "|---|---|---|", *rows, ""])
    path = tmp_path / "daftar.md"
    path.write_text(f"---\ndoc_id: daftar\ntitle: Daftar\n---\n{page}", encoding="utf-8")
    _, chunks = load(path)
    parts = [c for c in chunks if "Kabupaten Contoh" in c.text]
    assert len(parts) >= 3
    seen: set[str] = set()
    for part in parts:
        lines = [line for line in part.text.split("\n") if line.strip()]
        assert lines[0] == "| No | Kabupaten | Zona |"
        assert all(line.startswith("|") and line.endswith("|") for line in lines), lines
        seen.update(lines)
    assert set(rows) <= seen  # every row whole in some chunk


def test_sample_corpus_tables_stay_rows() -> None:
    _, chunks = load(ROOT / "corpus" / "contoh-ketentuan-pendanaan.pdf")
    rows = [line for c in chunks for line in c.text.split("\n") if line.count(" | ") >= 2]
    assert len(rows) >= 5
    assert_no_markers_or_catchwords(chunks)


def test_amends_in_the_sidecar_names_the_base_regulation(tmp_path: Path) -> None:
    pdf = tmp_path / "pp-76-2015.pdf"
    pdf.write_bytes(PP76.read_bytes())
    sidecar = PP76.with_name(PP76.name + ".yaml").read_text(encoding="utf-8")
    pdf.with_name(pdf.name + ".yaml").write_text(sidecar + "amends: pp-101-2012\n", encoding="utf-8")
    doc = load_document(CorpusFile(pdf, pdf.name))
    assert doc.meta.amends == "pp-101-2012" and doc.meta.supersedes is None
    assert not any("unknown metadata" in w for w in doc.warnings)
    pdf.with_name(pdf.name + ".yaml").write_text(sidecar + "amends: PP 101/2012\n", encoding="utf-8")
    with pytest.raises(IngestError, match=r"amends 'PP 101/2012'.*doc_id"):
        load_document(CorpusFile(pdf, pdf.name))
    # old metadata without the key stays valid
    assert load(PP101)[0].meta.amends is None
