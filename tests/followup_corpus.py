"""A tiny rules corpus for conversations: parallel stage sections, a co-funding rule with a distractor that also
speaks of land and buildings, and an event whose date and venue only the earlier turn names."""

from __future__ import annotations

from pathlib import Path

RULES_MD = """---
doc_id: aturan-tahap
title: Ketentuan Pendanaan Bertahap
issuer: Direktorat Uji
year: 2019
doc_type: ketentuan
status: berlaku
---
# Ketentuan Pendanaan Bertahap

## Dana Tahap Perumusan

Dana tahap perumusan paling banyak Rp100 juta per klaster untuk penyusunan master plan.

## Dana Tahap Pendampingan

Dana tahap pendampingan paling banyak Rp250 juta per klaster untuk rapat koordinasi dan kunjungan.

## Dana Pendamping Daerah

Pemerintah daerah wajib menyediakan dana pendamping paling sedikit 25% dari nilai bantuan.
Dana pendamping boleh berupa natura seperti lahan atau bangunan, dengan nilai natura paling banyak 50% dari
dana pendamping.

## Surat Komitmen Bupati

Bupati menandatangani surat komitmen yang menyatakan kesediaan menyediakan lahan, bangunan, atau rumah produksi
bagi kegiatan klaster.
"""

EVENT_MD = """---
doc_id: sosialisasi
title: Laporan Sosialisasi Model Klaster Inovasi
issuer: Direktorat Uji
year: 2018
doc_type: berita
status: berlaku
---
# Laporan Sosialisasi Model Klaster Inovasi

## Pelaksanaan Sosialisasi

Sosialisasi model klaster inovasi diadakan pada Senin, 26 Maret 2018 di The Sultan Hotel & Residence, Jakarta.

## Peserta Sosialisasi

Peserta berasal dari 30 provinsi, terdiri atas Balitbangda, perguruan tinggi, dan dunia usaha.
"""


def build_followup_corpus(corpus: Path) -> Path:
    corpus.mkdir(parents=True, exist_ok=True)
    (corpus / "aturan-tahap.md").write_text(RULES_MD, encoding="utf-8")
    (corpus / "sosialisasi.md").write_text(EVENT_MD, encoding="utf-8")
    return corpus
