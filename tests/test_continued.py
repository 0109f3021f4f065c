"""A chosen block that ends with a lead-in ("… meliputi:") is quoted with the block it announces: the next block
of its chunk, or the first block of the next chunk of the same section; on written chunks and on a real
regulation read from its PDF."""

from __future__ import annotations

from assistant.answer.continued import with_continuations
from assistant.answer.features import Candidate, answer_order
from assistant.types import Chunk
from assistant.units import Block, split_blocks
from tests.test_definitions import real_chunks


def chunk(text: str, ordinal: int, section: tuple[str, ...] = ("BAB II", "2.3 Persyaratan")) -> Chunk:
    return Chunk(f"d#{ordinal}", "d", text, section, ordinal, "Panduan", 2019, "panduan", "berlaku")


def candidate(c: Chunk, block: Block, rank: int = 1) -> Candidate:
    return Candidate(c, block, rank, 0, 0.9, 0.9, 0.9, frozenset(), frozenset())


def test_a_lead_in_at_a_chunk_end_takes_the_first_block_of_the_next_chunk_of_its_section() -> None:
    first = chunk("Pengusul menyiapkan berkas.\nPersyaratan administrasi meliputi:", 3)
    rest = chunk("a. surat pengantar kepala daerah;\nb. proposal; dan\nc. pakta integritas.", 4)
    other = chunk("a. laporan kemajuan.", 4, ("BAB III", "3.1 Laporan"))
    lead = candidate(first, split_blocks(first)[-1])
    assert lead.block.text == "Persyaratan administrasi meliputi:"

    chosen = with_continuations([lead], [first, rest])
    assert [c.chunk.chunk_id for c in chosen] == ["d#3", "d#4"]
    assert chosen[1].block.text.startswith("a. surat pengantar") and "pakta integritas" in chosen[1].block.text
    assert [c.chunk.ordinal for c in answer_order(chosen)] == [3, 4]  # quoted in reading order

    assert with_continuations([lead], [first, other]) == [lead]  # the next chunk is another section
    plain = candidate(first, split_blocks(first)[0])
    assert with_continuations([plain], [first, rest]) == [plain]  # no lead-in, nothing added
    assert with_continuations([lead, chosen[1]], [first, rest]) == [lead, chosen[1]]  # already chosen


def test_a_real_article_cut_after_its_lead_in_is_quoted_with_its_items() -> None:
    chunks, _ = real_chunks("bosp-2023")
    lead_in = "kemajuan terbaik sebagaimana dimaksud pada ayat (1) huruf c meliputi:"
    holder = next(c for c in chunks if lead_in in c.text)
    blocks = split_blocks(holder)
    ending = [b for b in blocks if b.text.rstrip().endswith("huruf c meliputi:")]
    assert ending, [b.text[-60:] for b in blocks]  # the block split cuts the article after its lead-in
    chosen = with_continuations([candidate(holder, ending[0])], chunks)
    assert len(chosen) == 2
    assert "pembelajaran kurikulum merdeka" in chosen[1].block.text
    assert "perencanaan berbasis data" in chosen[1].block.text


def test_an_answer_quotes_the_lead_first_keeping_a_sentence_that_runs_into_it_whole() -> None:
    text = "Tabel berikut memuat batas biaya.\nContoh tarif tahun 2019:\nPPN 10% atas barang.\nCatatan akhir."
    passage, other = chunk(text, 3), chunk("Dana pendamping 25%.", 7, ("BAB IV", "4.1 Dana"))
    intro, lead_in, rate, closing = (
        Candidate(passage, b, 2, i, 0.9, 0.9, 0.9, frozenset(), frozenset())
        for i, b in enumerate(split_blocks(passage))
    )
    elsewhere = candidate(other, split_blocks(other)[0], rank=1)
    assert lead_in.block.text.endswith("2019:") and rate.block.text.startswith("PPN")
    # the reader's lead (the rate) first, with the lead-in that runs into it; then its passage, then other passages
    ordered = answer_order([rate, elsewhere, closing, intro, lead_in])
    assert [c.block.text.split()[0] for c in ordered] == ["Contoh", "PPN", "Tabel", "Catatan", "Dana"]
    assert answer_order([intro, rate])[0] is intro  # a lead that is the first block keeps reading order
