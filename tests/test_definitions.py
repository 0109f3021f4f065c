"""Definition questions are answered with the documents' own definition of exactly the asked term: on written
examples of the drafting form and on the definition lists (Pasal 1) of real regulations read from their PDFs."""

from __future__ import annotations

import functools

import pytest

from assistant.answer.definitions import asked_term, find_definition
from assistant.ingest.chunking import chunk_document
from assistant.ingest.loader import discover, load_document
from assistant.types import Chunk
from eval.dataset import load_questions
from tests.real_corpora import real_corpora


def chunk(text: str, chunk_id: str = "d#1") -> Chunk:
    return Chunk(chunk_id, "d", text, ("BAB I", "Pasal 1"), 0, "Peraturan", 2020, "regulasi", "berlaku")


@pytest.mark.parametrize(
    ("question", "term"),
    [
        ("Apa yang dimaksud dengan Fakir Miskin menurut PP 101 Tahun 2012?", "Fakir Miskin"),
        ("Apa itu Dana BOP PAUD?", "Dana BOP PAUD"),
        ("Apa definisi Dana BOS?", "Dana BOS"),
        ("Siapa yang termasuk Orang Tidak Mampu?", "Orang Tidak Mampu"),
        ("apa yg dimaksud dengan klaster inovasi", "klaster inovasi"),
        ("Apa yang dimaksud dengan SIDa dan peraturan apa yang mengaturnya?", "SIDa"),
        ("pengertian pendamping daerah", "pendamping daerah"),
        ("Berapa dana perumusan per klaster?", None),
        ("Apa saja syarat pengusul?", None),
    ],
)
def test_the_asked_term_is_read_from_the_question(question: str, term: str | None) -> None:
    assert asked_term(question) == term


LIST = (
    "Dalam Peraturan ini yang dimaksud dengan:\n1. Iuran adalah sejumlah uang yang dibayar secara teratur.\n"
    "2. Penerima Bantuan Iuran yang\n\nselanjutnya disebut PBI adalah Fakir Miskin dan Orang Tidak Mampu\n\n"
    "sebagai peserta.\n3. Fakir Miskin adalah orang yang sama sekali tidak mempunyai sumber mata pencaharian.\n"
    "4. Menteri adalah menteri yang menyelenggarakan urusan pemerintahan di bidang sosial."
)


def test_a_definition_item_is_found_by_its_term_or_its_abbreviation_and_ends_at_the_next_item() -> None:
    found = find_definition("PBI", [chunk(LIST)])
    assert found is not None
    assert found.text == (
        "Penerima Bantuan Iuran yang selanjutnya disebut PBI adalah Fakir Miskin dan Orang Tidak Mampu sebagai peserta."
    )
    assert LIST[found.start :].startswith("Penerima Bantuan Iuran")
    fakir = find_definition("Fakir Miskin", [chunk(LIST)])
    assert fakir is not None and fakir.text.startswith("Fakir Miskin adalah") and "Menteri" not in fakir.text


def test_only_exactly_the_asked_term_counts_and_earlier_chunks_win() -> None:
    assert find_definition("Miskin", [chunk(LIST)]) is None  # a word of a defined term is not that term
    assert find_definition("Orang Tidak Mampu", [chunk(LIST)]) is None  # named inside a definition only
    other = chunk("Iuran adalah kewajiban bulanan peserta.", "e#1")
    found = find_definition("Iuran", [other, chunk(LIST)])
    assert found is not None and found.chunk.chunk_id == "e#1"


@functools.cache
def real_chunks(name: str) -> tuple[list[Chunk], list]:  # type: ignore[type-arg]
    folder = real_corpora() / name
    files, problems = discover(folder)
    assert not problems, problems
    chunks = [c for f in files for c in chunk_document(load_document(f))]
    return chunks, load_questions(folder / "questions.yaml")


@pytest.mark.parametrize("name", ["bosp-2023", "jkn-pbi"])
def test_real_definition_questions_find_a_definition_that_holds_their_facts(name: str) -> None:
    chunks, questions = real_chunks(name)
    asked = [q for q in questions if q.answerable and asked_term(q.question)]
    assert len(asked) >= 3  # the real sets do ask for definitions
    for q in asked:
        found = find_definition(asked_term(q.question) or "", chunks)
        assert found is not None, q.question
        assert any(f.found_in(found.text) for f in q.must_contain), (q.question, found.text)
        assert len(found.text) < 700 and "adalah" in found.text
