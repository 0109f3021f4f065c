"""``bench.md``: the benchmark numbers, the targets and how each number was measured."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from eval.gate import Check
from eval.report import fmt, table

ROWS = (
    ("search_p50_ms", "Warm hybrid search p50 (ms)"),
    ("search_p95_ms", "Warm hybrid search p95 (ms)"),
    ("ask_p50_ms", "Warm ask p50, extractive (ms)"),
    ("ask_p95_ms", "Warm ask p95, extractive (ms)"),
    ("search_p50_ms_10k", "Hybrid search p50 at 10,000 chunks (ms)"),
    ("search_p95_ms_10k", "Hybrid search p95 at 10,000 chunks (ms)"),
    ("search_embed_p95_ms", "— stage: query embedding p95 (ms)"),
    ("search_dense_store_p95_ms", "— stage: vector store query p95 (ms)"),
    ("search_bm25_p95_ms", "— stage: BM25 (incl. glossary expansion) p95 (ms)"),
    ("search_fusion_p95_ms", "— stage: fusion, demotion, per-section cap p95 (ms)"),
    ("ingest_chunks_per_s", "Ingest throughput, shipped corpus (chunks/s, incl. answer units)"),
    ("ingest_chunk_embed_per_s", "— chunk embedding inside ingest (chunks/s)"),
    ("ingest_unit_embed_per_s", "— answer-unit embedding inside ingest (units/s)"),
    ("embedder_raw_chunks_per_s", "Embedder alone on the same chunk texts (chunks/s)"),
    ("ingest_to_raw_ratio", "Chunk embedding in ingest / embedder alone"),
    ("ingest_pages_per_s", "Cold ingest of the real set (pages/s, with answer units)"),
    ("ingest_pages_per_s_no_units", "Cold ingest of the real set (pages/s, without answer units)"),
    ("real_raw_passages_per_s", "Embedder alone on the real set's chunks, worker per core (passages/s)"),
    ("real_raw_omp_passages_per_s", "Embedder alone on the real set's chunks, one OpenMP team (passages/s)"),
    ("real_ingest_chunk_embed_to_raw_ratio", "Chunk embedding in the real ingest / embedder alone"),
    ("cold_start_ask_s", "Cold start of `python -m assistant ask` (s, median)"),
    ("app_cold_ready_s", "Cold start of `python app.py` to its ready line (s, median)"),
    ("app_cold_first_answer_s", "Cold start of `python app.py` to the first /ask answer (s, median)"),
    ("peak_rss_mb", "Peak RSS, ingest + warm search/ask (MB)"),
    ("cold_ask_peak_rss_mb", "Peak RSS of a cold `ask` process (MB)"),
    ("peak_rss_mb_with_scale", "Peak RSS of the bench process incl. scale run (MB)"),
)


def _target(path: str, checks: Sequence[Check]) -> tuple[str, str]:
    for c in checks:
        if c.path == path:
            return f"{c.op} {fmt(c.target)}", ("✅ pass" if c.passed else "❌ **FAIL**" if c.passed is False else "–")
    return "", ""


def method_notes(result: Mapping[str, Any]) -> str:
    scale, base = result.get("scale", {}), result.get("baseline", {})
    runs = ", ".join(fmt(t) for t in result.get("cold_start_ask_runs_s", []))
    notes = [
        f"- **Ingest**: the shipped corpus into a fresh temporary data folder with an empty vector cache "
        f"({fmt(result.get('ingest_seconds'))} s for {result.get('chunks')} chunks, including "
        f"{result.get('units_embedded')} answer units embedded for the extractive answerer). "
        "chunks/s = chunks / ingest seconds; the embedder-alone figure embeds the same chunk texts directly "
        f"({fmt(result.get('embedder_raw_seconds'))} s). Chunk and answer-unit embedding are timed apart "
        f"({fmt(result.get('ingest_chunk_embed_seconds'))} s and {fmt(result.get('ingest_unit_embed_seconds'))} s); "
        "the ratio compares chunk embedding only with the embedder alone.",
        f"- **Real set**: `{result.get('real_set')}` ({result.get('real_pages')} pages, {result.get('real_chunks')} "
        f"chunks, {result.get('real_units')} answer units) ingested cold twice, each into an empty data folder with "
        f"an empty vector cache: with answer-unit vectors ({fmt(result.get('real_ingest_seconds'))} s) and without "
        f"({fmt(result.get('real_ingest_seconds_no_units'))} s). pages/s = pages / ingest seconds, including PDF "
        f"reading. The embedder runs on {result.get('embedder_threads')} threads, mode "
        f"`{result.get('embedder_parallel')}`; its raw speed on the same chunk texts is measured both ways.",
        "- **Search stages**: from each search's own timings: query embedding (once per question; English "
        "questions carry their glossary terms), the vector store query, BM25 with glossary expansion, fusion.",
        "- **Warm latency**: every gold question once, after one warm-up query, in a process that has the model "
        "and index loaded; each phase has its own query cache, so no question is served from an earlier phase.",
        f"- **Cold start**: {len(result.get('cold_start_ask_runs_s', []))} fresh `python -m assistant ask` "
        f"processes on the built index; wall time including imports and model load ({runs} s).",
        f"- **App cold start**: {len(result.get('app_cold_first_answer_runs_s', []))} fresh `python app.py` "
        "processes on the built index, single-user mode; from process start to its ready line, and to the "
        "answer of the first gold question asked over its /ask HTTP endpoint "
        f"({', '.join(fmt(t) for t in result.get('app_cold_first_answer_runs_s', []))} s).",
        "- **Peak RSS**: `getrusage` maximum resident set size.",
        f"- **Scale run**: {scale.get('chunks')} chunks = the {scale.get('real_chunks')} real chunks plus "
        "synthetic ones, each recombining 3–6 real answer units (numbers and region names varied) under a "
        "synthetic document and section. A synthetic chunk's vector is the normalised mean of its units' "
        f"vectors ({scale.get('unit_pool')} units, embedded once at ingest): embedding 10,000 passages with the "
        "model would take about 40 minutes. Indexed through the project's own Chroma store "
        f"({fmt(scale.get('chroma_upsert_s'))} s) and BM25 snapshot ({fmt(scale.get('bm25_build_s'))} s); "
        "hybrid search timed over the gold questions. "
        f"Quality at that size: hit@5 {fmt(scale.get('hit_at_5'))}, MRR {fmt(scale.get('mrr'))}.",
        "- **Baseline**: llama-index `VectorStoreIndex` over the same chunks (chunk text only) with the project's "
        "embedder wrapped as a `BaseEmbedding` (e5 query/passage prefixes), default "
        f"`as_retriever(similarity_top_k=10)`; built in {fmt(base.get('build_s'))} s.",
    ]
    return "\n".join(notes)


def render_bench(result: Mapping[str, Any], checks: Sequence[Check]) -> str:
    rows = [[label, result.get(key), *_target(key, checks)] for key, label in ROWS]
    base = result.get("baseline", {})
    compare = [
        ["Project hybrid", result.get("hit_at_5"), result.get("mrr"), base.get("project_search_p95_ms")],
        ["llama-index VectorStoreIndex", base.get("hit_at_5"), base.get("mrr"), base.get("search_p95_ms")],
    ]
    machine = result.get("machine", {})
    parts = [
        "# Benchmark",
        f"{machine.get('cpus')} CPUs, Python {machine.get('python')}, {machine.get('platform')}; "
        f"{result.get('chunks')} chunks from {result.get('documents')} documents; whole run "
        f"{fmt(result.get('bench_seconds'))} s; load average {machine.get('load_average_1m_at_end')} at the end "
        "(other processes on the same cores slow every figure).",
        table(["Measure", "Value", "Target", "Status"], rows),
        "## Plain llama-index baseline vs the project (gold questions, top 10)",
        table(["Pipeline", "hit@5", "MRR", "search p95 ms"], compare),
        "## How each number is measured",
        method_notes(result),
    ]
    return "\n\n".join(parts) + "\n"
