"""Hybrid retrieval on a small real corpus with the real embedder, Chroma and BM25."""

from __future__ import annotations

from assistant.glossary import Glossary, Term, load_glossary
from assistant.index.analysis import tokenize
from assistant.retrieve import cap_per_section, reciprocal_rank_fusion
from assistant.types import Chunk, Filters, Hit


def top(assistant, question: str, **filters) -> Chunk:  # type: ignore[no-untyped-def]
    result = assistant.search(question, 5, Filters(**filters) if filters else None)
    assert result.hits, f"nothing retrieved for {question!r}"
    return result.hits[0].chunk


def test_exact_amount_finds_its_rule(rules_assistant) -> None:
    chunk = top(rules_assistant, "Rp150.000.000")
    assert chunk.doc_id == "ketentuan-2019" and "3.1 Besaran Dana Perumusan" in chunk.section_path


def test_paraphrase_finds_eligibility(rules_assistant) -> None:
    chunk = top(rules_assistant, "Lembaga mana yang berhak mengajukan usulan klaster?")
    assert chunk.section_path.endswith("2.1 Persyaratan Pengusul")


def test_english_question_finds_indonesian_rule(rules_assistant) -> None:
    chunk = top(rules_assistant, "What is the maximum funding for the formulation stage?")
    assert chunk.section_path.endswith("3.1 Besaran Dana Perumusan") and chunk.status != "diganti"


def test_acronym_finds_its_definition(rules_assistant) -> None:
    chunk = top(rules_assistant, "Apa yang dimaksud dengan SIDa?")
    assert chunk.doc_id == "definisi" and "SIDa" in chunk.section_path


def test_filter_by_year_and_status(rules_assistant) -> None:
    unfiltered = top(rules_assistant, "berapa dana perumusan per klaster")
    assert unfiltered.doc_id == "ketentuan-2019"  # the rule in force ranks first
    filtered = top(rules_assistant, "berapa dana perumusan per klaster", years=(2018,), doc_types=("ketentuan",))
    assert filtered.doc_id == "ketentuan-2018"
    only_current = rules_assistant.search("dana perumusan", 10, Filters(statuses=("contoh", "berlaku")))
    assert all(h.chunk.status != "diganti" for h in only_current.hits)


def test_superseded_rule_is_named_when_both_versions_appear(rules_assistant) -> None:
    result = rules_assistant.search("besaran dana perumusan", 8)
    statuses = [h.chunk.status for h in result.hits if "Dana Perumusan" in h.chunk.section_path]
    assert statuses[:2] == ["contoh", "diganti"]
    assert any("sudah diganti" in note and "2019" in note for note in result.notes)


def test_every_hit_reports_each_retrievers_rank(rules_assistant) -> None:
    result = rules_assistant.search("jadwal batas waktu proposal", 5)
    first = result.hits[0]
    assert first.chunk.section_path.endswith("4.1 Batas Waktu Proposal")
    assert set(first.ranks) == {"dense", "bm25"} and all(r >= 1 for r in first.ranks.values())
    assert [h.score for h in result.hits] == sorted((h.score for h in result.hits), reverse=True)


def test_glossary_expands_english_and_acronyms(rules_settings) -> None:
    glossary = load_glossary(rules_settings.glossary_path)
    assert "batas waktu" in glossary.expansions("What is the deadline?")
    assert "Sistem Inovasi Daerah" in glossary.expansions("apa itu sida")
    assert Glossary((Term(("dana",), ("fund",)),)).expansions("funding rules") == []  # whole words only


def test_tokenizer_keeps_numbers_and_acronyms() -> None:
    tokens = tokenize("Dana Rp200 juta (Rp 200.000.000) untuk ABG+C; laporan akhir")
    assert tokens.count("200000000") == 2 and "abgc" in tokens and "akhir" in tokens and "lapor" in tokens


def _chunk(cid: str, section: str) -> Chunk:
    return Chunk(cid, "d", cid, (section,), 0, "T", 2019, "ketentuan", "berlaku")


def test_rrf_and_section_cap() -> None:
    a, b, c = _chunk("a", "S1"), _chunk("b", "S1"), _chunk("c", "S2")
    dense = [Hit(a, 0.9, {"dense": 1}), Hit(b, 0.8, {"dense": 2}), Hit(c, 0.7, {"dense": 3})]
    sparse = [Hit(c, 5.0, {"bm25": 1}), Hit(a, 4.0, {"bm25": 2})]
    fused = reciprocal_rank_fusion([dense, sparse], rrf_k=60)
    assert [h.chunk.chunk_id for h in fused] == ["a", "c", "b"]
    assert fused[0].ranks == {"dense": 1, "bm25": 2}
    assert [h.chunk.chunk_id for h in cap_per_section(fused, 1)] == ["a", "c"]
