"""The app's "Periksa Dokumen" tab: upload a draft, choose its kind, read the checklist (Gradio)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gradio as gr

from assistant.check.render import to_markdown, to_text
from assistant.errors import AssistantError

KIND_CHOICES = [("Proposal", "proposal"), ("Master plan", "master-plan")]
HELP = (
    "Unggah draf proposal atau master plan (PDF, DOCX, Markdown atau teks). Setiap bagian wajib, lampiran wajib dan "
    "batas angka yang dinyatakan dalam ketentuan di indeks ditandai **ada**, **kurang** atau **tidak ada**, dengan "
    "letaknya di draf dan ketentuan yang mensyaratkannya. Draf tidak disimpan."
)


def build_check_tab(web: Any) -> None:
    """``web`` is the app's WebApp: its settings and embedder are reused, so the model loads once."""
    gr.Markdown(HELP)
    with gr.Row():
        upload = gr.File(
            label="Draf", file_types=[".pdf", ".docx", ".md", ".txt"], type="filepath", elem_id="k-check-file"
        )
        kind = gr.Radio(KIND_CHOICES, value="proposal", label="Jenis dokumen", elem_id="k-check-kind")
    run = gr.Button("Periksa", variant="primary", elem_id="k-check-run")
    result = gr.Markdown("", elem_id="k-check-result")
    plain = gr.Textbox(label="Daftar periksa untuk draf jawaban", lines=8, buttons=["copy"], elem_id="k-check-text")

    def check(path: str | None, kind_value: str) -> tuple[str, str]:
        from assistant.check import open_checker

        if not path:
            raise gr.Error("Belum ada draf: unggah berkas PDF, DOCX, Markdown atau teks, lalu tekan Periksa.")
        try:
            checker = open_checker(web.settings, web.embedder)
            outcome = checker.check(Path(path), kind_value, Path(path).name)
        except AssistantError as e:
            raise gr.Error(f"Draf tidak dapat diperiksa: {e}") from e
        return to_markdown(outcome), to_text(outcome)

    run.click(check, [upload, kind], [result, plain], api_name="check_draft")
