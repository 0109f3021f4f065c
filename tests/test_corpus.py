"""The shipped corpus: the document contract, metadata, sample markings, PDF text, glossary and the PDF build.

Offline and independent of the ``assistant`` package: it reads ``corpus/`` with PyYAML and pypdf only (and fpdf2,
from the ``dev`` extra, for the layout and rebuild checks).
"""

from __future__ import annotations

import importlib.util
import re
import sys
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from pypdf import PdfReader

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
SRC = CORPUS / "_src"

# doc_id -> (file kind, status). Other code and the eval files refer to these ids.
CONTRACT: dict[str, tuple[str, str]] = {
    "panduan-klasinov-2017": ("pdf", "berlaku"),
    "contoh-ketentuan-pendanaan": ("pdf", "contoh"),
    "outline-master-plan": ("md", "contoh"),
    "kak-sosialisasi-2018": ("pdf", "berlaku"),
    "implementasi-2019": ("md", "berlaku"),
    "dasar-hukum": ("md", "berlaku"),
    "berita-sosialisasi-lampung-2018": ("md", "berlaku"),
}
KEYS = ("doc_id", "title", "issuer", "year", "doc_type", "status", "supersedes", "source_url", "language")
DOC_TYPES = {"panduan", "kak", "outline", "regulasi", "berita", "ketentuan", "ringkasan"}
STATUSES = {"berlaku", "diganti", "contoh"}
MIN_PAGES = {"contoh-ketentuan-pendanaan": 6}
SAMPLE_HEADER = "CONTOH — bukan ketentuan resmi"
MAX_SECTION_WORDS = 450
REQUIRED_ACRONYMS = {
    "PUD",
    "SIDa",
    "ABG+C",
    "ABGCM",
    "KAK",
    "RAB",
    "PPK",
    "SK",
    "RPJMD",
    "RPIP",
    "RPIK",
    "IKM",
    "UKM",
    "PAD",
    "BUMD",
    "BUMDes",
    "FGD",
    "monev",
    "RCIMS",
    "BIC",
    "Balitbangda",
    "Bappeda",
    "Bappelitbangda",
    "PT",
    "LPPM",
    "LP2M",
    "Ditjen PI",
    "Kemenristekdikti",
    "PMK",
    "Permendagri",
}
REQUIRED_ENGLISH = {
    "eligibility",
    "proposer",
    "applicant",
    "partner",
    "commitment letter",
    "co-funding",
    "deadline",
    "schedule",
    "report",
    "progress report",
    "final report",
    "cost",
    "honorarium",
    "travel",
    "equipment",
    "master plan",
    "selection",
    "criteria",
    "weight",
    "reviewer",
    "attachment",
    "page limit",
    "font",
    "university",
    "regional government",
    "cluster",
    "patchouli",
    "nutmeg",
    "palm sugar",
    "cocoa",
    "pepper",
    "honey",
    "coffee",
}

FOOTER = re.compile(r"^Halaman (\d+) dari (\d+)$")
HYPHEN_BREAK = re.compile(r"\w-\n\w")
GLUED = (re.compile(r"[a-z]Rp\d"), re.compile(r"\d{2,}[a-z]{3,}"))


# ---------------------------------------------------------------- helpers


@cache
def build_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("corpus_build", CORPUS / "build.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is created
    spec.loader.exec_module(module)
    return module


def doc_path(doc_id: str) -> Path:
    kind, _ = CONTRACT[doc_id]
    return CORPUS / f"{doc_id}.{kind}"


def split_front_matter(path: Path) -> tuple[dict[str, Any], str]:
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    assert lines[0] == "---", f"{path.name}: no front matter"
    end = lines.index("---", 1)
    return yaml.safe_load("\n".join(lines[1:end])), "\n".join(lines[end + 1 :])


def metadata(doc_id: str) -> dict[str, Any]:
    path = doc_path(doc_id)
    if path.suffix == ".md":
        return split_front_matter(path)[0]
    return yaml.safe_load(path.with_name(path.name + ".yaml").read_text(encoding="utf-8"))


@cache
def pdf_pages(doc_id: str) -> tuple[str, ...]:
    return tuple(page.extract_text() or "" for page in PdfReader(doc_path(doc_id)).pages)


def squash(text: str) -> str:
    return " ".join(text.split())


def body_lines(page_text: str, header: str) -> list[str]:
    """The page's lines without the running header and the footer, white space normalised."""
    lines = [squash(line) for line in page_text.split("\n") if line.strip()]
    return [line for line in lines if line != header and not FOOTER.match(line)]


def source_of(doc_id: str) -> Any:
    return build_module().read_source(SRC / f"{doc_id}.txt")


def block_text(block: Any) -> str:
    if block.kind == "table":
        return " ".join(" ".join(cell for cell in row if cell) for row in block.rows)
    return " ".join(part for part in (block.marker, block.text) if part)


def first_paragraph_md(body: str) -> str:
    paragraphs = [p.strip() for p in body.split("\n\n") if p.strip()]
    return next(p for p in paragraphs if not p.startswith("#"))


def first_paragraph_pdf_source(doc_id: str) -> str:
    blocks = source_of(doc_id).blocks
    return next(b.text for b in blocks if b.kind in ("notice", "para"))


def sections_md(body: str) -> list[tuple[str, str]]:
    sections: list[tuple[str, str]] = []
    heading, text = "(start)", []
    for line in body.split("\n"):
        if line.startswith("#"):
            sections.append((heading, "\n".join(text)))
            heading, text = line, []
        else:
            text.append(line)
    sections.append((heading, "\n".join(text)))
    return sections


def sections_pdf_source(doc_id: str) -> list[tuple[str, str]]:
    sections: list[tuple[str, str]] = []
    heading, text = "(start)", []
    for block in source_of(doc_id).blocks:
        if block.kind in ("bab", "section"):
            sections.append((heading, " ".join(text)))
            heading, text = block.text, []
        else:
            text.append(block_text(block))
    sections.append((heading, " ".join(text)))
    return sections


PDF_IDS = [d for d, (kind, _) in CONTRACT.items() if kind == "pdf"]
MD_IDS = [d for d, (kind, _) in CONTRACT.items() if kind == "md"]
SAMPLE_IDS = [d for d, (_, status) in CONTRACT.items() if status == "contoh"]


# ---------------------------------------------------------------- documents and metadata


def test_corpus_holds_exactly_the_contract_documents() -> None:
    found = {
        p.stem: p.suffix.lstrip(".")
        for p in CORPUS.iterdir()
        if p.is_file() and p.suffix in (".pdf", ".md", ".txt") and p.name.lower() != "readme.md"
    }
    assert found == {doc_id: kind for doc_id, (kind, _) in CONTRACT.items()}
    assert sorted(p.stem for p in SRC.glob("*.txt")) == sorted(PDF_IDS)
    for doc_id in PDF_IDS:
        assert doc_path(doc_id).with_name(f"{doc_id}.pdf.yaml").is_file(), f"{doc_id}: sidecar missing"


@pytest.mark.parametrize("doc_id", list(CONTRACT))
def test_metadata_is_complete_and_valid(doc_id: str) -> None:
    meta = metadata(doc_id)
    assert isinstance(meta, dict)
    assert tuple(meta) == KEYS, f"{doc_id}: keys must be exactly {KEYS}"
    assert meta["doc_id"] == doc_id == doc_path(doc_id).stem
    assert isinstance(meta["title"], str) and len(meta["title"]) > 10
    assert isinstance(meta["issuer"], str) and meta["issuer"].strip()
    assert isinstance(meta["year"], int) and 2012 <= meta["year"] <= 2030
    assert meta["doc_type"] in DOC_TYPES
    assert meta["status"] == CONTRACT[doc_id][1]
    assert meta["supersedes"] is None or meta["supersedes"] in CONTRACT
    urls = [meta["source_url"]] if isinstance(meta["source_url"], str) else meta["source_url"]
    assert isinstance(urls, list) and urls
    assert all(isinstance(u, str) and re.match(r"^https?://\S+$", u) for u in urls)
    assert meta["language"] == "id"


@pytest.mark.parametrize("doc_id", PDF_IDS)
def test_sidecar_matches_the_pdf_source(doc_id: str) -> None:
    assert source_of(doc_id).meta == metadata(doc_id)


@pytest.mark.parametrize("doc_id", list(CONTRACT))
def test_only_samples_are_called_samples(doc_id: str) -> None:
    title = metadata(doc_id)["title"]
    if CONTRACT[doc_id][1] == "contoh":
        assert "Contoh" in title and "Ilustratif" in title
    else:
        assert "contoh" not in title.lower()


@pytest.mark.parametrize("doc_id", SAMPLE_IDS)
def test_sample_first_paragraph_says_it_is_illustrative(doc_id: str) -> None:
    if CONTRACT[doc_id][0] == "md":
        paragraph = first_paragraph_md(split_front_matter(doc_path(doc_id))[1])
    else:
        paragraph = first_paragraph_pdf_source(doc_id)
        first_page = squash(pdf_pages(doc_id)[0])
        assert squash(paragraph) in first_page, "the notice must be on page 1"
    lowered = paragraph.lower()
    assert "contoh ilustratif" in lowered
    assert "bukan" in lowered and "resmi" in lowered
    assert "harus diganti" in lowered


def test_sample_pdf_has_the_sample_header_on_every_page() -> None:
    pages = pdf_pages("contoh-ketentuan-pendanaan")
    assert all(SAMPLE_HEADER in page.split("\n")[0] for page in pages)


@pytest.mark.parametrize("doc_id", MD_IDS)
def test_markdown_has_one_title_and_topic_headings(doc_id: str) -> None:
    _, body = split_front_matter(doc_path(doc_id))
    titles = [line for line in body.split("\n") if line.startswith("# ")]
    assert titles == [f"# {metadata(doc_id)['title']}"]
    assert sum(1 for line in body.split("\n") if line.startswith("## ")) >= 5


@pytest.mark.parametrize("doc_id", list(CONTRACT))
def test_sections_are_reasonably_sized(doc_id: str) -> None:
    if CONTRACT[doc_id][0] == "md":
        sections = sections_md(split_front_matter(doc_path(doc_id))[1])
    else:
        sections = sections_pdf_source(doc_id)
    too_long = [(h, len(t.split())) for h, t in sections if len(t.split()) > MAX_SECTION_WORDS]
    assert not too_long, f"split these sections (words > {MAX_SECTION_WORDS}): {too_long}"


# ---------------------------------------------------------------- PDF text


@pytest.mark.parametrize("doc_id", PDF_IDS)
def test_pdf_pages_have_text_and_matching_footers(doc_id: str) -> None:
    pages = pdf_pages(doc_id)
    assert len(pages) >= MIN_PAGES.get(doc_id, 1)
    header = source_of(doc_id).header
    for number, text in enumerate(pages, start=1):
        assert body_lines(text, header), f"{doc_id} page {number} has no body text"
        footers = [FOOTER.match(squash(line)) for line in text.split("\n") if FOOTER.match(squash(line))]
        assert len(footers) == 1, f"{doc_id} page {number}: expected one footer"
        assert (int(footers[0].group(1)), int(footers[0].group(2))) == (number, len(pages))


@pytest.mark.parametrize("doc_id", PDF_IDS)
def test_pdf_text_has_no_broken_or_glued_words(doc_id: str) -> None:
    source_words = set(" ".join(block_text(b) for b in source_of(doc_id).blocks).split())
    for number, text in enumerate(pdf_pages(doc_id), start=1):
        assert not HYPHEN_BREAK.search(text), f"{doc_id} page {number}: hyphenated line break"
        glued = {w for w in text.split() if any(p.search(w) for p in GLUED) and w not in source_words}
        assert not glued, f"{doc_id} page {number}: glued tokens {sorted(glued)}"


@pytest.mark.parametrize("doc_id", PDF_IDS)
def test_pdf_text_gives_back_every_source_word_in_order(doc_id: str) -> None:
    """Nothing lost, nothing added, nothing glued: the extracted words equal the source words."""
    source = source_of(doc_id)
    expected = " ".join(block_text(b) for b in source.blocks if b.kind != "newpage").split()
    extracted = " ".join(" ".join(body_lines(page, source.header)) for page in pdf_pages(doc_id)).split()
    mismatch = next((i for i, pair in enumerate(zip(expected, extracted, strict=False)) if pair[0] != pair[1]), None)
    if mismatch is not None:
        context = slice(max(0, mismatch - 5), mismatch + 5)
        pytest.fail(f"{doc_id}: word {mismatch}: source {expected[context]} != pdf {extracted[context]}")
    assert len(expected) == len(extracted)


@pytest.mark.parametrize("doc_id", PDF_IDS)
def test_every_laid_out_line_is_on_its_page(doc_id: str) -> None:
    """Each line the build lays out comes back from pypdf as one line, on the page it was placed on."""
    pytest.importorskip("fpdf")
    build = build_module()
    document = build.read_source(SRC / f"{doc_id}.txt")
    laid_out = build.layout(document)
    pages = pdf_pages(doc_id)
    assert len(laid_out) == len(pages)
    for number, (lines, text) in enumerate(zip(laid_out, pages, strict=True), start=1):
        assert body_lines(text, document.header) == [squash(line.expected) for line in lines], f"page {number}"


# ---------------------------------------------------------------- glossary


def test_glossary_loads_and_every_entry_has_id_and_en_lists() -> None:
    data = yaml.safe_load((CORPUS / "glossary.yaml").read_text(encoding="utf-8"))
    terms = data["terms"]
    assert isinstance(terms, list) and len(terms) >= 60
    for number, entry in enumerate(terms, start=1):
        for key in ("id", "en"):
            forms = entry.get(key)
            assert isinstance(forms, list) and forms, f"entry {number}: {key} must be a non-empty list"
            assert all(isinstance(f, str) and f.strip() for f in forms), f"entry {number}: {key}"
        assert entry.get("acronym") is None or isinstance(entry["acronym"], str)
        assert isinstance(entry.get("description"), str) and entry["description"].strip()
    canonical = [entry["id"][0].lower() for entry in terms]
    assert len(canonical) == len(set(canonical)), "two entries share a canonical form"
    acronyms = {entry["acronym"] for entry in terms if entry.get("acronym")}
    assert acronyms >= REQUIRED_ACRONYMS, REQUIRED_ACRONYMS - acronyms
    english = {form.lower() for entry in terms for form in entry["en"]}
    assert english >= REQUIRED_ENGLISH, REQUIRED_ENGLISH - english


# ---------------------------------------------------------------- build


def test_build_reproduces_the_committed_pdfs(tmp_path: Path) -> None:
    pytest.importorskip("fpdf")
    assert build_module().main(["--out", str(tmp_path)]) == 0
    for doc_id in PDF_IDS:
        built, committed = tmp_path / f"{doc_id}.pdf", doc_path(doc_id)
        assert built.read_bytes() == committed.read_bytes(), f"{doc_id}.pdf differs: run python corpus/build.py"
        sidecar = f"{doc_id}.pdf.yaml"
        assert (tmp_path / sidecar).read_text(encoding="utf-8") == (CORPUS / sidecar).read_text(encoding="utf-8")
