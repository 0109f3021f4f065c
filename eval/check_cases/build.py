"""Builds the draft-check cases: drafts in PDF, DOCX and Markdown made from the required structure with known
parts removed, renamed, reordered, merged or left almost empty, and a YAML of expected statuses per case.

Run `python eval/check_cases/build.py` after changing a case; the generated files are committed.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from eval.check_cases.structure import ATTACHMENTS, BUDGET, COVER, MASTER_PLAN, PROPOSAL  # noqa: E402

RULE_SHARES = [30, 35, 25, 10, 20, 10]  # the sample rules' maximum shares, in BUDGET's order
EMPTY = "Akan dilengkapi."
LONG_SUMMARY = " ".join(["Ringkasan kegiatan perumusan klaster inovasi madu hutan bersama konsorsium."] * 45)
MP_COVER = (
    "MASTER PLAN KLASTER INOVASI KAKAO PROVINSI CONTOH 2019-2023. Disusun oleh konsorsium ABG+C "
    "Balitbangda Provinsi Contoh, Universitas Contoh, PT Kakao Nusantara dan Gapoktan Maju."
)


@dataclass
class Case:
    name: str
    kind: str  # proposal | master-plan
    fmt: str  # pdf | docx | md
    note: str
    remove: tuple[str, ...] = ()
    rename: dict[str, str] = field(default_factory=dict)
    empty: tuple[str, ...] = ()
    merge: tuple[str, str, str] | None = None
    reverse: bool = False
    budget: dict[str, int] = field(default_factory=dict)
    long_summary: bool = False
    pad_pages: int = 0
    styled: bool = True  # DOCX headings with heading styles (else bold plain paragraphs)


CASES = [
    Case("proposal-lengkap", "proposal", "pdf", "complete proposal"),
    Case("proposal-lengkap-docx", "proposal", "docx", "complete proposal", styled=False),
    Case("masterplan-lengkap", "master-plan", "md", "complete master plan"),
    Case(
        "proposal-tanpa-jadwal",
        "proposal",
        "md",
        "a chapter and two attachments removed",
        remove=(
            "Jadwal kegiatan",
            "Surat pernyataan rektor perguruan tinggi pelaksana",
            "Biodata ketua dan anggota tim pelaksana",
        ),
    ),
    Case(
        "proposal-nama-lain",
        "proposal",
        "pdf",
        "two chapters and an attachment renamed",
        rename={
            "Profil PUD dan potensi pasar": "BAB 2 KONDISI PRODUK UNGGULAN DAN PELUANG PEMBELI",
            "Konsorsium ABG+C": "BAB 3 KEMITRAAN AKADEMISI, BISNIS, PEMERINTAH DAN KOMUNITAS",
            "Bukti dana pendamping daerah": "LAMPIRAN 7 KUTIPAN DPA KONTRIBUSI APBD",
        },
    ),
    Case(
        "proposal-urutan-acak",
        "proposal",
        "docx",
        "chapters reversed, one chapter removed",
        reverse=True,
        remove=("Luaran dan indikator keberhasilan",),
    ),
    Case(
        "proposal-gabung",
        "proposal",
        "md",
        "two chapters merged under one heading",
        merge=(
            "Luaran dan indikator keberhasilan",
            "Jadwal kegiatan",
            "BAB 5 LUARAN, INDIKATOR KEBERHASILAN, DAN JADWAL KEGIATAN",
        ),
    ),
    Case(
        "proposal-kosong",
        "proposal",
        "pdf",
        "two parts almost empty, an attachment removed",
        empty=("Ringkasan", "Konsorsium ABG+C"),
        remove=("Surat komitmen Gubernur",),
    ),
    Case(
        "proposal-rab-lebih",
        "proposal",
        "docx",
        "honorarium over its share, bibliography removed",
        budget={
            "Honorarium tim pelaksana dan narasumber": 40_000_000,
            "Perjalanan dinas dan survei lapangan": 25_000_000,
            "Rapat, FGD, dan lokakarya": 20_000_000,
        },
        remove=("Daftar pustaka",),
    ),
    Case(
        "proposal-tanpa-lampiran",
        "proposal",
        "pdf",
        "no attachments, no approval page",
        remove=("Lembar pengesahan", *[a[0] for a in ATTACHMENTS]),
    ),
    Case(
        "proposal-ringkasan-panjang",
        "proposal",
        "md",
        "summary over its word limit, two attachments empty",
        long_summary=True,
        empty=("Surat komitmen bupati atau wali kota lokus", "Naskah kesepakatan kolaborasi ABG+C"),
    ),
    Case("proposal-halaman-lebih", "proposal", "pdf", "content over the page limit", pad_pages=24),
    Case(
        "masterplan-tanpa-bab",
        "master-plan",
        "pdf",
        "two chapters removed, one almost empty",
        remove=("Analisis Hulu", "Rencana Kerja Implementasi (Workplan)"),
        empty=("Desain Industri dan Teknologi",),
    ),
    Case(
        "masterplan-nama-lain",
        "master-plan",
        "docx",
        "two chapters renamed, one removed",
        rename={
            "Peta Aktor dan Kelembagaan Klaster": "BAB VI PARA PIHAK DAN TATA KELOLA KLASTER",
            "Integrasi Program dan Skema Pembiayaan": "BAB X SINERGI PROGRAM DAN SUMBER DANA",
        },
        remove=("Indikator Kinerja, Monitoring, dan Keberlanjutan",),
    ),
    Case(
        "masterplan-gabung",
        "master-plan",
        "md",
        "two chapters merged, one almost empty",
        merge=(
            "Analisis Hilir dan Pascapanen",
            "Analisis Pasar, Rantai Nilai, dan Rantai Pasok",
            "BAB IV ANALISIS HILIR, PASCAPANEN, PASAR DAN RANTAI NILAI",
        ),
        empty=("Analisis Hulu",),
    ),
]


@dataclass
class Part:
    heading: str
    body: str
    table: list[tuple[str, int]] = field(default_factory=list)
    new_page: bool = True


def parts_of(case: Case) -> tuple[list[Part], dict[str, str]]:
    """The draft's parts and the expected status of every requirement."""
    chapters = PROPOSAL if case.kind == "proposal" else MASTER_PLAN
    attachments = ATTACHMENTS if case.kind == "proposal" else []
    expected: dict[str, str] = {("Halaman sampul" if case.kind == "proposal" else "_cover"): "ada"}
    items = []
    for name, heading, body in [*chapters, *attachments]:
        if name in case.remove:
            expected[name] = "tidak ada"
            continue
        expected[name] = "kurang" if name in case.empty else "ada"
        body = EMPTY if name in case.empty else body
        if name == "Ringkasan" and case.long_summary:
            body, expected[name] = LONG_SUMMARY, "kurang"
        items.append((name, case.rename.get(name, heading), body))
    if case.merge:
        first, second, heading = case.merge
        a = next(i for i in items if i[0] == first)
        b = next(i for i in items if i[0] == second)
        items[items.index(a)] = (first, heading, a[2] + " " + b[2])
        items.remove(b)
    if case.reverse:
        body_names = [n for n, h, _ in items if h.startswith("BAB")]
        chapters_only = [i for i in items if i[0] in body_names]
        order = iter(reversed(chapters_only))
        items = [next(order) if i[0] in body_names else i for i in items]
    parts = [Part("", COVER if case.kind == "proposal" else MP_COVER)]
    for name, heading, body in items:
        part = Part(heading, body)
        if name == "Rencana anggaran biaya":
            part.table = [(c, case.budget.get(c, amount)) for c, amount in BUDGET]
        parts.append(part)
        if case.pad_pages and name == "Rencana kegiatan dan metode":
            parts += [Part(f"4.{k} Rincian Kegiatan {k}", body, new_page=True) for k in range(1, case.pad_pages)]
    if case.kind == "proposal":
        expected["Lampiran"] = "ada" if any(a[0] not in case.remove for a in ATTACHMENTS) else "tidak ada"
        expected |= _budget_expected(case)
    if case.fmt == "pdf":
        limit = 25 if case.kind == "proposal" else 100
        expected["batas halaman"] = "kurang" if case.pad_pages + 8 > limit else "ada"
    expected.pop("_cover", None)
    return parts, expected


def _budget_expected(case: Case) -> dict[str, str]:
    amounts = [case.budget.get(c, a) for c, a in BUDGET]
    total = sum(amounts)
    return {
        c: ("ada" if 100 * a / total <= share else "kurang")
        for (c, _), a, share in zip(BUDGET, amounts, RULE_SHARES, strict=True)
    }


def rupiah(amount: int) -> str:
    return "Rp " + f"{amount:,}".replace(",", ".")


def write_md(parts: list[Part], path: Path) -> None:
    lines = []
    for part in parts:
        if part.heading:
            lines += [f"## {part.heading}", ""]
        lines += [part.body, ""]
        if part.table:
            lines += ["| Komponen biaya | Jumlah |", "|---|---|"]
            lines += [f"| {c} | {rupiah(a)} |" for c, a in part.table]
            lines += [f"| Jumlah | {rupiah(sum(a for _, a in part.table))} |", ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def write_pdf(parts: list[Part], path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=20)
    pdf.set_creation_date(__import__("datetime").datetime(2019, 3, 1, tzinfo=__import__("datetime").UTC))
    for part in parts:
        if part.new_page or pdf.page == 0:
            pdf.add_page()
        if part.heading:
            pdf.set_font("Helvetica", "B", 13)
            pdf.multi_cell(0, 8, part.heading, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        pdf.set_font("Helvetica", "", 11)
        pdf.multi_cell(0, 6, part.body, new_x="LMARGIN", new_y="NEXT")
        for component, amount in part.table:
            pdf.cell(120, 7, component)
            pdf.cell(50, 7, rupiah(amount), align="R", new_x="LMARGIN", new_y="NEXT")
        if part.table:
            pdf.cell(120, 7, "Jumlah")
            pdf.cell(50, 7, rupiah(sum(a for _, a in part.table)), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


def write_docx(parts: list[Part], path: Path, styled: bool) -> None:
    import docx

    document = docx.Document()
    document.core_properties.created = __import__("datetime").datetime(2019, 3, 1)
    document.core_properties.modified = __import__("datetime").datetime(2019, 3, 1)
    for part in parts:
        if part.heading and styled:
            document.add_heading(part.heading, level=1)
        elif part.heading:
            document.add_paragraph().add_run(part.heading).bold = True
        document.add_paragraph(part.body)
        if part.table:
            table = document.add_table(rows=0, cols=2)
            for component, amount in [*part.table, ("Jumlah", sum(a for _, a in part.table))]:
                cells = table.add_row().cells
                cells[0].text, cells[1].text = component, rupiah(amount)
    document.save(str(path))
    _fix_zip_times(path)


def _fix_zip_times(path: Path) -> None:
    """Same bytes on every build: the zip entries get one fixed time instead of the clock's."""
    import zipfile

    with zipfile.ZipFile(path) as source:
        entries = [(info.filename, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in entries:
            target.writestr(zipfile.ZipInfo(name, date_time=(2019, 3, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)


def build(out: Path = HERE) -> list[Path]:
    written = []
    for case in CASES:
        parts, expected = parts_of(case)
        draft = out / f"{case.name}.{case.fmt}"
        if case.fmt == "md":
            write_md(parts, draft)
        elif case.fmt == "pdf":
            write_pdf(parts, draft)
        else:
            write_docx(parts, draft, case.styled)
        spec = {"draft": draft.name, "kind": case.kind, "note": case.note, "expected": expected}
        (out / f"{case.name}.yaml").write_text(
            yaml.safe_dump(spec, allow_unicode=True, sort_keys=False, width=120), encoding="utf-8"
        )
        written.append(draft)
    return written


if __name__ == "__main__":
    for path in build():
        print(path.relative_to(HERE.parents[1]))
