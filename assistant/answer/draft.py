"""Helpdesk drafts: a formal Indonesian reply with numbered references, ready for a light edit."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.answer import texts
from assistant.types import Answer, Citation, Turn

if TYPE_CHECKING:
    from assistant.pipeline import Assistant

SALUTATION = "Yth. Bapak/Ibu,"
OPENING = "Terima kasih atas pertanyaan Bapak/Ibu mengenai: “{question}”."
ANSWER_LEAD = "Berdasarkan dokumen program yang kami miliki, dapat kami sampaikan hal-hal berikut."
REFUSAL_BODY = (
    "Mohon maaf, dokumen program yang kami miliki belum memuat ketentuan yang menjawab pertanyaan tersebut. "
    "Pertanyaan Bapak/Ibu kami teruskan kepada tim teknis program, dan jawabannya akan kami sampaikan kemudian."
)
CHECK_NOTE = "Catatan untuk petugas: cocokkan setiap butir dengan dokumen resmi program sebelum balasan ini dikirim."
CLOSING = "Demikian kami sampaikan. Atas perhatian Bapak/Ibu, kami ucapkan terima kasih."
SIGNATURE = "Hormat kami,\nHelpdesk Program Klaster Inovasi Berbasis Produk Unggulan Daerah"


@dataclass(frozen=True)
class Draft:
    question: str
    markdown: str
    text: str
    answer: Answer


def reference_line(citation: Citation) -> str:
    page = f", hlm. {citation.page}" if citation.page else ""
    year = f" ({citation.year})" if citation.year else ""
    sample = f" — {texts.SAMPLE_MARK}" if citation.is_sample else ""
    quote = citation.text.replace("\n", " ")
    quote = quote if len(quote) <= 220 else quote[:220].rsplit(" ", 1)[0] + " …"
    return f"[{citation.n}] {citation.title}{year}, {citation.section}{page}{sample}. Kutipan: “{quote}”"


def _body(answer: Answer) -> str:
    if answer.refused:
        return REFUSAL_BODY
    body = answer.text
    return f"{ANSWER_LEAD}\n\n{body}"


def compose_draft(question: str, answer: Answer) -> Draft:
    parts = [SALUTATION, OPENING.format(question=question), _body(answer)]
    if answer.citations:
        parts.append("Referensi:\n" + "\n".join(reference_line(c) for c in answer.citations))
    parts += [CLOSING, SIGNATURE, f"---\n_{CHECK_NOTE}_"]
    markdown = "\n\n".join(parts)
    return Draft(question, markdown, to_plain_text(markdown), answer)


def to_plain_text(markdown: str) -> str:
    text = re.sub(r"(?m)^---$", "", markdown)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w])_(.+?)_(?![\w])", r"\1", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def draft_reply(assistant: Assistant, question: str, history: Sequence[Turn] = ()) -> Draft:
    answer = assistant.ask(question, history, mode=None, lang="id")
    return compose_draft(answer.question, answer)
