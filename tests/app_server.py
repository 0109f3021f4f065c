"""Helpers for the app tests: a tiny real corpus, ingested once, and `python app.py` in a subprocess."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import IO

from assistant.config import get_settings
from assistant.index.embedders import CachedEmbedder, Embedder, VectorCache
from assistant.services import open_indexer
from tests.conftest import INFO_MD
from tests.pdfs import RULES_PAGES, write_pdf, write_sidecar

ROOT = Path(__file__).resolve().parents[1]
READY = "ready at "
START_TIMEOUT_S = 120.0


def build_corpus(corpus: Path) -> Path:
    corpus.mkdir(parents=True, exist_ok=True)
    pdf = write_pdf(corpus / "aturan.pdf", RULES_PAGES, header="CONTOH - bukan ketentuan resmi")
    write_sidecar(
        pdf,
        doc_id="aturan-dana",
        title="Contoh Aturan Dana",
        issuer="Uji",
        year=2018,
        doc_type="ketentuan",
        status="contoh",
    )
    (corpus / "info-2019.md").write_text(INFO_MD, encoding="utf-8")
    return corpus


@dataclass(frozen=True)
class AppData:
    corpus: Path
    data: Path
    cache: Path

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("KLASINOV_", "GRADIO_"))}
        env |= {
            "KLASINOV_CORPUS_DIR": str(self.corpus),
            "KLASINOV_DATA_DIR": str(self.data),
            "KLASINOV_CACHE_DIR": str(self.cache),
            "GRADIO_TEMP_DIR": str(self.data / "gradio-tmp"),
            "GRADIO_ANALYTICS_ENABLED": "False",
            "HF_HUB_OFFLINE": "1",
            "PYTHONUNBUFFERED": "1",
        }
        return env | extra


def prepare(root: Path, cache: Path, model: Embedder) -> AppData:
    """Corpus and index under ``root``; ``cache`` is shared between test modules, so only one embeds."""
    paths = AppData(build_corpus(root / "corpus"), root / "var", cache)
    settings = get_settings(corpus_dir=paths.corpus, data_dir=paths.data, cache_dir=cache, users_file=None)
    embedder = CachedEmbedder(model, VectorCache(settings.vector_cache_path))
    report = open_indexer(settings, embedder).sync(paths.corpus)
    if report.failed:
        raise RuntimeError(f"test corpus did not ingest: {report.failed}")
    return paths


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class AppProcess:
    process: subprocess.Popen[str]
    url: str
    log: Path
    started_s: float
    out: IO[str] | None = None

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        if self.out:
            self.out.close()


def start_app(paths: AppData, log: Path, **env: str) -> AppProcess:
    """Start `python app.py` on a free loopback port; return once it prints its ready line."""
    port = free_port()
    started = time.perf_counter()
    out = open(log, "w", encoding="utf-8")  # noqa: SIM115  (kept open for the process's lifetime)
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "app.py")],
        cwd=ROOT,
        env=paths.env(GRADIO_SERVER_PORT=str(port), **env),
        stdout=out,
        stderr=subprocess.STDOUT,
        text=True,
    )
    app = AppProcess(process, f"http://127.0.0.1:{port}/", log, 0.0, out)
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if READY in app.output():
            app.started_s = time.perf_counter() - started
            return app
        if process.poll() is not None:
            break
        time.sleep(0.2)
    app.stop()
    raise RuntimeError(f"app.py did not start within {START_TIMEOUT_S:.0f} s; its output:\n{app.output()}")


class _ChatHandler(BaseHTTPRequestHandler):
    """An OpenAI-compatible chat endpoint that streams, word by word, the first sentence of evidence [1]
    with its marker: a faithful stand-in for an external model service."""

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        prompt = body["messages"][-1]["content"]
        match = re.search(r"^\[1\] \(.*?\)\n(.+?)(?:\n\n|$)", prompt, re.S | re.M)
        sentence = re.split(r"(?<=\.)\s", match.group(1).strip())[0] if match else "Tidak ada bukti."
        words = re.findall(r"\S+\s*", f"{sentence.rstrip('.')} [1].")
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        for word in words:
            chunk = {
                "id": "fake",
                "object": "chat.completion.chunk",
                "created": 0,
                "model": body.get("model", "fake"),
                "choices": [{"index": 0, "delta": {"content": word}, "finish_reason": None}],
            }
            self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            self.wfile.flush()
            time.sleep(STREAM_DELAY_S)
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()

    def log_message(self, format: str, *args: object) -> None:
        pass


STREAM_DELAY_S = 0.15


@contextmanager
def fake_llm_server() -> Iterator[str]:
    """Base URL (http://127.0.0.1:PORT/v1) of a fake OpenAI-compatible chat model, for the test's duration."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _ChatHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()
