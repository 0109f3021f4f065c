"""``python -m eval run | fit | real | retrieval | bench | check | load`` — see ``python -m eval --help``."""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import os
import sys
from pathlib import Path

import assistant  # noqa: F401  (sets the offline environment before any model library loads)
from assistant.config import get_settings
from assistant.errors import AssistantError
from eval.dataset import DatasetError, load_question_files, load_questions, select_split
from eval.gate import load_thresholds

HERE = Path(__file__).resolve().parent
DEFAULT_QUESTIONS = HERE / "questions.yaml"
STAFF_QUESTIONS = HERE / "questions-staff.yaml"
DEFAULT_THRESHOLDS = HERE / "thresholds.yaml"
DEFAULT_BASELINE = HERE / "baseline.json"
DEFAULT_FITTED = HERE.parent / "assistant" / "answer" / "fitted.json"
QUESTIONS_HELP = (
    "YAML or JSON Lines question file; repeat for several (default: eval/questions.yaml and "
    "eval/questions-staff.yaml when it exists)"
)
SPLIT_CHOICES = ("calibration", "holdout", "all")
EXIT_OK, EXIT_GATE, EXIT_USAGE, EXIT_ERROR = 0, 1, 2, 3


def question_files(args: argparse.Namespace) -> list[Path]:
    """The files of ``--questions`` (repeatable); by default eval/questions.yaml and, when it exists,
    eval/questions-staff.yaml."""
    if args.questions:
        return [Path(p) for p in args.questions]
    return [DEFAULT_QUESTIONS] + ([STAFF_QUESTIONS] if STAFF_QUESTIONS.is_file() else [])


def cmd_run(args: argparse.Namespace) -> int:
    from eval.evaluate import evaluate, save_baseline, write_outputs
    from eval.report import render

    questions = select_split(load_question_files(question_files(args)), args.split)
    thresholds = load_thresholds(Path(args.thresholds))
    baseline = None if args.no_baseline else Path(args.baseline)
    settings = get_settings()
    if args.without_glossary:  # the corpus as a new guide arrives: its glossary is not read (devnull is no file)
        settings = settings.model_copy(update={"glossary_file": Path(os.devnull)})
    run = evaluate(settings, questions, thresholds, baseline, args.mode, compare_single=not args.no_compare)
    out = Path(args.out)
    write_outputs(run, out, render(run))
    if args.write_baseline:
        save_baseline(run, Path(args.write_baseline))
        print(f"eval: baseline written to {args.write_baseline}", file=sys.stderr)
    failed = [c for c in run.checks if c.passed is False]
    for c in failed:
        print(f"eval: FAIL {c.path} = {c.value:.4f}, threshold {c.op} {c.target}", file=sys.stderr)
    changed = len(run.impact.changes) if run.impact else 0
    print(
        f"eval: {'PASS' if run.passed else 'FAIL'} — {len(run.questions)} questions, {len(failed)} thresholds "
        f"missed, {changed} answers changed since the baseline; report: {out / 'report.md'}"
    )
    return EXIT_OK if run.passed or args.no_gate else EXIT_GATE


def cmd_fit(args: argparse.Namespace) -> int:
    from eval.fit import run_fit
    from eval.split import write_splits

    files = question_files(args)
    if args.assign_splits:
        for path in files:
            write_splits(path)
    questions = select_split(load_question_files(files), args.split)
    out = Path(args.out) if args.out else (get_settings().answer.fitted_path or DEFAULT_FITTED)
    if args.folds < 2:
        raise DatasetError(f"--folds {args.folds} is too small; cross-validation needs at least 2 folds")
    memo = Path(args.reuse_retrieval) if args.reuse_retrieval else None
    run_fit(get_settings(), questions, files, args.split, out, args.folds, args.max_false_refusals, memo)
    return EXIT_OK


def cmd_retrieval(args: argparse.Namespace) -> int:
    from eval.retrieval import run_comparison

    thresholds = load_thresholds(Path(args.thresholds))
    run_comparison(get_settings(), load_questions(Path(args.questions)), Path(args.out), thresholds)
    return EXIT_OK


def cmd_bench(args: argparse.Namespace) -> int:
    from eval.bench import run_bench

    run_bench(
        get_settings(),
        load_questions(Path(args.questions)),
        load_thresholds(Path(args.thresholds)),
        Path(args.out),
        args.scale,
        args.real_set or None,
    )
    return EXIT_OK


def cmd_load(argv: list[str]) -> int:
    if importlib.util.find_spec("eval.load") is None:
        print("error: eval/load.py is not installed in this checkout; the load test is not available", file=sys.stderr)
        return EXIT_USAGE
    result = importlib.import_module("eval.load").main(argv)
    return int(result or 0)


def cmd_real(args: argparse.Namespace) -> int:
    from eval.real import run_real

    passed = run_real(get_settings(), Path(args.out), args.mode)
    return EXIT_OK if passed or args.no_gate else EXIT_GATE


def cmd_check(args: argparse.Namespace) -> int:
    from eval.check import main as check_main

    return check_main(get_settings(), Path(args.out) if args.out else None, gate=not args.no_gate)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m eval",
        description="Evaluation of the assistant on the gold questions. Exit codes: 0 ok, 1 a metric is below "
        "its threshold, 2 bad input (question, thresholds or baseline file), 3 other error.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="ask every gold question, score, gate, compare with the baseline")
    run.add_argument("--questions", action="append", help=QUESTIONS_HELP)
    run.add_argument("--split", choices=SPLIT_CHOICES, default="all", help="questions of this split only")
    run.add_argument("--out", default="var/eval", help="folder for results.jsonl, metrics.json, report.md")
    run.add_argument("--mode", choices=("extractive", "llm"), default="extractive")
    run.add_argument("--baseline", default=str(DEFAULT_BASELINE), help="baseline JSON for the impact section")
    run.add_argument("--no-baseline", action="store_true", help="skip the impact section")
    run.add_argument("--thresholds", default=str(DEFAULT_THRESHOLDS))
    run.add_argument("--write-baseline", metavar="FILE", help="write this run as the new baseline")
    run.add_argument("--no-gate", action="store_true", help="exit 0 even when a threshold is missed")
    run.add_argument("--no-compare", action="store_true", help="skip the BM25/dense/hybrid comparison")
    run.add_argument(
        "--without-glossary",
        action="store_true",
        help="answer as over a new guide that has no glossary (gate: eval/thresholds-no-glossary.yaml)",
    )
    fit = sub.add_parser("fit", help="fit the reader and the refusal on calibration questions (fitted.json)")
    fit.add_argument("--questions", action="append", help=QUESTIONS_HELP)
    fit.add_argument("--split", choices=SPLIT_CHOICES, default="calibration", help="questions to fit on")
    fit.add_argument("--out", help="fitted-model file (default: KLASINOV_ANSWER__FITTED_PATH or the packaged one)")
    fit.add_argument("--folds", type=int, default=5, help="k of the k-fold cross-validation")
    fit.add_argument("--max-false-refusals", type=float, default=0.03, help="bound on cross-validated false refusals")
    fit.add_argument("--reuse-retrieval", metavar="FILE", help="keep retrieval results here and reuse them")
    fit.add_argument("--assign-splits", action="store_true", help="first write `split:` into questions lacking one")
    retrieval = sub.add_parser("retrieval", help="BM25, dense, hybrid and a plain llama-index baseline")
    retrieval.add_argument("--questions", default=str(DEFAULT_QUESTIONS))
    retrieval.add_argument("--thresholds", default=str(DEFAULT_THRESHOLDS))
    retrieval.add_argument("--out", default="var/eval")
    bench = sub.add_parser("bench", help="throughput, latency, cold start, memory, 10k-chunk scale, baseline")
    bench.add_argument("--questions", default=str(DEFAULT_QUESTIONS))
    bench.add_argument("--thresholds", default=str(DEFAULT_THRESHOLDS))
    bench.add_argument("--out", default="var/bench")
    bench.add_argument("--scale", type=int, default=10_000, help="chunks in the synthetic scale run")
    bench.add_argument(
        "--real-set",
        default="beasiswa-share-2026",
        help="set of the shared real corpora ingested cold for pages/s ('' to skip)",
    )
    real = sub.add_parser("real", help="the real government documents of ../shared/real-corpora, gated per set")
    real.add_argument("--out", default="var/eval/real", help="folder for each set's report and summary.md")
    real.add_argument("--mode", choices=("extractive", "llm"), default="extractive")
    real.add_argument("--no-gate", action="store_true", help="exit 0 even when a set misses a floor")
    check = sub.add_parser("check", help="draft checker: precision and recall of missing and incomplete parts")
    check.add_argument("--out", default=None, help="folder for check.json")
    check.add_argument("--no-gate", action="store_true", help="exit 0 even below the 0.90 gate")
    sub.add_parser("load", help="concurrent chat sessions against the running app (eval/load.py)", add_help=False)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["load"]:
        return cmd_load(argv[1:])
    args = build_parser().parse_args(argv)
    commands = {
        "run": cmd_run,
        "fit": cmd_fit,
        "retrieval": cmd_retrieval,
        "bench": cmd_bench,
        "check": cmd_check,
        "real": cmd_real,
    }
    try:
        return commands[args.command](args)
    except DatasetError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except AssistantError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
