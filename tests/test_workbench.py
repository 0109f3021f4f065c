"""The helpdesk workbench: drafts kept with status, author and sources; edited and marked sent; searched and
exported as CSV; a sent reply whose cited section changes is flagged for review by the next ingest."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.errors import AssistantError
from assistant.types import Citation
from assistant.workbench import CSV_COLUMNS, ReplyStore, WorkbenchError, replies_path, review_after_ingest
from tests.app_server import build_corpus

ROOT = Path(__file__).resolve().parents[1]


def cite(chunk_id: str, section: str = "BAB III PENDANAAN > 3.1 Besaran Dana") -> Citation:
    return Citation(1, "aturan-dana", "Contoh Aturan Dana", section, 3, 2018, "Dana perumusan …", chunk_id, "contoh")


def test_a_draft_is_kept_edited_marked_sent_and_found(tmp_path: Path) -> None:
    store = ReplyStore(replies_path(tmp_path))
    first = store.add("Berapa dana perumusan?", "Yth. Bapak/Ibu, … [1]", [cite("aturan-dana#a")], "helpdesk-1")
    other = store.add("Siapa pengusulnya?", "Yth. Bapak/Ibu, pengusul …", [], "helpdesk-2")
    assert store.get(first).status == "draf" and store.get(first).final_text.startswith("Yth.")

    edited = store.save(first, "Yth. Bapak/Ibu, dana perumusan paling banyak Rp150.000.000.", "helpdesk-3")
    assert edited.status == "draf" and edited.author == "helpdesk-3" and edited.sent is None
    sent = store.save(first, edited.final_text + " Salam.", "helpdesk-3", sent=True)
    assert sent.status == "terkirim" and sent.sent and sent.final_text.endswith("Salam.")

    assert [r.id for r in store.search("Rp150.000.000")] == [first]
    assert [r.id for r in store.search("Besaran Dana")] == [first]  # sources are searchable too
    assert [r.id for r in store.search(status="draf")] == [other]
    assert {r.id for r in ReplyStore(replies_path(tmp_path)).search()} == {first, other}  # survives a reopen


def test_csv_export_has_every_reply_with_its_final_text_and_sources(tmp_path: Path) -> None:
    store = ReplyStore(replies_path(tmp_path))
    number = store.add('Dana "perumusan", berapa?', "draf\nbaris dua", [cite("aturan-dana#a")], "hd")
    store.save(number, "teks akhir; dengan koma, dan\nbaris baru", "hd", sent=True)
    rows = list(csv.DictReader(io.StringIO(store.to_csv())))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert rows[0]["question"] == 'Dana "perumusan", berapa?'
    assert rows[0]["final_text"] == "teks akhir; dengan koma, dan\nbaris baru"
    assert rows[0]["status"] == "terkirim" and "3.1 Besaran Dana, hlm. 3" in rows[0]["sources"]


def test_bad_requests_name_the_reply_and_the_fix(tmp_path: Path) -> None:
    store = ReplyStore(replies_path(tmp_path))
    with pytest.raises(WorkbenchError, match="no reply #7"):
        store.save(7, "teks", "hd")
    number = store.add("Q?", "draf", [], "hd")
    with pytest.raises(WorkbenchError, match=f"reply #{number}: the text is empty"):
        store.save(number, "   ", "hd")
    with pytest.raises(WorkbenchError, match="status 'arsip'"):
        store.search(status="arsip")
    assert isinstance(WorkbenchError("x"), AssistantError)


def test_only_sent_replies_citing_a_vanished_chunk_are_flagged(tmp_path: Path) -> None:
    store = ReplyStore(replies_path(tmp_path))
    kept = store.add("Q1?", "a", [cite("aturan-dana#same")], "hd")
    changed = store.add("Q2?", "b", [cite("aturan-dana#old", "BAB III > 3.2 Komponen Biaya")], "hd")
    unsent = store.add("Q3?", "c", [cite("aturan-dana#old")], "hd")
    for n in (kept, changed):
        store.save(n, "final", "hd", sent=True)
    assert review_after_ingest(tmp_path, {"aturan-dana#same", "aturan-dana#new"}) == [changed]
    assert "3.2 Komponen Biaya" in store.get(changed).review
    assert store.get(kept).review == "" and store.get(unsent).review == ""
    assert review_after_ingest(tmp_path, {"aturan-dana#same"}) == []  # flagged once
    store.save(changed, "final, checked again", "hd", sent=True)
    assert store.get(changed).review == ""  # sending the revised reply clears the flag


def test_no_archive_is_created_by_an_ingest(tmp_path: Path) -> None:
    assert review_after_ingest(tmp_path, set()) == []
    assert not replies_path(tmp_path).exists()


@pytest.mark.slow
def test_ingest_flags_a_sent_reply_when_its_cited_section_changes(tmp_path: Path) -> None:
    """Real corpus, real draft, real ingest through the command line: the cited section's text changes, the
    chunk id that the reply cites is gone, and the command says which reply to review."""
    corpus = build_corpus(tmp_path / "corpus")
    data = tmp_path / "var"
    env = {k: v for k, v in os.environ.items() if not k.startswith("KLASINOV_")} | {
        "KLASINOV_CORPUS_DIR": str(corpus),
        "KLASINOV_DATA_DIR": str(data),
        "KLASINOV_CACHE_DIR": str(tmp_path / "cache"),
        "HF_HUB_OFFLINE": "1",
    }

    def ingest() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "assistant", "ingest"], cwd=ROOT, env=env, capture_output=True, text=True
        )

    assert ingest().returncode == 0
    from assistant.config import get_settings
    from assistant.services import build_assistant

    settings = get_settings(corpus_dir=corpus, data_dir=data, cache_dir=tmp_path / "cache", users_file=None)
    draft = build_assistant(settings).draft_reply("Berapa dana perumusan per klaster?")
    assert draft.answer.citations
    store = ReplyStore(replies_path(data))
    number = store.add(draft.question, draft.markdown, draft.answer.citations, "helpdesk")
    store.save(number, draft.markdown, "helpdesk", sent=True)

    unchanged = ingest()
    assert unchanged.returncode == 0 and "review" not in unchanged.stderr
    assert store.get(number).review == ""

    from tests.pdfs import RULES_PAGES, write_pdf

    pages = [list(p) for p in RULES_PAGES]
    pages[2] = [line.replace("Rp150.000.000", "Rp175.000.000") for line in pages[2]]
    write_pdf(corpus / "aturan.pdf", pages, header="CONTOH - bukan ketentuan resmi")
    changed = ingest()
    assert changed.returncode == 0, changed.stderr
    assert f"#{number}" in changed.stderr and "changed" in changed.stderr
    assert "sumber berubah" in store.get(number).review
