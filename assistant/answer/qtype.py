"""What kind of answer a question expects (an amount, a date, a person, a place) and whether a passage
has one: a unit that carries the expected kind of fact is a better answer than one that only shares words."""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet

from assistant.normalize import YEAR

EXPECTS = {
    "amount": re.compile(
        r"\b(berapa|how much|how many|how long|jumlah|besaran|besarnya|plafon|persen|proporsi|bobot|nilai ambang|"
        r"ceiling|amount|maximum|minimum|percentage|share|weight|paling banyak|paling sedikit|batas maksimal)\b",
        re.I,
    ),
    "date": re.compile(
        r"\b(kapan|tanggal|batas waktu|tenggat|when|date|deadline|hari apa|pukul|bulan apa|tahun berapa|"
        r"paling lambat|by what date|what day)\b",
        re.I,
    ),
    "person": re.compile(r"\b(siapa|who|whom|whose)\b", re.I),
    "place": re.compile(r"\b(di mana|dimana|where|lokasi|tempat|venue|which province|provinsi mana)\b", re.I),
}
MONTHS = (
    "januari februari maret april mei juni juli agustus september oktober november desember "
    "january february march may june july august october december"
).split()
HAS = {
    "amount": re.compile(
        r"\d|\b(satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|sebelas|belas|puluh|ratus|ribu|juta)\b",
        re.I,
    ),
    "date": re.compile(
        r"\b(" + "|".join(MONTHS) + r")\b|" + YEAR.pattern + r"|\bhari kerja\b|\bpukul\b|\btriwulan\b", re.I
    ),
    "person": re.compile(r"\b(Dr|Prof|Ir|Drs|H)\.\s|\b[A-Z][a-z]+ [A-Z][a-z]+\b|\b(Kepala|Direktur|Rektor|Gubernur)\b"),
    # administrative and building nouns of Indonesian and English, never a list of one corpus's place names
    "place": re.compile(
        r"\b(provinsi|kabupaten|kota|desa|kelurahan|kecamatan|jalan|gedung|kantor|ruang|aula|province|regency|"
        r"city|district|village|street|building|office|hall)\b",
        re.I,
    ),
}


def expected_kinds(question: str) -> set[str]:
    return {kind for kind, pattern in EXPECTS.items() if pattern.search(question)}


def carries(text: str, kinds: AbstractSet[str]) -> bool:
    """Does the text hold at least one of the expected kinds of fact?"""
    return any(HAS[kind].search(text) for kind in kinds)
