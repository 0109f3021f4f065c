"""Conversation: every turn after the first may continue the previous one ("kalau tahap pendampingan?",
"bisa dalam bentuk lahan?", "and the deadline?").

Such a turn is read twice: as it stands, and in the context of the previous (resolved) question. In context,
a new term replaces its counterpart of the same kind in the previous question (a stage for a stage, a region for
a region, a year for a year: `assistant.parallels`); what has no counterpart is added to it. Both readings are
answered as questions of their own, so the refusal rule weighs the question actually answered, and the reading
with the stronger evidence is kept."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.glossary import Glossary, load_glossary
from assistant.index.analysis import tokenize
from assistant.parallels import Parallels, learn_parallels, words
from assistant.types import Answer, Chunk, Filters, Turn

if TYPE_CHECKING:
    from assistant.pipeline import Assistant

FOLLOW_UP_OPENERS = (
    "kalau",
    "kalo",
    "bagaimana dengan",
    "bagaimana kalau",
    "lalu",
    "terus",
    "trus",
    "dan ",
    "lantas",
    "untuk yang",
    "yang untuk",
    "and ",
    "what about",
    "how about",
    "also",
    "then ",
    "same for",
)
REFERENCES = {
    "itu",
    "tersebut",
    "tadi",
    "sana",
    "it",
    "its",
    "they",
    "them",
    "their",
    "that",
    "those",
    "this",
    "there",
}
QUESTION_WORDS = {
    "apa",
    "apakah",
    "siapa",
    "kapan",
    "berapa",
    "bagaimana",
    "mengapa",
    "kenapa",
    "dimana",
    "mana",
    "bolehkah",
    "what",
    "who",
    "when",
    "how",
    "why",
    "where",
    "which",
    "much",
    "many",
    "saja",
    # their chat spellings: "brp lama dananya cair?" asks as "berapa lama …?" does
    "brp",
    "brapa",
    "kpn",
    "kapn",
    "dmn",
    "gmn",
    "gimana",
    "bgmn",
    "knp",
    "sapa",
    "aja",
}
# An English question that opens with an auxiliary verb ("Does that university sign …?", "Is a phone answer …
# binding?") is a whole yes/no question of its own, as one with a question word is; Indonesian marks it with
# "apakah", a question word above.
YES_NO_OPENERS = {
    "do",
    "does",
    "did",
    "is",
    "are",
    "was",
    "were",
    "can",
    "could",
    "may",
    "might",
    "must",
    "shall",
    "should",
    "will",
    "would",
    "has",
    "have",
    "had",
}
# Words that only join a follow-up to what came before; never a term of the question.
OPENER_WORDS = {w for opener in FOLLOW_UP_OPENERS for w in opener.split()}
LINKERS = OPENER_WORDS | {"gak", "nggak", "ga", "tidak", "ya", "yang"}
MAX_FOLLOW_UP_WORDS = 12
MAX_ELLIPTIC_TERMS = 3
YEAR = re.compile(r"^(19[5-9]\d|20\d\d)$")
NUMBER = re.compile(r"^\d+(?:[.,]\d+)*$")
WORD = re.compile(r"[\w+]+(?:[-–][\w+]+)*")


def is_follow_up(question: str) -> bool:
    """Short questions that open like a continuation, point back, or name almost nothing themselves."""
    text = question.strip().lower()
    found = re.findall(r"[a-z0-9]+", text)
    if not found or len(found) > MAX_FOLLOW_UP_WORDS:
        return False
    if text.startswith(FOLLOW_UP_OPENERS):
        return True
    if any(w in REFERENCES for w in found) and not re.match(r"^(apa|what)\s+(itu|is)\b", text):
        return True
    if any(len(w) > 5 and w.endswith("nya") for w in found):
        return True
    content = [t for t in tokenize(question) if t not in QUESTION_WORDS and not t.isdigit()]
    return len(content) <= 1


def topic_of(question: str) -> str:
    """The previous question without its question words and openers ("kalau", "lalu"): what the conversation is
    about."""
    return " ".join(w for w in WORD.findall(question) if w.lower() not in QUESTION_WORDS | OPENER_WORDS)


@dataclass(frozen=True)
class Span:
    """One word of a question: where it stands, its own words and the Indonesian forms the glossary gives it."""

    start: int
    end: int
    text: str
    own: frozenset[str]
    translated: frozenset[str] = frozenset()

    @property
    def kind(self) -> str:
        return "year" if YEAR.match(self.text) else "number" if NUMBER.match(self.text) else "term"

    def keys(self, parallels: Parallels) -> frozenset[str]:
        """Its own words when the documents use them in parallel positions, else its glossary translations
        (an English "formulation" meets the documents' "perumusan")."""
        if any(parallels.groups[w] for w in self.own) or not self.translated:
            return self.own
        return self.translated


def spans(question: str, glossary: Glossary) -> list[Span]:
    """The content words of a question."""
    found = []
    for m in WORD.finditer(question):
        text = m.group(0)
        own = frozenset(words(text))
        if text.lower() in QUESTION_WORDS | REFERENCES | LINKERS or not own:
            continue
        translated = frozenset(w for form in glossary.expansions(text) for w in words(form))
        found.append(Span(m.start(), m.end(), text, own, translated))
    return found


def phrases(new: Sequence[Span], question: str) -> list[list[Span]]:
    """New words next to each other (only spaces between) form one phrase ("perguruan tinggi"); a year or
    number ends the phrase it follows, whose words label it ("tahun 2020")."""
    groups: list[list[Span]] = []
    for span in new:
        last = groups[-1][-1] if groups else None
        joined = last is not None and not question[last.end : span.start].strip() and last.kind == "term"
        if joined:
            groups[-1].append(span)
        else:
            groups.append([span])
    return groups


def counterpart(phrase: Sequence[Span], previous: Sequence[Span], parallels: Parallels) -> list[Span]:
    """The previous question's words of the same kind as ``phrase``: a year for a year, a number for a number,
    otherwise the word the documents most often put in parallel with it, with its neighbours that score as
    much ("Pulau Jawa" for "Papua"). Empty when nothing in the previous question is of its kind."""
    kind = phrase[-1].kind
    if kind != "term":
        return [s for s in previous if s.kind == kind][:1]
    keys = {k for s in phrase for k in s.keys(parallels)}

    def score(span: Span) -> float:
        return max((parallels.score(a, b) for a in keys for b in span.keys(parallels)), default=0.0)

    scores = [score(s) if s.kind == "term" else 0.0 for s in previous]
    best = max(scores, default=0.0)
    if best <= 0:
        return []
    i = scores.index(best)
    start, end = i, i + 1
    while start > 0 and scores[start - 1] == best and previous[start - 1].end + 1 == previous[start].start:
        start -= 1
    while end < len(previous) and scores[end] == best and previous[end - 1].end + 1 == previous[end].start:
        end += 1
    return list(previous[start:end])


@dataclass(frozen=True)
class Reading:
    text: str  # the question to answer
    context: str  # words carried over from the previous question ("" when none)
    beside: bool = False  # the turn keeps its own words and the earlier topic stands beside them as context


def in_context(question: str, previous: str, parallels: Parallels, glossary: Glossary) -> Reading:
    """``question`` read as a continuation of ``previous``. An elliptic turn ("kalau tahap pendampingan?": worded
    as a continuation, no question word of its own) becomes the previous question with its new terms put in place
    of their counterparts (the rest added); any other turn, or one with no counterpart, keeps its words and gets the
    previous topic beside it."""
    before = spans(previous, glossary)
    known = {w for s in before for w in s.own | s.translated}
    new = [s for s in spans(question, glossary) if not s.own <= known]
    found = WORD.findall(question)
    asks = any(w.lower() in QUESTION_WORDS for w in found) or bool(found and found[0].lower() in YES_NO_OPENERS)
    if asks or not (is_follow_up(question) or _elliptic(question, new)):
        return beside(question, previous)
    replaced: dict[Span, str] = {}
    leftover: list[str] = []
    for phrase in phrases(new, question):
        targets = counterpart(phrase, [s for s in before if s not in replaced], parallels)
        text = re.sub(r"(?<=\w{4})nya$", "", question[phrase[0].start : phrase[-1].end])
        if targets and phrase[-1].kind != "term":
            text = phrase[-1].text  # the value takes its counterpart's place; the previous question labels it
        if not targets:
            leftover.append(text)
        for n, target in enumerate(targets):
            replaced[target] = "" if n else text
    if not replaced:  # nothing to put in place: the new terms lead, the previous topic beside them
        return beside(question, previous)
    resolved = substitute(previous, replaced).rstrip(" ?.")
    resolved = f"{resolved} — {', '.join(leftover)}?" if leftover else f"{resolved}?"
    return Reading(resolved, topic_of(resolved))


def _elliptic(question: str, new: Sequence[Span]) -> bool:
    """A short turn of bare terms ("tahap pendampingan?"): no question word, at most three content words, at
    least one of them new. Its new terms may take their counterparts' places in the previous question."""
    content = [t for t in tokenize(question) if t not in QUESTION_WORDS]
    return bool(new) and 0 < len(content) <= MAX_ELLIPTIC_TERMS


def beside(question: str, previous: str) -> Reading:
    context = topic_of(previous)
    return Reading(f"{question.strip()} ({context})" if context else question.strip(), context, bool(context))


def substitute(text: str, replacements: dict[Span, str]) -> str:
    for span in sorted(replacements, key=lambda s: s.start, reverse=True):
        text = text[: span.start] + replacements[span] + text[span.end :]
    return " ".join(text.split())


@lru_cache(maxsize=4)
def _parallels(fingerprint: str, chunks: tuple[Chunk, ...]) -> Parallels:
    return learn_parallels(chunks)


@lru_cache(maxsize=4)
def _glossary(path: Path, mtime: float) -> Glossary:
    return load_glossary(path)


def vocabulary(assistant: Assistant) -> tuple[Parallels, Glossary]:
    """The parallel terms of the indexed documents (learned once per index snapshot) and the glossary."""
    index = assistant.bm25.get()
    path = assistant.settings.glossary_path
    glossary = _glossary(path, path.stat().st_mtime) if path.is_file() else Glossary()
    return _parallels(index.fingerprint, tuple(index.chunks)), glossary


def resolve_follow_up(question: str, history: Sequence[Turn]) -> tuple[str, str]:
    """(question to answer, context words taken from the history) for a turn worded as a follow-up; context is
    empty for a new topic. The words-only reading (retrieval comparisons use it); answers use `read_in_context`."""
    if not history or not is_follow_up(question):
        return question, ""
    context = topic_of(history[-1].resolved_question)
    return f"{question.strip()} ({context})", context


def read_in_context(question: str, history: Sequence[Turn], vocabulary: tuple[Parallels, Glossary]) -> Reading:
    """Any turn after the first, read as a continuation of the previous (resolved) question."""
    if not history:
        return Reading(question, "")
    parallels, glossary = vocabulary
    return in_context(question, history[-1].resolved_question or history[-1].question, parallels, glossary)


def prefer(standalone: Answer, contextual: Answer, cued: bool) -> Answer:
    """The reading with the stronger evidence: an answer over a refusal; between two answers the higher
    support; a turn worded as a continuation keeps its context unless that reading is refused."""
    if standalone.refused != contextual.refused:
        return contextual if standalone.refused else standalone
    if cued:
        return contextual
    return contextual if support(contextual) > support(standalone) else standalone


def new_terms(question: str, history: Sequence[Turn]) -> frozenset[str]:
    """The turn's own terms that the previous question did not use: what this turn asks about."""
    previous = history[-1].resolved_question or history[-1].question
    return frozenset(tokenize(question)) - frozenset(tokenize(previous)) - LINKERS


def covered(answer: Answer, terms: frozenset[str]) -> float:
    """Share of ``terms`` the answer's text states (0 for a refusal)."""
    if answer.refused or not terms:
        return 0.0
    return len(terms & frozenset(tokenize(answer.text))) / len(terms)


def support(answer: Answer) -> float:
    return float(answer.timings_ms.get("support", 0.0))


def answer_in_context(
    assistant: Assistant,
    question: str,
    history: Sequence[Turn],
    filters: Filters | None = None,
    mode: str | None = None,
    on_token: Callable[[str], None] | None = None,
    lang: str | None = None,
) -> Answer:
    """Answer a turn after the first: both readings extractively, then the kept one in the requested mode."""
    started = time.perf_counter()
    question = assistant.check_question(question)
    reading = read_in_context(question, history, vocabulary(assistant))
    resolved = reading.text
    standalone = assistant.ask(question, (), filters, "extractive", lang=lang)
    chosen, context, answered = standalone, "", 1
    if resolved != question:
        # the resolved question as one question; for a turn read beside the earlier topic, also its own words at
        # full weight with the topic as weaker context (the topic's words must not outweigh the new term)
        ask_lang = lang or standalone.lang
        readings = [("", assistant.ask(resolved, (), filters, "extractive", lang=ask_lang))]
        if reading.beside:
            weighted = assistant.ask(question, (), filters, "extractive", lang=ask_lang, context=reading.context)
            readings.append((reading.context, weighted))
        answered += len(readings)
        asked = new_terms(question, history)
        context, contextual = max(readings, key=lambda r: (not r[1].refused, covered(r[1], asked), support(r[1])))
        chosen = prefer(standalone, contextual, is_follow_up(question))
        context = context if chosen is contextual else ""
    mode = mode or ("llm" if assistant.generator else "extractive")
    if mode != "extractive" and not chosen.refused:
        chosen = assistant.ask(chosen.question, (), filters, mode, on_token, lang=chosen.lang, context=context)
    total = (time.perf_counter() - started) * 1000
    return replace(
        chosen,
        question=question,
        resolved_question=chosen.resolved_question or chosen.question,
        timings_ms={**chosen.timings_ms, "total_ms": total, "readings": float(answered)},
    )


@dataclass
class ChatSession:
    assistant: Assistant
    history: list[Turn] = field(default_factory=list)
    max_turns: int = 20

    def ask(self, question: str, filters: Filters | None = None, mode: str | None = None) -> Answer:
        answer = self.assistant.ask(question, self.history, filters, mode)
        self.remember(answer)
        return answer

    def remember(self, answer: Answer) -> None:
        self.history.append(Turn(answer.question, answer.resolved_question or answer.question, answer.text))
        del self.history[: -self.max_turns]
