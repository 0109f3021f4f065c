"""``python -m eval load``: many staff at once. N concurrent gradio_client sessions each ask Q questions through
the app's ``/ask`` endpoint; errors (target 0), p50/p95/max latency and throughput are reported.

Loopback only: the app under load runs on this machine (``--url http://127.0.0.1:PORT/``) or is started here
(``--start``, on a free loopback port with the current KLASINOV_* settings). The run is bounded by ``--timeout``.
With a users file, pass ``--user NAME`` and the password in KLASINOV_LOAD_PASSWORD.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import math
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT_QUESTIONS = HERE / "questions.yaml"
READY = "ready at "
BUILT_IN = [
    "Berapa dana perumusan per klaster?",
    "Siapa yang boleh menjadi pengusul?",
    "Komponen biaya apa yang tidak diperbolehkan?",
    "Dokumen apa saja yang harus dilampirkan pada proposal?",
    "Berapa persen batas honorarium?",
    "Kapan batas waktu pengiriman proposal?",
    "Apa itu Sistem Inovasi Daerah?",
    "Berapa lama masa kerja tahap perumusan?",
    "Who can apply for the programme?",
    "What must a proposal include?",
]
EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


class LoadUsageError(ValueError):
    """Bad options: the message names the value and the fix."""


@dataclass
class Result:
    url: str
    sessions: int
    questions_per_session: int
    started_at: str
    requests: int = 0
    ok: int = 0
    errors: int = 0
    not_run: int = 0  # questions left when the time bound was reached
    error_samples: list[str] = field(default_factory=list)
    latency_ms: dict[str, float] = field(default_factory=dict)
    throughput_rps: float = 0.0
    wall_s: float = 0.0
    question_source: str = ""
    app_start_s: float | None = None


def is_loopback(url: str) -> bool:
    host = (urlparse(url).hostname or "").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def load_question_texts(path: Path | None) -> tuple[list[str], str]:
    """Questions from the eval set (follow-ups left out: /ask has no history), else the built-in list."""
    path = path or DEFAULT_QUESTIONS
    if path.is_file():
        from eval.dataset import load_questions

        texts = [q.question for q in load_questions(path) if not q.follow_up_of]
        if texts:
            return texts, str(path)
    return list(BUILT_IN), "built-in list"


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(q / 100 * len(ordered))))
    return ordered[rank - 1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_app(
    log: Path, timeout_s: float, env: Mapping[str, str] | None = None
) -> tuple[subprocess.Popen[bytes], str, float]:
    """``python app.py`` on a free loopback port with ``env`` (default: this process's environment); returns once
    it is ready, with its URL and the seconds from process start to its ready line."""
    port = free_port()
    env = dict(os.environ if env is None else env)
    env.update(GRADIO_SERVER_NAME="127.0.0.1", GRADIO_SERVER_PORT=str(port), PYTHONUNBUFFERED="1")
    log.parent.mkdir(parents=True, exist_ok=True)
    out = open(log, "wb")  # noqa: SIM115  (the app writes to it while it runs)
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "app.py")], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
    )
    out.close()
    while time.monotonic() - started < timeout_s:
        if READY in log.read_text(encoding="utf-8", errors="replace"):
            return process, f"http://127.0.0.1:{port}/", time.monotonic() - started
        if process.poll() is not None:
            break
        time.sleep(0.2)
    stop_app(process)
    tail = log.read_text(encoding="utf-8", errors="replace")[-1500:]
    raise RuntimeError(f"app.py did not become ready within {timeout_s:.0f} s; its output ends with:\n{tail}")


def stop_app(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


class Runner:
    """One thread per session; each opens its own gradio_client session and asks its questions in turn."""

    def __init__(
        self, url: str, questions: list[str], per_session: int, deadline: float, auth: tuple[str, str] | None
    ) -> None:
        self.url, self.questions, self.per_session = url, questions, per_session
        self.deadline, self.auth = deadline, auth
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.not_run = 0

    def session(self, index: int) -> None:
        from gradio_client import Client

        try:
            client = Client(self.url, auth=self.auth, verbose=False, download_files=False)
        except Exception as e:  # a session that cannot connect: one error per question
            self._fail(f"session {index}: cannot connect: {type(e).__name__}: {e}", self.per_session)
            return
        for n in range(self.per_session):
            remaining = self.deadline - time.monotonic()
            if remaining <= 0:
                with self.lock:
                    self.not_run += self.per_session - n
                return
            question = self.questions[(index * self.per_session + n) % len(self.questions)]
            self._ask(client, question, remaining, index)

    def _ask(self, client: Any, question: str, remaining: float, index: int) -> None:
        started = time.perf_counter()
        job = client.submit(question, api_name="/ask")
        try:
            answer = job.result(timeout=remaining)
        except FutureTimeout:
            job.cancel()
            self._fail(f"session {index}: no answer within the time bound ({question!r})")
            return
        except Exception as e:  # every failure the app gives back counts as an error
            self._fail(f"session {index}: {type(e).__name__}: {str(e)[:200]} ({question!r})")
            return
        elapsed = (time.perf_counter() - started) * 1000
        if not isinstance(answer, dict) or "answer" not in answer or "citations" not in answer:
            self._fail(f"session {index}: /ask returned {str(answer)[:120]!r}, not the ask --json object")
            return
        with self.lock:
            self.latencies.append(elapsed)

    def _fail(self, message: str, count: int = 1) -> None:
        with self.lock:
            self.errors.extend([message] * count)

    def run(self, sessions: int) -> float:
        started = time.perf_counter()
        threads = [threading.Thread(target=self.session, args=(i,), daemon=True) for i in range(sessions)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=max(0.0, self.deadline - time.monotonic()) + 30)
        return time.perf_counter() - started


def summarize(result: Result, runner: Runner, wall_s: float) -> Result:
    result.ok = len(runner.latencies)
    result.errors = len(runner.errors)
    result.not_run = runner.not_run
    result.requests = result.ok + result.errors
    result.error_samples = sorted(set(runner.errors))[:10]
    result.wall_s = round(wall_s, 2)
    result.throughput_rps = round(result.ok / wall_s, 3) if wall_s > 0 else 0.0
    if runner.latencies:
        values = runner.latencies
        result.latency_ms = {
            "p50": round(percentile(values, 50), 1),
            "p95": round(percentile(values, 95), 1),
            "max": round(max(values), 1),
            "mean": round(statistics.fmean(values), 1),
            "min": round(min(values), 1),
        }
    return result


def text_summary(result: Result) -> str:
    lat = result.latency_ms or {}
    lines = [
        f"load: {result.sessions} sessions x {result.questions_per_session} questions against {result.url}",
        f"  requests {result.requests}, ok {result.ok}, errors {result.errors} (target 0), "
        f"not run (time bound) {result.not_run}",
        f"  latency ms: p50 {lat.get('p50', '-')}, p95 {lat.get('p95', '-')}, max {lat.get('max', '-')}",
        f"  throughput {result.throughput_rps} answers/s over {result.wall_s} s",
    ]
    lines += [f"  error: {sample}" for sample in result.error_samples[:5]]
    return "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m eval load", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    target = parser.add_mutually_exclusive_group()
    target.add_argument("--url", help="the running app, e.g. http://127.0.0.1:7860/ (loopback only)")
    target.add_argument("--start", action="store_true", help="start app.py here on a free loopback port")
    parser.add_argument("--sessions", type=int, default=20, help="concurrent chat sessions (default 20)")
    parser.add_argument("--questions", type=int, default=10, help="questions per session (default 10)")
    parser.add_argument("--questions-file", type=Path, help="eval question file (default eval/questions.yaml)")
    parser.add_argument("--timeout", type=float, default=900.0, help="bound of the whole run in seconds")
    parser.add_argument("--start-timeout", type=float, default=180.0, help="seconds to wait for --start")
    parser.add_argument("--user", help="login name when the app has a users file (password: KLASINOV_LOAD_PASSWORD)")
    parser.add_argument("--out", type=Path, help="write the result as JSON to this file")
    return parser


def check_options(args: argparse.Namespace) -> tuple[str | None, tuple[str, str] | None]:
    if not 1 <= args.sessions <= 200:
        raise LoadUsageError(f"--sessions {args.sessions} must be between 1 and 200")
    if not 1 <= args.questions <= 1000:
        raise LoadUsageError(f"--questions {args.questions} must be between 1 and 1000")
    if not 1 <= args.timeout <= 7200:
        raise LoadUsageError(f"--timeout {args.timeout} must be between 1 and 7200 seconds")
    url = args.url if args.url else (None if args.start else "http://127.0.0.1:7860/")
    if url is not None and not is_loopback(url):
        raise LoadUsageError(f"--url {url} is not a loopback address; run the load against 127.0.0.1 or localhost")
    auth = None
    if args.user:
        password = os.environ.get("KLASINOV_LOAD_PASSWORD")
        if not password:
            raise LoadUsageError(f"--user {args.user} needs the password in KLASINOV_LOAD_PASSWORD")
        auth = (args.user, password)
    return url, auth


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        url, auth = check_options(args)
        questions, source = load_question_texts(args.questions_file)
    except (LoadUsageError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_USAGE
    process, app_start_s = None, None
    try:
        if args.start:
            log = (args.out.parent if args.out else ROOT / "var" / "load") / "app.log"
            process, url, app_start_s = start_app(log, args.start_timeout)
        assert url is not None
        result = Result(
            url,
            args.sessions,
            args.questions,
            datetime.now(UTC).isoformat(timespec="seconds"),
            question_source=source,
            app_start_s=app_start_s and round(app_start_s, 1),
        )
        runner = Runner(url, questions, args.questions, time.monotonic() + args.timeout, auth)
        summarize(result, runner, runner.run(args.sessions))
    except RuntimeError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_ERRORS
    finally:
        if process is not None:
            stop_app(process)
    print(text_summary(result))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(asdict(result), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return EXIT_OK if result.errors == 0 and result.not_run == 0 else EXIT_ERRORS
