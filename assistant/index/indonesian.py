"""Indonesian analysis through Sastrawi (the only module that imports it): stemming and stopwords."""

from __future__ import annotations

from functools import lru_cache

from Sastrawi.Stemmer.StemmerFactory import StemmerFactory
from Sastrawi.StopWordRemover.StopWordRemoverFactory import StopWordRemoverFactory

# Sastrawi's general-purpose list drops words that carry meaning in rules ("laporan akhir",
# "tahap pertama", "jumlah halaman", "paling lama 30 hari"); keep them searchable.
RULE_WORDS = {
    "akhir",
    "awal",
    "jumlah",
    "hari",
    "bulan",
    "besar",
    "kecil",
    "baru",
    "pihak",
    "kerja",
    "sama",
    "pertama",
    "kedua",
    "lama",
    "masa",
    "paling",
    "lima",
    "empat",
    "tiga",
    "dua",
    "satu",
    "tinggi",
    "mulai",
    "bagian",
    "umum",
    "khusus",
    "tidak",
    "bukan",
    "boleh",
    "harus",
    "sebelum",
    "sesudah",
    "setelah",
    "selama",
    "lebih",
    "kurang",
    "setiap",
    "per",
    "banyak",
    "sedikit",
    "penting",
    "usul",
}


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    return StemmerFactory().create_stemmer()


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    return frozenset(StopWordRemoverFactory().get_stop_words()) - RULE_WORDS


def is_root_word(word: str) -> bool:
    """Is the lowercase word an Indonesian root word (the dictionary the stemmer reads)? Chat spellings ("gak",
    "brp"), typos and most names are not."""
    return bool(_stemmer().delegatedStemmer.get_dictionary().contains(word))


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Stem one lowercase word; words with digits are kept as they are."""
    if any(ch.isdigit() for ch in word) or len(word) <= 3:
        return word
    return _stemmer().stem(word) or word
