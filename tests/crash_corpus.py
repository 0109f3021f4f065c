"""A corpus big enough that an ingest lasts seconds: PDFs of several pages and Markdown documents.

``version`` changes the text of the documents in ``edited`` (an edited corpus); ``salt`` adds to every section
of the documents in ``salted`` a sentence no vector cache has seen, so they must be embedded again.
"""

from __future__ import annotations

from pathlib import Path

from tests.pdfs import write_pdf, write_sidecar

TOPICS = [
    ("pendanaan", "dana perumusan", "Rp{n}0.000.000"),
    ("pengusul", "Balitbangda provinsi", "{n} mitra"),
    ("jadwal", "batas waktu proposal", "{n} April"),
    ("pelaporan", "laporan kemajuan", "{n} halaman"),
    ("evaluasi", "penilaian proposal", "skor {n}"),
    ("klaster", "produk unggulan daerah", "{n} klaster"),
]


def _sentences(doc: int, section: int, version: int) -> list[str]:
    topic, subject, amount = TOPICS[(doc + section) % len(TOPICS)]
    n = doc * 10 + section + (version if section == 0 else 0)
    return [  # short sections: embedding them is quick, so a test can afford many runs
        f"Ketentuan {topic} nomor {doc}.{section} mengatur {subject} untuk dokumen {doc}.",
        f"Besaran yang berlaku adalah {amount.format(n=n)} sesuai keputusan direktur.",
    ]


def pdf_pages(doc: int, version: int, salt: str) -> list[list[str]]:
    pages = []
    for page in range(3):
        lines = [f"BAB {page + 1} KETENTUAN {TOPICS[(doc + page) % len(TOPICS)][0].upper()}"]
        for sub in range(2):
            section = page * 2 + sub
            lines.append(f"{page + 1}.{sub + 1} Bagian {section + 1}")
            lines.extend(_sentences(doc, section, version))
            if salt:
                lines.append(f"Catatan revisi {salt} bagian {section + 1} dokumen {doc}.")
        pages.append(lines)
    return pages


def markdown(doc: int, version: int, salt: str) -> str:
    parts = [
        "---",
        f"doc_id: catatan-{doc:02d}",
        f"title: Catatan Program {doc}",
        "issuer: Direktorat Sistem Inovasi",
        "year: 2019",
        "doc_type: berita",
        "status: berlaku",
        "---",
        f"# Catatan Program {doc}",
    ]
    for section in range(4):
        parts += ["", f"## Bagian {section + 1}", "", " ".join(_sentences(doc, section, version))]
        if salt:
            parts[-1] += f" Catatan revisi {salt} bagian {section + 1} dokumen {doc}."
    return "\n".join(parts) + "\n"


def write_crash_corpus(
    corpus: Path,
    pdfs: int = 6,
    notes: int = 4,
    version: int = 0,
    edited: tuple[int, ...] = (),
    salt: str = "",
    salted: tuple[int, ...] = (),
) -> list[str]:
    """Write the corpus (PDFs numbered first, then Markdown notes); returns the doc ids."""
    corpus.mkdir(parents=True, exist_ok=True)
    ids = []
    for doc in range(pdfs):
        v, s = (version if doc in edited else 0), (salt if doc in salted else "")
        pdf = write_pdf(corpus / f"aturan-{doc:02d}.pdf", pdf_pages(doc, v, s))
        write_sidecar(pdf, doc_id=f"aturan-{doc:02d}", title=f"Aturan Program {doc}", issuer="Uji",
                      year=2018, doc_type="ketentuan", status="berlaku")
        ids.append(f"aturan-{doc:02d}")
    for doc in range(pdfs, pdfs + notes):
        v, s = (version if doc in edited else 0), (salt if doc in salted else "")
        (corpus / f"catatan-{doc:02d}.md").write_text(markdown(doc, v, s), encoding="utf-8")
        ids.append(f"catatan-{doc:02d}")
    return ids
