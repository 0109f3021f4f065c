"""``report.md``: what a maintainer reads after a rule change — gate, impact, slices, failures."""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from typing import Any

from eval.evaluate import EvalRun
from eval.gate import Check
from eval.impact import HEADLINE, Change, Impact
from eval.metrics import BY_NAME, METRICS, Prediction, facts_found

ANSWER_LINES = 4
ANSWER_CHARS = 400
SHORT = {
    "hit_at_1": "hit@1",
    "hit_at_5": "hit@5",
    "mrr": "MRR",
    "ndcg_at_5": "nDCG@5",
    "fact_recall": "fact recall",
    "lead_holds_facts": "lead holds all",
    "refusal_accuracy": "refusal acc.",
    "false_refusal_rate": "false refusals",
    "citation_validity": "cit. validity",
    "citation_precision": "cit. precision",
    "citation_recall": "cit. recall",
    "sample_note_rate": "sample note",
    "latency_p50_ms": "p50 ms",
    "latency_p95_ms": "p95 ms",
}


def fmt(value: Any, digits: int = 3) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        if abs(value) >= 1000 or digits == 0:
            return f"{value:.0f}"
        return f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return str(value)


def cell(text: str) -> str:
    """Safe inside a Markdown table cell."""
    return " ".join(str(text).replace("|", "\\|").split())


def table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell(fmt(v)) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def excerpt(text: str, lines: int = ANSWER_LINES, chars: int = ANSWER_CHARS) -> str:
    kept = [line for line in text.strip().splitlines() if line.strip()][:lines]
    short = "\n".join(kept)
    if len(short) > chars:
        short = short[:chars].rstrip() + " …"
    elif len(kept) < len([line for line in text.splitlines() if line.strip()]):
        short += " …"
    return "\n".join("> " + line for line in short.splitlines()) or "> (empty)"


def metric_label(path: str) -> str:
    name = path.split(".")[-1]
    base = BY_NAME[name].label if name in BY_NAME else SHORT.get(name, name)
    scope = path.rsplit(".", 1)[0] if "." in path else ""
    scope = scope.replace("overall", "").replace("by_lang.", "lang ").replace("by_category.", "category ")
    scope = scope.replace("retrieval.", "").replace(".", " ").strip()
    return f"{base} ({scope})" if scope else base


def gate_section(checks: Sequence[Check]) -> str:
    if not checks:
        return "## Gate\n\nNo thresholds configured."
    rows = []
    for c in checks:
        target = metric_label(str(c.target)) if isinstance(c.target, str) else fmt(c.target)
        rows.append(
            [
                metric_label(c.path),
                fmt(c.value),
                f"{c.op} {target}",
                "✅ pass" if c.passed else ("❌ **FAIL**" if c.passed is False else "– not measured"),
            ]
        )
    return "## Gate\n\n" + table(["Metric", "Value", "Threshold", "Status"], rows)


def summary_line(run: EvalRun) -> str:
    qs = run.questions
    langs = {lang: sum(q.lang == lang for q in qs) for lang in ("id", "en")}
    answerable = sum(q.answerable for q in qs)
    meta = run.metrics.get("run", {})
    overall = run.metrics["overall"]
    return (
        f"{len(qs)} questions ({langs['id']} Indonesian, {langs['en']} English; {answerable} answerable, "
        f"{len(qs) - answerable} unanswerable; {sum(q.follow_up_of is not None for q in qs)} follow-up turns) · "
        f"mode `{meta.get('mode')}` · embedder `{meta.get('embedder')}` · {meta.get('documents')} documents in "
        f"`{meta.get('corpus_dir')}` · {meta.get('created_at')}\n\n"
        f"Answer latency (not gated; see `python -m eval bench`): p50 {fmt(overall.get('latency_p50_ms'), 0)} ms, "
        f"p95 {fmt(overall.get('latency_p95_ms'), 0)} ms."
    )


def slices_section(title: str, slices: Mapping[str, Mapping[str, Any]], names: Sequence[str]) -> str:
    header = [title, "n", *(SHORT[n] for n in names)]
    rows = [[key, s["n"], *(s.get(n) for n in names)] for key, s in slices.items()]
    return table(header, rows)


def language_section(metrics: Mapping[str, Any]) -> str:
    langs = metrics["by_lang"]
    names = [m.name for m in METRICS] + ["latency_p50_ms", "latency_p95_ms"]
    header = ["Metric", "all", *(f"{lang} (n={s['n']})" for lang, s in langs.items())]
    rows = [[SHORT[n], metrics["overall"].get(n), *(s.get(n) for s in langs.values())] for n in names]
    return "## By language\n\n" + table(header, rows)


def split_section(metrics: Mapping[str, Any]) -> str:
    """Calibration (the fitted numbers were fitted on it) beside holdout (never fitted on): the honest figure is
    the holdout one, and the gap between them shows how much the fit leans on its own questions."""
    splits = metrics.get("by_split") or {}
    if not splits:
        return "## By split\n\nNo question has a `split:`; assign them with `python -m eval fit --assign-splits`."
    names = ["fact_recall", "lead_holds_facts", "refusal_accuracy", "false_refusal_rate", "citation_precision"]
    names += ["hit_at_5", "mrr"]
    rows = [[split, s["overall"]["n"], *(s["overall"].get(n) for n in names)] for split, s in splits.items()]
    lines = []
    for split in splits:
        pairs = (metrics.get("paraphrase_pairs") or {}).get(split)
        chars = (metrics.get("answer_chars") or {}).get(split)
        said = [f"median answer {fmt(chars, 0)} characters"] if chars is not None else []
        if pairs:
            both = f"{pairs['both_refused']} of {pairs['pairs']}"
            said.append(f"unanswerable paraphrase pairs with both members refused {both}")
        if said:
            lines.append(f"- {split}: " + "; ".join(said))
    return (
        "## By split (holdout: questions nothing was fitted on)\n\n"
        + table(["Split", "n", *(SHORT[n] for n in names)], rows)
        + ("\n\n" + "\n".join(lines) if lines else "")
    )


def category_section(metrics: Mapping[str, Any]) -> str:
    names = ["hit_at_5", "mrr", "fact_recall", "refusal_accuracy", "false_refusal_rate", "citation_precision"]
    return "## By category\n\n" + slices_section("Category", metrics["by_category"], names)


def retrieval_section(comparison: Mapping[str, Mapping[str, Any]]) -> str:
    names = ["hit_at_1", "hit_at_5", "mrr", "ndcg_at_5", "latency_p50_ms", "latency_p95_ms"]
    rows = [[name, *(r["overall"].get(n) for n in names)] for name, r in comparison.items()]
    langs = sorted({lang for r in comparison.values() for lang in r.get("by_lang", {})})
    lang_rows = [
        [name, *(r["by_lang"].get(lang, {}).get(n) for lang in langs for n in ("hit_at_5", "mrr"))]
        for name, r in comparison.items()
    ]
    lang_header = ["Retriever", *(f"{SHORT[n]} {lang}" for lang in langs for n in ("hit_at_5", "mrr"))]
    return (
        "## Retrieval: single retrievers and hybrid (top 10, same queries)\n\n"
        + table(["Retriever", *(SHORT[n] for n in names)], rows)
        + "\n\n"
        + table(lang_header, lang_rows)
    )


def _fact_delta(change: Change) -> str:
    before, after = change.before.get("fact_score"), change.after.get("fact_score")
    return f"{fmt(before)} → {fmt(after)}"


def _citations(keys: Sequence[Sequence[Any]]) -> str:
    return "; ".join(f"{k[0]} › {k[1]}" + (f" (p. {k[2]})" if k[2] is not None else "") for k in keys)


def word_diff(before: str, after: str, most: int = 4) -> str:
    """The replaced, removed and added words: 'Rp150.000.000 → Rp175.000.000'."""
    a, b = before.split(), after.split()
    edits = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        old, new = " ".join(a[i1:i2]), " ".join(b[j1:j2])
        edits.append(f"{_clip(old) or '∅'} → {_clip(new) or '∅'}")
    if len(edits) > most:
        edits = [*edits[:most], f"… {len(edits) - most} more"]
    return "; ".join(edits)


def _clip(text: str, chars: int = 60) -> str:
    return text if len(text) <= chars else text[: chars - 1] + "…"


def change_details(change: Change) -> str:
    parts = [f"<details><summary><code>{change.id}</code> — {change.question}</summary>\n"]
    if change.citations_removed:
        parts.append(f"- citations removed: {_citations(change.citations_removed)}")
    if change.citations_added:
        parts.append(f"- citations added: {_citations(change.citations_added)}")
    parts.append("\nBefore:\n\n" + excerpt(str(change.before.get("answer", "")), 8, 900))
    parts.append("\nAfter:\n\n" + excerpt(str(change.after.get("answer", "")), 8, 900))
    parts.append("\n</details>")
    return "\n".join(parts)


def _words(change: Change) -> str:
    if "answer text" not in change.what:
        return ""
    return word_diff(str(change.before.get("answer", "")), str(change.after.get("answer", "")))


def _metric_rows(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[list[Any]]:
    rows = []
    for scope, label in (("overall", "all"), ("by_lang.id", "id"), ("by_lang.en", "en")):
        b, a = _dig(before, scope), _dig(after, scope)
        for name in HEADLINE:
            vb, va = b.get(name), a.get(name)
            if vb is None and va is None:
                continue
            delta = None if vb is None or va is None else round(va - vb, 4)
            if label != "all" and not delta:
                continue  # per-language rows only where something moved
            marker = "" if not delta else ("▲" if (delta > 0) == BY_NAME[name].higher_is_better else "▼")
            rows.append([f"{SHORT[name]} ({label})", vb, va, f"{fmt(delta)} {marker}".strip() if delta else "="])
    return rows


def _dig(data: Mapping[str, Any], path: str) -> Mapping[str, Any]:
    for part in path.split("."):
        data = data.get(part, {}) if isinstance(data, Mapping) else {}
    return data


def impact_section(run: EvalRun) -> str:
    impact: Impact | None = run.impact
    if impact is None:
        return "## Impact since the baseline\n\n" + (run.baseline_note or "No baseline given.")
    out = [f"## Impact since the baseline\n\nBaseline `{impact.baseline_path}` ({impact.baseline_created})."]
    docs = [
        *(f"- added: `{d}`" for d in impact.documents_added),
        *(f"- removed: `{d}`" for d in impact.documents_removed),
        *(f"- changed: `{d}`" for d in impact.documents_changed),
    ]
    out.append("Documents since the baseline:\n\n" + ("\n".join(docs) if docs else "- none changed"))
    if impact.new_questions or impact.removed_questions:
        out.append(
            f"Question set: {len(impact.new_questions)} new ({', '.join(impact.new_questions) or '–'}), "
            f"{len(impact.removed_questions)} removed ({', '.join(impact.removed_questions) or '–'})."
        )
    if not impact.changes:
        out.append("**No answer changed**: every answer, its citations and its fact score are as in the baseline.")
    else:
        worse = sum(c.fact_delta < 0 for c in impact.changes)
        better = sum(c.fact_delta > 0 for c in impact.changes)
        out.append(
            f"**{len(impact.changes)} answers changed** ({worse} lost facts, {better} gained facts, "
            f"{len(impact.changes) - worse - better} same facts).\n\n"
            + table(
                ["Question", "Asked", "What changed", "Fact score", "Words changed"],
                [[c.id, c.question, ", ".join(c.what), _fact_delta(c), _words(c)] for c in impact.changes],
            )
        )
    rows = _metric_rows(impact.metrics_before, run.metrics)
    out.append(
        "Metrics, baseline → now (per-language rows only where a value moved):\n\n"
        + table(["Metric", "Baseline", "Now", "Δ"], rows)
    )
    if impact.changes:
        out.append("Changed answers in full:\n\n" + "\n\n".join(change_details(c) for c in impact.changes))
    return "\n\n".join(out)


def problems_of(run: EvalRun, prediction: Prediction) -> list[str]:
    q = run.by_id[prediction.id]
    scores = run.scores[prediction.id]
    reasons = []
    if q.answerable and prediction.refused:
        reasons.append("refused, but the documents answer it")
    if not q.answerable and not prediction.refused:
        reasons.append("answered, but the documents do not answer it (should refuse)")
    if q.answerable and not prediction.refused and q.must_contain:
        missing = [f.label for f, ok in zip(q.must_contain, facts_found(q, prediction.answer), strict=True) if not ok]
        if missing:
            reasons.append("missing: " + "; ".join(f"`{m}`" for m in missing))
    if scores.get("citation_validity") == 0.0:
        reasons.append("citation markers and citations do not match")
    if scores.get("hit_at_5") == 0.0:
        top = prediction.retrieved[0] if prediction.retrieved else {}
        reasons.append(
            f"expected {', '.join(q.expected_docs)}"
            + (f" › {' / '.join(q.expected_sections)}" if q.expected_sections else "")
            + f" not in the top 5 (top: {top.get('doc_id', '–')} › {top.get('section', '–')})"
        )
    if scores.get("sample_note_rate") == 0.0:
        reasons.append("cites a sample rule without the sample note")
    return reasons


def failures_section(run: EvalRun) -> str:
    failed = [(p, problems_of(run, p)) for p in run.predictions]
    failed = [(p, r) for p, r in failed if r]
    if not failed:
        return "## Failed questions\n\nNone."
    blocks = []
    for prediction, reasons in failed:
        q = run.by_id[prediction.id]
        head = f"### `{q.id}` ({q.category}, {q.lang}{', follow-up of ' + q.follow_up_of if q.follow_up_of else ''})"
        body = "\n".join(f"- {r}" for r in reasons)
        blocks.append(f"{head}\n\n**{q.question}**\n\n{body}\n\n{excerpt(prediction.answer)}")
    return f"## Failed questions ({len(failed)})\n\n" + "\n\n".join(blocks)


def render(run: EvalRun) -> str:
    verdict = "PASS" if run.passed else "FAIL"
    parts = [f"# Evaluation report — {verdict}", summary_line(run)]
    if run.warnings:
        parts.append("Warnings:\n\n" + "\n".join(f"- ⚠️ {w}" for w in run.warnings))
    parts.append(gate_section(run.checks))
    parts.append(impact_section(run))
    parts.append(split_section(run.metrics))
    parts.append(language_section(run.metrics))
    parts.append(category_section(run.metrics))
    if "retrieval" in run.metrics:
        parts.append(retrieval_section(run.metrics["retrieval"]))
    parts.append(failures_section(run))
    parts.append(
        "---\nMetric definitions: `eval/metrics.py`. Per-question results: `results.jsonl`; all numbers: "
        "`metrics.json`. Refresh the baseline after an intended rule change with `make eval-baseline`."
    )
    return "\n\n".join(parts) + "\n"
