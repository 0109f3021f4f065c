"""Fixed phrases shared by the composer, the LLM prompt, the app and the tests."""

from __future__ import annotations

REFUSAL = {
    "id": "Maaf, dokumen program yang tersedia tidak memuat jawaban atas pertanyaan ini.",
    "en": "Sorry, the programme documents available here do not answer this question.",
}
NOT_FOUND = {
    "id": "Yang tidak ditemukan dalam dokumen: {parts}.",
    "en": "Not found in the documents: {parts}.",
}
UNMENTIONED = {
    "id": "Bagian dokumen yang paling dekat tidak menyebut: {parts}.",
    "en": "The closest passage of the documents does not mention: {parts}.",
}
CLOSEST_TOPICS = {
    "id": "Topik terdekat yang dibahas dokumen:",
    "en": "The closest topics the documents do cover:",
}
ASK_HELPDESK = {
    "id": "Silakan ajukan pertanyaan ini ke helpdesk program agar dijawab oleh petugas.",
    "en": "Please send this question to the programme helpdesk so that staff can answer it.",
}
SAMPLE_MARK = "contoh — bukan ketentuan resmi"
SAMPLE_NOTE = {
    "id": "Catatan: {refs} berasal dari contoh ketentuan ({mark}); jangan dipakai sebagai aturan program "
    "sebelum dicocokkan dengan panduan resmi.",
    "en": "Note: {refs} come(s) from an illustrative sample rule set ({mark}), not the programme's official "
    "rules; check the official guide before relying on it.",
}
ENGLISH_LEAD = "According to the programme documents (quoted in Indonesian):"
YEAR_LEAD = {"id": "Tahun {year}", "en": "Year {year}"}
VERSION_NOTE_LEAD = {"id": "Perhatian versi:", "en": "Version note:"}
FALLBACK_NOTE = {
    "id": "Jawaban disusun langsung dari kutipan dokumen karena model bahasa {reason}.",
    "en": "This answer quotes the documents directly because the language model {reason}.",
}
