"""Domain errors. Each message names what failed, the offending value and how to fix it."""

from __future__ import annotations


class AssistantError(Exception):
    """Base class for every error the assistant raises on purpose."""


class ConfigError(AssistantError):
    """A setting has a value the assistant cannot use."""


class IngestError(AssistantError):
    """One corpus file could not be indexed; the rest of the run goes on."""

    def __init__(self, path: str, reason: str, fix: str) -> None:
        self.path = path
        self.reason = reason
        self.fix = fix
        super().__init__(f"{path}: {reason}. {fix}")


class StoreError(AssistantError):
    """The vector store is unreachable or inconsistent."""


class IngestLockedError(AssistantError):
    """Another ingest holds the index lock."""


class LLMUnavailableError(AssistantError):
    """The configured language model cannot be reached or loaded."""


class QuestionError(AssistantError):
    """The question is empty, too long or otherwise unusable."""
