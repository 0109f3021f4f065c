"""Questions on when a regulation was enacted or took effect are answered with that regulation's own closing: on
written examples of the drafting form and on the closings of real regulations read from their PDFs."""

from __future__ import annotations

import pytest

from assistant.answer.enactment import asked_enactment, find_closing, own_number
from assistant.types import Chunk
from tests.test_definitions import real_chunks


def chunk(doc_id: str, title: str, text: str, n: int = 1) -> Chunk:
    return Chunk(f"{doc_id}#{n}", doc_id, text, ("Pasal II",), 0, title, 2015, "regulasi", "berlaku")


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("Kapan PP 76 Tahun 2015 ditetapkan?", (("76", "2015"),)),
        ("Kapan Permendikbudristek 63/2023 mulai berlaku?", (("63", "2023"),)),
        ("When did Regulation 101 of 2012 take effect?", (("101", "2012"),)),
        ("tgl berapa peraturan ini diundangkan", ()),
        ("Kapan batas pengiriman proposal tahun 2020?", None),  # a date, but not an enactment
        ("Siapa yang menetapkan kriteria fakir miskin?", None),  # enacting, but not when
    ],
)
def test_an_enactment_question_and_the_regulations_it_names_are_read(question: str, named: tuple | None) -> None:  # type: ignore[type-arg]
    asked = asked_enactment(question)
    assert (asked.named if asked else None) == named


AMENDING = "Peraturan Pemerintah Nomor 76 Tahun 2015 tentang Perubahan atas Peraturan Pemerintah Nomor 101 Tahun 2012"
BASE = "Peraturan Pemerintah Nomor 101 Tahun 2012 tentang Penerima Bantuan Iuran"


def closing(place_date: str, announced: str) -> str:
    return (
        "Pasal II\nPeraturan Pemerintah ini mulai berlaku pada tanggal diundangkan.\nAgar setiap orang "
        f"mengetahuinya, memerintahkan pengundangan.\nDitetapkan di Jakarta pada tanggal {place_date}\nPRESIDEN "
        f"REPUBLIK INDONESIA,\nttd.\nDiundangkan di Jakarta pada tanggal {announced}\nMENTERI HUKUM,"
    )


def test_the_closing_of_the_named_regulation_answers_not_the_one_it_amends() -> None:
    assert own_number(AMENDING) == ("76", "2015")  # its own number comes first in its title
    chunks = [
        chunk("pp-101", BASE, closing("3 Desember 2012", "3 Desember 2012")),
        chunk("pp-76", AMENDING, "Pasal I\nBeberapa ketentuan diubah.", 1),
        chunk("pp-76", AMENDING, closing("7 Oktober 2015", "8 Oktober 2015"), 2),
    ]
    asked = asked_enactment("Kapan PP 76 Tahun 2015 ditetapkan?")
    assert asked is not None
    found = find_closing(asked, chunks[:1], chunks)  # retrieval ranked the other regulation first
    assert found is not None and found.chunk.chunk_id == "pp-76#2"
    assert found.text == (
        "Peraturan Pemerintah ini mulai berlaku pada tanggal diundangkan. Ditetapkan di Jakarta pada tanggal "
        "7 Oktober 2015. Diundangkan di Jakarta pada tanggal 8 Oktober 2015."
    )
    assert found.chunk.text[found.start :].startswith("Peraturan Pemerintah ini mulai berlaku")


def test_without_a_named_regulation_the_best_ranked_one_with_a_closing_answers_and_none_without() -> None:
    first = chunk("pp-101", BASE, closing("3 Desember 2012", "3 Desember 2012"))
    guide = chunk("panduan", "Panduan Program", "Proposal dikirim paling lambat 30 Juni.")
    asked = asked_enactment("Kapan peraturan ini mulai berlaku?")
    assert asked is not None
    found = find_closing(asked, [guide, first], [guide, first])
    assert found is not None and "3 Desember 2012" in found.text
    assert find_closing(asked, [guide], [guide]) is None  # a guide has no closing: the reader answers as usual


@pytest.mark.parametrize("name", ["bosp-2023", "jkn-pbi"])
def test_real_enactment_questions_find_a_closing_that_holds_their_facts(name: str) -> None:
    chunks, questions = real_chunks(name)
    asked = [q for q in questions if q.answerable and asked_enactment(q.question)]
    assert asked  # each regulation set asks when one of its regulations was enacted
    for q in asked:
        found = find_closing(asked_enactment(q.question), [], chunks)  # type: ignore[arg-type]
        assert found is not None, q.question
        assert all(f.found_in(found.text) for f in q.must_contain), (q.question, found.text)
