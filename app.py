"""Klasinov Assistant web app: `python app.py` (or `make run`).

Tabs: Tanya (chat with checkable sources and saved conversations), Draf Jawaban (helpdesk drafts and their
archive: edit, mark sent, search, CSV), Dokumen (index and uploads), Evaluasi (the latest eval report), Periksa
Dokumen (draft check; its widgets live in ``assistant.check.ui``). Programs call the named endpoints /ask and
/draft with gradio_client. Apart from ``assistant.check.ui`` this is the only module that imports gradio; the work
itself lives in ``assistant.webapp``, the page's styles and script in ``assistant/static/``.
"""
# No `from __future__ import annotations`: gr.api reads the real type hints of the endpoint functions.

import logging
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import gradio as gr
from fastapi import Request
from fastapi.responses import FileResponse, PlainTextResponse
from fastapi.routing import APIRoute

from assistant import render, ui_text
from assistant.check.ui import build_check_tab
from assistant.config import Settings, get_settings
from assistant.errors import AssistantError, IngestLockedError
from assistant.types import DOC_TYPES, STATUSES, Answer
from assistant.uploads import UploadMeta, parse_year
from assistant.webapp import ChatState, WebApp, filters_from, server_name, write_draft_files

TITLE = "Klasinov Assistant"
WELCOME = (
    "### Selamat datang di Klasinov Assistant\n"
    "Tanyakan aturan program *Klaster Inovasi Berbasis Produk Unggulan Daerah* — syarat pengusul, pendanaan, "
    "isi proposal — dalam bahasa Indonesia atau Inggris. Setiap jawaban mengutip dokumen dengan sumber bernomor: "
    "klik nomor [1] untuk membaca kutipannya, lalu buka PDF aslinya tepat di halamannya."
)
EXAMPLES = [
    "Berapa dana perumusan per klaster?",
    "Siapa yang boleh menjadi pengusul?",
    "Komponen biaya apa yang tidak diperbolehkan?",
    "What must a proposal include?",
]
RATINGS = [("✓ Membantu", "up"), ("✗ Kurang tepat", "down")]
MODES = [("Otomatis", ""), ("Kutipan langsung", "extractive"), ("Model bahasa (LLM)", "llm")]
STATIC = Path(render.__file__).parent / "static"
CSS = (STATIC / "app.css").read_text(encoding="utf-8")
# [n] markers that open their source card, and "Copy" that gives plain text (see the file's header).
HEAD = f"<script>{(STATIC / 'app.js').read_text(encoding='utf-8')}</script>"
# System fonts only: the default theme would fetch Google Fonts, and the app must work offline.
THEME = gr.themes.Soft(
    primary_hue="teal",
    font=["DejaVu Sans", "system-ui", "sans-serif"],
    font_mono=["DejaVu Sans Mono", "monospace"],
)


def _user(request: gr.Request | None) -> str | None:
    return getattr(request, "username", None) if request else None


def _fail(lead: str, error: AssistantError) -> gr.Error:
    # Gradio shows error messages as (sanitised) HTML; escaped, a file name or value reads as typed.
    return gr.Error(render.esc(f"{lead}: {error}"), title="Tidak dapat diproses")


# --- Tanya ------------------------------------------------------------------------------------------


def _message(role: str, content: str) -> dict[str, str]:
    return {"role": role, "content": content}


def build_chat(web: WebApp) -> tuple[gr.CheckboxGroup, gr.CheckboxGroup]:
    state = gr.State(None)
    with gr.Row():
        with gr.Column(scale=4, elem_id="k-main"):
            chatbot = gr.Chatbot(
                label="Percakapan",
                show_label=False,
                height=640,
                resizable=True,
                placeholder=WELCOME,
                feedback_options=("Like", "Dislike"),  # the values sent to on_like; the labels are ui_text.TOOLKIT_ID
                allow_tags=False,
                sanitize_html=True,
                buttons=["copy"],
                elem_id="k-chat",
            )
            chat_notice = gr.HTML(elem_id="k-chat-notice")
            with gr.Row():
                question = gr.Textbox(
                    placeholder="Tulis pertanyaan tentang aturan program (bahasa Indonesia atau Inggris)…",
                    show_label=False,
                    scale=6,
                    elem_id="k-question",
                )
                send = gr.Button("Kirim", variant="primary", scale=1, elem_id="k-send")
            gr.Examples(EXAMPLES, inputs=question, label="Contoh pertanyaan")
            panel, feedback_notice, rating, comment = build_feedback(web, state)
        with gr.Column(scale=1, min_width=220, elem_id="k-side"):
            new_chat = gr.Button("Percakapan baru", variant="secondary", elem_id="k-new-chat")
            past = build_history(web, state, chatbot, panel, chat_notice)
            years_all, types_all = web.filter_choices()
            with gr.Accordion("Saring sumber", open=False, elem_id="k-filters"):
                years = gr.CheckboxGroup(years_all, label="Tahun dokumen", elem_id="k-years")
                types = gr.CheckboxGroup(types_all, label="Jenis dokumen", elem_id="k-types")
                mode = gr.Radio(MODES, value="", label="Cara menjawab", visible=web.assistant.generator is not None)
            gr.Markdown(
                elem_id="k-side-note",
                value="Sumber berlabel *contoh — bukan ketentuan resmi* berasal dari contoh ilustratif.",
            )

    def respond(text: str, chat: ChatState | None, year_sel: list, type_sel: list, how: str, request: gr.Request):
        # A rejected or failed question leaves the conversation and the typed text as they were and says
        # why in a notice above the input box.
        chat = chat or ChatState()
        user = _user(request)
        problem = web.question_problem(text)
        if problem:
            yield gr.skip(), gr.skip(), chat, render.notice_html(problem, "error")
            return
        typed, text = text, web.assistant.check_question(text)
        chat.add_exchange(
            _message("user", render.question_markdown(text)), _message("assistant", render.pending_markdown(""))
        )
        yield list(chat.messages), "", chat, ""
        answer, streamed = None, ""
        try:
            for item in web.stream(text, chat, filters_from(year_sel, type_sel), how or None, user):
                if isinstance(item, Answer):
                    answer = item
                else:
                    streamed += item
                    chat.messages[-1] = _message("assistant", render.pending_markdown(streamed))
                    yield list(chat.messages), "", chat, ""
        except AssistantError as e:
            logging.getLogger("klasinov.app").warning("answer failed: %s", e)
            del chat.messages[-2:]
            yield list(chat.messages), typed, chat, render.notice_html(ui_text.text("answer_failed"), "error")
            return
        if answer is not None:
            chat.message_turn[len(chat.messages) - 1] = chat.remember(answer)
            chat.feedback_turn = None  # a comment now goes to this newest answer
            chat.messages[-1] = _message(
                "assistant", render.message_markdown(answer, web.doc_kinds(), web.settings.helpdesk_contact)
            )
            try:
                web.save_conversation(chat, user)
            except AssistantError as e:  # the answer stands; only the history misses it
                logging.getLogger("klasinov.app").warning("conversation not saved: %s", e)
        yield list(chat.messages), "", chat, ""

    def on_like(chat: ChatState | None, data: gr.LikeData, request: gr.Request):
        index = data.index if isinstance(data.index, int) else data.index[0]
        turn = chat.message_turn.get(index) if chat else None
        if turn is None or not isinstance(data.liked, bool):
            return gr.skip(), gr.skip(), chat, gr.skip()
        value = "up" if data.liked else "down"
        try:
            web.record_feedback(chat, turn, value, "", _user(request))
        except AssistantError as e:
            raise _fail("Masukan tidak tersimpan", e) from e
        chat.feedback_turn = turn
        note = f"Terima kasih — penilaian untuk jawaban #{turn + 1} tersimpan. Tambahkan komentar di bawah bila perlu."
        return render.notice_html(note, "ok"), value, chat, gr.update(visible=True)

    def reset():
        return [], None, "", "", None, "", gr.update(visible=False)

    chat_inputs = [question, state, years, types, mode]
    outputs = [chatbot, question, state, chat_notice]

    def listed(chat: ChatState | None, request: gr.Request):
        """The list after an answer, with the conversation on screen (now saved) selected."""
        return history_choices(web, request, chat.session_id if chat and chat.history else None)

    refresh_past = {"fn": listed, "inputs": [state], "outputs": [past]}
    send.click(respond, chat_inputs, outputs, api_name="chat", api_visibility="undocumented").then(
        **refresh_past, api_visibility="private"
    )
    question.submit(respond, chat_inputs, outputs, api_visibility="private").then(
        **refresh_past, api_visibility="private"
    )
    chatbot.like(on_like, [state], [feedback_notice, rating, state, panel], api_visibility="private")
    cleared = [chatbot, state, feedback_notice, chat_notice, rating, comment, panel]
    new_chat.click(reset, None, cleared, api_visibility="private")
    chatbot.clear(reset, None, cleared, api_visibility="private")
    return years, types, past


def history_choices(web: WebApp, request: gr.Request, value: str | None = None) -> dict[str, Any]:
    return gr.update(choices=web.conversations(_user(request)), value=value)


def build_history(
    web: WebApp, state: gr.State, chatbot: gr.Chatbot, panel: gr.Accordion, notice: gr.HTML
) -> gr.Dropdown:
    """Saved conversations of this user: reopen, rename, delete (they survive reloads and restarts)."""
    with gr.Accordion("Riwayat percakapan", open=False, elem_id="k-history"):
        past = gr.Dropdown(choices=[], value=None, label="Percakapan tersimpan", elem_id="k-past")
        with gr.Row():
            reopen = gr.Button("Buka", size="sm", elem_id="k-past-open")
            delete = gr.Button("Hapus", size="sm", variant="stop", elem_id="k-past-delete")
        name = gr.Textbox(label="Nama baru", placeholder="mis. Dana perumusan 2019", elem_id="k-past-name")
        rename = gr.Button("Ganti nama", size="sm", elem_id="k-past-rename")

    def pick_first(conversation: str | None) -> str:
        if not conversation:
            raise gr.Error("Pilih dulu percakapan dari daftar.", title="Belum ada pilihan")
        return conversation

    def do_open(conversation: str | None, request: gr.Request):
        try:
            chat = web.open_conversation(pick_first(conversation), _user(request))
        except AssistantError as e:
            raise _fail("Percakapan tidak dapat dibuka", e) from e
        return list(chat.messages), chat, "", gr.update(visible=False)

    def do_rename(conversation: str | None, title: str, request: gr.Request):
        try:
            web.rename_conversation(pick_first(conversation), title, _user(request))
        except AssistantError as e:
            raise _fail("Nama tidak diganti", e) from e
        return history_choices(web, request, conversation), ""

    def do_delete(conversation: str | None, chat: ChatState | None, request: gr.Request):
        try:
            web.delete_conversation(pick_first(conversation), _user(request))
        except AssistantError as e:
            raise _fail("Percakapan tidak dihapus", e) from e
        if chat is not None and chat.session_id == conversation:  # the open one goes: the chat starts afresh
            return history_choices(web, request), [], None
        return history_choices(web, request), gr.skip(), gr.skip()

    private = {"api_visibility": "private"}
    reopen.click(do_open, [past], [chatbot, state, notice, panel], **private)
    rename.click(do_rename, [past, name], [past, name], **private)
    delete.click(do_delete, [past, state], [past, chatbot, state], **private)
    return past


def build_feedback(web: WebApp, state: gr.State) -> tuple[gr.Accordion, gr.HTML, gr.Radio, gr.Textbox]:
    # Shown once an answer is rated with the chat's thumbs, for a comment or a change of mind.
    with gr.Accordion("Beri masukan untuk jawaban", open=True, visible=False, elem_id="k-feedback") as panel:
        with gr.Row():
            rating = gr.Radio(RATINGS, label="Penilaian", value=None, scale=2, elem_id="k-rating")
            comment = gr.Textbox(
                label="Komentar (opsional)", placeholder="Apa yang kurang atau salah?", scale=4, elem_id="k-comment"
            )
            submit = gr.Button("Kirim masukan", scale=1, elem_id="k-feedback-send")
        notice = gr.HTML(elem_id="k-feedback-notice")

    def send_feedback(value: str | None, text: str, chat: ChatState | None, request: gr.Request):
        if not value:
            raise gr.Error("Pilih dulu penilaian: ✓ Membantu atau ✗ Kurang tepat.", title="Masukan belum lengkap")
        if chat is None or chat.last_turn is None:
            raise gr.Error("Belum ada jawaban untuk dinilai; ajukan pertanyaan dulu.", title="Belum ada jawaban")
        try:
            row, turn = web.record_feedback(chat, chat.feedback_turn, value, text, _user(request))
        except AssistantError as e:
            raise _fail("Masukan tidak tersimpan", e) from e
        return render.notice_html(f"Terima kasih — masukan #{row} untuk jawaban #{turn + 1} tersimpan.", "ok"), ""

    submit.click(
        send_feedback, [rating, comment, state], [notice, comment], api_name="feedback", api_visibility="undocumented"
    )
    return panel, notice, rating, comment


# --- Draf Jawaban -----------------------------------------------------------------------------------


def build_draft(web: WebApp, workdir: Path) -> None:
    gr.Markdown(
        "Tempel pertanyaan yang masuk ke helpdesk. Draf balasan resmi tersusun dengan rujukan dan tersimpan di "
        "arsip; sunting, simpan, tandai terkirim, salin, atau unduh."
    )
    question = gr.Textbox(label="Pertanyaan", lines=3, elem_id="k-draft-question")
    make = gr.Button("Susun draf", variant="primary", elem_id="k-draft-make")
    text = gr.Textbox(
        label="Draf balasan (dapat disunting)", lines=18, buttons=["copy"], interactive=True, elem_id="k-draft-text"
    )
    with gr.Row():
        md_file = gr.DownloadButton("Unduh .md", value=None, elem_id="k-draft-md")
        txt_file = gr.DownloadButton("Unduh .txt", value=None, elem_id="k-draft-txt")
    sources = gr.HTML(elem_id="k-draft-sources")

    def files_for(q: str, content: str) -> tuple[str | None, str | None]:
        if not content.strip():
            return None, None
        md, txt = write_draft_files(workdir, q, content)
        return str(md), str(txt)

    def edited(q: str, content: str):
        return files_for(q, content)

    gr.Markdown("### Arsip balasan helpdesk")
    with gr.Row():
        save = gr.Button("Simpan suntingan", size="sm", elem_id="k-reply-save")
        sent = gr.Button("Tandai terkirim", size="sm", variant="primary", elem_id="k-reply-sent")
    reply_id = gr.State(None)
    reply_note = gr.Markdown("", elem_id="k-reply-note")
    with gr.Row():
        search = gr.Textbox(label="Cari (pertanyaan, teks, sumber)", scale=3, elem_id="k-replies-search")
        status = gr.Dropdown(
            [("Semua", ""), ("Draf", "draf"), ("Terkirim", "terkirim")], value="", label="Status", scale=1
        )
        find = gr.Button("Cari", size="sm", scale=1, elem_id="k-replies-find")
    listing = gr.HTML(render.replies_html(web.find_replies()), elem_id="k-replies")
    csv_file = gr.DownloadButton("Unduh CSV", value=None, elem_id="k-replies-csv")

    def listed(text: str, wanted: str):
        path = workdir / "balasan-helpdesk.csv"
        path.write_text(web.replies_csv(text, wanted), encoding="utf-8")
        return render.replies_html(web.find_replies(text, wanted)), str(path)

    def make_and_keep(q: str, text_: str, wanted: str, request: gr.Request):
        """Draft the reply and keep it in the archive as a draft."""
        try:
            draft = web.draft(q, _user(request))
            number = web.keep_draft(draft, _user(request))
        except AssistantError as e:
            raise _fail("Draf tidak dapat disusun", e) from e
        md, txt = files_for(draft.question, draft.markdown)
        panel = render.sources_panel(draft.answer, web.doc_kinds())
        note = f"Draf #{number} tersimpan di arsip (status: draf)."
        return (draft.markdown, md, txt, panel, number, note, *listed(text_, wanted))

    def save_reply(number: int | None, content: str, text_: str, wanted: str, request: gr.Request, done: bool):
        if number is None:
            raise gr.Error("Susun draf dahulu; balasan yang disimpan adalah draf yang sedang disunting.")
        try:
            reply = web.save_reply(number, content, _user(request), sent=done)
        except AssistantError as e:
            raise _fail("Balasan tidak dapat disimpan", e) from e
        note = f"Balasan #{reply.id} {'ditandai terkirim' if done else 'tersimpan'} ({reply.updated[:16]} UTC)."
        return (note, *listed(text_, wanted))

    def save_edit(number: int | None, content: str, text_: str, wanted: str, request: gr.Request):
        return save_reply(number, content, text_, wanted, request, False)

    def mark_sent(number: int | None, content: str, text_: str, wanted: str, request: gr.Request):
        return save_reply(number, content, text_, wanted, request, True)

    make.click(
        make_and_keep,
        [question, search, status],
        [text, md_file, txt_file, sources, reply_id, reply_note, listing, csv_file],
        api_visibility="private",
    )
    save.click(save_edit, [reply_id, text, search, status], [reply_note, listing, csv_file], api_visibility="private")
    sent.click(mark_sent, [reply_id, text, search, status], [reply_note, listing, csv_file], api_visibility="private")
    for trigger in (find.click, search.submit, status.change):
        trigger(listed, [search, status], [listing, csv_file], api_visibility="private")
    text.input(
        edited,
        [question, text],
        [md_file, txt_file],
        api_visibility="private",
        trigger_mode="always_last",
        show_progress="hidden",
    )


# --- Dokumen ----------------------------------------------------------------------------------------


def build_documents(web: WebApp) -> tuple[gr.Group, gr.Markdown, gr.Dataframe]:
    gr.Markdown("Dokumen yang terindeks dan dipakai untuk menjawab.")
    table = gr.HTML(render.documents_html(web.documents()), elem_id="k-docs")
    refresh = gr.Button("Muat ulang daftar", size="sm")
    staff_note = gr.Markdown("Unggah dan indeks ulang hanya dapat dilakukan oleh admin.", visible=False)
    with gr.Group(visible=not web.login_required) as admin:
        gr.Markdown("### Unggah dokumen (PDF atau Markdown)")
        if not web.login_required:
            gr.Markdown(
                "Mode satu pengguna: siapa pun di komputer ini dianggap admin dan boleh mengunggah serta "
                "mengindeks ulang.",
                elem_id="k-admin-note",
            )
        upload = gr.File(
            label="Berkas", file_types=[".pdf", ".md", ".markdown"], type="filepath", height=140, elem_id="k-upload"
        )
        with gr.Row():
            title = gr.Textbox(label="Judul", placeholder="mis. Panduan Klaster Inovasi 2019")
            year = gr.Textbox(label="Tahun", placeholder="mis. 2019")
            doc_id = gr.Textbox(label="doc_id (opsional)", placeholder="dibentuk dari nama berkas")
        with gr.Row():
            doc_type = gr.Dropdown(list(DOC_TYPES), label="Jenis dokumen", value="panduan")
            status = gr.Dropdown(
                list(STATUSES), label="Status", value="berlaku", info="contoh = ilustratif, bukan ketentuan resmi"
            )
            issuer = gr.Textbox(label="Penerbit", placeholder="mis. Direktorat Sistem Inovasi")
        with gr.Row():
            send = gr.Button("Unggah dan indeks", variant="primary", elem_id="k-upload-send")
            reindex = gr.Button("Indeks ulang seluruh korpus", elem_id="k-reindex")
        notice = gr.HTML()
        report = gr.HTML(elem_id="k-report")

    def do_upload(path: str | None, t: str, y: str, d: str, kind: str, st: str, who: str, request: gr.Request):
        if not path:
            raise gr.Error("Pilih berkas PDF atau Markdown dulu.", title="Belum ada berkas")
        try:
            web.require_admin(_user(request), "upload documents")
            meta = UploadMeta(t or "", parse_year(y), kind or "", st or "", who or "", d or "")
            placed = web.upload(Path(path), Path(path).name, meta, _user(request))
        except AssistantError as e:
            raise _fail("Unggahan ditolak", e) from e
        verb = "menggantikan versi lama" if placed.replaced else "ditambahkan ke korpus"
        note = f"{placed.path.name} ({placed.doc_id}: {placed.title}) {verb}; siap diindeks."
        return render.notice_html(note, "ok")

    def do_reindex(request: gr.Request, progress: gr.Progress = gr.Progress()):  # noqa: B008  (Gradio's API)
        def step(done: int, total: int, message: str) -> None:
            progress((done, total) if total else None, desc=f"Mengindeks: {message}")

        try:
            result = web.reindex(_user(request), step)
        except IngestLockedError as e:
            raise _fail("Indeks sedang dipakai", e) from e
        except AssistantError as e:
            raise _fail("Indeks ulang gagal", e) from e
        return render.sync_report_html(result), render.documents_html(web.documents())

    fields = [upload, title, year, doc_id, doc_type, status, issuer]
    send.click(
        do_upload,
        fields,
        [notice],
        api_name="upload",
        api_visibility="undocumented",
        concurrency_id="index",
        concurrency_limit=1,
    ).success(do_reindex, None, [report, table], api_visibility="private", concurrency_id="index", concurrency_limit=1)
    reindex.click(
        do_reindex,
        None,
        [report, table],
        api_name="reindex",
        api_visibility="undocumented",
        concurrency_id="index",
        concurrency_limit=1,
    )
    refresh.click(lambda: render.documents_html(web.documents()), None, [table], api_visibility="private")
    return admin, staff_note, table


# --- Evaluasi ---------------------------------------------------------------------------------------


def build_eval(web: WebApp) -> None:
    def report_text() -> str:
        text = web.eval_report()
        if text is None:
            return "Belum ada hasil evaluasi untuk ditampilkan."
        return text

    view = gr.Markdown(report_text(), sanitize_html=True, elem_id="k-eval")
    gr.Button("Muat ulang laporan", size="sm").click(report_text, None, [view], api_visibility="private")


# --- assembly ---------------------------------------------------------------------------------------


def header_text(web: WebApp, host: str) -> str:
    docs, chunks = web.index_summary()
    index = (
        f"{docs} dokumen, {chunks} potongan terindeks"
        if docs
        else "**indeks kosong** — klik *Indeks ulang* di tab Dokumen atau jalankan `python -m assistant ingest`"
    )
    if web.login_required:
        access = "login diperlukan"
    elif host in ("127.0.0.1", "localhost", "::1"):
        access = "**mode satu pengguna** (tanpa login, hanya dari komputer ini)"
    else:
        access = f"**mode satu pengguna** tanpa login, terbuka di {host}"
    return f"## {TITLE}\nAsisten aturan program Klaster Inovasi Berbasis PUD · {index} · {access}"


def build_ui(web: WebApp, host: str, workdir: Path) -> gr.Blocks:
    # Gradio's cache of served files (drafts, uploads) is swept hourly of anything older than a day.
    with gr.Blocks(title=TITLE, analytics_enabled=False, delete_cache=(3600, 86400)) as demo:
        with gr.Row():
            with gr.Column(scale=5):
                header = gr.Markdown(header_text(web, host), elem_id="k-header")
            with gr.Column(scale=1, min_width=200):
                signed_in = gr.Markdown("", elem_id="k-user")
        with gr.Tabs():
            with gr.Tab("Tanya", id="tanya"):
                years, types, past = build_chat(web)
            with gr.Tab("Draf Jawaban", id="draf"):
                build_draft(web, workdir)
            with gr.Tab("Dokumen", id="dokumen"):
                admin, staff_note, _ = build_documents(web)
            with gr.Tab("Evaluasi", id="evaluasi"):
                build_eval(web)
            with gr.Tab("Periksa Dokumen", id="periksa"):
                build_check_tab(web)

        def ask(question: str, request: gr.Request, history: list | None = None) -> dict[str, Any]:
            """Answer one question with cited sources: the JSON object of `python -m assistant ask --json`.
            Optional `history`: the earlier turns of the conversation, oldest first, as questions or as
            {question, answer, resolved_question} objects (what /ask returned); a follow-up is read in context."""
            try:
                return web.ask_json(question, _user(request), history)
            except AssistantError as e:
                raise _fail("Pertanyaan tidak dapat diproses", e) from e

        def draft(question: str, request: gr.Request, history: list | None = None) -> str:
            """A formal Indonesian helpdesk reply with numbered references, as Markdown (optional `history` as
            for /ask)."""
            try:
                reply = web.draft(question, _user(request), history)
                web.keep_draft(reply, _user(request))  # every draft is kept in the helpdesk archive
                return reply.markdown
            except AssistantError as e:
                raise _fail("Draf tidak dapat disusun", e) from e

        gr.api(ask, api_name="ask")
        gr.api(draft, api_name="draft")

        def on_load(request: gr.Request):
            """Per page load: who is signed in, what they may do, and the index as it is now."""
            user = _user(request)
            is_admin = web.role(user) == "admin"
            who = f"Masuk sebagai **{render.esc(user)}** ({web.role(user)}) · [Keluar](/logout)" if user else ""
            years_all, types_all = web.filter_choices()
            return (
                header_text(web, host),
                who,
                gr.update(visible=is_admin),
                gr.update(visible=not is_admin),
                gr.update(choices=years_all),
                gr.update(choices=types_all),
                history_choices(web, request),
            )

        outputs = [header, signed_in, admin, staff_note, years, types, past]
        demo.load(on_load, None, outputs, api_visibility="private")
    return demo


def document_route(web: WebApp) -> APIRoute:
    """GET /dokumen/{doc_id}: the original file of an indexed document (PDF opens at #page=N)."""

    def current_user(request: Request) -> str | None:
        # Gradio's own login check (routes.py get_current_user) is not exposed for custom routes.
        app = request.app
        token = request.cookies.get(f"access-token-{app.cookie_id}") or request.cookies.get(
            f"access-token-unsecure-{app.cookie_id}"
        )
        return app.tokens.get(token)

    def serve(doc_id: str, request: Request):
        if web.login_required and current_user(request) is None:
            return PlainTextResponse("Masuk (login) dulu untuk membuka dokumen.", status_code=401)
        found = web.document_file(doc_id)
        if found is None:
            return PlainTextResponse(f"Dokumen {doc_id!r} tidak ada di indeks.", status_code=404)
        path, media_type = found
        headers = {"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "sandbox"}
        if media_type.startswith("application/pdf"):
            headers = {"X-Content-Type-Options": "nosniff"}  # the browser's PDF viewer needs scripts
        return FileResponse(
            path, media_type=media_type, headers=headers, content_disposition_type="inline", filename=path.name
        )

    return APIRoute(f"{render.DOC_ROUTE}/{{doc_id}}", serve, methods=["GET", "HEAD"])


def startup_line(web: WebApp, url: str, seconds: float) -> str:
    docs, chunks = web.index_summary()
    mode = "login required (users file)" if web.login_required else "single-user mode (no login)"
    index = (
        f"{docs} documents, {chunks} chunks indexed"
        if docs
        else ("the index is EMPTY: open the Dokumen tab and re-index, or run `python -m assistant ingest` and restart")
    )
    return f"{TITLE} ready at {url} | {mode} | {index} | started in {seconds:.1f} s"


def log_to_stderr() -> None:
    """The app's own log lines (rejected questions, failed answers), one line each, on stderr."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("klasinov.app")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


def _warm_up(web: WebApp, failed: list[AssistantError]) -> None:
    try:
        web.warm_up()
    except AssistantError as e:
        failed.append(e)


def main(settings: Settings | None = None) -> int:
    started = time.perf_counter()
    log_to_stderr()
    try:
        settings = settings or get_settings()
        web = WebApp.from_settings(settings)
    except AssistantError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    # The model and indexes load while the interface is built and the server starts; ready waits for both.
    warm_failed: list[AssistantError] = []
    warm = threading.Thread(target=_warm_up, args=(web, warm_failed), name="warm-up", daemon=True)
    warm.start()
    host = server_name()
    workdir = Path(tempfile.mkdtemp(prefix="klasinov-app-"))
    demo = build_ui(web, host, workdir)
    demo.queue(default_concurrency_limit=settings.concurrency_limit, max_size=100)
    _, url, _ = demo.launch(
        server_name=host,
        auth=web.users.authenticate if web.users else None,
        auth_message="Klasinov Assistant — masuk dengan akun helpdesk atau staf.",
        prevent_thread_lock=True,
        quiet=True,
        max_file_size=f"{settings.max_upload_mb}mb",
        ssr_mode=False,
        footer_links=["api"],
        run_history=False,
        allowed_paths=[str(workdir)],
        app_kwargs={"routes": [document_route(web)]},
        theme=THEME,
        css=CSS,
        head=HEAD,
        i18n=gr.I18n(en=ui_text.TOOLKIT_ID, id=ui_text.TOOLKIT_ID),
    )
    warm.join()
    if warm_failed:
        demo.close()
        print(f"error: {warm_failed[0]}", file=sys.stderr)
        return 1
    print(startup_line(web, url, time.perf_counter() - started), flush=True)
    if host not in ("127.0.0.1", "localhost", "::1") and not web.login_required:
        print(f"warning: no login and listening on {host}; set KLASINOV_USERS_FILE to require one", flush=True)
    demo.block_thread()
    return 0


if __name__ == "__main__":
    sys.exit(main())
