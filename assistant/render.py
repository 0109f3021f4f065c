"""HTML and Markdown for the app: answers, source cards, the document list and sync reports.

Every piece of text that comes from a user or a document is escaped here before it reaches the browser;
Markdown emphasis and lists of answer text still render, raw HTML never does.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from assistant.answer import texts
from assistant.normalize import CITATION_KEY
from assistant.types import Answer, Citation
from assistant.ui_text import UI, ui

if TYPE_CHECKING:  # the sync module pulls in the vector store; the app's start-up does not need it yet
    from assistant.ingest.sync import SyncReport
    from assistant.workbench import Reply

DOC_ROUTE = "/dokumen"
REFUSED_TITLE = "Tidak ditemukan dalam dokumen"
RESOLVED_LEAD = "Dipahami sebagai:"
SOURCES_TITLE = "Sumber"
FULL_TEXT_LABEL = "Tampilkan teks lengkap bagian ini"
SAMPLE_BADGE = texts.SAMPLE_MARK
SUPERSEDED_BADGE = "diganti — periksa versi terbaru"
OPEN_SOURCE_TITLE = "Buka sumber"
PENDING = "Sedang mencari di dokumen…"
# The labels of an answer follow the answer's language (Indonesian for any other).
LABELS: dict[str, dict[str, str]] = {
    "id": {
        "refused": REFUSED_TITLE,
        "resolved": RESOLVED_LEAD,
        "sources": SOURCES_TITLE,
        "full_text": FULL_TEXT_LABEL,
        "superseded": SUPERSEDED_BADGE,
        "open_source": OPEN_SOURCE_TITLE,
        "page": "hlm. {page}",
        "open_pdf": "Buka PDF hlm. {page}",
        "open_doc": "Buka dokumen asli",
        "ask_topic": "Tanyakan topik ini",
        "helpdesk": "Hubungi helpdesk program: {contact}",
    },
    "en": {
        "refused": "Not found in the documents",
        "resolved": "Understood as:",
        "sources": "Sources",
        "full_text": "Show the full text of this section",
        "superseded": "superseded — check the latest version",
        "open_source": "Open source",
        "page": "p. {page}",
        "open_pdf": "Open PDF at p. {page}",
        "open_doc": "Open the original document",
        "ask_topic": "Ask about this topic",
        "helpdesk": "Contact the programme helpdesk: {contact}",
    },
}


def label(lang: str, key: str, **values: object) -> str:
    return LABELS.get(lang, LABELS["id"])[key].format(**values)


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


def answer_markdown(text: str, known_refs: Iterable[int] = (), lang: str = "id") -> str:
    """Answer text as Markdown with every HTML character escaped; ``[n]`` markers become small badges."""
    refs = set(known_refs)
    escaped = esc(text)

    def badge(match: re.Match[str]) -> str:
        n = int(match.group(1))
        return ref_link(n, lang) if n in refs else match.group(0)

    return CITATION_KEY.sub(badge, escaped)


def ref_link(n: int, lang: str = "id") -> str:
    """A ``[n]`` marker that opens source card n of the same message (the page script handles the click)."""
    return f'<a class="k-ref" href="#sumber-{n}" title="{esc(label(lang, "open_source"))} [{n}]">[{n}]</a>'


def highlighted_block(text: str, quote: str) -> str:
    """``text`` as an HTML block with the first occurrence of ``quote`` (spacing ignored) inside <mark>."""
    words = quote.split()
    if not words:
        return text_block(text)
    pattern = r"\s+".join(re.escape(w) for w in words)
    found = re.search(pattern, text)
    if found is None:
        return text_block(text)
    before, middle, after = text[: found.start()], found.group(0), text[found.end() :]

    def gap(space: str, other: str) -> str:  # the line break (or space) between the quote and its neighbour
        return ("<br>" if "\n" in space else " ") if other.strip() else ""

    lead = gap(before[len(before.rstrip()) :], before)
    tail = gap(after[: len(after) - len(after.lstrip())], after)
    return f'{text_block(before)}{lead}<mark class="k-mark">{text_block(middle)}</mark>{tail}{text_block(after)}'


def doc_href(doc_id: str, page: int | None) -> str:
    anchor = f"#page={page}" if page else ""
    return f"{DOC_ROUTE}/{quote(doc_id, safe='')}{anchor}"


def full_text_of(answer: Answer, citation: Citation) -> str:
    """The whole retrieved chunk behind a citation (the quote alone when the chunk is not among the hits)."""
    for hit in answer.hits:
        if hit.chunk.chunk_id == citation.chunk_id:
            return hit.chunk.text
    return citation.text


def _badges(citation: Citation, lang: str) -> str:
    if citation.is_sample:
        return f'<span class="k-badge k-sample">{esc(SAMPLE_BADGE)}</span>'
    if citation.status == "diganti":
        return f'<span class="k-badge k-old">{esc(label(lang, "superseded"))}</span>'
    return ""


def source_card(answer: Answer, citation: Citation, kinds: Mapping[str, str]) -> str:
    """One citation: title, section, page, year, quoted passage, full chunk on demand, link to the original."""
    lang = answer.lang
    year = f" ({citation.year})" if citation.year else ""
    page = f" · {label(lang, 'page', page=citation.page)}" if citation.page else ""
    kind = kinds.get(citation.doc_id, "pdf")
    pdf_page = kind == "pdf" and citation.page
    link = label(lang, "open_pdf", page=citation.page) if pdf_page else label(lang, "open_doc")
    sample_class = " k-card-sample" if citation.is_sample else ""
    parts = [
        f'<div class="k-card{sample_class}" data-n="{citation.n}" data-doc="{esc(citation.doc_id)}">',
        f'<div class="k-card-head"><span class="k-ref">[{citation.n}]</span> '
        f'<span class="k-title">{esc(citation.title)}{esc(year)}</span> {_badges(citation, lang)}</div>',
        f'<div class="k-meta">{esc(citation.section or "-")}{esc(page)}</div>',
        f'<blockquote class="k-quote">{text_block(shorten(citation.text))}</blockquote>',
        f'<details class="k-full"><summary>{esc(label(lang, "full_text"))}</summary>'
        f'<div class="k-full-text">{highlighted_block(full_text_of(answer, citation), citation.text)}</div></details>',
        f'<a class="k-open" href="{esc(doc_href(citation.doc_id, citation.page))}" target="_blank" '
        f'rel="noopener">{esc(link)} ↗</a>',
        "</div>",
    ]
    return "".join(parts)


def sources_panel(answer: Answer, kinds: Mapping[str, str]) -> str:
    """All cards of one answer as a single HTML block (no blank line, so Markdown never re-enters it)."""
    if not answer.citations:
        return ""
    cards = "".join(source_card(answer, c, kinds) for c in answer.citations)
    title = f"{label(answer.lang, 'sources')} ({len(answer.citations)})"
    return f'<div class="k-sources"><div class="k-sources-title">{esc(title)}</div>{cards}</div>'


def topic_links(markdown: str, lang: str) -> str:
    """The list under a refusal's "closest topics" line as links that ask about that topic."""
    lead = esc(texts.CLOSEST_TOPICS.get(lang, texts.CLOSEST_TOPICS["id"]))
    lines, in_topics = markdown.split("\n"), False
    for i, line in enumerate(lines):
        if line.strip() == lead:
            in_topics = True
        elif in_topics and line.startswith("- "):
            lines[i] = f'- <a class="k-topic" href="#tanya" title="{esc(label(lang, "ask_topic"))}">{line[2:]}</a>'
        else:
            in_topics = False
    return "\n".join(lines)


def helpdesk_html(contact: str, lang: str) -> str:
    if not contact.strip():
        return ""
    return f'<div class="k-helpdesk">{esc(label(lang, "helpdesk", contact=contact.strip()))}</div>'


def message_markdown(answer: Answer, kinds: Mapping[str, str], helpdesk: str = "") -> str:
    """The assistant's chat message: how a follow-up was read, the answer or refusal, then the sources."""
    parts = []
    if answer.resolved_question and answer.resolved_question != answer.question:
        lead = label(answer.lang, "resolved")
        parts.append(f'<div class="k-resolved">{esc(lead)} {esc(answer.resolved_question)}</div>')
    if answer.refused:
        parts.append(f'<div class="k-refused">{esc(label(answer.lang, "refused"))}</div>')
    text = answer_markdown(answer.text, (c.n for c in answer.citations), answer.lang)
    parts.append(topic_links(text, answer.lang) if answer.refused else text)
    if answer.refused and helpdesk_html(helpdesk, answer.lang):
        parts.append(helpdesk_html(helpdesk, answer.lang))
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


DOC_TYPE_WORDS = {
    "id": {
        "panduan": "Panduan",
        "kak": "Kerangka acuan kerja (KAK)",
        "outline": "Kerangka dokumen",
        "regulasi": "Peraturan",
        "berita": "Berita",
        "ketentuan": "Ketentuan",
        "ringkasan": "Ringkasan",
        "lainnya": "Lainnya",
    },
    "en": {
        "panduan": "Guide",
        "kak": "Terms of reference (KAK)",
        "outline": "Document outline",
        "regulasi": "Regulation",
        "berita": "News",
        "ketentuan": "Rules",
        "ringkasan": "Summary",
        "lainnya": "Other",
    },
}
STATUS_WORDS = {
    "id": {"berlaku": "Berlaku", "diganti": "Sudah diganti versi baru", "contoh": "Contoh — bukan ketentuan resmi"},
    "en": {
        "berlaku": "In force",
        "diganti": "Superseded by a newer version",
        "contoh": "Sample — not an official rule",
    },
}


def documents_html(documents: Sequence[Mapping[str, Any]], lang: str = "id") -> str:
    """Every indexed document as one table row: its title opens the document; type and status in words."""
    columns = ("table.title", "table.year", "table.type", "table.status", "table.chunks", "table.indexed")
    head = "".join(f"<th>{esc(ui(h, lang))}</th>" for h in columns)
    types, statuses = DOC_TYPE_WORDS.get(lang, DOC_TYPE_WORDS["id"]), STATUS_WORDS.get(lang, STATUS_WORDS["id"])
    rows = []
    for d in documents:
        status = d.get("status", "")
        notes = "; ".join(d.get("warnings", ()) or ())
        note = f'<div class="k-doc-note">{esc(notes)}</div>' if notes else ""
        href = esc(doc_href(d.get("doc_id", ""), None))
        rows.append(
            f'<tr class="k-doc-{esc(status)}"><td><a class="k-doc-open" href="{href}" '
            f'target="_blank" rel="noopener">{esc(d.get("title", ""))} ↗</a>'
            f'<div class="k-doc-id">{esc(d.get("doc_id", ""))} · {esc(d.get("path", ""))}</div>{note}</td>'
            f"<td>{esc(d.get('year') or '-')}</td>"
            f"<td>{esc(types.get(d.get('doc_type', ''), d.get('doc_type', '')))}</td>"
            f"<td>{esc(statuses.get(status, status))}</td>"
            f"<td>{esc(d.get('chunks', 0))}</td>"
            f"<td>{esc((d.get('indexed_at') or '')[:16].replace('T', ' '))}</td></tr>"
        )
    if not rows:
        return f'<p class="k-docs-empty">{esc(ui("table.no_docs", lang))}</p>'
    return f'<table class="k-docs-table"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def replies_html(replies: Sequence[Reply], lang: str = "id") -> str:
    """The helpdesk's kept replies, newest first: number, status, author, dates, question, sources and a review
    flag when a cited section changed after the reply was sent."""
    if not replies:
        return f'<p class="k-replies-empty">{esc(ui("table.no_replies", lang))}</p>'
    columns = ("table.number", "table.status", "table.author", "table.updated", "table.question", "table.sources")
    head = "".join(f"<th>{esc(ui(h, lang))}</th>" for h in columns)
    rows = []
    for r in replies:
        review = f'<div class="k-reply-review">{esc(ui("table.review", lang, why=r.review))}</div>' if r.review else ""
        sources = "<br>".join(esc(s.label()) for s in r.sources) or "-"
        status = ui(f"status.{r.status}", lang) if f"status.{r.status}" in UI else r.status
        rows.append(
            f'<tr class="k-reply k-reply-{esc(r.status)}" data-reply="{r.id}"><td>#{r.id}</td>'
            f"<td>{esc(status)}{' ⚠' if r.review else ''}</td><td>{esc(r.author)}</td>"
            f"<td>{esc(r.updated[:16].replace('T', ' '))}</td><td>{esc(shorten(r.question, 160))}{review}</td>"
            f"<td>{sources}</td></tr>"
        )
    return f'<table class="k-replies-table"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


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
    items = [f"<li>{esc(name)}: {esc(', '.join(ids))}</li>" for name, ids in changed if ids]
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
