"""The assistant, top to bottom: resolve the question, retrieve, answer with citations (or refuse)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace

from assistant.answer import texts
from assistant.answer.extractive import Composition, ExtractiveComposer
from assistant.answer.generate import LLMGenerator
from assistant.chat import answer_in_context
from assistant.config import Settings
from assistant.errors import LLMUnavailableError, QuestionError
from assistant.lang import detect_language
from assistant.retrieve import BM25Source, HybridRetriever
from assistant.types import Answer, Filters, SearchResult, Turn

MODES = ("extractive", "llm")


@dataclass
class Assistant:
    settings: Settings
    retriever: HybridRetriever
    bm25: BM25Source
    composer: ExtractiveComposer
    generator: LLMGenerator | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> Assistant:
        from assistant.services import build_assistant

        return build_assistant(settings)

    def draft_reply(self, question: str, history: Sequence[Turn] = ()):  # type: ignore[no-untyped-def]
        """A formal Indonesian reply for the helpdesk (Markdown and plain text)."""
        from assistant.answer.draft import draft_reply

        return draft_reply(self, question, history)

    def check_question(self, question: str) -> str:
        question = " ".join((question or "").split())
        if not question:
            raise QuestionError("the question is empty; type a question about the programme rules")
        if len(question) > self.settings.max_question_chars:
            raise QuestionError(
                f"the question has {len(question)} characters, more than {self.settings.max_question_chars}; "
                "shorten it or split it into several questions"
            )
        return question

    def search(self, question: str, k: int | None = None, filters: Filters | None = None) -> SearchResult:
        return self.retriever.search(self.check_question(question), k, filters)

    def ask(
        self,
        question: str,
        history: Sequence[Turn] = (),
        filters: Filters | None = None,
        mode: str | None = None,
        on_token: Callable[[str], None] | None = None,
        lang: str | None = None,
        context: str = "",
    ) -> Answer:
        """Answer one question; ``history`` resolves follow-ups; ``on_token`` receives streamed LLM text;
        ``lang`` forces the answer language (the helpdesk always replies in Indonesian); ``context`` holds topic
        words carried over from earlier turns, read beside the question and weighted below its own words."""
        if history:  # a later turn of a conversation: read alone and in context, the stronger reading kept
            return answer_in_context(self, question, history, filters, mode, on_token, lang)
        started = time.perf_counter()
        question = self.check_question(question)
        mode = mode or ("llm" if self.generator else "extractive")
        if mode not in MODES:
            raise QuestionError(f"mode {mode!r} is not one of {', '.join(MODES)}")
        lang = lang or detect_language(question)
        resolved = f"{question.strip()} ({context})" if context else question
        result = self.retriever.search(f"{question} {context}".strip(), None, filters)
        retrieved_at = time.perf_counter()
        composition = self.composer.compose(question, lang, result, self.bm25.get(), context)
        timings = dict(result.timings_ms) | {"retrieve_ms": (retrieved_at - started) * 1000}
        answer = self._answer(question, resolved, lang, result, composition, "extractive", timings)
        if mode == "llm" and not composition.refused:
            answer = self._generate(answer, result, on_token)
        total = (time.perf_counter() - started) * 1000
        return replace(
            answer,
            timings_ms={**answer.timings_ms, "compose_ms": total - timings["retrieve_ms"], "total_ms": total},
        )

    def stream(
        self,
        question: str,
        history: Sequence[Turn] = (),
        filters: Filters | None = None,
        mode: str | None = None,
    ) -> Iterator[str | Answer]:
        """Yields text pieces while an LLM writes, then the final Answer (which may replace them)."""
        import queue
        import threading

        pieces: queue.Queue[str | Answer | BaseException] = queue.Queue()

        def work() -> None:
            try:
                pieces.put(self.ask(question, history, filters, mode, on_token=pieces.put))
            except BaseException as e:  # handed to the caller's thread and raised there
                pieces.put(e)

        threading.Thread(target=work, daemon=True).start()
        while True:
            item = pieces.get()
            if isinstance(item, BaseException):
                raise item
            yield item
            if isinstance(item, Answer):
                return

    def _answer(
        self,
        question: str,
        resolved: str,
        lang: str,
        result: SearchResult,
        composition: Composition,
        mode: str,
        timings: dict[str, float],
    ) -> Answer:
        return Answer(
            question=question,
            text=composition.text,
            refused=composition.refused,
            citations=composition.citations,
            hits=result.hits,
            mode=mode,
            lang=lang,
            resolved_question=resolved,
            notes=composition.notes + tuple(result.notes),
            timings_ms=timings | {"support": composition.support},
        )

    def _generate(self, extractive: Answer, result: SearchResult, on_token: Callable[[str], None] | None) -> Answer:
        lang = extractive.lang
        if self.generator is None:
            return self._fallback(extractive, "is not configured (KLASINOV_LLM__BACKEND=none)")
        started = time.perf_counter()
        try:
            generated = self.generator.generate(extractive.resolved_question, lang, result.hits, on_token)
        except LLMUnavailableError as e:
            return self._fallback(extractive, f"is unavailable ({e})")
        timings = {**extractive.timings_ms, "llm_ms": (time.perf_counter() - started) * 1000}
        if not generated.ok:
            fallback = self._fallback(extractive, generated.reason)
            notes = fallback.notes + ((generated.detail,) if generated.detail else ())
            return replace(fallback, timings_ms=timings, notes=notes)
        text = generated.text
        samples = [f"[{c.n}]" for c in generated.citations if c.is_sample]
        if samples:
            note = texts.SAMPLE_NOTE[lang].format(refs=", ".join(samples), mark=texts.SAMPLE_MARK)
            text = f"{text}\n\n_{note}_"
        notes = extractive.notes + ((generated.reason,) if generated.reason else ())
        return replace(
            extractive, text=text, citations=generated.citations, mode="llm", notes=notes, timings_ms=timings
        )

    def _fallback(self, extractive: Answer, reason: str) -> Answer:
        note = texts.FALLBACK_NOTE[extractive.lang].format(reason=reason)
        return replace(
            extractive,
            text=f"{extractive.text}\n\n_{note}_",
            mode="extractive",
            notes=(*extractive.notes, note),
        )
