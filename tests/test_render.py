"""Answers and source cards as HTML: escaped text, working markers, cards with page links and full text."""

from __future__ import annotations

from assistant import render
from assistant.ingest.sync import SyncReport
from assistant.types import Answer, Chunk, Citation, Hit

HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)">'


def chunk(text: str, chunk_id: str = "doc#1") -> Chunk:
    return Chunk(chunk_id, "doc", text, ("BAB I", "1.1 Dana"), 0, "Panduan <b>Dana</b>", 2018, "panduan", "contoh")


def citation(n: int = 1, text: str = "Dana paling banyak Rp150.000.000.", **kw: object) -> Citation:
    values = (
        dict(
            doc_id="doc",
            title="Panduan <b>Dana</b>",
            section="BAB I > 1.1 Dana",
            page=3,
            year=2018,
            text=text,
            chunk_id="doc#1",
            status="contoh",
        )
        | kw
    )
    return Citation(n, **values)  # type: ignore[arg-type]


def answer(text: str = "Dana paling banyak Rp150.000.000 [1].", **kw: object) -> Answer:
    full = "Kalimat pembuka. Dana paling banyak Rp150.000.000.\nBaris kedua <i>miring</i>."
    values = (
        dict(
            question="Berapa dana?",
            text=text,
            refused=False,
            citations=(citation(),),
            hits=(Hit(chunk(full), 1.0),),
            mode="extractive",
        )
        | kw
    )
    return Answer(**values)  # type: ignore[arg-type]


def test_markup_in_any_text_is_escaped() -> None:
    assert render.question_markdown(HOSTILE).startswith("&lt;script&gt;")
    out = render.message_markdown(answer(text=f"{HOSTILE} [1]", question=HOSTILE), {"doc": "pdf"})
    assert "<script>" not in out and "<img" not in out and "onerror=&quot;" in out
    assert "Panduan &lt;b&gt;Dana&lt;/b&gt;" in out


def test_known_markers_become_badges_and_unknown_ones_stay_text() -> None:
    out = render.answer_markdown("A [1]. B [7].", [1])
    assert '<a class="k-ref" href="#sumber-1"' in out and ">[1]</a>" in out and "B [7]." in out


def test_the_quote_is_marked_inside_the_full_passage_whatever_its_spacing() -> None:
    out = render.highlighted_block(
        "Awal <b>.\nDana paling\nbanyak Rp150.000.000. Akhir.", "Dana paling banyak Rp150.000.000."
    )
    assert out == 'Awal &lt;b&gt;.<br><mark class="k-mark">Dana paling<br>banyak Rp150.000.000.</mark> Akhir.'
    assert "<mark" not in render.highlighted_block("Teks lain sama sekali.", "Dana paling banyak")


def test_card_has_title_section_page_year_quote_full_text_and_page_link() -> None:
    out = render.sources_panel(answer(), {"doc": "pdf"})
    assert "Sumber (1)" in out and "(2018)" in out and "BAB I &gt; 1.1 Dana · hlm. 3" in out
    assert '<blockquote class="k-quote">Dana paling banyak Rp150.000.000.</blockquote>' in out
    full = 'Kalimat pembuka. <mark class="k-mark">Dana paling banyak Rp150.000.000.</mark><br>Baris kedua &lt;i&gt;'
    assert full in out
    assert 'href="/dokumen/doc#page=3"' in out and "Buka PDF hlm. 3" in out
    assert "\n\n" not in out  # one HTML block: Markdown never re-enters it


def test_sample_sources_carry_a_badge_and_markdown_sources_open_as_documents() -> None:
    out = render.sources_panel(answer(), {"doc": "markdown"})
    assert "k-card-sample" in out and "contoh — bukan ketentuan resmi" in out
    assert "Buka dokumen asli" in out
    official = answer(citations=(citation(status="berlaku", page=None),))
    out = render.sources_panel(official, {"doc": "pdf"})
    assert "k-badge" not in out and 'href="/dokumen/doc"' in out


def test_refusal_gets_its_own_state_and_follow_ups_say_how_they_were_read() -> None:
    refused = answer(text="Maaf, tidak ada.", refused=True, citations=())
    out = render.message_markdown(refused, {})
    assert render.REFUSED_TITLE in out and "k-sources" not in out
    follow = answer(question="Kalau honornya?", resolved_question="Kalau honornya? (dana perumusan)")
    assert "Dipahami sebagai: Kalau honornya? (dana perumusan)" in render.message_markdown(follow, {})


def test_long_quotes_are_cut_in_the_card_but_whole_behind_the_expander() -> None:
    long = " ".join(f"kata{i}" for i in range(200))
    out = render.sources_panel(answer(citations=(citation(text=long),)), {"doc": "pdf"})
    quote = out.split('<blockquote class="k-quote">')[1].split("</blockquote>")[0]
    assert quote.endswith(" …") and len(quote) <= render.QUOTE_CHARS + 2 and quote.startswith("kata0 kata1")
    assert render.shorten("pendek") == "pendek"


def test_full_text_falls_back_to_the_quote_when_the_chunk_is_not_among_the_hits() -> None:
    lone = answer(hits=())
    assert render.full_text_of(lone, lone.citations[0]) == lone.citations[0].text


def test_sync_report_lists_failed_files_with_reasons_escaped() -> None:
    report = SyncReport(added=("baru",), failed=(("<b>x</b>.pdf", "not a PDF. Replace it."),), chunks_total=9)
    out = render.sync_report_html(report)
    assert "Ditambahkan 1" in out and "gagal 1" in out and "9 potongan di indeks" in out
    assert "&lt;b&gt;x&lt;/b&gt;.pdf</b>: not a PDF. Replace it." in out


def test_document_rows_follow_the_columns() -> None:
    rows = render.document_rows(
        [
            {
                "title": "T",
                "doc_id": "d",
                "year": None,
                "doc_type": "kak",
                "status": "berlaku",
                "chunks": 4,
                "indexed_at": "2026-01-02T03:04:05+00:00",
                "path": "d.pdf",
                "warnings": ["a", "b"],
            }
        ]
    )
    assert rows == [["T", "d", "-", "kak", "berlaku", 4, "2026-01-02 03:04:05 UTC", "d.pdf", "a; b"]]
    assert len(rows[0]) == len(render.DOC_COLUMNS) == len(render.DOC_COLUMN_WIDTHS)


def test_an_english_answer_gets_english_labels_and_keeps_the_sample_badge() -> None:
    out = render.message_markdown(answer(lang="en", refused=True, resolved_question="How much funding?"), {})
    assert "Sources (1)" in out and "p. 3" in out and "Open PDF at p. 3" in out and "Understood as:" in out
    assert "Not found in the documents" in out and "contoh — bukan ketentuan resmi" in out
    assert "Sumber" not in out and "hlm." not in out and "Buka" not in out


def test_document_table_links_each_title_and_says_type_and_status_in_words() -> None:
    docs = [
        {"doc_id": "kak-2018", "title": "KAK <Sosialisasi>", "year": 2018, "doc_type": "kak", "status": "contoh"},
        {"doc_id": "lain", "title": "Lain", "year": None, "doc_type": "ringkasan", "status": "diganti"},
    ]
    out = render.documents_html(docs)
    assert out.count("<tr class=") == 2 and 'href="/dokumen/kak-2018"' in out
    assert "KAK &lt;Sosialisasi&gt;" in out and "Kerangka acuan kerja (KAK)" in out and "Ringkasan" in out
    assert "Contoh — bukan ketentuan resmi" in out and "Sudah diganti versi baru" in out
    assert ">kak<" not in out and ">ringkasan<" not in out


def test_a_refusal_offers_its_closest_topics_as_links_and_the_helpdesk() -> None:
    text = "Maaf.\n\nTopik terdekat yang dibahas dokumen:\n- BAB I > Dana — Panduan <x>\n- BAB II — Lain\n\nAkhir."
    out = render.message_markdown(answer(text=text, refused=True, citations=()), {}, "helpdesk@contoh.id")
    assert out.count('class="k-topic"') == 2 and "BAB I &gt; Dana — Panduan &lt;x&gt;</a>" in out
    assert "Akhir." in out and "k-topic" not in out.split("Akhir.")[1]
    assert "Hubungi helpdesk program: helpdesk@contoh.id" in out
    assert "k-helpdesk" not in render.message_markdown(answer(text=text, refused=True), {}, "")
