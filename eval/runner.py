"""Ask every gold question through the real assistant (follow-ups with their chat history) and run the
single retrievers on the same queries."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from assistant.chat import resolve_follow_up
from assistant.config import Settings
from assistant.errors import QuestionError
from assistant.index.embedders import CachedEmbedder
from assistant.types import Answer, Filters, Hit, Turn
from eval.dataset import Question, chain_of
from eval.metrics import RETRIEVAL_METRICS, Prediction, aggregate, score

if TYPE_CHECKING:
    from assistant.pipeline import Assistant

WARM_UP_QUESTION = "Apa tujuan program klaster inovasi?"
COMPARE_K = 10
Search = Callable[[str], Sequence[Mapping[str, Any]]]


def hit_json(hit: Hit) -> dict[str, Any]:
    """A retrieved chunk as in ``ask --json``."""
    return {
        "doc_id": hit.chunk.doc_id,
        "chunk_id": hit.chunk.chunk_id,
        "section": hit.chunk.section_path,
        "page": hit.chunk.page_start,
        "score": round(hit.score, 6),
    }


def prediction_from(q: Question, answer: Answer, latency_ms: float) -> Prediction:
    data = answer.to_json()
    return Prediction(
        id=q.id,
        question=q.question,
        answer=data["answer"],
        refused=data["refused"],
        citations=tuple(data["citations"]),
        retrieved=tuple(data["retrieved"]),
        latency_ms=latency_ms,
        resolved_question=data["resolved_question"],
        lang=data["lang"],
        mode=data["mode"],
        notes=tuple(data["notes"]),
        support=answer.timings_ms.get("support"),
    )


def ask_all(
    assistant: Assistant,
    questions: Sequence[Question],
    mode: str | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> list[Prediction]:
    """Ask in file order; a follow-up gets the turns of its chain as history, as in a chat session."""
    by_id = {q.id: q for q in questions}
    answers: dict[str, Answer] = {}
    predictions = []
    assistant.ask(WARM_UP_QUESTION, mode=mode)  # loads the BM25 snapshot and the store: latencies are warm
    for i, q in enumerate(questions, start=1):
        history = [
            Turn(answers[p.id].question, answers[p.id].resolved_question or answers[p.id].question, answers[p.id].text)
            for p in chain_of(q, by_id)
            if p.id in answers
        ]
        started = time.perf_counter()
        try:
            answer = assistant.ask(q.question, history=history, mode=mode)
        except QuestionError as e:
            predictions.append(Prediction(q.id, q.question, f"(question rejected: {e})", True, notes=(str(e),)))
            continue
        latency = (time.perf_counter() - started) * 1000
        answers[q.id] = answer
        predictions.append(prediction_from(q, answer, latency))
        if progress:
            progress(i, len(questions), q.id)
    return predictions


def search_queries(questions: Sequence[Question]) -> dict[str, str]:
    """The query text the pipeline retrieves with: the question plus the topic carried over for a follow-up."""
    by_id = {q.id: q for q in questions}
    resolved: dict[str, str] = {}
    queries: dict[str, str] = {}
    for q in questions:
        history = [Turn(p.question, resolved.get(p.id, p.question), "") for p in chain_of(q, by_id)]
        resolved[q.id], context = resolve_follow_up(q.question, history)
        queries[q.id] = f"{q.question} {context}".strip()
    return queries


@dataclass(frozen=True)
class RetrieverRun:
    name: str
    retrieved: dict[str, tuple[Mapping[str, Any], ...]]
    latencies_ms: dict[str, float]


def run_retriever(name: str, search: Search, questions: Sequence[Question], queries: Mapping[str, str]) -> RetrieverRun:
    """Time one retriever over every question that has expected documents (after one warm-up query)."""
    search(WARM_UP_QUESTION)
    retrieved: dict[str, tuple[Mapping[str, Any], ...]] = {}
    latencies: dict[str, float] = {}
    for q in questions:
        started = time.perf_counter()
        found = search(queries[q.id])
        latencies[q.id] = (time.perf_counter() - started) * 1000
        retrieved[q.id] = tuple(found)
    return RetrieverRun(name, retrieved, latencies)


def fresh_embedder(embedder: CachedEmbedder) -> CachedEmbedder:
    """Same model and vector cache, empty query cache: one retriever's queries never warm another's."""
    return CachedEmbedder(embedder.inner, embedder.cache)


def separate_searches(
    settings: Settings, embedder: CachedEmbedder, names: Sequence[str] = ("bm25", "dense", "hybrid")
) -> dict[str, Search]:
    """Each retriever on its own assistant and query cache, so its latency includes embedding the query."""
    from assistant.services import build_assistant

    return {name: project_searches(build_assistant(settings, fresh_embedder(embedder)))[name] for name in names}


def project_searches(assistant: Assistant, k: int = COMPARE_K) -> dict[str, Search]:
    """BM25 alone, dense alone and the hybrid pipeline, each returning the top ``k`` chunks."""
    retriever = assistant.retriever
    searches: dict[str, Search] = {}
    for single in retriever.retrievers:
        searches[single.name] = lambda query, r=single: [hit_json(h) for h in r.retrieve(query, k, Filters())]
    searches["hybrid"] = lambda query: [hit_json(h) for h in retriever.search(query, k).hits]
    return searches


def retrieval_summary(run: RetrieverRun, questions: Sequence[Question]) -> dict[str, Any]:
    """hit@1/@5, MRR, nDCG@5 and latency of one retriever, overall and per language."""
    scored = [q for q in questions if q.answerable and q.expected_docs]
    scores = {
        q.id: score(q, Prediction(q.id, q.question, "", False, retrieved=run.retrieved[q.id]), RETRIEVAL_METRICS)
        for q in scored
    }
    summary = aggregate(scored, scores, run.latencies_ms, RETRIEVAL_METRICS)
    summary.pop("by_category")
    return summary


def compare_retrievers(searches: Mapping[str, Search], questions: Sequence[Question]) -> dict[str, dict[str, Any]]:
    queries = search_queries(questions)
    scored = [q for q in questions if q.answerable and q.expected_docs]
    out = {}
    for name, search in searches.items():
        print(f"eval: retrieval with {name} over {len(scored)} questions", file=sys.stderr)
        out[name] = retrieval_summary(run_retriever(name, search, scored, queries), scored)
    return out
