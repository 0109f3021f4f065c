"""Answer layout: a sentence that announces a list travels with it; pointer sentences rank below facts."""

from __future__ import annotations

from assistant.answer.evidence import Evidence
from assistant.answer.extractive import compose_from
from assistant.answer.layout import attach_lead_ins, group_blocks, widen_item_blocks
from assistant.answer.qtype import points_elsewhere
from assistant.types import Chunk, SearchResult
from assistant.units import split_units

TEXT = (
    "Proposal disusun dengan urutan berikut.\n"
    "1. Halaman sampul.\n"
    "2. Lembar pengesahan.\n"
    "3. Ringkasan, paling banyak 300 kata.\n"
    "Proposal diunggah paling lambat 5 April 2019."
)


def chunk(text: str = TEXT, chunk_id: str = "doc#1") -> Chunk:
    section = ("BAB VI PROPOSAL", "6.1 Sistematika")
    return Chunk(chunk_id, "doc", text, section, 0, "Contoh", 2019, "ketentuan", "contoh")


def evidence(kinds: tuple[str, ...], text: str = TEXT, chunk_id: str = "doc#1") -> list[Evidence]:
    c = chunk(text, chunk_id)
    units = [u for u in split_units(c) if u.kind in kinds]
    return [Evidence(c, u, 1, 0.9, 0.5, 1.0 - i / 100) for i, u in enumerate(units)]


def blocks_of(selected: list[Evidence]):  # type: ignore[no-untyped-def]
    return attach_lead_ins(widen_item_blocks(group_blocks(sorted(selected, key=lambda e: e.unit.start))))


def test_an_announcing_sentence_and_its_list_are_one_passage_with_one_citation() -> None:
    selected = evidence(("sentence", "list"))
    lead = next(e for e in selected if e.unit.text.endswith("berikut."))
    listed = next(e for e in selected if e.unit.kind == "list")
    blocks = blocks_of([lead, listed])
    assert len(blocks) == 1 and blocks[0].lead == lead.unit.text
    assert blocks[0].passage.startswith("Proposal disusun dengan urutan berikut.\n1. Halaman sampul.")
    text, sources = compose_from([lead, listed], "id", SearchResult("q", ()))
    assert len(sources) == 1
    assert text.startswith("Proposal disusun dengan urutan berikut [1]:\n1. Halaman sampul.")


def test_a_sentence_that_announces_nothing_keeps_its_own_citation() -> None:
    selected = evidence(("sentence", "list"))
    deadline = next(e for e in selected if "5 April" in e.unit.text)
    listed = next(e for e in selected if e.unit.kind == "list")
    assert len(blocks_of([listed, deadline])) == 2
    # the same announcement in another chunk (another section) does not lead this list
    other = next(e for e in evidence(("sentence",), chunk_id="doc#2") if e.unit.text.endswith("berikut."))
    assert len(blocks_of([other, listed])) == 2


def test_pointer_sentences_are_recognised() -> None:
    assert points_elsewhere("Kegiatan per klaster tercantum dalam dokumen Implementasi 2019.")
    assert points_elsewhere("Dokumen ini meringkas Kerangka Acuan Kegiatan sosialisasi 2018.")
    assert not points_elsewhere("Dana tahap perumusan paling banyak Rp150.000.000 per klaster.")
    assert not points_elsewhere("Proposal diunggah bersama dokumen pendukung paling lambat 5 April 2019.")
    # a fact beside a pointer is still a fact worth quoting
    mixed = "Pemkab menyediakan lahan 2 ha. Rinciannya tercantum dalam dokumen lain."
    assert points_elsewhere(mixed) and not points_elsewhere(mixed, wholly=True)
