"""Checking a draft proposal or master plan against the required structure stated in the indexed rules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.check.checker import Checker
from assistant.check.types import KINDS, CheckResult, DraftError, RequirementsError

if TYPE_CHECKING:
    from assistant.config import Settings
    from assistant.index.embedders import CachedEmbedder

__all__ = ["KINDS", "CheckResult", "Checker", "DraftError", "RequirementsError", "open_checker"]


def open_checker(settings: Settings, embedder: CachedEmbedder | None = None) -> Checker:
    """A Checker on the settings' index and embedder (the retriever and the store of the answers)."""
    from assistant.check.match import Matcher
    from assistant.check.requirements import RequirementReader
    from assistant.services import open_embedder, open_retriever, open_store

    embedder = embedder or open_embedder(settings)
    retriever = open_retriever(settings, embedder)
    chunks = open_store(settings, embedder.dim).all_chunks()
    inner = getattr(embedder, "inner", embedder)  # drafts are not written to the shared vector cache
    return Checker(RequirementReader(retriever, chunks), Matcher(embedder, inner))
