"""Grounded answers on the real rules corpus: citations, samples, lists, refusals, follow-ups, drafts."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from assistant.answer import texts
from assistant.answer.citations import Source, resolve
from assistant.chat import ChatSession, is_follow_up, resolve_follow_up
from assistant.errors import QuestionError
from assistant.types import Chunk, Turn


def assert_grounded(answer) -> None:  # type: ignore[no-untyped-def]
    keys = {int(k) for k in re.findall(r"\[(\d+)\]", answer.text)}
    assert keys == {c.n for c in answer.citations}, (answer.text, answer.citations)
    for citation in answer.citations:
        assert citation.text and citation.title and citation.section


def test_answer_quotes_the_rule_with_a_resolvable_citation(rules_assistant) -> None:
    answer = rules_assistant.ask("Berapa dana maksimal untuk tahap perumusan?")
    assert not answer.refused
    assert "Rp150.000.000" in answer.text
    assert_grounded(answer)
    first = answer.citations[0]
    assert first.doc_id == "ketentuan-2019" and first.page == 2 and "Rp150.000.000" in first.text
    assert texts.SAMPLE_MARK in answer.text  # the sample rule is marked as such


def test_english_question_gets_english_framing_of_indonesian_evidence(rules_assistant) -> None:
    answer = rules_assistant.ask("What is the deadline for submitting the proposal?")
    assert answer.lang == "en" and not answer.refused
    assert answer.text.startswith(texts.ENGLISH_LEAD)
    assert "30 April 2019" in answer.text
    assert_grounded(answer)


def test_list_is_kept_whole(rules_assistant) -> None:
    answer = rules_assistant.ask("Apa saja komponen biaya yang diperbolehkan?")
    for item in ("honorarium", "perjalanan dinas", "bahan habis pakai"):
        assert item in answer.text
    assert "30%" in answer.text


def test_off_topic_question_is_refused_with_closest_topics(rules_assistant) -> None:
    answer = rules_assistant.ask("Bagaimana resep membuat rendang daging sapi?")
    assert answer.refused and answer.citations == ()
    assert answer.text.startswith(texts.REFUSAL["id"])
    assert texts.CLOSEST_TOPICS["id"] in answer.text and texts.ASK_HELPDESK["id"] in answer.text


@pytest.mark.parametrize(
    ("question", "specific"),
    [
        ("Berapa dana maksimal untuk tahap perumusan dalam dolar AS?", "foreign currency"),
        ("How many tonnes of equipment may the formulation funds buy?", "mass"),
        ("Berapa nomor HP pengelola dana tahap perumusan?", "contact"),
    ],
)
def test_question_about_a_specific_no_passage_states_is_refused(rules_assistant, question, specific) -> None:
    # the topic is covered (the formulation-stage funding rule), the unit or contact detail asked for is not
    from assistant.answer.support import missing_specifics

    answer = rules_assistant.ask(question)
    assert answer.refused, answer.text
    assert "Rp150.000.000" not in answer.text
    evidence, _ = rules_assistant.composer.scorer.score(
        question, rules_assistant.search(question).hits, rules_assistant.bm25.get()
    )
    assert missing_specifics(question, evidence) == (specific,)


def test_specifics_a_passage_states_are_not_held_against_the_answer(rules_assistant) -> None:
    answer = rules_assistant.ask("Honorarium tim pelaksana paling banyak berapa persen dari total dana?")
    assert not answer.refused and "30%" in answer.text


def test_a_specific_only_a_lesser_passage_states_costs_half_a_penalty(rules_assistant) -> None:
    # the answer is built around the best passage: a unit stated only further down supports it less
    from dataclasses import replace

    from assistant.answer.support import assess

    question = "How many tonnes of consumables may the formulation funds buy?"
    evidence, _ = rules_assistant.composer.scorer.score(
        question, rules_assistant.search(question).hits, rules_assistant.bm25.get()
    )
    assert len({e.chunk.chunk_id for e in evidence}) > 1

    def stating_tonnes(chunk_id):  # type: ignore[no-untyped-def]
        # every unit of that chunk sees the changed text, as after a real edit
        return [
            replace(e, chunk=replace(e.chunk, text=f"{e.chunk.text} Paling banyak 2 ton."))
            if e.chunk.chunk_id == chunk_id else e
            for e in evidence
        ]

    def support(ev):  # type: ignore[no-untyped-def]
        a = rules_assistant
        return assess(question, "id", ev, a.composer.scorer.glossary, a.bm25.get(), a.settings.answer)

    nowhere = support(evidence)
    other = next(e.chunk.chunk_id for e in evidence if e.chunk.chunk_id != evidence[0].chunk.chunk_id)
    elsewhere = support(stating_tonnes(other))
    in_best = support(stating_tonnes(evidence[0].chunk.chunk_id))
    assert nowhere.missing_specifics == ("mass",) and not elsewhere.missing_specifics
    settings = rules_assistant.settings.answer
    # the unit's own word also adds to the best section's coverage of the question: leave that out
    in_best_value = in_best.value - settings.coverage_weight * (in_best.coverage - nowhere.coverage)
    assert in_best_value - elsewhere.value == pytest.approx(settings.specific_penalty / 2)
    assert elsewhere.value - nowhere.value == pytest.approx(settings.specific_penalty / 2)


def test_follow_up_is_resolved_against_the_session(rules_assistant) -> None:
    session = ChatSession(rules_assistant)
    first = session.ask("Apa persyaratan untuk menjadi pengusul?")
    assert first.citations[0].section.endswith("2.1 Persyaratan Pengusul")
    second = session.ask("Bagaimana dengan surat komitmennya?")
    assert "pengusul" in second.resolved_question.lower()
    assert any(c.section.endswith("2.2 Surat Komitmen") for c in second.citations)
    other = ChatSession(rules_assistant)
    assert other.history == [] and len(session.history) == 2  # sessions are independent


def test_follow_up_detection() -> None:
    assert is_follow_up("berapa dananya?")
    assert is_follow_up("kalau untuk perguruan tinggi?")
    assert is_follow_up("and the deadline?")
    assert not is_follow_up("Apa itu Sistem Inovasi Daerah menurut peraturan bersama?")
    history = [Turn("Berapa dana perumusan?", "Berapa dana perumusan?", "…")]
    resolved, context = resolve_follow_up("dan batas waktunya?", history)
    assert context == "dana perumusan" and resolved.startswith("dan batas waktunya?")
    assert resolve_follow_up("Siapa pengusul program klaster inovasi tahun 2019?", history)[1] == ""


def test_superseded_rule_is_labelled_by_year(rules_assistant) -> None:
    answer = rules_assistant.ask("Berapa dana perumusan menurut ketentuan 2018 yang lama dan ketentuan 2019?")
    cited = {c.doc_id for c in answer.citations}
    if cited == {"ketentuan-2018", "ketentuan-2019"}:
        assert "Tahun 2018" in answer.text and "Tahun 2019" in answer.text
        assert texts.VERSION_NOTE_LEAD["id"] in answer.text
    else:  # the rule in force alone is also a correct answer
        assert cited == {"ketentuan-2019"}


def test_citation_keys_are_renumbered_and_unknown_ones_dropped() -> None:
    chunk = Chunk("d#1", "d", "Dana Rp150 juta.", ("3.1 Dana",), 0, "Aturan", 2019, "ketentuan", "berlaku")
    sources = [Source(4, chunk, "Dana Rp150 juta.", 3), Source(7, chunk, "Lain.", 3)]
    text, citations, dropped = resolve("Dana Rp150 juta [4][9]. Lain [7]. Lagi [4].", sources)
    assert text == "Dana Rp150 juta [1]. Lain [2]. Lagi [1]."
    assert [c.n for c in citations] == [1, 2] and dropped == [9]
    assert citations[0].page == 3 and citations[0].text == "Dana Rp150 juta."


def test_too_long_or_empty_question_is_refused_clearly(rules_assistant) -> None:
    with pytest.raises(QuestionError, match="more than"):
        rules_assistant.ask("dana " * 400)
    with pytest.raises(QuestionError, match="empty"):
        rules_assistant.ask("   ")


def test_helpdesk_draft_is_formal_with_references(rules_assistant) -> None:
    draft = rules_assistant.draft_reply("Who can submit a proposal?")
    assert draft.markdown.startswith("Yth. Bapak/Ibu,")
    assert "Referensi:" in draft.markdown and "hlm. 1" in draft.markdown
    assert "Hormat kami" in draft.markdown and "Catatan untuk petugas" in draft.markdown
    assert draft.answer.lang == "id"  # the helpdesk replies in Indonesian even to English questions
    assert "**" not in draft.text and "_Catatan" not in draft.text


@pytest.mark.slow
def test_ask_json_contract_from_the_command_line(rules_settings, rules_assistant) -> None:
    env = os.environ | {
        "KLASINOV_CORPUS_DIR": str(rules_settings.corpus_dir),
        "KLASINOV_DATA_DIR": str(rules_settings.data_dir),
    }
    out = subprocess.run(
        [sys.executable, "-m", "assistant", "ask", "Kapan batas waktu proposal?", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    data = json.loads(out.stdout.strip().splitlines()[-1])
    assert {"question", "answer", "refused", "citations", "retrieved", "mode", "timings_ms"} <= set(data)
    assert {"n", "doc_id", "title", "section", "page", "year", "text"} <= set(data["citations"][0])
    assert {"doc_id", "chunk_id", "section", "page", "score"} <= set(data["retrieved"][0])
    assert data["mode"] == "extractive" and data["refused"] is False
