"""Klasinov Assistant web app: `python app.py` (or `make run`).

Tabs: Tanya (chat with checkable sources and saved conversations), Draf Jawaban (helpdesk drafts and their
archive: edit, mark sent, search, CSV), Dokumen (index and uploads), Evaluasi (the latest eval report), Periksa
Dokumen (draft check; its widgets live in ``assistant.check.ui``). Programs call the named endpoints /ask and
/draft with gradio_client. Apart from ``assistant.check.ui`` this is the only module that imports gradio; the work
itself lives in ``assistant.webapp``, the page's styles and script in ``assistant/static/``.
"""
# No `from __future__ import annotations`: gr.api reads the real type hints of the endpoint functions.

import json
import logging
import sys
import tempfile
import threading
import time
from collections import OrderedDict
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
from assistant.ui_text import Labels, ui
from assistant.uploads import UploadMeta, parse_year
from assistant.webapp import ChatState, WebApp, filters_from, server_name, write_draft_files

TITLE = "Klasinov Assistant"
EXAMPLES = [
    "Berapa dana perumusan per klaster?",
    "Siapa yang boleh menjadi pengusul?",
    "Komponen biaya apa yang tidak diperbolehkan?",
    "What must a proposal include?",
]
RATINGS = [("feedback.up", "up"), ("feedback.down", "down")]
MODES = [("mode.auto", ""), ("mode.extractive", "extractive"), ("mode.llm", "llm")]
REPLY_STATUSES = [("status.all", ""), ("status.draf", "draf"), ("status.terkirim", "terkirim")]
UI_LANGUAGES = [("Bahasa Indonesia", "id"), ("English", "en")]
STATIC = Path(render.__file__).parent / "static"
CSS = (STATIC / "app.css").read_text(encoding="utf-8")
# [n] markers that open their source card, and "Copy" that gives plain text (see the file's header).
# The toolkit's translation module (its file name carries a build hash), for the language switch in app.js.
TOOLKIT_CORE = next((p.name for p in (Path(gr.__file__).parent / "templates/frontend/assets").glob("core-*.js")), "")
HEAD = (
    f"<script>window.klasinovToolkitCore = {json.dumps(TOOLKIT_CORE)};</script>"
    f"<script>{(STATIC / 'app.js').read_text(encoding='utf-8')}</script>"
)
# System fonts only: the default theme would fetch Google Fonts, and the app must work offline.
THEME = gr.themes.Soft(
    primary_hue="teal",
    font=["DejaVu Sans", "system-ui", "sans-serif"],
    font_mono=["DejaVu Sans Mono", "monospace"],
)


def _user(request: gr.Request | None) -> str | None:
    return getattr(request, "username", None) if request else None


class SessionLanguages:
    """Each browser session's UI language, set by the page's switch (and restored from the browser on load), so
    that every handler writes its messages in it. The oldest sessions are forgotten beyond ``limit``."""

    def __init__(self, limit: int = 10_000) -> None:
        self.limit = limit
        self.by_session: OrderedDict[str, str] = OrderedDict()
        self.lock = threading.Lock()

    def set(self, request: gr.Request | None, lang: str) -> str:
        lang = ui_text.language_of(lang)
        session = getattr(request, "session_hash", None) if request else None
        if session:
            with self.lock:
                self.by_session[session] = lang
                self.by_session.move_to_end(session)
                while len(self.by_session) > self.limit:
                    self.by_session.popitem(last=False)
        return lang

    def of(self, request: gr.Request | None) -> str:
        session = getattr(request, "session_hash", None) if request else None
        with self.lock:
            return self.by_session.get(session or "", ui_text.DEFAULT_LANG)


LANGUAGES = SessionLanguages()


def _lang(request: gr.Request | None) -> str:
    return LANGUAGES.of(request)


def _fail(lead_key: str, error: AssistantError, request: gr.Request | None) -> gr.Error:
    # Gradio shows error messages as (sanitised) HTML; escaped, a file name or value reads as typed.
    lang = _lang(request)
    return gr.Error(render.esc(f"{ui(lead_key, lang)}: {error}"), title=ui("error.title", lang))


def _refuse(key: str, title_key: str, request: gr.Request | None) -> gr.Error:
    lang = _lang(request)
    return gr.Error(ui(key, lang), title=ui(title_key, lang))


# --- Tanya ------------------------------------------------------------------------------------------


def _message(role: str, content: str) -> dict[str, str]:
    return {"role": role, "content": content}


def build_chat(web: WebApp, words: Labels) -> tuple[gr.CheckboxGroup, gr.CheckboxGroup, gr.Dropdown]:
    state = gr.State(None)
    with gr.Row():
        with gr.Column(scale=4, elem_id="k-main"):
            chatbot = gr.Chatbot(
                label="Percakapan",
                show_label=False,
                height=640,
                resizable=True,
                placeholder=ui("chat.welcome"),
                feedback_options=("Like", "Dislike"),  # the values sent to on_like; the labels are ui_text.TOOLKIT_ID
                allow_tags=False,
                sanitize_html=True,
                buttons=["copy"],
                elem_id="k-chat",
            )
            words.add(chatbot, placeholder="chat.welcome")
            chat_notice = gr.HTML(elem_id="k-chat-notice")
            with gr.Row():
                question = gr.Textbox(
                    placeholder=ui("chat.placeholder"), show_label=False, scale=6, elem_id="k-question"
                )
                send = gr.Button(ui("chat.send"), variant="primary", scale=1, elem_id="k-send")
            words.add(question, placeholder="chat.placeholder")
            words.add(send, value="chat.send")
            examples = gr.Examples(EXAMPLES, inputs=question, label=ui("chat.examples"))
            words.add(examples.dataset, label="chat.examples")
            panel, feedback_notice, rating, comment = build_feedback(web, state, words)
        with gr.Column(scale=1, min_width=220, elem_id="k-side"):
            new_chat = words.add(gr.Button(ui("chat.new"), variant="secondary", elem_id="k-new-chat"), value="chat.new")
            past = build_history(web, state, chatbot, panel, chat_notice, words)
            years_all, types_all = web.filter_choices()
            with words.add(gr.Accordion(ui("chat.filters"), open=False, elem_id="k-filters"), label="chat.filters"):
                years = gr.CheckboxGroup(years_all, label=ui("chat.years"), elem_id="k-years")
                types = gr.CheckboxGroup(types_all, label=ui("chat.types"), elem_id="k-types")
                mode = gr.Radio(
                    [(ui(k), v) for k, v in MODES],
                    value="",
                    label=ui("chat.mode"),
                    visible=web.assistant.generator is not None,
                )
            words.add(years, label="chat.years")
            words.add(types, label="chat.types")
            words.add(mode, label="chat.mode", choices=MODES)
            words.add(gr.Markdown(ui("chat.sample_note"), elem_id="k-side-note"), value="chat.sample_note")

    def respond(text: str, chat: ChatState | None, year_sel: list, type_sel: list, how: str, request: gr.Request):
        # A rejected or failed question leaves the conversation and the typed text as they were and says
        # why in a notice above the input box.
        chat = chat or ChatState()
        user = _user(request)
        lang = _lang(request)
        problem = web.question_problem(text, lang)
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
            yield list(chat.messages), typed, chat, render.notice_html(ui_text.text("answer_failed", lang), "error")
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
            raise _fail("feedback.not_saved", e, request) from e
        chat.feedback_turn = turn
        note = ui("feedback.rated", _lang(request), turn=turn + 1)
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
    web: WebApp, state: gr.State, chatbot: gr.Chatbot, panel: gr.Accordion, notice: gr.HTML, words: Labels
) -> gr.Dropdown:
    """Saved conversations of this user: reopen, rename, delete (they survive reloads and restarts)."""
    with words.add(gr.Accordion(ui("history.title"), open=False, elem_id="k-history"), label="history.title"):
        past = gr.Dropdown(choices=[], value=None, label=ui("history.list"), elem_id="k-past")
        with gr.Row():
            reopen = gr.Button(ui("history.open"), size="sm", elem_id="k-past-open")
            delete = gr.Button(ui("history.delete"), size="sm", variant="stop", elem_id="k-past-delete")
        name = gr.Textbox(label=ui("history.name"), placeholder=ui("history.name_hint"), elem_id="k-past-name")
        rename = gr.Button(ui("history.rename"), size="sm", elem_id="k-past-rename")
    words.add(past, label="history.list")
    words.add(reopen, value="history.open")
    words.add(delete, value="history.delete")
    words.add(name, label="history.name", placeholder="history.name_hint")
    words.add(rename, value="history.rename")

    def pick_first(conversation: str | None, request: gr.Request) -> str:
        if not conversation:
            raise _refuse("history.pick", "error.no_choice", request)
        return conversation

    def do_open(conversation: str | None, request: gr.Request):
        try:
            chat = web.open_conversation(pick_first(conversation, request), _user(request))
        except AssistantError as e:
            raise _fail("history.not_opened", e, request) from e
        return list(chat.messages), chat, "", gr.update(visible=False)

    def do_rename(conversation: str | None, title: str, request: gr.Request):
        try:
            web.rename_conversation(pick_first(conversation, request), title, _user(request))
        except AssistantError as e:
            raise _fail("history.not_renamed", e, request) from e
        return history_choices(web, request, conversation), ""

    def do_delete(conversation: str | None, chat: ChatState | None, request: gr.Request):
        try:
            web.delete_conversation(pick_first(conversation, request), _user(request))
        except AssistantError as e:
            raise _fail("history.not_deleted", e, request) from e
        if chat is not None and chat.session_id == conversation:  # the open one goes: the chat starts afresh
            return history_choices(web, request), [], None
        return history_choices(web, request), gr.skip(), gr.skip()

    private = {"api_visibility": "private"}
    reopen.click(do_open, [past], [chatbot, state, notice, panel], **private)
    rename.click(do_rename, [past, name], [past, name], **private)
    delete.click(do_delete, [past, state], [past, chatbot, state], **private)
    return past


def build_feedback(web: WebApp, state: gr.State, words: Labels) -> tuple[gr.Accordion, gr.HTML, gr.Radio, gr.Textbox]:
    # Shown once an answer is rated with the chat's thumbs, for a comment or a change of mind.
    with gr.Accordion(ui("feedback.title"), open=True, visible=False, elem_id="k-feedback") as panel:
        with gr.Row():
            rating = gr.Radio(
                [(ui(k), v) for k, v in RATINGS], label=ui("feedback.rating"), value=None, scale=2, elem_id="k-rating"
            )
            comment = gr.Textbox(
                label=ui("feedback.comment"), placeholder=ui("feedback.comment_hint"), scale=4, elem_id="k-comment"
            )
            submit = gr.Button(ui("feedback.send"), scale=1, elem_id="k-feedback-send")
        notice = gr.HTML(elem_id="k-feedback-notice")
    words.add(panel, label="feedback.title")
    words.add(rating, label="feedback.rating", choices=RATINGS)
    words.add(comment, label="feedback.comment", placeholder="feedback.comment_hint")
    words.add(submit, value="feedback.send")

    def send_feedback(value: str | None, text: str, chat: ChatState | None, request: gr.Request):
        if not value:
            raise _refuse("feedback.no_rating", "error.incomplete", request)
        if chat is None or chat.last_turn is None:
            raise _refuse("feedback.no_answer", "error.no_answer", request)
        try:
            row, turn = web.record_feedback(chat, chat.feedback_turn, value, text, _user(request))
        except AssistantError as e:
            raise _fail("feedback.not_saved", e, request) from e
        return render.notice_html(ui("feedback.saved", _lang(request), row=row, turn=turn + 1), "ok"), ""

    submit.click(
        send_feedback, [rating, comment, state], [notice, comment], api_name="feedback", api_visibility="undocumented"
    )
    return panel, notice, rating, comment


# --- Draf Jawaban -----------------------------------------------------------------------------------


def build_draft(web: WebApp, workdir: Path, words: Labels) -> gr.HTML:
    words.add(gr.Markdown(ui("draft.intro")), value="draft.intro")
    question = gr.Textbox(label=ui("draft.question"), lines=3, elem_id="k-draft-question")
    make = gr.Button(ui("draft.make"), variant="primary", elem_id="k-draft-make")
    text = gr.Textbox(label=ui("draft.text"), lines=18, buttons=["copy"], interactive=True, elem_id="k-draft-text")
    with gr.Row():
        md_file = gr.DownloadButton(ui("draft.download_md"), value=None, elem_id="k-draft-md")
        txt_file = gr.DownloadButton(ui("draft.download_txt"), value=None, elem_id="k-draft-txt")
    sources = gr.HTML(elem_id="k-draft-sources")
    words.add(question, label="draft.question")
    words.add(make, value="draft.make")
    words.add(text, label="draft.text")
    words.add(md_file, label="draft.download_md")
    words.add(txt_file, label="draft.download_txt")

    def files_for(q: str, content: str) -> tuple[str | None, str | None]:
        if not content.strip():
            return None, None
        md, txt = write_draft_files(workdir, q, content)
        return str(md), str(txt)

    def edited(q: str, content: str):
        return files_for(q, content)

    words.add(gr.Markdown(ui("draft.archive")), value="draft.archive")
    with gr.Row():
        save = gr.Button(ui("draft.save"), size="sm", elem_id="k-reply-save")
        sent = gr.Button(ui("draft.sent"), size="sm", variant="primary", elem_id="k-reply-sent")
    reply_id = gr.State(None)
    reply_note = gr.Markdown("", elem_id="k-reply-note")
    with gr.Row():
        search = gr.Textbox(label=ui("draft.search"), scale=3, elem_id="k-replies-search")
        status = gr.Dropdown([(ui(k), v) for k, v in REPLY_STATUSES], value="", label=ui("draft.status"), scale=1)
        find = gr.Button(ui("draft.find"), size="sm", scale=1, elem_id="k-replies-find")
    listing = gr.HTML(render.replies_html(web.find_replies()), elem_id="k-replies")
    csv_file = gr.DownloadButton(ui("draft.csv"), value=None, elem_id="k-replies-csv")
    words.add(save, value="draft.save")
    words.add(sent, value="draft.sent")
    words.add(search, label="draft.search")
    words.add(status, label="draft.status", choices=REPLY_STATUSES)
    words.add(find, value="draft.find")
    words.add(csv_file, label="draft.csv")

    def listed(text: str, wanted: str, request: gr.Request):
        path = workdir / "balasan-helpdesk.csv"
        path.write_text(web.replies_csv(text, wanted), encoding="utf-8")
        return render.replies_html(web.find_replies(text, wanted), _lang(request)), str(path)

    def make_and_keep(q: str, text_: str, wanted: str, request: gr.Request):
        """Draft the reply and keep it in the archive as a draft."""
        try:
            draft = web.draft(q, _user(request))
            number = web.keep_draft(draft, _user(request))
        except AssistantError as e:
            raise _fail("draft.failed", e, request) from e
        md, txt = files_for(draft.question, draft.markdown)
        panel = render.sources_panel(draft.answer, web.doc_kinds())
        note = ui("draft.kept", _lang(request), number=number)
        return (draft.markdown, md, txt, panel, number, note, *listed(text_, wanted, request))

    def save_reply(number: int | None, content: str, text_: str, wanted: str, request: gr.Request, done: bool):
        if number is None:
            raise _refuse("draft.none", "error.no_choice", request)
        try:
            reply = web.save_reply(number, content, _user(request), sent=done)
        except AssistantError as e:
            raise _fail("draft.not_saved", e, request) from e
        note = ui("draft.marked" if done else "draft.stored", _lang(request), id=reply.id, at=reply.updated[:16])
        return (note, *listed(text_, wanted, request))

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
    return listing


# --- Dokumen ----------------------------------------------------------------------------------------


def build_documents(web: WebApp, words: Labels) -> tuple[gr.Group, gr.Markdown, gr.HTML]:
    words.add(gr.Markdown(ui("docs.intro")), value="docs.intro")
    table = gr.HTML(render.documents_html(web.documents()), elem_id="k-docs")
    refresh = words.add(gr.Button(ui("docs.refresh"), size="sm"), value="docs.refresh")
    staff_note = words.add(gr.Markdown(ui("docs.staff"), visible=False), value="docs.staff")
    with gr.Group(visible=not web.login_required) as admin:
        words.add(gr.Markdown(ui("docs.upload_title")), value="docs.upload_title")
        if not web.login_required:
            words.add(gr.Markdown(ui("docs.admin_note"), elem_id="k-admin-note"), value="docs.admin_note")
        upload = gr.File(
            label=ui("docs.file"),
            file_types=[".pdf", ".md", ".markdown"],
            type="filepath",
            height=140,
            elem_id="k-upload",
        )
        with gr.Row():
            title = gr.Textbox(label=ui("docs.title"), placeholder=ui("docs.title_hint"))
            year = gr.Textbox(label=ui("docs.year"), placeholder=ui("docs.year_hint"))
            doc_id = gr.Textbox(label=ui("docs.doc_id"), placeholder=ui("docs.doc_id_hint"))
        with gr.Row():
            doc_type = gr.Dropdown(list(DOC_TYPES), label=ui("docs.type"), value="panduan")
            status = gr.Dropdown(list(STATUSES), label=ui("docs.status"), value="berlaku", info=ui("docs.status_info"))
            issuer = gr.Textbox(label=ui("docs.issuer"), placeholder=ui("docs.issuer_hint"))
        with gr.Row():
            send = gr.Button(ui("docs.send"), variant="primary", elem_id="k-upload-send")
            reindex = gr.Button(ui("docs.reindex"), elem_id="k-reindex")
        notice = gr.HTML()
        report = gr.HTML(elem_id="k-report")
    words.add(upload, label="docs.file")
    for box, key in ((title, "docs.title"), (year, "docs.year"), (doc_id, "docs.doc_id"), (issuer, "docs.issuer")):
        words.add(box, label=key, placeholder=f"{key}_hint")
    words.add(doc_type, label="docs.type")
    words.add(status, label="docs.status", info="docs.status_info")
    words.add(send, value="docs.send")
    words.add(reindex, value="docs.reindex")

    def do_upload(path: str | None, t: str, y: str, d: str, kind: str, st: str, who: str, request: gr.Request):
        if not path:
            raise _refuse("docs.no_file", "error.no_file", request)
        try:
            web.require_admin(_user(request), "upload documents")
            meta = UploadMeta(t or "", parse_year(y), kind or "", st or "", who or "", d or "")
            placed = web.upload(Path(path), Path(path).name, meta, _user(request))
        except AssistantError as e:
            raise _fail("docs.rejected", e, request) from e
        lang = _lang(request)
        verb = ui("docs.replaced" if placed.replaced else "docs.added", lang)
        note = ui("docs.placed", lang, name=placed.path.name, doc_id=placed.doc_id, title=placed.title, verb=verb)
        return render.notice_html(note, "ok")

    def do_reindex(request: gr.Request, progress: gr.Progress = gr.Progress()):  # noqa: B008  (Gradio's API)
        lang = _lang(request)

        def step(done: int, total: int, message: str) -> None:
            progress((done, total) if total else None, desc=ui("docs.indexing", lang, message=message))

        try:
            result = web.reindex(_user(request), step)
        except IngestLockedError as e:
            raise _fail("docs.locked", e, request) from e
        except AssistantError as e:
            raise _fail("docs.reindex_failed", e, request) from e
        return render.sync_report_html(result), render.documents_html(web.documents(), lang)

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

    def listed(request: gr.Request) -> str:
        return render.documents_html(web.documents(), _lang(request))

    refresh.click(listed, None, [table], api_visibility="private")
    return admin, staff_note, table


# --- Evaluasi ---------------------------------------------------------------------------------------


def build_eval(web: WebApp, words: Labels) -> None:
    def report_text(request: gr.Request | None = None) -> str:
        text = web.eval_report()
        return ui("eval.none", _lang(request)) if text is None else text

    view = gr.Markdown(report_text(), sanitize_html=True, elem_id="k-eval")
    reload = words.add(gr.Button(ui("eval.reload"), size="sm"), value="eval.reload")
    reload.click(report_text, None, [view], api_visibility="private")


# --- assembly ---------------------------------------------------------------------------------------


def header_text(web: WebApp, host: str, lang: str = ui_text.DEFAULT_LANG) -> str:
    docs, chunks = web.index_summary()
    index = ui("header.index", lang, docs=docs, chunks=chunks) if docs else ui("header.empty", lang)
    if web.login_required:
        access = ui("header.login", lang)
    elif host in ("127.0.0.1", "localhost", "::1"):
        access = ui("header.local", lang)
    else:
        access = ui("header.open", lang, host=host)
    return f"## {TITLE}\n{ui('header.subtitle', lang)} · {index} · {access}"


def build_ui(web: WebApp, host: str, workdir: Path) -> gr.Blocks:
    # Gradio's cache of served files (drafts, uploads) is swept hourly of anything older than a day.
    words = Labels()
    with gr.Blocks(title=TITLE, analytics_enabled=False, delete_cache=(3600, 86400)) as demo:
        # The session's UI language: chosen with the switch, remembered by the browser across reloads.
        stored_lang = gr.BrowserState(ui_text.DEFAULT_LANG, storage_key="klasinov-ui-language")
        with gr.Row():
            with gr.Column(scale=5):
                header = gr.Markdown(header_text(web, host), elem_id="k-header")
            with gr.Column(scale=1, min_width=200):
                language = gr.Radio(UI_LANGUAGES, value=ui_text.DEFAULT_LANG, label=ui("lang.label"), elem_id="k-lang")
                signed_in = gr.Markdown("", elem_id="k-user")
        with gr.Tabs():
            with words.add(gr.Tab(ui("tab.ask"), id="tanya"), label="tab.ask"):
                years, types, past = build_chat(web, words)
            with words.add(gr.Tab(ui("tab.draft"), id="draf"), label="tab.draft"):
                replies = build_draft(web, workdir, words)
            with words.add(gr.Tab(ui("tab.docs"), id="dokumen"), label="tab.docs"):
                admin, staff_note, documents = build_documents(web, words)
            with words.add(gr.Tab(ui("tab.eval"), id="evaluasi"), label="tab.eval"):
                build_eval(web, words)
            with words.add(gr.Tab(ui("tab.check"), id="periksa"), label="tab.check"):
                build_check_tab(web, words, _lang)

        def ask(question: str, request: gr.Request, history: list | None = None) -> dict[str, Any]:
            """Answer one question with cited sources: the JSON object of `python -m assistant ask --json`.
            Optional `history`: the earlier turns of the conversation, oldest first, as questions or as
            {question, answer, resolved_question} objects (what /ask returned); a follow-up is read in context."""
            try:
                return web.ask_json(question, _user(request), history)
            except AssistantError as e:
                raise gr.Error(render.esc(f"Pertanyaan tidak dapat diproses: {e}"), title="Tidak dapat diproses") from e

        def draft(question: str, request: gr.Request, history: list | None = None) -> str:
            """A formal Indonesian helpdesk reply with numbered references, as Markdown (optional `history` as
            for /ask)."""
            try:
                reply = web.draft(question, _user(request), history)
                web.keep_draft(reply, _user(request))  # every draft is kept in the helpdesk archive
                return reply.markdown
            except AssistantError as e:
                raise gr.Error(render.esc(f"Draf tidak dapat disusun: {e}"), title="Tidak dapat diproses") from e

        gr.api(ask, api_name="ask")
        gr.api(draft, api_name="draft")

        def in_language(chosen: str, request: gr.Request):
            """The page in the chosen language: every label, the header and the tables."""
            lang = LANGUAGES.set(request, chosen)
            user = _user(request)
            who = ui("header.signed_in", lang, user=render.esc(user), role=web.role(user)) if user else ""
            return (
                lang,
                gr.update(value=lang, label=ui("lang.label", lang)),
                header_text(web, host, lang),
                who,
                render.documents_html(web.documents(), lang),
                render.replies_html(web.find_replies(), lang),
                *(gr.update(**props) for props in words.updates(lang)),
            )

        def on_load(chosen: str, request: gr.Request):
            """Per page load: the language remembered by the browser, who is signed in, what they may do, and
            the index as it is now."""
            is_admin = web.role(_user(request)) == "admin"
            years_all, types_all = web.filter_choices()
            return (
                *in_language(chosen, request),
                gr.update(visible=is_admin),
                gr.update(visible=not is_admin),
                gr.update(choices=years_all),
                gr.update(choices=types_all),
                history_choices(web, request),
            )

        page = [stored_lang, language, header, signed_in, documents, replies, *words.components]
        private = {"api_visibility": "private"}
        # The toolkit's own words (upload area, buttons' tooltips) follow, in the browser (app.js).
        toolkit = {"fn": None, "inputs": [language], "js": "(lang) => { window.klasinovLocale(lang); }", **private}
        language.input(in_language, [language], page, **private).then(**toolkit)
        demo.load(on_load, [stored_lang], [*page, admin, staff_note, years, types, past], **private).then(**toolkit)
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
        i18n=gr.I18n(en=ui_text.TOOLKIT_EN, id=ui_text.TOOLKIT_ID),
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
