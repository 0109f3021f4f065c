"""The general English–Indonesian word list: it loads with its licence, finds inflected words and phrases, and
lets an English question over a corpus without a glossary reach the Indonesian chunk that answers it, while a
word the corpus or its glossary already knows keeps its meaning there."""

from __future__ import annotations

from dataclasses import replace

from assistant.glossary import Glossary, Term
from assistant.index.bm25_index import BM25Index
from assistant.lexicon import DATA, base_forms, load_lexicon, parse_lexicon
from assistant.types import Chunk

LEXICON = parse_lexicon(
    "# a comment line\n"
    "page\thalaman, laman\n"
    "exchange rate\tkurs, nilai tukar\n"
    "exchange\tpertukaran\n"
    "rate\ttarif, laju\n"
    "change\tganti, ubah, perubahan, tukar\n"
    "who\tsiapa, yang\n"
    "proposal\tusulan\n"
)


def chunk(chunk_id: str, text: str, heading: str) -> Chunk:
    return Chunk(chunk_id, "panduan", text, ("Panduan", heading), 0, "Panduan", 2019, "ketentuan", "berlaku")


CHUNKS = [
    chunk("p#1", "Proposal paling banyak 20 halaman, termasuk lampiran.", "Format Proposal"),
    chunk("p#2", "Proposal diunggah paling lambat 5 April melalui laman program.", "Pengiriman Proposal"),
    chunk("p#3", "Tim pengusul terdiri atas peneliti perguruan tinggi dan mitra industri.", "Tim Pengusul"),
    chunk("p#4", "Dana dicairkan dalam dua termin setelah kontrak ditandatangani.", "Pencairan Dana"),
]


def test_the_shipped_list_loads_and_names_its_source_and_licence() -> None:
    head = DATA.read_text(encoding="utf-8").splitlines()[:4]
    assert any("FreeDict" in line for line in head) and any("CC BY-SA 3.0" in line for line in head)
    lexicon = load_lexicon()
    assert len(lexicon.entries) >= 5000
    assert lexicon.entries["page"][0] == "halaman"
    assert lexicon.longest >= 2


def test_inflected_words_and_the_longest_phrase_are_found_and_function_words_are_not() -> None:
    assert base_forms("pages") == ["pages", "page", "pag"]
    assert base_forms("applies")[:2] == ["applies", "apply"]
    found = dict(LEXICON.matches("Who sets the exchange rate, and how many pages?"))
    assert found == {"exchange rate": ("kurs", "nilai tukar"), "pages": ("halaman", "laman")}


def test_only_words_the_corpus_lacks_are_translated_into_words_it_uses() -> None:
    corpus = {"halaman", "ubah", "ganti", "tukar", "usulan", "proposal"}

    def used(text: str) -> bool:
        return all(w in corpus for w in text.split())

    def known(word: str) -> bool:
        return word in corpus

    found = LEXICON.gap_translations("How many pages may a proposal change have?", known, used)
    # "proposal" is a word of the corpus: not translated; each other word gets its first sense the corpus uses
    assert found == ["halaman", "ganti"]
    assert LEXICON.gap_translations("How many pages?", known, lambda text: text == "laman") == ["laman"]


def test_a_glossary_term_and_an_indonesian_question_get_no_general_translation() -> None:
    glossary = Glossary((Term(("lembar",), ("page", "pages")),), lexicon=LEXICON)
    index = BM25Index.build(CHUNKS)
    # the glossary knows "pages": its term, nothing from the general list
    assert glossary.expansions_in("How many pages?", index) == ["lembar"]
    assert replace(glossary, terms=()).expansions_in("How many pages?", index) == ["halaman"]
    question = "Berapa halaman proposal, apa yang boleh diubah?"
    assert replace(glossary, terms=()).expansions_in(question, index) == []


def test_an_english_question_reaches_the_indonesian_chunk_without_a_glossary() -> None:
    """Without the word list BM25 reads only "proposal" and ranks the chunks by it alone; with it, "pages"
    also counts as "halaman" and the page limit comes first."""
    index = BM25Index.build(CHUNKS)
    question = "How many pages can the proposal have?"
    plain = Glossary()
    general = replace(plain, lexicon=load_lexicon())
    before = index.search(plain.expand_in(question, index), 4)
    after = index.search(general.expand_in(question, index), 4)
    assert general.expansions_in(question, index) == ["halaman"]
    assert after[0][0].chunk_id == "p#1"
    assert after[0][1] > before[0][1]
    assert {c.chunk_id for c, _ in before} == {"p#1", "p#2"}  # "proposal" alone cannot tell them apart


def test_an_english_word_whose_translations_the_documents_never_use_is_named_as_not_found() -> None:
    lexicon = parse_lexicon("insurance\tasuransi\nhow many\tberapa\npage\thalaman, laman\nproposal\tusulan\n")
    glossary = Glossary(lexicon=lexicon)
    index = BM25Index.build(CHUNKS)
    # "how many" translates into a function word, "pages" into the corpus's "halaman", "proposal" is a corpus word
    assert glossary.untranslated("How many pages does the insurance proposal need?", index) == ["insurance"]
    insured = [*CHUNKS, chunk("p#5", "Peralatan wajib diasuransikan oleh penerima.", "Asuransi")]
    assert glossary.untranslated("Is insurance needed?", BM25Index.build(insured)) == []
    assert glossary.untranslated("Apakah asuransi wajib?", index) == []  # Indonesian: the root-word rule


def test_of_the_translations_the_corpus_uses_the_one_found_with_the_question_s_other_words_is_taken() -> None:
    lexicon = parse_lexicon("change\tganti, ubah\n")
    chunks = [
        chunk("d#1", "Perubahan data peserta ditetapkan paling lama setiap 6 bulan.", "Perubahan Data"),
        chunk("d#2", "Kartu yang hilang diganti oleh kantor cabang.", "Penggantian Kartu"),
    ]
    index = BM25Index.build(chunks)
    glossary = Glossary(lexicon=lexicon)
    # "data" is a word of the corpus, and "ubah" stands beside it; "ganti", listed first, never does
    assert glossary.expansions_in("How often must changes to the data be made?", index) == ["ubah"]
    # with no word of the question in the corpus, the commonest sense is taken
    assert glossary.expansions_in("Who handles changes?", index) == ["ganti"]


def test_status_says_how_english_questions_meet_the_documents(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from assistant.cli import glossary_data, vocabulary_line
    from assistant.config import get_settings

    settings = get_settings(corpus_dir=tmp_path)
    assert glossary_data(settings) is None  # a new guide: no glossary.yaml
    line = vocabulary_line({"glossary": None, "general_lexicon": 8166})
    assert line == (
        "glossary: none; English questions meet the documents through the general English-Indonesian word list "
        "(8166 words) and the dense model"
    )
    assert vocabulary_line({"glossary": None, "general_lexicon": None}).endswith("through the dense model only")
    (tmp_path / "glossary.yaml").write_text("terms:\n- id: [halaman]\n  en: [page]\n", encoding="utf-8")
    assert glossary_data(settings) == {"path": str(tmp_path / "glossary.yaml"), "terms": 1}
    (tmp_path / "glossary.yaml").write_text("terms: 3\n", encoding="utf-8")
    broken = glossary_data(settings)
    assert broken is not None and "terms:" in broken["error"]
    assert "cannot be read" in vocabulary_line({"glossary": broken, "general_lexicon": 8166})


def test_one_glossary_answers_each_corpus_for_itself() -> None:
    """The expansion is remembered per question and corpus: the same question over another corpus is read again."""
    glossary = Glossary(lexicon=parse_lexicon("change\tganti, ubah\n"))
    question = "How often must changes to the data be made?"
    changing = BM25Index.build([chunk("d#1", "Perubahan data peserta paling lama setiap 6 bulan.", "Perubahan Data")])
    replacing = BM25Index.build([chunk("k#1", "Data kartu yang hilang diganti oleh kantor cabang.", "Penggantian")])
    assert glossary.expansions_in(question, changing) == ["ubah"]
    assert glossary.expansions_in(question, replacing) == ["ganti"]
    assert glossary.expansions_in(question, changing) == ["ubah"]
