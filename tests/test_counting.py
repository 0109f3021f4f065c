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


def test_a_count_no_passage_states_leads_to_a_refusal(rules_assistant) -> None:
    # the topic (the proposers) is covered; how many of them there were is not
    from assistant.answer.support import missing_specifics

    question = "Berapa jumlah pengusul yang lolos seleksi tahun 2019?"
    answer = rules_assistant.ask(question)
    assert answer.refused, answer.text
    evidence, _ = rules_assistant.composer.scorer.score(
        question, rules_assistant.search(question).hits, rules_assistant.bm25.get()
    )
    thing = counted(question, rules_assistant.composer.scorer.glossary)
    assert missing_specifics(question, evidence, thing) == ("number of pengusul",)


def test_the_passage_that_gives_the_number_answers_the_count(rules_assistant) -> None:
    answer = rules_assistant.ask("Peserta sosialisasi 2018 datang dari berapa provinsi?")
    assert not answer.refused, answer.text
    assert "30 provinsi" in answer.text


def test_a_count_stated_only_beyond_the_answers_reach_costs_the_full_penalty(rules_assistant) -> None:
    # the answer quotes the best passage and those close to it: a number further down cannot reach the reader
    from dataclasses import replace

    from assistant.answer.support import assess

    a = rules_assistant
    question = "Berapa jumlah pengusul yang lolos seleksi tahun 2019?"
    evidence, _ = a.composer.scorer.score(question, a.search(question).hits, a.bm25.get())
    settings = a.settings.answer
    far = evidence[-1]
    assert far.chunk.chunk_id != evidence[0].chunk.chunk_id
    assert far.score < evidence[0].score - settings.margin

    def stating(chunk_id):  # type: ignore[no-untyped-def]
        return [
            replace(e, chunk=replace(e.chunk, text=f"{e.chunk.text} Sebanyak 12 pengusul lolos."))
            if e.chunk.chunk_id == chunk_id
            else e
            for e in evidence
        ]

    def support(ev):  # type: ignore[no-untyped-def]
        return assess(question, "id", ev, a.composer.scorer.glossary, a.bm25.get(), settings)

    nowhere, beyond_reach = support(evidence), support(stating(far.chunk.chunk_id))
    in_best = support(stating(evidence[0].chunk.chunk_id))
    assert beyond_reach.value == pytest.approx(nowhere.value)
    assert not in_best.missing_specifics
    in_best_value = in_best.value - settings.coverage_weight * (in_best.coverage - nowhere.coverage)
    assert in_best_value - nowhere.value == pytest.approx(settings.specific_penalty)
