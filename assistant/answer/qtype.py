"""What kind of answer a question expects (an amount, a date, a person, a place) and whether a passage
has one: a unit that carries the expected kind of fact is a better answer than one that only shares words."""

from __future__ import annotations

import re

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
    "place": re.compile(
        r"\b(Provinsi|Kabupaten|Kab\.|Kota|Desa|Kecamatan|Hotel|Jakarta|Aceh|Sulawesi|Maluku|Bangka|Nusa Tenggara|"
        r"Lampung|Papua|Jawa|Sumatera|Kalimantan|Bali|gedung|kantor)\b"
    ),
}


def expected_kinds(question: str) -> set[str]:
    return {kind for kind, pattern in EXPECTS.items() if pattern.search(question)}


def carries(text: str, kinds: set[str]) -> bool:
    """Does the text hold at least one of the expected kinds of fact?"""
    return any(HAS[kind].search(text) for kind in kinds)


# A sentence that sends the reader elsewhere ("... tercantum dalam dokumen X") or describes the document itself
# ("Dokumen ini meringkas ...", "Contoh ini disusun ...") states no fact: a weaker answer than the passage it
# points to, and never a runner-up worth adding to an answer.
POINTER = re.compile(
    r"\b(tercantum|tersedia|diuraikan|dijelaskan|dimuat|dirinci|dibahas|disajikan|termuat)\s+(dalam|di|pada)\s+"
    r"(dokumen|bagian|lampiran|bab)\b|^(dokumen|bagian|bab|ringkasan|contoh|panduan|naskah) ini (meringkas|menghimpun|"
    r"memuat|berisi|menguraikan|merangkum|disusun|dibuat|menggambarkan)\b",
    re.I,
)


def points_elsewhere(text: str, wholly: bool = False) -> bool:
    """Does the text point elsewhere? ``wholly``: every sentence does, so it adds nothing beside other quotes
    (one fact beside a pointer is still a fact)."""
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]
    test = all if wholly else any
    return bool(sentences) and test(POINTER.search(s) for s in sentences)
