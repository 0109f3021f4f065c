"""An amending regulation supersedes its base article by article: retrieval ranks the amended wording where the
base article stood, keeps the base's other articles and its explanations, and says which article changed. Checked
on written chunks and on the real PP 101/2012 and its amendment PP 76/2015 read from their PDFs."""

from __future__ import annotations

import functools
from dataclasses import replace

from assistant.amendments import amended_bases, find_amendments, follow_amendments
from assistant.index.chroma_store import chunk_from_record, chunk_metadata
from assistant.ingest.chunking import chunk_document
from assistant.ingest.loader import discover, load_document
from assistant.types import Chunk, Hit
from tests.real_corpora import real_corpora

BASE = "Peraturan Pemerintah Nomor 101 Tahun 2012 tentang Penerima Bantuan Iuran"
AMENDING = "Peraturan Pemerintah Nomor 76 Tahun 2015 tentang Perubahan atas Peraturan Pemerintah Nomor 101 Tahun 2012"


def chunk(chunk_id: str, doc: str, title: str, *section: str) -> Chunk:
    return Chunk(chunk_id, doc, f"teks {chunk_id}", section, 0, title, 2015, "regulasi", "berlaku")


def test_the_base_is_the_indexed_document_the_amending_title_names() -> None:
    titles = {"pp-101": BASE, "pp-76": AMENDING, "lain": "Peraturan Menteri Nomor 5 Tahun 2020 tentang Lain"}
    assert amended_bases(titles) == {"pp-76": "pp-101"}
    assert amended_bases({"pp-76": AMENDING}) == {}  # its base is not indexed: nothing is superseded


def test_the_base_declared_in_the_metadata_wins_over_the_title() -> None:
    titles = {"pp-101": BASE, "pp-76": "Perubahan Ketentuan Penerima Bantuan Iuran", "lain": "Peraturan lain"}
    assert amended_bases(titles) == {}  # a title that names no base
    assert amended_bases(titles, {"pp-76": "pp-101"}) == {"pp-76": "pp-101"}
    assert amended_bases(titles, {"pp-76": "tidak-diindeks"}) == {}  # a declared base that is not indexed
    old = chunk("b11", "pp-101", BASE, "BAB VI", "Pasal 11")
    new = replace(chunk("a11", "pp-76", titles["pp-76"], "Pasal I", "Pasal 11"), amends="pp-101")
    assert find_amendments([old, new]).of(old) == (new,)
    assert Chunk.from_dict(new.to_dict()) == new  # the BM25 snapshot keeps it
    assert chunk_from_record(new.chunk_id, new.text, chunk_metadata(new)) == new  # and the vector store


def test_an_amended_article_takes_the_base_articles_place_and_other_articles_stay() -> None:
    old11 = chunk("b11", "pp-101", BASE, "BAB VI PERUBAHAN DATA", "Pasal 11")
    old12 = chunk("b12", "pp-101", BASE, "BAB VI PERUBAHAN DATA", "Pasal 12")
    why11 = chunk("p11", "pp-101", BASE, "Penjelasan", "Pasal 11")
    new11 = chunk("a11", "pp-76", AMENDING, "Pasal I", "Pasal 11")
    new11b = chunk("a11b", "pp-76", AMENDING, "Pasal I", "Pasal 11B")  # inserted: no base article to replace
    amendments = find_amendments([old11, old12, why11, new11, new11b])
    assert amendments.of(old11) == (new11,) and amendments.of(old12) == () and amendments.of(why11) == ()

    hits = [Hit(old11, 0.9), Hit(why11, 0.8), Hit(old12, 0.7), Hit(new11, 0.2)]
    ranked, notes = follow_amendments(hits, amendments, 0.5)
    assert [h.chunk.chunk_id for h in ranked] == ["a11", "p11", "b12", "b11"]
    assert ranked[0].score == 0.9 and ranked[-1].score == 0.45
    ((note, about),) = notes.items()
    assert note.startswith("Pasal 11 " + BASE) and "telah diubah oleh" in note and about == {"b11", "a11"}


def test_without_amendments_hits_are_unchanged() -> None:
    hits = [Hit(chunk("x", "d", "Panduan", "BAB I", "Pasal 1"), 1.0)]
    assert follow_amendments(hits, find_amendments([h.chunk for h in hits]), 0.5) == (hits, {})


@functools.cache
def jkn_chunks() -> list[Chunk]:
    files, problems = discover(real_corpora() / "jkn-pbi")
    assert not problems, problems
    return [c for f in files for c in chunk_document(load_document(f))]


def test_real_amendment_supersedes_exactly_the_articles_it_restates() -> None:
    amendments = find_amendments(jkn_chunks())
    changed = {article for (doc, article) in amendments.by_article if doc == "pp-101-2012"}
    assert changed == {"pasal 11", "pasal 15"}  # PP 76/2015 restates Pasal 11 and 15; 11A-11C are new articles
    base11 = [c for c in jkn_chunks() if c.doc_id == "pp-101-2012" and c.section[-1] == "Pasal 11"]
    body = [c for c in base11 if c.section[0] != "Penjelasan"]
    assert body and all(amendments.of(c) for c in body)
    assert all(not amendments.of(c) for c in base11 if c.section[0] == "Penjelasan")
    assert any("penggantian" in c.text for c in amendments.of(body[0]))  # the third way the amendment added
