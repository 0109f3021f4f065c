"""HTML and Markdown for the app: answers, source cards, the document list and sync reports.

Every piece of text that comes from a user or a document is escaped here before it reaches the browser;
Markdown emphasis and lists of answer text still render, raw HTML never does.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import quote

from assistant.answer import texts
from assistant.ingest.sync import SyncReport
from assistant.normalize import CITATION_KEY
from assistant.types import Answer, Citation

DOC_ROUTE = "/dokumen"
REFUSED_TITLE = "Tidak ditemukan dalam dokumen"
RESOLVED_LEAD = "Dipahami sebagai:"
SOURCES_TITLE = "Sumber"
FULL_TEXT_LABEL = "Tampilkan teks lengkap bagian ini"
SAMPLE_BADGE = texts.SAMPLE_MARK
SUPERSEDED_BADGE = "diganti — periksa versi terbaru"
PENDING = "Sedang mencari di dokumen…"
QUOTE_CHARS = 320  # longer quotes are cut in the card; the whole passage is one click away


def esc(text: object) -> str:
    """HTML-escape any value (quotes too, so it is safe inside attributes)."""
    return html.escape("" if text is None else str(text), quote=True)


def text_block(text: str) -> str:
    """Escaped text whose line breaks survive inside an HTML block without starting Markdown again."""
    lines = [esc(line.strip()) for line in text.strip().splitlines()]
    return "<br>".join(line for line in lines if line)


def shorten(text: str, limit: int = QUOTE_CHARS) -> str:
    """At most ``limit`` characters, cut at a word boundary and marked with an ellipsis."""
    text = text.strip()
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(None, 1)[0].rstrip(",;:") + " …"


def question_markdown(question: str) -> str:
    """A user's question shown in the chat: plain text, whatever characters it holds."""
    return esc(question)


def answer_markdown(text: str, known_refs: Iterable[int] = ()) -> str:
    """Answer text as Markdown with every HTML character escaped; ``[n]`` markers become small badges."""
    refs = set(known_refs)
    escaped = esc(text)

    def badge(match: re.Match[str]) -> str:
        n = int(match.group(1))
        return f'<span class="k-ref">[{n}]</span>' if n in refs else match.group(0)

    return CITATION_KEY.sub(badge, escaped)


def doc_href(doc_id: str, page: int | None) -> str:
    anchor = f"#page={page}" if page else ""
    return f"{DOC_ROUTE}/{quote(doc_id, safe='')}{anchor}"


def full_text_of(answer: Answer, citation: Citation) -> str:
    """The whole retrieved chunk behind a citation (the quote alone when the chunk is not among the hits)."""
    for hit in answer.hits:
        if hit.chunk.chunk_id == citation.chunk_id:
            return hit.chunk.text
    return citation.text


def _badges(citation: Citation) -> str:
    if citation.is_sample:
        return f'<span class="k-badge k-sample">{esc(SAMPLE_BADGE)}</span>'
    if citation.status == "diganti":
        return f'<span class="k-badge k-old">{esc(SUPERSEDED_BADGE)}</span>'
    return ""


def source_card(answer: Answer, citation: Citation, kinds: Mapping[str, str]) -> str:
    """One citation: title, section, page, year, quoted passage, full chunk on demand, link to the original."""
    year = f" ({citation.year})" if citation.year else ""
    page = f" · hlm. {citation.page}" if citation.page else ""
    kind = kinds.get(citation.doc_id, "pdf")
    label = f"Buka PDF hlm. {citation.page}" if kind == "pdf" and citation.page else "Buka dokumen asli"
    sample_class = " k-card-sample" if citation.is_sample else ""
    parts = [
        f'<div class="k-card{sample_class}" data-n="{citation.n}" data-doc="{esc(citation.doc_id)}">',
        f'<div class="k-card-head"><span class="k-ref">[{citation.n}]</span> '
        f'<span class="k-title">{esc(citation.title)}{esc(year)}</span> {_badges(citation)}</div>',
        f'<div class="k-meta">{esc(citation.section or "-")}{esc(page)}</div>',
        f'<blockquote class="k-quote">{text_block(shorten(citation.text))}</blockquote>',
        f'<details class="k-full"><summary>{esc(FULL_TEXT_LABEL)}</summary>'
        f'<div class="k-full-text">{text_block(full_text_of(answer, citation))}</div></details>',
        f'<a class="k-open" href="{esc(doc_href(citation.doc_id, citation.page))}" target="_blank" '
        f'rel="noopener">{esc(label)} ↗</a>',
        "</div>",
    ]
    return "".join(parts)


def sources_panel(answer: Answer, kinds: Mapping[str, str]) -> str:
    """All cards of one answer as a single HTML block (no blank line, so Markdown never re-enters it)."""
    if not answer.citations:
        return ""
    cards = "".join(source_card(answer, c, kinds) for c in answer.citations)
    title = f"{SOURCES_TITLE} ({len(answer.citations)})"
    return f'<div class="k-sources"><div class="k-sources-title">{esc(title)}</div>{cards}</div>'


def message_markdown(answer: Answer, kinds: Mapping[str, str]) -> str:
    """The assistant's chat message: how a follow-up was read, the answer or refusal, then the sources."""
    parts = []
    if answer.resolved_question and answer.resolved_question != answer.question:
        parts.append(f'<div class="k-resolved">{esc(RESOLVED_LEAD)} {esc(answer.resolved_question)}</div>')
    if answer.refused:
        parts.append(f'<div class="k-refused">{esc(REFUSED_TITLE)}</div>')
    parts.append(answer_markdown(answer.text, (c.n for c in answer.citations)))
    panel = sources_panel(answer, kinds)
    if panel:
        parts.append(panel)
    return "\n\n".join(parts)


def pending_markdown(streamed: str) -> str:
    """What the chat shows while an answer is being written."""
    if not streamed:
        return f'<span class="k-pending">{esc(PENDING)}</span>'
    return esc(streamed)


def error_markdown(message: str) -> str:
    return f'<div class="k-error">{esc(message)}</div>'


DOC_COLUMNS = ["Judul", "doc_id", "Tahun", "Jenis", "Status", "Potongan", "Terakhir diindeks", "Berkas", "Catatan"]
DOC_COLUMN_WIDTHS = ["20%", "12%", "6%", "8%", "7%", "7%", "13%", "12%", "15%"]


def document_rows(documents: Sequence[Mapping[str, Any]]) -> list[list[Any]]:
    """Rows for the document table (plain text cells: the table never renders HTML)."""
    rows = []
    for d in documents:
        status = d.get("status", "")
        rows.append(
            [
                d.get("title", ""),
                d.get("doc_id", ""),
                d.get("year") or "-",
                d.get("doc_type", ""),
                status,
                d.get("chunks", 0),
                (d.get("indexed_at") or "").replace("T", " ").replace("+00:00", " UTC"),
                d.get("path", ""),
                "; ".join(d.get("warnings", ()) or ()),
            ]
        )
    return rows


def sync_report_html(report: SyncReport) -> str:
    """A re-index summary with every failed file and its reason, escaped."""
    summary = (
        f"Selesai dalam {report.seconds:.1f} detik. Ditambahkan {len(report.added)}, diperbarui "
        f"{len(report.updated)}, dihapus {len(report.removed)}, tidak berubah {len(report.unchanged)}, "
        f"gagal {len(report.failed)}; {report.chunks_embedded} potongan baru di-embed, "
        f"{report.chunks_total} potongan di indeks."
    )
    parts = [f'<div class="k-report"><p class="k-report-summary"><b>{esc(summary)}</b></p>']
    changed = (("Ditambahkan", report.added), ("Diperbarui", report.updated), ("Dihapus", report.removed))
    items = [f"<li>{esc(label)}: {esc(', '.join(ids))}</li>" for label, ids in changed if ids]
    if items:
        parts.append(f"<ul>{''.join(items)}</ul>")
    if report.failed:
        parts.append("<p><b>Berkas yang gagal diindeks</b> (versi lama, bila ada, tetap dipakai):</p>")
        failed = "".join(f'<li class="k-failed"><b>{esc(p)}</b>: {esc(e)}</li>' for p, e in report.failed)
        parts.append(f"<ul>{failed}</ul>")
    if report.warnings:
        notes = "".join(f"<li><b>{esc(p)}</b>: {esc(w)}</li>" for p, w in report.warnings)
        parts.append(f"<details><summary>Catatan ({len(report.warnings)})</summary><ul>{notes}</ul></details>")
    parts.append("</div>")
    return "".join(parts)


def notice_html(message: str, kind: str = "info") -> str:
    """A one-line status box (kind: info | ok | error)."""
    return f'<div class="k-notice k-{esc(kind)}">{esc(message)}</div>'
