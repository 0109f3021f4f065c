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


# The toolkit's own words (upload area, chat buttons, footer). Its translations start from the browser locale (English
# for any locale it lacks); the page then sets them to the session's language (app.js, klasinovLocale).
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
TOOLKIT_EN = {
    "upload_text.drop_file": "Drop file here",
    "upload_text.click_to_upload": "Click to upload",
    "common.or": "or",
    "common.clear": "Clear",
    "common.download": "Download",
    "common.built_with_gradio": "Built with Gradio",
    "common.settings": "Settings",
    "common.loading": "Loading",
    "common.error": "Error",
    "errors.use_via_api": "Use via API",
    "chatbot.copy_message": "Copy message",
    "chatbot.copied_message": "Message copied",
    "chatbot.like": "Helpful",
    "chatbot.dislike": "Not right",
    "chatbot.clear": "Clear conversation",
}


# Everything else the page says: labels, buttons, placeholders, headings, notices. Keys are ``area.item``.
UI: dict[str, dict[str, str]] = {
    "lang.label": {"id": "Bahasa", "en": "Language"},
    "header.subtitle": {
        "id": "Asisten aturan program Klaster Inovasi Berbasis PUD",
        "en": "Assistant on the rules of the PUD-based Innovation Cluster programme",
    },
    "header.index": {
        "id": "{docs} dokumen, {chunks} potongan terindeks",
        "en": "{docs} documents, {chunks} chunks indexed",
    },
    "header.empty": {
        "id": "**indeks kosong** — klik *Indeks ulang* di tab Dokumen atau jalankan `python -m assistant ingest`",
        "en": "**the index is empty** — click *Re-index* on the Documents tab or run `python -m assistant ingest`",
    },
    "header.login": {"id": "login diperlukan", "en": "login required"},
    "header.local": {
        "id": "**mode satu pengguna** (tanpa login, hanya dari komputer ini)",
        "en": "**single-user mode** (no login, this computer only)",
    },
    "header.open": {
        "id": "**mode satu pengguna** tanpa login, terbuka di {host}",
        "en": "**single-user mode** with no login, open on {host}",
    },
    "header.signed_in": {
        "id": "Masuk sebagai **{user}** ({role}) · [Keluar](/logout)",
        "en": "Signed in as **{user}** ({role}) · [Sign out](/logout)",
    },
    "tab.ask": {"id": "Tanya", "en": "Ask"},
    "tab.draft": {"id": "Draf Jawaban", "en": "Reply Drafts"},
    "tab.docs": {"id": "Dokumen", "en": "Documents"},
    "tab.eval": {"id": "Evaluasi", "en": "Evaluation"},
    "tab.check": {"id": "Periksa Dokumen", "en": "Check a Draft"},
    "chat.welcome": {
        "id": "### Selamat datang di Klasinov Assistant\n"
        "Tanyakan aturan program *Klaster Inovasi Berbasis Produk Unggulan Daerah* — syarat pengusul, pendanaan, "
        "isi proposal — dalam bahasa Indonesia atau Inggris. Setiap jawaban mengutip dokumen dengan sumber "
        "bernomor: klik nomor [1] untuk membaca kutipannya, lalu buka PDF aslinya tepat di halamannya.",
        "en": "### Welcome to Klasinov Assistant\n"
        "Ask about the rules of the *Innovation Cluster programme based on Regional Flagship Products* — who may "
        "apply, funding, what a proposal contains — in English or Indonesian. Every answer quotes the documents "
        "with numbered sources: click a number [1] to read its quote, then open the original PDF at its page.",
    },
    "chat.placeholder": {
        "id": "Tulis pertanyaan tentang aturan program (bahasa Indonesia atau Inggris)…",
        "en": "Type a question about the programme rules (English or Indonesian)…",
    },
    "chat.send": {"id": "Kirim", "en": "Send"},
    "chat.examples": {"id": "Contoh pertanyaan", "en": "Example questions"},
    "chat.new": {"id": "Percakapan baru", "en": "New conversation"},
    "chat.filters": {"id": "Saring sumber", "en": "Filter sources"},
    "chat.years": {"id": "Tahun dokumen", "en": "Document year"},
    "chat.types": {"id": "Jenis dokumen", "en": "Document type"},
    "chat.mode": {"id": "Cara menjawab", "en": "How to answer"},
    "mode.auto": {"id": "Otomatis", "en": "Automatic"},
    "mode.extractive": {"id": "Kutipan langsung", "en": "Direct quotes"},
    "mode.llm": {"id": "Model bahasa (LLM)", "en": "Language model (LLM)"},
    "chat.sample_note": {
        "id": "Sumber berlabel *contoh — bukan ketentuan resmi* berasal dari contoh ilustratif.",
        "en": "Sources labelled *contoh — bukan ketentuan resmi* (sample, not an official rule) come from an "
        "illustrative sample.",
    },
    "history.title": {"id": "Riwayat percakapan", "en": "Conversation history"},
    "history.list": {"id": "Percakapan tersimpan", "en": "Saved conversations"},
    "history.open": {"id": "Buka", "en": "Open"},
    "history.delete": {"id": "Hapus", "en": "Delete"},
    "history.name": {"id": "Nama baru", "en": "New name"},
    "history.name_hint": {"id": "mis. Dana perumusan 2019", "en": "e.g. Formulation funding 2019"},
    "history.rename": {"id": "Ganti nama", "en": "Rename"},
    "history.pick": {"id": "Pilih dulu percakapan dari daftar.", "en": "Choose a conversation from the list first."},
    "history.not_opened": {"id": "Percakapan tidak dapat dibuka", "en": "The conversation could not be opened"},
    "history.not_renamed": {"id": "Nama tidak diganti", "en": "The name was not changed"},
    "history.not_deleted": {"id": "Percakapan tidak dihapus", "en": "The conversation was not deleted"},
    "feedback.title": {"id": "Beri masukan untuk jawaban", "en": "Give feedback on the answer"},
    "feedback.rating": {"id": "Penilaian", "en": "Rating"},
    "feedback.comment": {"id": "Komentar (opsional)", "en": "Comment (optional)"},
    "feedback.comment_hint": {"id": "Apa yang kurang atau salah?", "en": "What is missing or wrong?"},
    "feedback.send": {"id": "Kirim masukan", "en": "Send feedback"},
    "feedback.rated": {
        "id": "Terima kasih — penilaian untuk jawaban #{turn} tersimpan. Tambahkan komentar di bawah bila perlu.",
        "en": "Thank you — your rating of answer #{turn} is saved. Add a comment below if you like.",
    },
    "feedback.saved": {
        "id": "Terima kasih — masukan #{row} untuk jawaban #{turn} tersimpan.",
        "en": "Thank you — feedback #{row} on answer #{turn} is saved.",
    },
    "feedback.no_rating": {
        "id": "Pilih dulu penilaian: ✓ Membantu atau ✗ Kurang tepat.",
        "en": "Choose a rating first: ✓ Helpful or ✗ Not right.",
    },
    "feedback.no_answer": {
        "id": "Belum ada jawaban untuk dinilai; ajukan pertanyaan dulu.",
        "en": "There is no answer to rate yet; ask a question first.",
    },
    "feedback.not_saved": {"id": "Masukan tidak tersimpan", "en": "The feedback was not saved"},
    "feedback.up": {"id": "✓ Membantu", "en": "✓ Helpful"},
    "feedback.down": {"id": "✗ Kurang tepat", "en": "✗ Not right"},
    "draft.intro": {
        "id": "Tempel pertanyaan yang masuk ke helpdesk. Draf balasan resmi tersusun dengan rujukan dan tersimpan "
        "di arsip; sunting, simpan, tandai terkirim, salin, atau unduh.",
        "en": "Paste a question the helpdesk received. A formal reply in Indonesian is drafted with its references "
        "and kept in the archive; edit, save, mark it sent, copy or download it.",
    },
    "draft.question": {"id": "Pertanyaan", "en": "Question"},
    "draft.make": {"id": "Susun draf", "en": "Draft a reply"},
    "draft.text": {"id": "Draf balasan (dapat disunting)", "en": "Draft reply (editable)"},
    "draft.download_md": {"id": "Unduh .md", "en": "Download .md"},
    "draft.download_txt": {"id": "Unduh .txt", "en": "Download .txt"},
    "draft.archive": {"id": "### Arsip balasan helpdesk", "en": "### Helpdesk reply archive"},
    "draft.save": {"id": "Simpan suntingan", "en": "Save edits"},
    "draft.sent": {"id": "Tandai terkirim", "en": "Mark as sent"},
    "draft.search": {"id": "Cari (pertanyaan, teks, sumber)", "en": "Search (question, text, sources)"},
    "draft.status": {"id": "Status", "en": "Status"},
    "draft.find": {"id": "Cari", "en": "Search"},
    "draft.csv": {"id": "Unduh CSV", "en": "Download CSV"},
    "draft.kept": {
        "id": "Draf #{number} tersimpan di arsip (status: draf).",
        "en": "Draft #{number} is kept in the archive (status: draft).",
    },
    "draft.none": {
        "id": "Susun draf dahulu; balasan yang disimpan adalah draf yang sedang disunting.",
        "en": "Draft a reply first; what is saved is the draft being edited.",
    },
    "draft.marked": {
        "id": "Balasan #{id} ditandai terkirim ({at} UTC).",
        "en": "Reply #{id} is marked as sent ({at} UTC).",
    },
    "draft.stored": {"id": "Balasan #{id} tersimpan ({at} UTC).", "en": "Reply #{id} is saved ({at} UTC)."},
    "draft.failed": {"id": "Draf tidak dapat disusun", "en": "The reply could not be drafted"},
    "draft.not_saved": {"id": "Balasan tidak dapat disimpan", "en": "The reply could not be saved"},
    "status.all": {"id": "Semua", "en": "All"},
    "status.draf": {"id": "Draf", "en": "Draft"},
    "status.terkirim": {"id": "Terkirim", "en": "Sent"},
    "docs.intro": {
        "id": "Dokumen yang terindeks dan dipakai untuk menjawab.",
        "en": "The indexed documents the answers come from.",
    },
    "docs.refresh": {"id": "Muat ulang daftar", "en": "Reload the list"},
    "docs.staff": {
        "id": "Unggah dan indeks ulang hanya dapat dilakukan oleh admin.",
        "en": "Only an admin can upload documents and re-index.",
    },
    "docs.upload_title": {
        "id": "### Unggah dokumen (PDF atau Markdown)",
        "en": "### Upload a document (PDF or Markdown)",
    },
    "docs.admin_note": {
        "id": "Mode satu pengguna: siapa pun di komputer ini dianggap admin dan boleh mengunggah serta "
        "mengindeks ulang.",
        "en": "Single-user mode: anyone on this computer counts as an admin and may upload and re-index.",
    },
    "docs.file": {"id": "Berkas", "en": "File"},
    "docs.title": {"id": "Judul", "en": "Title"},
    "docs.title_hint": {"id": "mis. Panduan Klaster Inovasi 2019", "en": "e.g. Panduan Klaster Inovasi 2019"},
    "docs.year": {"id": "Tahun", "en": "Year"},
    "docs.year_hint": {"id": "mis. 2019", "en": "e.g. 2019"},
    "docs.doc_id": {"id": "doc_id (opsional)", "en": "doc_id (optional)"},
    "docs.doc_id_hint": {"id": "dibentuk dari nama berkas", "en": "made from the file name"},
    "docs.type": {"id": "Jenis dokumen", "en": "Document type"},
    "docs.status": {"id": "Status", "en": "Status"},
    "docs.status_info": {
        "id": "contoh = ilustratif, bukan ketentuan resmi",
        "en": "contoh = illustrative sample, not an official rule",
    },
    "docs.issuer": {"id": "Penerbit", "en": "Issuer"},
    "docs.issuer_hint": {"id": "mis. Direktorat Sistem Inovasi", "en": "e.g. Direktorat Sistem Inovasi"},
    "docs.send": {"id": "Unggah dan indeks", "en": "Upload and index"},
    "docs.reindex": {"id": "Indeks ulang seluruh korpus", "en": "Re-index the whole corpus"},
    "docs.no_file": {"id": "Pilih berkas PDF atau Markdown dulu.", "en": "Choose a PDF or Markdown file first."},
    "docs.rejected": {"id": "Unggahan ditolak", "en": "Upload rejected"},
    "docs.replaced": {"id": "menggantikan versi lama", "en": "replaces the earlier version"},
    "docs.added": {"id": "ditambahkan ke korpus", "en": "added to the corpus"},
    "docs.placed": {
        "id": "{name} ({doc_id}: {title}) {verb}; siap diindeks.",
        "en": "{name} ({doc_id}: {title}) {verb}; ready to index.",
    },
    "docs.indexing": {"id": "Mengindeks: {message}", "en": "Indexing: {message}"},
    "docs.locked": {"id": "Indeks sedang dipakai", "en": "The index is in use"},
    "docs.reindex_failed": {"id": "Indeks ulang gagal", "en": "Re-indexing failed"},
    "eval.none": {
        "id": "Belum ada hasil evaluasi untuk ditampilkan.",
        "en": "There is no evaluation result to show yet.",
    },
    "eval.reload": {"id": "Muat ulang laporan", "en": "Reload the report"},
    "check.help": {
        "id": "Unggah draf proposal atau master plan (PDF, DOCX, Markdown atau teks). Setiap bagian wajib, lampiran "
        "wajib dan batas angka yang dinyatakan dalam ketentuan di indeks ditandai **ada**, **kurang** atau **tidak "
        "ada**, dengan letaknya di draf dan ketentuan yang mensyaratkannya. Draf tidak disimpan.",
        "en": "Upload a draft proposal or master plan (PDF, DOCX, Markdown or text). Every required section, "
        "required attachment and numeric limit stated in the indexed rules is marked **ada** (present), **kurang** "
        "(incomplete) or **tidak ada** (missing), with where it is in the draft and the rule that requires it. The "
        "draft is not kept.",
    },
    "check.file": {"id": "Draf", "en": "Draft"},
    "check.kind": {"id": "Jenis dokumen", "en": "Document type"},
    "check.run": {"id": "Periksa", "en": "Check"},
    "check.text": {"id": "Daftar periksa untuk draf jawaban", "en": "Checklist for a reply draft"},
    "check.no_file": {
        "id": "Belum ada draf: unggah berkas PDF, DOCX, Markdown atau teks, lalu tekan Periksa.",
        "en": "No draft yet: upload a PDF, DOCX, Markdown or text file, then press Check.",
    },
    "check.failed": {"id": "Draf tidak dapat diperiksa", "en": "The draft could not be checked"},
    "error.title": {"id": "Tidak dapat diproses", "en": "Could not be done"},
    "error.no_choice": {"id": "Belum ada pilihan", "en": "Nothing chosen"},
    "error.incomplete": {"id": "Masukan belum lengkap", "en": "Feedback incomplete"},
    "error.no_answer": {"id": "Belum ada jawaban", "en": "No answer yet"},
    "error.no_file": {"id": "Belum ada berkas", "en": "No file yet"},
    "table.title": {"id": "Judul", "en": "Title"},
    "table.year": {"id": "Tahun", "en": "Year"},
    "table.type": {"id": "Jenis", "en": "Type"},
    "table.status": {"id": "Status", "en": "Status"},
    "table.chunks": {"id": "Potongan", "en": "Chunks"},
    "table.indexed": {"id": "Diindeks", "en": "Indexed"},
    "table.no_docs": {"id": "Belum ada dokumen terindeks.", "en": "No document is indexed yet."},
    "table.number": {"id": "No.", "en": "No."},
    "table.author": {"id": "Penyusun", "en": "Author"},
    "table.updated": {"id": "Diperbarui", "en": "Updated"},
    "table.question": {"id": "Pertanyaan", "en": "Question"},
    "table.sources": {"id": "Sumber", "en": "Sources"},
    "table.review": {"id": "Perlu ditinjau: {why}", "en": "Needs review: {why}"},
    "table.no_replies": {"id": "Belum ada balasan yang cocok.", "en": "No reply matches yet."},
}


def ui(key: str, lang: str = DEFAULT_LANG, **values: object) -> str:
    """The page's string ``key`` in ``lang`` (Indonesian when the language is unknown)."""
    entry = UI[key]
    return entry.get(lang, entry[DEFAULT_LANG]).format(**values)


def language_of(value: object) -> str:
    """A session's UI language from what the browser stored (anything unknown is the default)."""
    return value if isinstance(value, str) and value in LANGS else DEFAULT_LANG


class Labels:
    """The components whose words depend on the session's language: each registered with the property that
    holds its words (label, value, placeholder, info, choices) and the key of those words. ``updates(lang)``
    gives, in registration order, the new properties for every registered component."""

    def __init__(self) -> None:
        self.entries: list[tuple[object, dict[str, object]]] = []

    def add(self, component: object, **props: object) -> object:
        """Register ``component``; each keyword is a property and its ``UI`` key (or, for choices, a list of
        (key, value) pairs)."""
        self.entries.append((component, props))
        return component

    @property
    def components(self) -> list[object]:
        return [component for component, _ in self.entries]

    def updates(self, lang: str) -> list[dict[str, object]]:
        out = []
        for _, props in self.entries:
            out.append({prop: _words(spec, lang) for prop, spec in props.items()})
        return out


def _words(spec: object, lang: str) -> object:
    if isinstance(spec, str):
        return ui(spec, lang)
    return [(ui(key, lang), value) for key, value in spec]  # type: ignore[union-attr]
