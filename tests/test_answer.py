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
    assert "rendang" in answer.text  # what was not found is named


def test_a_refusal_names_the_missing_thing_not_the_chat_spellings_around_it(rules_assistant) -> None:
    answer = rules_assistant.ask("gmn sih resep rendang daging sapi yg enak?")
    assert answer.refused
    assert "“rendang”" in answer.text
    for chat in ("gmn", "sih", "yg"):
        assert f"“{chat}”" not in answer.text


def test_a_refusal_says_which_words_the_documents_never_use(rules_assistant) -> None:
    from assistant.answer.features import missing_parts
    from assistant.answer.reader import read

    composer = rules_assistant.composer
    question = "Berapa dana maksimal untuk tahap perumusan dalam dolar AS?"
    record = composer.record(question, rules_assistant.bm25.get())
    assert "dolar" in record.unknown
    reading = read(
        record, composer.reader.candidates(record, rules_assistant.search(question).hits), composer.fitted.reader
    )
    assert "“dolar”" in missing_parts(record, reading, "id")


def test_words_the_documents_never_use_lower_the_probability_of_an_answer(rules_assistant) -> None:
    plain = rules_assistant.ask("Berapa dana maksimal untuk tahap perumusan?")
    foreign = rules_assistant.ask("Berapa dana maksimal untuk tahap perumusan dalam dolar AS dan yen Jepang?")
    assert not plain.refused
    assert foreign.timings_ms["support"] < plain.timings_ms["support"]


def test_the_question_is_read_once_per_answer(rules_assistant, monkeypatch) -> None:
    from assistant.answer import extractive

    calls = []
    original = extractive.read_question
    monkeypatch.setattr(extractive, "read_question", lambda *a, **k: calls.append(a) or original(*a, **k))
    rules_assistant.ask("Apa saja komponen biaya yang diperbolehkan?")
    assert len(calls) == 1


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
