"""A small but realistic rule corpus for retrieval and answer tests: PDFs with BAB sections and
Markdown documents, one rule superseded by a newer one, and a glossary."""

from __future__ import annotations

from pathlib import Path

from tests.pdfs import write_pdf, write_sidecar

RULES_2019 = [
    [
        "BAB I KETENTUAN UMUM",
        "1.1 Maksud Dokumen",
        "Dokumen ini memuat ketentuan bantuan pendanaan klaster inovasi tahun 2019 sebagai contoh ilustratif.",
        "BAB II PENGUSUL DAN MITRA",
        "2.1 Persyaratan Pengusul",
        "Pengusul adalah Badan Penelitian dan Pengembangan Daerah (Balitbangda) provinsi yang membentuk konsorsium "
        "dengan perguruan tinggi, dunia usaha dan komunitas.",
        "Perguruan tinggi tidak dapat menjadi pengusul tunggal tanpa pemerintah daerah.",
        "2.2 Surat Komitmen",
        "Proposal wajib melampirkan surat komitmen gubernur dan surat pernyataan kesediaan mitra industri.",
    ],
    [
        "BAB III PENDANAAN",
        "3.1 Besaran Dana Perumusan",
        "Dana tahap perumusan paling banyak Rp150.000.000 per klaster untuk masa kerja delapan bulan.",
        "3.2 Komponen Biaya",
        "Komponen biaya yang diperbolehkan:",
        "a. honorarium tim pelaksana paling banyak 30% dari total dana;",
        "b. perjalanan dinas untuk diskusi kelompok terarah;",
        "c. bahan habis pakai.",
        "Pembelian kendaraan dan pembangunan gedung tidak dibiayai.",
        "BAB IV JADWAL",
        "4.1 Batas Waktu Proposal",
        "Proposal diterima paling lambat tanggal 30 April 2019 melalui surat elektronik resmi.",
    ],
]

RULES_2018 = [
    [
        "BAB III PENDANAAN",
        "3.1 Besaran Dana Perumusan",
        "Dana tahap perumusan paling banyak Rp100.000.000 per klaster untuk masa kerja enam bulan.",
    ]
]

DEFINITIONS_MD = """---
doc_id: definisi
title: Definisi dan Dasar Kebijakan
issuer: Direktorat Sistem Inovasi
year: 2018
doc_type: regulasi
status: berlaku
---
# Definisi dan Dasar Kebijakan

## Sistem Inovasi Daerah (SIDa)

Sistem Inovasi Daerah adalah keseluruhan proses untuk menumbuhkembangkan inovasi antar institusi
pemerintah, lembaga kelitbangan, lembaga pendidikan, dunia usaha dan masyarakat di daerah.

## Quadruple Helix (ABG+C)

Kolaborasi empat unsur: akademisi, dunia usaha, pemerintah dan komunitas.

## Produk Unggulan Daerah

PUD ditetapkan menurut Permendagri Nomor 9 Tahun 2014 tentang Pedoman Pengembangan Produk Unggulan Daerah.
"""

EVENT_MD = """---
doc_id: sosialisasi-2018
title: Sosialisasi Model Klaster Inovasi 2018
issuer: Ditjen Penguatan Inovasi
year: 2018
doc_type: kak
status: berlaku
---
# Sosialisasi 2018

## Waktu dan Tempat

Sosialisasi diadakan pada Senin, 26 Maret 2018 di The Sultan Hotel & Residence, Jakarta.

## Peserta

Peserta berasal dari 30 provinsi: Sekretaris Daerah, Balitbangda, perguruan tinggi dan dunia usaha.
"""

GLOSSARY = """terms:
  - id: [pendanaan, dana, anggaran]
    en: [funding, fund, funds, budget, grant]
  - id: [perumusan]
    en: [formulation]
  - id: [pengusul, persyaratan pengusul]
    en: [applicant, applicants, proposer, eligible, eligibility, apply, submit a proposal, submit proposals]
  - id: [batas waktu, paling lambat]
    en: [deadline]
  - id: [komponen biaya, biaya]
    en: [cost, costs, expenses]
  - id: [Sistem Inovasi Daerah]
    en: [regional innovation system]
    acronym: SIDa
  - id: [peserta]
    en: [participants, attendees]
"""


def build_rules_corpus(corpus: Path) -> Path:
    corpus.mkdir(parents=True, exist_ok=True)
    new = write_pdf(corpus / "ketentuan-2019.pdf", RULES_2019, header="CONTOH - bukan ketentuan resmi")
    write_sidecar(
        new,
        doc_id="ketentuan-2019",
        title="Contoh Ketentuan Pendanaan 2019",
        issuer="Uji",
        year=2019,
        doc_type="ketentuan",
        status="contoh",
        supersedes="ketentuan-2018",
    )
    old = write_pdf(corpus / "ketentuan-2018.pdf", RULES_2018)
    write_sidecar(
        old,
        doc_id="ketentuan-2018",
        title="Ketentuan Pendanaan 2018",
        issuer="Uji",
        year=2018,
        doc_type="ketentuan",
        status="diganti",
    )
    (corpus / "definisi.md").write_text(DEFINITIONS_MD, encoding="utf-8")
    (corpus / "sosialisasi-2018.md").write_text(EVENT_MD, encoding="utf-8")
    (corpus / "glossary.yaml").write_text(GLOSSARY, encoding="utf-8")
    return corpus
