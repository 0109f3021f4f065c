"""Every message the app writes itself, in Indonesian (the default) and English: one language per message."""

from __future__ import annotations

LANGS = ("id", "en")
DEFAULT_LANG = "id"

TEXTS: dict[str, dict[str, str]] = {
    "question_empty": {
        "id": "Pertanyaan masih kosong. Tulis pertanyaan tentang aturan program, lalu tekan Kirim.",
        "en": "The question is empty. Type a question about the programme rules, then press Send.",
    },
    "question_too_long": {
        "id": "Pertanyaan terlalu panjang: {chars} karakter, batasnya {limit}. Persingkat atau bagi menjadi "
        "beberapa pertanyaan.",
        "en": "The question is too long: {chars} characters, the limit is {limit}. Shorten it or split it into "
        "several questions.",
    },
    "question_unusable": {
        "id": "Pertanyaan ini tidak dapat diproses. Ubah kalimatnya lalu coba lagi.",
        "en": "This question cannot be processed. Rephrase it and try again.",
    },
    "question_no_words": {
        "id": "Pertanyaan ini tidak berisi kata yang dapat dicari di dokumen (hanya kode, tanda, atau angka). "
        "Tulis pertanyaan tentang aturan program dengan kata-kata.",
        "en": "This question has no words that can be searched for in the documents (only code, symbols or "
        "numbers). Write a question about the programme rules in words.",
    },
    "helpdesk": {
        "id": "Hubungi helpdesk program: {contact}",
        "en": "Contact the programme helpdesk: {contact}",
    },
    "answer_failed": {
        "id": "Jawaban gagal disusun. Pertanyaan Anda tetap di kotak isian: coba kirim lagi, atau pilih "
        "cara menjawab “Kutipan langsung”.",
        "en": "The answer could not be composed. Your question is still in the box: send it again, or choose "
        "the “Direct quotes” answer mode.",
    },
}


def text(key: str, lang: str = DEFAULT_LANG, **values: object) -> str:
    """The message ``key`` in ``lang`` (Indonesian when the language is unknown), with ``values`` filled in."""
    entry = TEXTS[key]
    return entry.get(lang, entry[DEFAULT_LANG]).format(**values)


# The toolkit's own words (upload area, chat buttons, footer) in Indonesian, whatever the browser's language:
# its translations follow the browser locale, and English is also its fallback for every other one.
TOOLKIT_ID = {
    "upload_text.drop_file": "Letakkan berkas di sini",
    "upload_text.click_to_upload": "Klik untuk mengunggah",
    "common.or": "atau",
    "common.clear": "Bersihkan",
    "common.download": "Unduh",
    "common.built_with_gradio": "Dibuat dengan Gradio",
    "common.settings": "Pengaturan",
    "common.loading": "Memuat",
    "common.error": "Galat",
    "errors.use_via_api": "Pakai lewat API",
    "chatbot.copy_message": "Salin pesan",
    "chatbot.copied_message": "Pesan disalin",
    "chatbot.like": "Membantu",
    "chatbot.dislike": "Kurang tepat",
    "chatbot.clear": "Bersihkan percakapan",
}
