"""Which units may answer and how they rank: cover and title lines are no evidence, a document's opening
ranks below its sections, the refusal rule does not move with the selection's rank weight, and an answer
adds another section only when it is another year's rule."""

from __future__ import annotations

from dataclasses import replace

from assistant.answer.evidence import Evidence, opens_document
from assistant.answer.extractive import select
from assistant.answer.support import strength
from assistant.config import AnswerSettings
from assistant.types import Chunk
from assistant.units import Unit, is_fragment, split_units

TITLE = "KAK Sosialisasi Model Pengembangan Klaster Inovasi Berbasis PUD 2018 (Ringkasan)"
COVER = (
    "KAK Sosialisasi Model Pengembangan\n"
    "Klaster Inovasi Berbasis PUD 2018 (Ringkasan)\n\n"
    "Dokumen ini meringkas kerangka acuan kegiatan sosialisasi tahun 2018.\n\n"
    "Senin, 26 Maret 2018, The Sultan Hotel & Residence,\n"
    "Jakarta\n"
)


def chunk(text: str, section: tuple[str, ...], year: int = 2019, chunk_id: str = "doc#1") -> Chunk:
    return Chunk(chunk_id, "doc", text, section, 0, TITLE, year, "ketentuan", "contoh")


def test_cover_lines_and_pieces_of_the_title_are_not_evidence() -> None:
    cover = chunk(COVER, (TITLE,))
    kept = [u.text for u in split_units(cover) if not is_fragment(u, cover)]
    assert kept == ["Dokumen ini meringkas kerangka acuan kegiatan sosialisasi tahun 2018."]


def test_a_short_statement_with_a_figure_or_a_stop_is_evidence() -> None:
    body = chunk("Dana paling banyak Rp150 juta\nKuota 8 klaster.", ("4.1 Besaran Dana",))
    assert [is_fragment(u, body) for u in split_units(body)] == [False, False]
    # a heading word inside a longer sentence does not make the sentence a heading
    sentence = Unit("Besaran dana perumusan paling banyak Rp150 juta per klaster.", 0, "sentence")
    assert not is_fragment(sentence, body)


def test_only_the_part_before_the_first_heading_opens_a_document() -> None:
    assert opens_document(chunk(COVER, (TITLE,)))
    assert not opens_document(chunk("Isi.", ("BAB I", "1.1 Latar Belakang")))
    assert not opens_document(chunk("Isi.", (TITLE, "Sub")))


def evidence(text: str, section: tuple[str, ...], score: float, year: int = 2019, rank: int = 1) -> Evidence:
    c = chunk(text, section, year, chunk_id=f"doc#{section[-1]}#{year}")
    unit = Unit(text, 0, "sentence")
    return Evidence(c, unit, rank, 0.8, 0.5, score)


def test_another_section_joins_only_when_it_is_another_years_rule() -> None:
    settings = AnswerSettings(margin=0.04, margin_other=0.01)
    best = evidence("Berkas pencairan terdiri atas kuitansi dan salinan PKS.", ("4.6 Berkas",), 1.0)
    same_section = evidence("Berkas diunggah sebelum termin pertama.", ("4.6 Berkas",), 0.97)
    same_year = evidence("Dana dicairkan dalam dua termin.", ("4.5 Termin",), 0.999)
    other_year = evidence("Pada 2018 dana dicairkan sekaligus.", ("4.5 Termin",), 0.999, year=2018)
    chosen = select([best, same_year, other_year, same_section], settings)
    assert [e.unit.text for e in chosen] == [e.unit.text for e in (best, other_year, same_section)]


def test_the_refusal_rule_weighs_rank_by_its_own_setting() -> None:
    settings = AnswerSettings(support_rank_weight=0.1)
    base = evidence("Dana paling banyak Rp150 juta.", ("4.1 Dana",), 0.0, rank=2)
    # the same unit scored for selection with two rank weights (0.1/2 and 0.03/2) and a count bonus
    heavy = replace(base, score=0.9 + 0.05 + 0.1, rank_bonus=0.05, count_bonus=0.1)
    light = replace(base, score=0.9 + 0.015, rank_bonus=0.015)
    assert abs(strength(heavy, settings) - 0.95) < 1e-9
    assert abs(strength(light, settings) - 0.95) < 1e-9


def test_english_questions_weigh_chunk_rank_by_their_own_setting(rules_assistant) -> None:
    a = rules_assistant
    scorer = a.composer.scorer
    weights = scorer.weights
    question = "Berapa dana perumusan per klaster?"
    hits = a.search(question).hits
    for lang, weight in (("id", weights.rank_weight), ("en", weights.english_rank_weight)):
        evidence, _ = scorer.score(question, hits, a.bm25.get(), "", lang)
        assert evidence and all(abs(e.rank_bonus - weight / e.hit_rank) < 1e-9 for e in evidence)
    assert weights.english_rank_weight < weights.rank_weight
