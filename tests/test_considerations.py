"""Why a regulation was made or amended is answered with the considerations (Menimbang) it states for itself:
on written examples of the drafting form and on real regulations read from their PDFs."""

from __future__ import annotations

import pytest

from assistant.answer.considerations import amended_number, asked_reason, find_considerations
from assistant.types import Chunk
from tests.test_definitions import real_chunks


@pytest.mark.parametrize(
    ("question", "amended", "named"),
    [
        ("Mengapa PP 101 Tahun 2012 perlu diubah?", True, (("101", "2012"),)),
        ("Why was Regulation 63 of 2022 amended?", True, (("63", "2022"),)),
        ("Apa alasan penetapan peraturan ini?", False, ()),
        ("Kenapa peraturan menteri itu diterbitkan?", False, ()),
        ("Menurut penjelasan PP 101/2012, apa contoh alasan penghapusan data peserta PBI?", None, None),
        ("Mengapa nama kementerian pada sampul panduan 2017 berbeda dengan pemberitaan?", None, None),
        ("Why is the foreword of the 2017 guide compared with a BPPT guide?", None, None),
    ],
)
def test_a_reason_question_about_a_regulation_is_read(question: str, amended: bool | None, named: tuple | None) -> None:  # type: ignore[type-arg]
    asked = asked_reason(question)
    assert (asked.amended, asked.named) == (amended, named) if asked else (amended is None and named is None)


BASE = "Peraturan Pemerintah Nomor 101 Tahun 2012 tentang Penerima Bantuan Iuran"
AMENDING = "Peraturan Pemerintah Nomor 76 Tahun 2015 tentang Perubahan atas Peraturan Pemerintah Nomor 101 Tahun 2012"


def chunk(doc_id: str, title: str, text: str, ordinal: int = 0) -> Chunk:
    return Chunk(f"{doc_id}#{ordinal}", doc_id, text, (title,), ordinal, title, 2015, "regulasi", "berlaku")


def test_why_a_regulation_was_amended_is_answered_from_the_amending_regulation() -> None:
    assert amended_number(AMENDING) == ("101", "2012") and amended_number(BASE) is None
    chunks = [
        chunk("pp-101", BASE, "Menimbang : bahwa untuk melaksanakan Pasal 14, perlu menetapkan Peraturan Pemerintah;"),
        chunk(
            "pp-76",
            AMENDING,
            "Menimbang : a. bahwa Peraturan Pemerintah Nomor 101 Tahun 2012 belum mengatur bayi yang baru lahir;\n"
            "b. bahwa perlu menetapkan Peraturan Pemerintah tentang Perubahan;\n\nMengingat : 1. Pasal 5 UUD 1945;",
        ),
        chunk("pp-76", AMENDING, "Pasal I\nBeberapa ketentuan diubah.", 1),
    ]
    asked = asked_reason("Mengapa PP 101 Tahun 2012 perlu diubah?")
    assert asked is not None
    found = find_considerations(asked, chunks[:1], chunks)  # retrieval ranked the amended regulation first
    assert found is not None and found.chunk.chunk_id == "pp-76#0"
    assert found.text.startswith("Menimbang: a. bahwa Peraturan Pemerintah Nomor 101 Tahun 2012 belum mengatur")
    assert "Mengingat" not in found.text and "Pasal 5" not in found.text

    made = asked_reason("Mengapa PP 101 Tahun 2012 ditetapkan?")  # made, not amended: its own considerations
    assert made is not None and not made.amended
    own = find_considerations(made, [], chunks)
    assert own is not None and own.chunk.doc_id == "pp-101"


def test_real_amendment_reasons_are_found_in_the_amending_regulation() -> None:
    chunks, questions = real_chunks("jkn-pbi")
    asked = [q for q in questions if q.answerable and asked_reason(q.question)]
    assert asked
    for q in asked:
        found = find_considerations(asked_reason(q.question), [], chunks)  # type: ignore[arg-type]
        assert found is not None, q.question
        assert all(f.found_in(found.text) for f in q.must_contain), (q.question, found.text)
