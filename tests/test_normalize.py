"""The one reading of numbers, amounts, percentages, years, list markers and citation keys
(`assistant.normalize`), on hand-made strings and on real government PDFs read by the real loader."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest

from assistant.index.analysis import tokenize
from assistant.ingest.loader import discover, load_document
from assistant.normalize import (
    LIST_ITEM,
    canonical_number,
    citation_keys,
    is_list_marker,
    normalize_text,
    number_readings,
    quantities,
    stated_values,
    strip_citation_keys,
    unsupported_quantities,
    years,
)

ROOT = Path(__file__).resolve().parents[1]
RP150 = ["Rp150 juta", "Rp150.000.000", "Rp 150.000.000,00", "150 juta rupiah", "Rp. 150.000.000,-", "IDR 150 million",
         "Rp150,000,000", "0,15 miliar", "Rp150 Juta"]  # fmt: skip


@pytest.mark.parametrize("text", RP150)
def test_one_amount_in_every_notation(text: str) -> None:
    assert normalize_text(text) == "150000000"
    assert stated_values(text) >= {Decimal(150_000_000)}
    assert unsupported_quantities(text, ["Dana paling banyak Rp150.000.000 per klaster."]) == []
    assert "150000000" in tokenize(text)


@pytest.mark.parametrize("text", RP150)
def test_amounts_support_each_other_both_ways(text: str) -> None:
    for other in RP150:
        assert unsupported_quantities(f"Dananya {other} [1].", [text]) == [], (other, text)


def test_a_different_amount_is_not_supported() -> None:
    passage = "Dana perumusan paling banyak Rp150.000.000 per klaster."
    assert unsupported_quantities("Dananya Rp175 juta [2].", [passage]) == ["175 juta"]
    assert unsupported_quantities("Dananya Rp 9 miliar.", [passage]) == ["9 miliar"]
    assert unsupported_quantities("Dananya Rp1.500.000.000 [1].", [passage]) == ["1.500.000.000"]
    assert unsupported_quantities("Dananya 150 juta [1].", ["Dana 150 peserta."]) == ["150 juta"]
    assert unsupported_quantities("Dana Rp150 juta [12].", ["Rp150 juta"]) == []  # the key [12] is no number


def test_ranges_share_their_multiplier() -> None:
    assert normalize_text("Rp200–600 juta") == normalize_text("Rp200 juta - Rp600 juta") == "200000000-600000000"
    assert normalize_text("Rp200.000.000 sampai dengan Rp600.000.000") == "200000000-600000000"
    assert normalize_text("200 s.d. 600 juta") == "200000000-600000000"
    low, high = quantities("sekitar Rp200–600 juta per klaster")
    assert (low.literal, low.multiplier, high.raw) == ("200", "juta", "600 juta")
    assert unsupported_quantities("Insentif Rp200 juta sampai Rp600 juta [1].", ["sekitar Rp200–600 juta"]) == []
    assert {"200000000", "600000000"} <= set(tokenize("Insentif sekitar Rp200–600 juta per klaster"))
    assert {"200000000", "600000000"} <= set(tokenize("Insentif sekitar Rp200-600 juta per klaster"))


def test_decimals_percentages_and_number_words() -> None:
    assert normalize_text("2,5 juta") == normalize_text("2.500.000") == "2500000"
    assert normalize_text("Rp1,5 miliar") == "1500000000"
    assert normalize_text("30 persen") == normalize_text("30 %") == normalize_text("30 percent") == "30%"
    assert normalize_text("8 (delapan) bulan") == normalize_text("delapan bulan") == "8 bulan"
    assert normalize_text("dua puluh lima hari") == "25 hari"
    assert unsupported_quantities("Bobot 2.5 poin.", ["Bobot 2,5 poin."]) == []
    assert unsupported_quantities("Honor paling banyak 5 persen.", ["honorarium paling banyak 5%"]) == []


def test_literals_read_the_indonesian_way_first() -> None:
    assert canonical_number("200.000.000") == "200000000"
    assert canonical_number("2,5") == "2.5"
    assert canonical_number("150.000.000,00") == "150000000"
    assert canonical_number("200,000,000") == "200000000"
    assert canonical_number("3.10") == "3.10"  # a section number keeps its digits
    assert canonical_number("150", "juta") == "150000000"
    assert number_readings("2.500") == {Decimal(2500), Decimal("2.5")}  # Indonesian or English: either may be meant
    assert number_readings("200.000.000") == {Decimal(200_000_000)}


def test_years_are_four_digits_of_their_own() -> None:
    assert years("Ketentuan 2018 diganti oleh ketentuan tahun 2019 (UUD 1945).") == ["2018", "2019", "1945"]
    assert years("Rp2.019.000, 12019 orang, 2019,5 ton, 20190 item, NIP 197809262000122001") == []
    assert years("2018/2019 dan 2018–2019") == ["2018", "2019", "2018", "2019"]
    assert years("Jakarta,2019") == ["2019"]


def test_list_markers() -> None:
    for line in ("1. Proposal", "a) Surat", "(iv) Laporan", "• Aceh", "- Aceh", "  12) Rincian"):
        assert LIST_ITEM.match(line), line
    for line in ("2019. Tahun", "Dana 1. x", "Pasal 52 ayat", "-5 derajat"):
        assert not LIST_ITEM.match(line), line
    assert LIST_ITEM.sub("", "3. Surat pernyataan") == "Surat pernyataan"
    assert all(is_list_marker(cell) for cell in ("1.", "a)", "•", "(2)"))
    assert not any(is_list_marker(cell) for cell in ("Dana", "1.5", "2019."))


def test_citation_keys() -> None:
    text = "Dana Rp150 juta [1]. Lokasi Aceh [12][3], bukan [1000] atau [a]."
    assert citation_keys(text) == [1, 12, 3]
    assert strip_citation_keys(text) == "Dana Rp150 juta . Lokasi Aceh , bukan [1000] atau [a]."


# --- real documents --------------------------------------------------------------------------------------


def _real_set(name: str) -> str:
    candidates = [ROOT.parent / "shared" / "real-corpora"]
    if os.environ.get("KLASINOV_REAL_CORPORA"):
        candidates.append(Path(os.environ["KLASINOV_REAL_CORPORA"]))
    for root in candidates:
        if (root / name).is_dir():
            files, errors = discover(root / name)
            assert not errors, errors
            return "\n".join(page.text for file in files for page in load_document(file).pages)
    pytest.skip(f"real corpus {name!r} not found under {candidates}; set KLASINOV_REAL_CORPORA to its folder")


@pytest.fixture(scope="module")
def lpdp_text() -> str:
    return _real_set("beasiswa-share-2026")


@pytest.fixture(scope="module")
def bosp_text() -> str:
    return _real_set("bosp-2023")


def test_real_booklet_stamp_duty_amount_in_other_notations(lpdp_text: str) -> None:
    """The LPDP booklet writes the stamp duty 'Rp 10.000' and 'Rp. 10.000'; an answer may write either,
    or 'Rp10 ribu', and the IELTS score '6,0' as '6.0'."""
    lines = [line for line in lpdp_text.splitlines() if "10.000" in line and "Rp" in line]
    assert len(lines) >= 3
    assert all("10000" in normalize_text(line) for line in lines)
    for answer in ("Materai Rp10 ribu [1].", "Materai Rp 10.000 [1].", "Materai 10.000 rupiah [1]."):
        assert unsupported_quantities(answer, lines) == [], answer
    assert unsupported_quantities("Materai Rp6.000 [1].", lines) == ["6.000"]
    assert unsupported_quantities("IELTS paling rendah 6.0 [1].", [lpdp_text]) == []


def test_real_regulation_percentages_years_and_list_items(bosp_text: str) -> None:
    """Permendikbudristek 63/2023: '50% (lima puluh persen)' across a line break, the years it names (not the
    digits of an official's NIP), and its nested lists '1)', 'a.'."""
    assert "50% (50%)" in normalize_text(bosp_text)
    assert unsupported_quantities("Laporan realisasi minimal 50 persen [1].", [bosp_text]) == []
    named = set(years(bosp_text))
    assert {"2022", "2023", "1945"} <= named
    nip = next(line for line in bosp_text.splitlines() if "197809262000122001" in line)
    assert years(nip) == []
    items = [line for line in bosp_text.splitlines() if LIST_ITEM.match(line)]
    assert len(items) >= 20
    assert not [line for line in items if line.startswith(("Pasal", "jdih"))]
