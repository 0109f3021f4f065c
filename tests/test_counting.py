"""How-many questions: what they count, whether a passage gives it a number, and what that does to the answer."""

from __future__ import annotations

import pytest

from assistant.answer.counting import counted, states_count
from assistant.glossary import Glossary, Term

GLOSSARY = Glossary((Term(("peserta",), ("participants", "attendees")), Term(("klaster",), ("clusters", "cluster"))))


@pytest.mark.parametrize(
    ("question", "thing"),
    [
        ("Berapa skor akhir klaster pala pada seleksi 2019?", "skor"),
        ("Berapa jumlah peserta sosialisasi 2018?", "peserta"),
        ("Tim pelaksana terdiri dari berapa orang?", "orang"),
        ("How many participants came to the 2018 meeting?", "peserta"),
        ("How many clusters were funded?", "klaster"),
    ],
)
def test_the_counted_thing_is_found_in_both_languages(question: str, thing: str) -> None:
    found = counted(question, GLOSSARY)
    assert found is not None and thing in found.raw


@pytest.mark.parametrize(
    "question",
    [
        "Berapa lama kegiatan boleh berjalan?",  # a measure, not a count of a thing
        "Berapa persen honorarium dari total dana?",
        "Siapa pengusul proposal?",  # no count at all
        "How many hectolitres were produced?",  # no Indonesian word for it: nothing to check against
    ],
)
def test_measures_and_untranslatable_things_are_not_checked(question: str) -> None:
    assert counted(question, GLOSSARY) is None


def test_a_passage_states_a_count_only_with_a_number_near_the_thing() -> None:
    peserta = counted("Berapa jumlah peserta?", GLOSSARY)
    skor = counted("Berapa skor akhirnya?", GLOSSARY)
    assert peserta and skor
    assert states_count("Peserta berasal dari 30 provinsi.", peserta)
    assert states_count("Acara dihadiri oleh seratus peserta.", peserta)
    assert not states_count("Peserta berasal dari provinsi di seluruh Indonesia.", peserta)
    # a year is not a count, and a number far away from the thing does not count either
    assert not states_count("Sosialisasi 2019 dihadiri peserta dari daerah.", peserta)
    far = "Peserta berasal dari kabupaten, kota, perguruan tinggi, dunia usaha, komunitas dan media; ada 12 sesi."
    assert not states_count(far, peserta)
    assert not states_count("Klaster pala mengikuti seleksi tahap I pada 12 Maret.", skor)


def test_money_is_counted_in_rupiah_whatever_the_passage_calls_it() -> None:
    dana = counted("Berapa dana yang diperoleh tim?", GLOSSARY)
    assert dana and states_count("Tim memperoleh Rp250 juta dari program lain.", dana)
    assert not states_count("Tim memperoleh bantuan dari program lain.", dana)


def _reading(assistant, question: str):  # type: ignore[no-untyped-def]
    from assistant.answer.reader import read

    composer = assistant.composer
    record = composer.record(question, assistant.bm25.get())
    candidates = composer.reader.candidates(record, assistant.search(question).hits)
    return record, read(record, candidates, composer.fitted.reader)


def test_a_count_no_passage_states_is_named_and_weighs_against_answering(rules_assistant) -> None:
    # the topic (the proposers) is covered; how many of them there were is not
    from assistant.answer.features import ANSWERABILITY_FEATURES, missing_parts

    question = "Berapa jumlah pengusul yang lolos seleksi tahun 2019?"
    record, reading = _reading(rules_assistant, question)
    assert record.counted is not None and record.counted.label == "pengusul"
    assert ANSWERABILITY_FEATURES["count_missing"](record, reading) == 1.0
    assert "jumlah “pengusul”" in missing_parts(record, reading, "id")


def test_a_passage_that_gives_the_count_clears_the_missing_count(rules_assistant) -> None:
    from dataclasses import replace

    from assistant.answer.features import ANSWERABILITY_FEATURES, READER_FEATURES, Reading
    from assistant.units import split_blocks

    record, reading = _reading(rules_assistant, "Berapa jumlah pengusul yang lolos seleksi tahun 2019?")
    lead = reading.lead
    stated = replace(lead.chunk, text=f"{lead.chunk.text}\nSebanyak 12 pengusul lolos seleksi.")
    counted_block = replace(lead, chunk=stated, block=split_blocks(stated)[-1])
    assert READER_FEATURES["count_stated"](record, counted_block) == 1.0
    changed = Reading((counted_block, *reading.candidates[1:]), reading.probabilities)
    assert ANSWERABILITY_FEATURES["count_missing"](record, changed) == 0.0


def test_the_passage_that_gives_the_number_answers_the_count(rules_assistant) -> None:
    answer = rules_assistant.ask("Peserta sosialisasi 2018 datang dari berapa provinsi?")
    assert not answer.refused, answer.text
    assert "30 provinsi" in answer.text
