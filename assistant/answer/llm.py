"""LLM backends through llama-index's LLM interface (the only module that imports its LLM packages).

'openai': any OpenAI-compatible server (vLLM, Ollama, llama.cpp server) by URL, model and key.
'gguf': a local GGUF file through llama-cpp-python (optional extra ``gguf``; it compiles for ~10 min).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol

from assistant.config import LLMSettings
from assistant.errors import ConfigError, LLMUnavailableError


class TokenStream(Protocol):
    name: str

    def stream(self, system: str, prompt: str) -> Iterator[str]: ...


class LlamaIndexLLM:
    """Adapts any llama-index LLM: chat models get a system message, completion models one prompt."""

    def __init__(self, llm: Any, name: str) -> None:
        self.llm = llm
        self.name = name

    def stream(self, system: str, prompt: str) -> Iterator[str]:
        from llama_index.core.llms import ChatMessage

        try:
            if self.llm.metadata.is_chat_model:
                messages = [
                    ChatMessage(role="system", content=system),
                    ChatMessage(role="user", content=prompt),
                ]
                for part in self.llm.stream_chat(messages):
                    yield part.delta or ""
            else:
                for part in self.llm.stream_complete(f"{system}\n\n{prompt}"):
                    yield part.delta or ""
        except _service_errors() as e:
            raise LLMUnavailableError(f"{self.name}: {type(e).__name__}: {str(e)[:200]}") from e


def _service_errors() -> tuple[type[BaseException], ...]:
    """What a down, slow or refusing model service raises, per SDK that is installed."""
    errors: list[type[BaseException]] = [ConnectionError, TimeoutError, OSError, RuntimeError]
    try:
        import openai

        errors.append(openai.APIError)
    except ImportError:
        pass
    try:
        import httpx

        errors.append(httpx.HTTPError)
    except ImportError:
        pass
    return tuple(errors)


def open_llm(settings: LLMSettings) -> TokenStream | None:
    """The configured backend, or None when generation is off (backend 'none')."""
    if settings.backend == "none":
        return None
    if settings.backend == "openai":
        if not settings.base_url:
            raise ConfigError(
                "KLASINOV_LLM__BASE_URL is required for the 'openai' backend (e.g. http://127.0.0.1:8080/v1)"
            )
        try:
            from llama_index.llms.openai_like import OpenAILike
        except ImportError as e:
            raise ConfigError("the 'openai' backend needs: pip install 'klasinov-assistant[llm]'") from e
        llm = OpenAILike(
            model=settings.model,
            api_base=settings.base_url,
            api_key=settings.api_key.get_secret_value(),
            is_chat_model=True,
            timeout=settings.timeout_s,
            max_tokens=settings.max_tokens,
            temperature=settings.temperature,
            max_retries=0,
            context_window=8192,
        )
        return LlamaIndexLLM(llm, f"{settings.model} at {settings.base_url}")
    if not settings.gguf_path or not settings.gguf_path.is_file():
        raise ConfigError(f"KLASINOV_LLM__GGUF_PATH {settings.gguf_path!r} is not a file; run `make llm` or set it")
    try:
        from llama_index.llms.llama_cpp import LlamaCPP
    except ImportError as e:
        raise ConfigError("the 'gguf' backend needs: pip install 'klasinov-assistant[gguf]' (compiles ~10 min)") from e
    llm = LlamaCPP(
        model_path=str(settings.gguf_path),
        temperature=settings.temperature,
        max_new_tokens=settings.max_tokens,
        context_window=4096,
        model_kwargs={"n_threads": 2},
        verbose=False,
    )
    return LlamaIndexLLM(llm, settings.gguf_path.name)
