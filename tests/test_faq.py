"""A section headed by the very question asked is the answer: matched on the real question-style headings of a
programme booklet read from its PDF, never on a heading that asks something else or on a statement heading."""

from __future__ import annotations

from assistant.answer.faq import answering_section, asks_the_same, leading_section, named_section, names_the_list
from assistant.answer.features import Candidate, Reading
from assistant.answer.question import QuestionRecord
from assistant.index.analysis import tokenize
from assistant.types import Chunk
from assistant.units import split_blocks
from eval.dataset import load_questions
from tests.test_real_pdfs import booklet_path, load


def candidates(chunks: list[Chunk]) -> list[Candidate]:
    out = []
    for rank, chunk in enumerate(chunks, start=1):
        for order, block in enumerate(split_blocks(chunk)):
            out.append(Candidate(chunk, block, rank, order, 0.8, 0.8, 0.8, frozenset(), frozenset()))
    return out


def record(text: str) -> QuestionRecord:
    return QuestionRecord(text=text, lang="id")


def chunk(heading: str, text: str = "Isi bagian ini.", title: str = "Panduan Beasiswa SHARE") -> Chunk:
    return Chunk(f"d#{abs(hash(heading))}", "d", text, ("BAB I", heading), 0, title, 2026, "panduan", "berlaku")


def test_only_a_question_heading_asking_exactly_the_question_matches() -> None:
    same = candidates([chunk("Siapa Sasaran Beasiswa SHARE?")])[0]
    assert asks_the_same(record("siapa sasaran beasiswa SHARE?"), same)
    title_fills_in = candidates([chunk("Apa saja komponen Dana yang diberikan?")])[0]
    assert asks_the_same(record("Apa saja komponen dana yang diberikan Beasiswa SHARE?"), title_fills_in)
    assert not asks_the_same(record("Siapa sasaran beasiswa LPDP reguler?"), same)  # asks about something else
    assert not asks_the_same(record("Siapa?"), same)
    statement = candidates([chunk("Sasaran Beasiswa SHARE")])[0]
    assert not asks_the_same(record("Siapa sasaran Beasiswa SHARE?"), statement)  # not a question heading
    broader = candidates([chunk("Apa itu?")])[0]
    assert not asks_the_same(record("Apa itu?"), broader)  # a heading of fewer than two terms asks nothing


def test_the_matching_section_leads_whole_and_in_order() -> None:
    other = chunk("Apa itu Beasiswa SHARE?", "Beasiswa SHARE adalah program beasiswa.")
    target = chunk("Siapa Sasaran Beasiswa SHARE?", "Beasiswa ini ditujukan bagi:\n1. Afirmasi\n2. Prasejahtera")
    found = candidates([other, target])
    section = answering_section(record("Siapa sasaran Beasiswa SHARE?"), found)
    assert section and {c.chunk.chunk_id for c in section} == {target.chunk_id}
    reading = leading_section(Reading(tuple(found), tuple(0.5 for _ in found)), section)
    assert reading.candidates[: len(section)] == tuple(section) and reading.probabilities[0] == 1.0
    assert len(reading.candidates) == len(found)


def listing(text: str, focus: str, enumerative: bool = True) -> QuestionRecord:
    """A question record as the reader makes it: its terms, its rarest ones, whether it asks for a list."""
    return QuestionRecord(
        text=text, lang="id", own=frozenset(tokenize(text)), focus=tuple(tokenize(focus)), enumerative=enumerative
    )


def test_a_section_named_by_the_list_asked_for_leads() -> None:
    asked = listing("Siapa saja narasumber pada sosialisasi 2018?", "narasumber sosialisasi 2018")
    named = candidates([chunk("4.5 Narasumber")])[0]  # the numbering is not part of the name
    assert names_the_list(asked, named)
    assert not names_the_list(listing("Narasumber sosialisasi 2018 siapa?", "narasumber", False), named)
    wider = candidates([chunk("4.3 Tim Pendamping dan Narasumber Ahli")])[0]
    assert not names_the_list(asked, wider)  # the heading names more than the question asks for
    generic = candidates([chunk("2018")])[0]
    assert not names_the_list(listing("Siapa saja narasumber 2018?", "narasumber"), generic)  # no focus term

    place = chunk("4.2 Waktu dan Tempat", "Sosialisasi berlangsung 26 Maret 2018.")
    speakers = chunk("4.5 Narasumber", "Narasumber sosialisasi:\n1. Direktur Jenderal\n2. Direktur Sistem Inovasi")
    found = candidates([place, speakers])
    section = named_section(asked, found)
    assert section and {c.chunk.chunk_id for c in section} == {speakers.chunk_id}
    assert named_section(listing("Kapan sosialisasi 2018?", "sosialisasi", False), found) == []


def test_real_booklet_questions_find_their_own_section() -> None:
    _, chunks = load(booklet_path())
    questions = load_questions(booklet_path().parent / "questions.yaml")
    asked = [q for q in questions if q.lang == "id"]
    found = 0
    for q in asked:
        section = answering_section(record(q.question), candidates(list(chunks)))
        if section:
            found += 1
            quoted = "\n".join(c.block.quoted for c in section)
            assert any(f.found_in(quoted) for f in q.must_contain), (q.question, quoted[:300])
    assert found >= 5  # the booklet is written as questions; most Indonesian questions meet their own heading
