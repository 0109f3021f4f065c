"""``python -m eval retrieval``: BM25 alone, dense alone, hybrid and the plain llama-index baseline on the
gold questions — hit@1, hit@5, MRR, nDCG@5 and latency, per language, from one run."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from assistant.config import Settings
from assistant.index.embedders import CachedEmbedder
from eval.dataset import Question
from eval.gate import Check, Thresholds, check
from eval.metrics import RETRIEVAL_METRICS
from eval.report import fmt, gate_section, retrieval_section
from eval.runner import Search, compare_retrievers, fresh_embedder, separate_searches

BASELINE_NAME = "llamaindex"


def comparison_searches(settings: Settings, embedder: CachedEmbedder) -> tuple[dict[str, Search], dict[str, Any]]:
    """The project's three retrievers and the llama-index baseline over the same indexed chunks."""
    from assistant.services import build_assistant
    from eval.llamaindex_baseline import LlamaIndexBaseline

    searches = separate_searches(settings, embedder)
    chunks = build_assistant(settings, embedder).bm25.get().chunks
    print(f"eval: building the llama-index baseline over {len(chunks)} chunks", file=sys.stderr)
    baseline = LlamaIndexBaseline.build(chunks, fresh_embedder(embedder))
    searches[BASELINE_NAME] = baseline.search
    return searches, {"baseline_build_s": round(baseline.build_seconds, 2), "chunks": len(chunks)}


def retrieval_checks(thresholds: Thresholds, comparison: Mapping[str, Any]) -> list[Check]:
    """The thresholds on retrieval: those under ``retrieval.`` as written, and the floors of the answer pipeline's
    retrieval metrics (``overall.mrr``, ``by_lang.en.hit_at_5``, ...) applied to the hybrid retriever."""
    names = {m.name for m in RETRIEVAL_METRICS}

    def relevant(bounds: Mapping[str, float]) -> dict[str, float]:
        out = {k: v for k, v in bounds.items() if k.startswith("retrieval.")}
        out |= {
            f"retrieval.hybrid.{k}": v
            for k, v in bounds.items()
            if k.split(".")[0] in ("overall", "by_lang") and k.split(".")[-1] in names
        }
        return out

    chosen = Thresholds(
        relevant(thresholds.minimum),
        relevant(thresholds.maximum),
        tuple(p for p in thresholds.better_than if p[0].startswith("retrieval.")),
    )
    return check(chosen, {"retrieval": comparison})


def run_comparison(
    settings: Settings,
    questions: Sequence[Question],
    out: Path,
    thresholds: Thresholds | None = None,
    embedder: CachedEmbedder | None = None,
) -> dict[str, Any]:
    from assistant.services import open_embedder
    from eval.evaluate import sync_index

    embedder = embedder or open_embedder(settings)
    _, warnings = sync_index(settings, embedder)
    searches, info = comparison_searches(settings, embedder)
    comparison = compare_retrievers(searches, questions)
    checks = retrieval_checks(thresholds, comparison) if thresholds else []
    result = {"retrievers": comparison, "info": info, "warnings": warnings, "checks": [c.__dict__ for c in checks]}
    out.mkdir(parents=True, exist_ok=True)
    (out / "retrieval.json").write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    scored = sum(q.answerable and bool(q.expected_docs) for q in questions)
    md = [
        "# Retrieval comparison",
        f"{scored} answerable gold questions; top 10 per retriever; the same query text for all (a follow-up "
        "carries its chain's topic as in the pipeline). `llamaindex` = `VectorStoreIndex` over the same "
        f"{info['chunks']} chunks (chunk text) with the same embedder, default retriever "
        f"(built in {fmt(info['baseline_build_s'])} s).",
        retrieval_section(comparison),
    ]
    if checks:
        md.append(gate_section(checks).replace("## Gate", "## Targets"))
    (out / "retrieval.md").write_text("\n\n".join(md) + "\n", encoding="utf-8")
    print("\n\n".join(md[2:]))
    return result
