"""LLM mode with a scripted model behind llama-index's LLM interface; validation and fallback are real."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from llama_index.core.llms import CompletionResponse, CustomLLM, LLMMetadata
from pydantic import Field

from assistant.answer.generate import LLMGenerator, unsupported_numbers
from assistant.answer.llm import LlamaIndexLLM, open_llm
from assistant.config import LLMSettings
from assistant.types import Answer, Citation
from tests.fake_llm import scripted_llm


class ScriptedLLM(CustomLLM):
    """Writes what ``script(prompt)`` returns, word by word; stands in for an external model service."""

    script: Callable[[str], str]
    calls: list[str] = Field(default_factory=list)
    fail_with: type[BaseException] | None = None

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(is_chat_model=False, model_name="scripted")

    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        return CompletionResponse(text=self.script(prompt))

    def stream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any):  # type: ignore[no-untyped-def]
        self.calls.append(prompt)
        if self.fail_with:
            raise self.fail_with("connection refused")
        text = self.script(prompt)

        def gen():  # type: ignore[no-untyped-def]
            sent = ""
            for word in re.findall(r"\S+\s*", text):
                sent += word
                yield CompletionResponse(text=sent, delta=word)

        return gen()


def key_of(prompt: str, needle: str) -> int:
    """The evidence number whose passage contains ``needle`` — what a faithful model would cite."""
    for block in prompt.split("\n\n["):
        match = re.match(r"\[?(\d+)\]", block)
        if match and needle in block:
            return int(match.group(1))
    raise AssertionError(f"{needle!r} not offered as evidence")


def with_llm(assistant, script: Callable[[str], str], **kwargs: Any):  # type: ignore[no-untyped-def]
    llm = ScriptedLLM(script=script, calls=[], **kwargs)
    return replace(assistant, generator=LLMGenerator(LlamaIndexLLM(llm, "scripted"))), llm


QUESTION = "Berapa dana maksimal untuk tahap perumusan?"


def test_faithful_answer_is_kept_and_streamed(rules_assistant) -> None:
    def script(prompt: str) -> str:
        return f"Dana perumusan paling banyak Rp150.000.000 per klaster [{key_of(prompt, 'Rp150.000.000')}]."

    assistant, _ = with_llm(rules_assistant, script)
    pieces = list(assistant.stream(QUESTION, mode="llm"))
    answer = pieces[-1]
    assert isinstance(answer, Answer) and answer.mode == "llm"
    assert "".join(p for p in pieces[:-1] if isinstance(p, str)).startswith("Dana perumusan")
    assert answer.text.startswith("Dana perumusan paling banyak Rp150.000.000 per klaster [1].")
    assert answer.citations[0].doc_id == "ketentuan-2019"
    assert "contoh — bukan ketentuan resmi" in answer.text  # the sample note is added by code


def test_unknown_citation_keys_are_dropped(rules_assistant) -> None:
    def script(prompt: str) -> str:
        return f"Paling banyak Rp150.000.000 [{key_of(prompt, 'Rp150.000.000')}][42]."

    answer = with_llm(rules_assistant, script)[0].ask(QUESTION, mode="llm")
    assert answer.mode == "llm" and "[42]" not in answer.text and [c.n for c in answer.citations] == [1]


def test_invented_amount_falls_back_to_the_extractive_answer(rules_assistant) -> None:
    def script(prompt: str) -> str:
        return f"Dananya Rp 9 miliar atau 9.000.000.000 [{key_of(prompt, 'Rp150.000.000')}]."

    answer = with_llm(rules_assistant, script)[0].ask(QUESTION, mode="llm")
    assert answer.mode == "extractive" and "9.000.000.000" not in answer.text
    assert "Rp150.000.000" in answer.text and "numbers not found" in answer.text


def test_amount_written_another_way_is_kept(rules_assistant) -> None:
    """The passage says "Rp150.000.000", the model "Rp150 juta": the same amount, so the generated answer stays
    (through the real OpenAI-compatible backend and a scripted service)."""

    def script(system: str, prompt: str) -> str:
        return f"Dana perumusan paling banyak Rp150 juta per klaster [{key_of(prompt, 'Rp150.000.000')}]."

    with scripted_llm(script) as service:
        generator = LLMGenerator(open_llm(LLMSettings(backend="openai", base_url=service.base_url)))
        answer = replace(rules_assistant, generator=generator).ask(QUESTION, mode="llm")
    assert len(service.requests) == 1
    assert answer.mode == "llm", answer.text
    assert answer.text.startswith("Dana perumusan paling banyak Rp150 juta per klaster [1].")
    assert "numbers not found" not in answer.text and answer.citations[0].doc_id == "ketentuan-2019"


def test_answer_without_citation_falls_back(rules_assistant) -> None:
    answer = with_llm(rules_assistant, lambda prompt: "Dananya cukup besar.")[0].ask(QUESTION, mode="llm")
    assert answer.mode == "extractive" and "no valid citation" in answer.text


def test_unreachable_service_falls_back(rules_assistant) -> None:
    assistant, _ = with_llm(rules_assistant, lambda p: "", fail_with=ConnectionError)
    answer = assistant.ask(QUESTION, mode="llm")
    assert answer.mode == "extractive" and "unavailable" in answer.text and answer.citations


def test_refused_questions_never_reach_the_model(rules_assistant) -> None:
    assistant, llm = with_llm(rules_assistant, lambda p: "Tentu, resepnya ... [1]")
    answer = assistant.ask("Bagaimana resep membuat rendang daging sapi?", mode="llm")
    assert answer.refused and llm.calls == []


def test_prompt_numbers_evidence_and_marks_samples(rules_assistant) -> None:
    assistant, llm = with_llm(rules_assistant, lambda p: f"Rp150.000.000 [{key_of(p, 'Rp150.000.000')}].")
    assistant.ask(QUESTION, mode="llm")
    prompt = llm.calls[0]
    assert re.search(r"^\[1\] \(", prompt, re.M) and "contoh — bukan ketentuan resmi" in prompt


@pytest.mark.parametrize(
    ("answer", "passage", "missing"),
    [
        ("Dana Rp150 juta [1].", "Dana paling banyak Rp150 juta.", []),
        ("Dana Rp 150.000.000 [1].", "Dana paling banyak Rp150.000.000.", []),
        ("Dana Rp150 juta [1].", "Dana paling banyak Rp150.000.000.", []),
        ("Dana Rp 150.000.000,00 [1].", "Dana paling banyak 150 juta rupiah.", []),
        ("Insentif Rp200 juta sampai Rp600 juta [1].", "Insentif sekitar Rp200–600 juta.", []),
        ("Dana Rp175 juta [1].", "Dana paling banyak Rp150.000.000.", ["175 juta"]),
        ("Batas 30 April 2019 [1].", "Paling lambat 30 April 2019.", []),
        ("Batas 31 Mei 2019 [1].", "Paling lambat 30 April 2019.", ["31"]),
        ("Bobot 2,5 poin [1].", "Bobot 2,5 poin.", []),
    ],
)
def test_number_validation(answer: str, passage: str, missing: list[str]) -> None:
    citation = Citation(1, "d", "T", "S", 1, 2019, passage, "d#1", "berlaku")
    assert unsupported_numbers(answer, [citation], "pertanyaan") == missing
