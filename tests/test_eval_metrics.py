"""The eval metrics, the number normaliser, the gate and the impact diff: plain functions on hand-made data."""

from __future__ import annotations

import math
from typing import Any

import pytest

from assistant.answer.texts import ENGLISH_LEAD
from eval.dataset import Fact, Question
from eval.gate import Thresholds, check, lookup, passed
from eval.impact import compare
from eval.metrics import (
    Prediction,
    aggregate,
    citation_precision,
    citation_recall,
    citation_validity,
    fact_recall,
    false_refusal,
    hit_at_1,
    hit_at_5,
    lead_holds_facts,
    mrr,
    ndcg_at_5,
    paraphrase_pairs,
    refusal_correct,
    sample_note,
    score,
)
from eval.normalize import contains_phrase, matches_regex, normalize


def question(**fields: Any) -> Question:
    values: dict[str, Any] = {
        "id": "q1",
        "question": "Berapa dana implementasi?",
        "lang": "id",
        "category": "funding",
        "answerable": True,
        "expected_docs": ("impl",),
    }
    return Question(**(values | fields))


def retrieved(*pairs: tuple[str, str]) -> tuple[dict[str, Any], ...]:
    return tuple({"doc_id": d, "section": s, "chunk_id": f"{d}#{i}"} for i, (d, s) in enumerate(pairs))


def prediction(answer: str = "", refused: bool = False, **fields: Any) -> Prediction:
    return Prediction(id="q1", question="?", answer=answer, refused=refused, **fields)


def citation(n: int, text: str, status: str = "berlaku") -> dict[str, Any]:
    return {"n": n, "doc_id": "impl", "section": "Dana", "page": 2, "text": text, "status": status}


@pytest.mark.parametrize(
    "text",
    ["Rp200 juta", "Rp 200.000.000", "Rp200.000.000,00", "IDR 200 million", "Rp 200.000.000,-", "200 juta rupiah"],
)
def test_indonesian_amounts_normalise_to_one_number(text: str) -> None:
    assert normalize(text) == "200000000"


def test_ranges_percentages_dashes_and_number_words() -> None:
    assert normalize("Rp200–600 juta") == normalize("Rp200 juta - Rp600 juta") == "200000000-600000000"
    assert normalize("Rp200.000.000 sampai dengan Rp600.000.000") == "200000000-600000000"
    assert normalize("30 persen") == normalize("30 %") == "30%"
    assert normalize("8 (delapan) bulan") == normalize("delapan bulan") == "8 bulan"
    assert normalize("dua puluh lima hari") == "25 hari"
    assert normalize("2,5 juta") == "2500000"
    assert normalize("**Dana** [1]  _Perumusan_") == "dana perumusan"
    assert normalize("Bab 3.10") == "bab 3.10"  # section numbers keep their digits


def test_phrases_match_whole_numbers_and_words_only() -> None:
    text = "Insentif sekitar Rp200–600 juta per klaster dalam bentuk peralatan produksi [1]."
    for phrase in ("Rp200 juta", "600 juta", "Rp 200.000.000", "200-600 juta", "Peralatan  Produksi"):
        assert contains_phrase(text, phrase), phrase
    for phrase in ("20 juta", "Rp2000 juta", "produk", "klasterisasi"):
        assert not contains_phrase(text, phrase), phrase
    assert not contains_phrase("pengembangan kakao", "KAK")
    assert matches_regex(text, r"PERALATAN\s+produksi") and not matches_regex(text, r"mesin")


def test_fact_alternatives_and_regex() -> None:
    assert Fact(alternatives=("Rp150 juta", "150.000.000")).found_in("paling banyak Rp 150.000.000")
    assert Fact(regex=r"delapan|8 bulan").found_in("masa kerja 8 (delapan) bulan")
    assert not Fact(alternatives=("Rp150 juta",)).found_in("paling banyak Rp175.000.000")


def test_retrieval_metrics_on_ranks() -> None:
    q = question(expected_sections=("Besaran Dana",))
    ranked = prediction(
        retrieved=retrieved(("impl", "Lokasi"), ("other", "Besaran Dana"), ("impl", "III > Besaran dana"))
    )
    assert hit_at_1(q, ranked) == 0.0 and hit_at_5(q, ranked) == 1.0
    assert mrr(q, ranked) == pytest.approx(1 / 3)
    assert ndcg_at_5(q, ranked) == pytest.approx(1 / math.log2(4))
    first = prediction(retrieved=retrieved(("impl", "Besaran Dana"), ("impl", "x"), ("impl", "Besaran Dana 2")))
    assert hit_at_1(q, first) == 1.0 and mrr(q, first) == 1.0
    assert ndcg_at_5(q, first) == pytest.approx((1 + 1 / 2) / (1 + 1 / math.log2(3)))
    deep = prediction(retrieved=retrieved(*[("x", "y")] * 10, ("impl", "Besaran Dana")))
    assert mrr(q, deep) == 0.0 and hit_at_5(q, deep) == 0.0  # only the top 10 count
    assert hit_at_1(question(), prediction(retrieved=retrieved(("impl", "anything")))) == 1.0


def test_fact_recall_counts_found_facts_and_refusals_as_zero() -> None:
    q = question(must_contain=(Fact(("Rp200 juta",)), Fact(("peralatan produksi",)), Fact(regex="klaster")))
    assert fact_recall(q, prediction("Dana Rp 200.000.000 per klaster [1].")) == pytest.approx(2 / 3)
    assert fact_recall(q, prediction("Dana Rp 200.000.000 per klaster [1].", refused=True)) == 0.0


def test_lead_block_holds_facts_only_when_the_first_paragraph_list_or_table_states_them_all() -> None:
    q = question(must_contain=(Fact(("Rp200 juta",)), Fact(("peralatan produksi",))))
    both = "Dana Rp200 juta untuk peralatan produksi [1]."
    assert lead_holds_facts(q, prediction(f"{both}\n\nLain [2].")) == 1.0
    assert lead_holds_facts(q, prediction(f"{ENGLISH_LEAD}\n\n{both}")) == 1.0
    assert lead_holds_facts(q, prediction("Dana Rp200 juta [1].\n\nUntuk peralatan produksi [2].")) == 0.0
    table = "Besaran dana [1]:\n\n| Komponen | Dana |\n|---|---|\n| Peralatan produksi | Rp200 juta |"
    assert lead_holds_facts(q, prediction(table)) == 1.0  # a lead-in goes with the table it announces
    assert lead_holds_facts(q, prediction(both, refused=True)) == 0.0


def test_paraphrase_pairs_count_only_pairs_with_both_members_refused() -> None:
    pair = {"answerable": False, "expected_docs": ()}
    questions = [
        question(id="a1", notes="pair p1; no bank is named", split="holdout", **pair),
        question(id="a2", notes="pair p1", split="holdout", **pair),
        question(id="b1", notes="pair p2", split="calibration", **pair),
        question(id="b2", notes="pair p2", split="calibration", **pair),
        question(id="c1", notes="pair p3", split="holdout", **pair),  # its partner is missing: not a pair
    ]
    refused = {"a1": True, "a2": True, "b1": True, "b2": False, "c1": True}
    predictions = [Prediction(id=k, question="?", answer="", refused=v) for k, v in refused.items()]
    out = paraphrase_pairs(questions, predictions)
    assert out["overall"] == {"pairs": 2, "both_refused": 1, "share": 0.5}
    assert out["holdout"]["both_refused"] == 1 and out["calibration"]["both_refused"] == 0


def test_refusal_metrics() -> None:
    assert refusal_correct(question(answerable=False), prediction("Maaf", refused=True)) == 1.0
    assert refusal_correct(question(answerable=False), prediction("Dana [1]")) == 0.0
    assert false_refusal(question(), prediction("Maaf", refused=True)) == 1.0
    scores = score(question(answerable=False, expected_docs=()), prediction("Maaf", refused=True))
    assert scores["refusal_accuracy"] == 1.0 and scores["false_refusal_rate"] is None and scores["mrr"] is None


def test_citation_validity_needs_every_marker_and_every_citation() -> None:
    two = (citation(1, "a"), citation(2, "b"))
    assert citation_validity(question(), prediction("A [1]. B [2].", citations=two)) == 1.0
    assert citation_validity(question(), prediction("A [1]. B [3].", citations=two)) == 0.0  # [3] resolves to nothing
    assert citation_validity(question(), prediction("A [1].", citations=two)) == 0.0  # [2] is never used
    assert citation_validity(question(), prediction("Maaf.", refused=True)) == 1.0


def test_citation_precision_and_recall_look_at_the_quoted_passages() -> None:
    q = question(must_contain=(Fact(("Rp200 juta",)), Fact(("peralatan produksi",))))
    cites = (citation(1, "Insentif Rp200.000.000 per klaster."), citation(2, "Lokasi di Aceh."))
    answer = prediction("Insentif Rp200.000.000 [1]. Lokasi di Aceh [2].", citations=cites)
    assert citation_precision(q, answer) == 0.5
    assert citation_recall(q, answer) == 0.5
    assert citation_recall(q, prediction("Maaf.", refused=True)) == 0.0


def test_sample_note_applies_only_to_answers_citing_a_sample() -> None:
    sample = (citation(1, "Dana Rp150 juta", status="contoh"),)
    scores = score(question(), prediction("Dana Rp150 juta [1].", citations=sample))
    assert scores["sample_note_rate"] == 0.0
    assert sample_note(question(), prediction("Dana [1]. _Catatan: contoh — bukan ketentuan resmi_")) == 1.0
    assert score(question(), prediction("Dana [1].", citations=(citation(1, "x"),)))["sample_note_rate"] is None


def test_aggregate_by_language_and_category() -> None:
    qs = [question(id="a"), question(id="b", lang="en", category="eligibility"), question(id="c", answerable=False)]
    scores = {
        "a": {"mrr": 1.0, "false_refusal_rate": 0.0, "refusal_accuracy": None},
        "b": {"mrr": 0.5, "false_refusal_rate": 1.0, "refusal_accuracy": None},
        "c": {"mrr": None, "false_refusal_rate": None, "refusal_accuracy": 1.0},
    }
    from eval.metrics import BY_NAME

    metrics = [BY_NAME[n] for n in ("mrr", "false_refusal_rate", "refusal_accuracy")]
    out = aggregate(qs, scores, {"a": 10.0, "b": 30.0, "c": 20.0}, metrics)
    assert out["overall"]["mrr"] == 0.75 and out["overall"]["counts"]["mrr"] == 2
    assert out["by_lang"]["en"]["false_refusal_rate"] == 1.0 and out["by_lang"]["id"]["mrr"] == 1.0
    assert out["by_category"]["funding"]["refusal_accuracy"] == 1.0
    assert out["overall"]["latency_p50_ms"] == 20.0


def test_gate_floors_ceilings_comparisons_and_unmeasured() -> None:
    metrics = {"overall": {"mrr": 0.9, "false_refusal_rate": 0.1, "fact_recall": None}, "retrieval": {}}
    thresholds = Thresholds(
        {"overall.mrr": 0.85, "overall.fact_recall": 0.9},
        {"overall.false_refusal_rate": 0.05},
        (("overall.mrr", "retrieval.bm25.overall.mrr"),),
    )
    checks = {(c.path, c.op): c for c in check(thresholds, metrics)}
    assert checks[("overall.mrr", ">=")].passed is True
    assert checks[("overall.false_refusal_rate", "<=")].passed is False
    assert checks[("overall.fact_recall", ">=")].passed is None  # nothing to measure: not a failure
    assert checks[("overall.mrr", ">")].passed is None
    assert not passed(list(checks.values()))
    assert lookup({"a": {"b": 1}}, "a.b") == 1.0 and lookup({"a": {}}, "a.b") is None


def test_impact_names_changed_answers_citations_and_scores() -> None:
    def entry(answer: str, fact: float, page: int = 2) -> dict[str, Any]:
        cites = [{"doc_id": "impl", "section": "Dana", "page": page}]
        return {"question": "?", "answer": answer, "refused": False, "citations": cites, "fact_score": fact}

    before = {
        "documents": {"impl": "h1", "old": "h2"},
        "questions": {"same": entry("A [1].", 1.0), "text": entry("B [1].", 1.0), "cite": entry("C [1].", 1.0),
                      "gone": entry("D", 1.0)},
    }  # fmt: skip
    after = {
        "documents": {"impl": "h9", "new": "h3"},
        "questions": {"same": entry("A  [1].", 1.0), "text": entry("B2 [1].", 0.5), "cite": entry("C [1].", 1.0, 3),
                      "added": entry("E", 1.0)},
    }  # fmt: skip
    impact = compare(before, after, "base.json")
    assert impact.changed_ids == ["text", "cite"]
    changes = {c.id: c for c in impact.changes}
    assert changes["text"].what == ("answer text", "fact score") and changes["text"].fact_delta == -0.5
    assert changes["cite"].what == ("citations",) and changes["cite"].citations_added == (("impl", "Dana", 3),)
    assert impact.new_questions == ("added",) and impact.removed_questions == ("gone",)
    assert (impact.documents_changed, impact.documents_added, impact.documents_removed) == (
        ("impl",),
        ("new",),
        ("old",),
    )


def test_report_numbers_are_formatted_for_reading() -> None:
    from eval.report import fmt, table

    assert [fmt(759.71, 0), fmt(100.0, 0), fmt(0.8027), fmt(1.0), fmt(1829.4), fmt(None)] == [
        "760", "100", "0.803", "1", "1829", "–",
    ]  # fmt: skip
    assert table(["a", "b"], [["x|y", 0.5]]).splitlines()[2] == "| x\\|y | 0.5 |"


@pytest.mark.parametrize(
    "docs",
    [("impl",), ("x", "impl"), ("x", "y", "impl", "impl"), ("x",) * 4 + ("impl",), ("x", "y"), ("x",) * 10 + ("impl",)],
)
def test_hit_rate_and_mrr_agree_with_llama_index_where_ids_suffice(docs: tuple[str, ...]) -> None:
    """Without expected sections relevance is id membership, what llama-index's HitRate and MRR compute."""
    from llama_index.core.evaluation.retrieval.metrics import MRR, HitRate

    q, p = question(), prediction(retrieved=retrieved(*[(d, "any") for d in docs]))
    ids = [item["doc_id"] for item in p.retrieved]
    assert hit_at_5(q, p) == HitRate().compute(expected_ids=["impl"], retrieved_ids=ids[:5]).score
    assert hit_at_1(q, p) == HitRate().compute(expected_ids=["impl"], retrieved_ids=ids[:1]).score
    assert mrr(q, p) == pytest.approx(MRR().compute(expected_ids=["impl"], retrieved_ids=ids[:10]).score)
