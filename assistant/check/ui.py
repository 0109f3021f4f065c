"""The app's "Periksa Dokumen" tab: upload a draft, choose its kind, read the checklist (Gradio)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.check.render import to_markdown, to_text
from assistant.errors import AssistantError
from assistant.ui_text import Labels, ui

KIND_CHOICES = [("Proposal", "proposal"), ("Master plan", "master-plan")]


def build_check_tab(web: Any, words: Labels, lang_of: Callable[[gr.Request | None], str]) -> None:
    """``web`` is the app's WebApp: its settings and embedder are reused, so the model loads once. ``words``
    registers the tab's labels for the language switch; ``lang_of`` gives a request's UI language."""
    words.add(gr.Markdown(ui("check.help")), value="check.help")
    with gr.Row():
        upload = gr.File(
            label=ui("check.file"), file_types=[".pdf", ".docx", ".md", ".txt"], type="filepath", elem_id="k-check-file"
        )
        kind = gr.Radio(KIND_CHOICES, value="proposal", label=ui("check.kind"), elem_id="k-check-kind")
    run = gr.Button(ui("check.run"), variant="primary", elem_id="k-check-run")
    result = gr.Markdown("", elem_id="k-check-result")
    plain = gr.Textbox(label=ui("check.text"), lines=8, buttons=["copy"], elem_id="k-check-text")
    words.add(upload, label="check.file")
    words.add(kind, label="check.kind")
    words.add(run, value="check.run")
    words.add(plain, label="check.text")

    def check(path: str | None, kind_value: str, request: gr.Request) -> tuple[str, str]:
        from assistant.check import open_checker

        lang = lang_of(request)
        if not path:
            raise gr.Error(ui("check.no_file", lang), title=ui("error.no_file", lang))
        try:
            checker = open_checker(web.settings, web.embedder)
            outcome = checker.check(Path(path), kind_value, Path(path).name)
        except AssistantError as e:
            raise gr.Error(f"{ui('check.failed', lang)}: {e}", title=ui("error.title", lang)) from e
        return to_markdown(outcome), to_text(outcome)

    run.click(check, [upload, kind], [result, plain], api_name="check_draft")
