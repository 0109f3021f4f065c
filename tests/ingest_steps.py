"""``python -m tests.ingest_steps ACTION STEP N WHEN [ARGS ...]``: ``python -m assistant ARGS`` with one step of
an ingest intercepted at its N-th call, just ``before`` or ``after`` it, so a test meets the ingest exactly where it
means to, however fast the machine is. Nothing in the assistant knows about it: the steps are wrapped from outside.

ACTION ``kill``: the process kills itself with SIGKILL there. ACTION ``pause``: it writes the file ``paused`` into
the folder named by ``KLASINOV_TEST_PAUSE_DIR`` and waits there until the test writes ``resume`` beside it.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assistant.cli import main
from assistant.index.bm25_index import BM25Index, BM25Snapshots
from assistant.index.chroma_store import ChromaStore
from assistant.index.embedders import CachedEmbedder
from assistant.ingest.manifest import Manifest
from assistant.ingest.sync import Indexer

STEPS: dict[str, tuple[type, str]] = {
    "locked": (Indexer, "_sync_locked"),  # the lock is held, nothing read or written yet
    "embed": (CachedEmbedder, "embed_passages"),  # a document's texts are embedded (and cached)
    "upsert": (ChromaStore, "upsert"),  # a document's chunks are written to Chroma
    "delete": (ChromaStore, "delete"),  # stale chunks are deleted from Chroma
    "save": (Manifest, "save"),  # the manifest is replaced on disk
    "stage": (BM25Index, "save"),  # the new BM25 snapshot is written to its staging folder
    "prune": (BM25Snapshots, "_prune"),  # the new snapshot is published; old ones are not yet removed
}
WHENS = ("before", "after")
PAUSE_LIMIT_S = 600  # a paused ingest whose test went away ends by itself


def kill() -> None:
    sys.stdout.flush()
    sys.stderr.flush()
    os.kill(os.getpid(), signal.SIGKILL)


def pause() -> None:
    folder = Path(os.environ["KLASINOV_TEST_PAUSE_DIR"])
    (folder / "paused").write_text(str(os.getpid()), encoding="utf-8")
    deadline = time.monotonic() + PAUSE_LIMIT_S
    while not (folder / "resume").exists():
        if time.monotonic() > deadline:
            raise SystemExit("paused ingest was never resumed")
        time.sleep(0.01)  # polling for the test's file


ACTIONS: dict[str, Callable[[], None]] = {"kill": kill, "pause": pause}


def arm(action: Callable[[], None], step: str, n: int, when: str) -> None:
    owner, name = STEPS[step]
    original: Callable[..., Any] = getattr(owner, name)
    calls = 0

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == n and when == "before":
            action()
        result = original(*args, **kwargs)
        if calls == n and when == "after":
            action()
        return result

    setattr(owner, name, wrapped)


if __name__ == "__main__":
    action, step, count, when, *rest = sys.argv[1:]
    if action not in ACTIONS or step not in STEPS or when not in WHENS:
        raise SystemExit(f"usage: {'|'.join(ACTIONS)} {'|'.join(STEPS)} N {'|'.join(WHENS)} ARGS...")
    arm(ACTIONS[action], step, int(count), when)
    raise SystemExit(main(rest))
