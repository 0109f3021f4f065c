"""Real PDFs for tests, written with fpdf2: multi-page rule documents and broken variants."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _pdf() -> FPDF:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=25)
    pdf.add_font("DejaVu", "", FONT)
    pdf.set_font("DejaVu", size=11)
    pdf.set_creation_date(datetime(2018, 3, 26, tzinfo=UTC))  # deterministic bytes
    return pdf


def write_pdf(path: Path, pages: list[list[str]], header: str | None = None, password: str | None = None) -> Path:
    """One list of lines per page; a running header and a 'Halaman N dari M' footer on every page."""
    pdf = _pdf()
    total = len(pages)
    for number, lines in enumerate(pages, start=1):
        pdf.add_page()
        if header:
            pdf.cell(0, 7, header, new_x="LMARGIN", new_y="NEXT")
        for line in lines:
            pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
        pdf.set_auto_page_break(auto=False)
        pdf.set_y(-18)
        pdf.cell(0, 6, f"Halaman {number} dari {total}", align="C")
        pdf.set_auto_page_break(auto=True, margin=25)
    if password:
        pdf.set_encryption(owner_password="owner-secret", user_password=password)
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path


def write_table_pdf(path: Path, before: str, rows: list[tuple[str, ...]], after: str, widths: tuple[int, ...]) -> Path:
    """A ruled table (every cell bordered) between two paragraphs: long cells wrap over several lines and the
    other cells of the row are set level with their middle, as word processors print checklists."""
    from fpdf import FontFace

    pdf = _pdf()
    pdf.add_page()
    pdf.multi_cell(0, 6, before, new_x="LMARGIN", new_y="NEXT")
    aligns = ("LEFT",) + ("CENTER",) * (len(widths) - 1)
    style = FontFace(emphasis="")
    with pdf.table(
        width=sum(widths), col_widths=widths, align="LEFT", v_align="MIDDLE", text_align=aligns, headings_style=style
    ) as table:
        for cells in rows:
            row = table.row()
            for cell in cells:
                row.cell(cell)
    pdf.multi_cell(0, 6, after, new_x="LMARGIN", new_y="NEXT")
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path


def write_image_only_pdf(path: Path, pages: int = 2) -> Path:
    """Pages with drawings only: what a scan without OCR looks like to a text extractor."""
    pdf = _pdf()
    for _ in range(pages):
        pdf.add_page()
        for i in range(12):
            pdf.rect(20, 20 + i * 18, 170, 10, style="F")
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path


def write_sidecar(pdf_path: Path, **meta: object) -> None:
    lines = [f"{k}: {v}" for k, v in meta.items()]
    pdf_path.with_name(pdf_path.name + ".yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


RULES_PAGES = [
    [
        "BAB I PENDAHULUAN",
        "1.1 Latar Belakang",
        "Dokumen ini mengatur bantuan pendanaan klaster inovasi berbasis produk unggulan daerah.",
        "1.2 Tujuan",
        "Tujuan bantuan adalah meningkatkan nilai tambah produk unggulan daerah melalui kolaborasi.",
    ],
    [
        "BAB II PERSYARATAN PENGUSUL",
        "2.1 Pengusul",
        "Pengusul adalah Balitbangda provinsi yang bermitra dengan perguruan tinggi dan dunia usaha.",
        "Setiap provinsi hanya boleh mengajukan satu proposal dalam satu tahun anggaran.",
        "2.2 Surat Komitmen",
        "Proposal dilampiri surat komitmen gubernur dan surat pernyataan mitra industri.",
    ],
    [
        "Lanjutan ketentuan surat komitmen: surat ditandatangani paling lambat saat proposal dikirim.",
        "BAB III PENDANAAN",
        "3.1 Besaran Dana",
        "Dana perumusan paling banyak Rp150.000.000 per klaster untuk jangka waktu delapan bulan.",
        "3.2 Komponen Biaya",
        "Honorarium paling banyak 30% dari total dana. Pembelian kendaraan tidak diperbolehkan.",
    ],
]


def write_zero_page_pdf(path: Path) -> Path:
    """A well-formed PDF whose page tree is empty (what a failed export sometimes leaves)."""
    body = (
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    )
    offsets = [body.index(b"1 0 obj"), body.index(b"2 0 obj")]
    xref = b"xref\n0 3\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    trailer = b"trailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % len(body)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body + xref + trailer)
    return path
