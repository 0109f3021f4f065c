"""``python -m assistant ...``: the command-line contract. Domain errors become one-line messages here."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assistant.config import Settings, get_settings
from assistant.errors import AssistantError, IngestLockedError
from assistant.types import STATUSES, Answer, Filters, Turn

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_PARTIAL, EXIT_LOCKED = 0, 1, 2, 3, 4


class UsageError(AssistantError):
    """Options that do not go together."""


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.services import open_indexer, read_manifest
    from assistant.workbench import review_after_ingest

    corpus = Path(args.corpus) if args.corpus else settings.corpus_dir
    report = open_indexer(settings).sync(
        corpus, rebuild=args.rebuild, on_wait=lambda message: print(message, file=sys.stderr, flush=True)
    )
    flagged = review_after_ingest(settings.data_dir, read_manifest(settings).chunk_ids())
    if flagged:
        numbers = ", ".join(f"#{n}" for n in flagged)
        print(f"  review  sent helpdesk replies {numbers} cite a section that changed", file=sys.stderr)
    if args.json:
        _print_json(report.to_json())
    else:
        print(
            f"added {len(report.added)}, updated {len(report.updated)}, removed {len(report.removed)}, "
            f"unchanged {len(report.unchanged)}, failed {len(report.failed)}; "
            f"{report.chunks_embedded} chunks embedded, {report.chunks_total} in the index, {report.seconds:.1f} s"
        )
        for path, warning in report.warnings:
            print(f"  note  {path}: {warning}", file=sys.stderr)
        for path, error in report.failed:
            print(f"  FAILED {path}: {error}", file=sys.stderr)
    return EXIT_PARTIAL if report.failed else EXIT_OK


def status_data(settings: Settings) -> dict[str, Any]:
    from assistant.lexicon import load_lexicon
    from assistant.services import read_manifest

    manifest = read_manifest(settings)
    docs = [
        {
            "doc_id": e.doc_id,
            "title": e.title,
            "year": e.year,
            "doc_type": e.doc_type,
            "status": e.status,
            "chunks": len(e.chunk_ids),
            "path": e.path,
            "indexed_at": e.indexed_at,
            "warnings": list(e.warnings),
        }
        for e in sorted(manifest.docs.values(), key=lambda e: e.doc_id)
    ]
    return {
        "documents": docs,
        "chunks_total": sum(d["chunks"] for d in docs),
        "embedder": settings.embedder,
        "embedder_model": manifest.embedder,
        "store": settings.chroma_url or str((settings.data_dir / "chroma").resolve()),
        "collection": settings.collection_name,
        "corpus_dir": str(settings.corpus_dir),
        "data_dir": str(settings.data_dir),
        "glossary": glossary_data(settings),
        "general_lexicon": len(load_lexicon().entries) if settings.retrieval.general_lexicon else None,
    }


def glossary_data(settings: Settings) -> dict[str, Any] | None:
    """The corpus's glossary: its file and number of terms, the problem when it cannot be read, None if absent."""
    from assistant.glossary import load_glossary

    path = settings.glossary_path
    if not path.is_file():
        return None
    try:
        return {"path": str(path), "terms": len(load_glossary(path).terms)}
    except AssistantError as e:
        return {"path": str(path), "terms": 0, "error": str(e)}


def vocabulary_line(data: dict[str, Any]) -> str:
    """How English questions meet the documents' Indonesian words: the glossary, the general word list, or only
    the dense model."""
    glossary, general = data["glossary"], data["general_lexicon"]
    listed = f"the general English-Indonesian word list ({general} words)" if general else None
    if glossary is None:
        through = f"{listed} and the dense model" if listed else "the dense model only"
        return f"glossary: none; English questions meet the documents through {through}"
    problem = f" — cannot be read: {glossary['error']}" if "error" in glossary else ""
    rest = f"; English words it lacks: {listed}" if listed else ""
    return f"glossary: {glossary['path']} ({glossary['terms']} terms){problem}{rest}"


def cmd_status(args: argparse.Namespace, settings: Settings) -> int:
    data = status_data(settings)
    if args.json:
        _print_json(data)
        return EXIT_OK
    print(f"store: {data['store']} (collection {data['collection']}), embedder: {data['embedder']}")
    print(f"{len(data['documents'])} documents, {data['chunks_total']} chunks")
    print(vocabulary_line(data))
    for d in data["documents"]:
        print(f"  {d['doc_id']:<34} {d['year'] or '-':<5} {d['status']:<8} {d['chunks']:>4}  {d['title']}")
        for warning in d["warnings"]:
            if "OCR needed" in warning:
                print(f"    ! {warning}")
    if not data["documents"]:
        print("  (empty: run `python -m assistant ingest`)")
    return EXIT_OK


def filters_from(args: argparse.Namespace) -> Filters:
    return Filters(tuple(args.year or ()), tuple(args.doc_type or ()), tuple(args.status or ()))


def add_filter_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", type=int, action="append", help="only documents of this year (repeatable)")
    parser.add_argument("--doc-type", action="append", help="only this document type (repeatable)")
    parser.add_argument("--status", action="append", choices=STATUSES, help="only this status (repeatable)")


def add_session_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--session", metavar="NAME", help="continue the conversation NAME (kept in KLASINOV_DATA_DIR/sessions)"
    )
    parser.add_argument("--new-session", action="store_true", help="start the conversation of --session over")


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.services import open_retriever

    result = open_retriever(settings).search(args.question, args.k, filters_from(args))
    if args.json:
        _print_json(result.to_json())
        return EXIT_OK
    for rank, hit in enumerate(result.hits, start=1):
        ranks = ", ".join(f"{k} #{v}" for k, v in sorted(hit.ranks.items()))
        print(
            f"{rank:>2}. [{hit.score:.4f}] {hit.chunk.doc_id} | {hit.chunk.section_path} | hlm. {hit.chunk.page_label}"
            f" | {hit.chunk.year or '-'} ({ranks})"
        )
        print(f"    {hit.chunk.text[:160].replace(chr(10), ' ')}")
    for note in result.notes:
        print(f"note: {note}")
    if not result.hits:
        print("no matching passages")
    return EXIT_OK


def conversation(args: argparse.Namespace, settings: Settings) -> list[Turn]:
    """The earlier turns of ``--session NAME`` (none after ``--new-session``, which starts it over)."""
    from assistant.sessions import SessionStore

    if args.session is None:
        if args.new_session:
            raise UsageError("--new-session needs --session NAME: the conversation to start over")
        return []
    store = SessionStore(settings.data_dir)
    if args.new_session:
        store.clear(args.session)
    return store.load(args.session)


def remember(args: argparse.Namespace, settings: Settings, answer: Answer) -> None:
    from assistant.sessions import SessionStore

    if args.session is not None:
        SessionStore(settings.data_dir).append(args.session, answer)


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.pipeline import Assistant

    history = conversation(args, settings)
    answer = Assistant.from_settings(settings).ask(
        args.question, history, filters=filters_from(args), mode=args.mode
    )
    remember(args, settings, answer)
    if args.json:
        _print_json(answer.to_json())
        return EXIT_OK
    if answer.resolved_question and answer.resolved_question != answer.question:
        print(f"Dipahami sebagai: {answer.resolved_question}\n")
    print(answer.text)
    if answer.citations:
        print("\nSumber:")
        for c in answer.citations:
            page = f", hlm. {c.page}" if c.page else ""
            print(f"  [{c.n}] {c.title} ({c.year or '-'}), {c.section}{page}")
    return EXIT_OK


def cmd_draft(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.pipeline import Assistant

    history = conversation(args, settings)
    draft = Assistant.from_settings(settings).draft_reply(args.question, history)
    remember(args, settings, draft.answer)
    sys.stdout.write(draft.text if args.plain else draft.markdown + "\n")
    return EXIT_OK


def cmd_feedback(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.feedback import FeedbackStore, export_drafts, feedback_path

    path = feedback_path(settings.data_dir)
    if not path.is_file():
        print(f"no feedback yet ({path} does not exist); answers rated in the app are stored there", file=sys.stderr)
        records = []
    else:
        records = FeedbackStore(path).records(rating="down")
    text = export_drafts(records)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"{len(records)} disliked answers written to {args.out} as draft eval questions", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def cmd_users(args: argparse.Namespace, settings: Settings) -> int:
    import getpass

    from assistant.users import add_user

    path = Path(args.file) if args.file else settings.users_file
    if path is None:
        print("error: no users file: pass --file PATH or set KLASINOV_USERS_FILE", file=sys.stderr)
        return EXIT_USAGE
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass(f"password for {args.name}: ")
        if getpass.getpass("repeat the password: ") != password:
            print("error: the passwords differ; run the command again", file=sys.stderr)
            return EXIT_USAGE
    new = add_user(path, args.name, args.role, password)
    print(f"{'added' if new else 'updated'} {args.name} ({args.role}) in {path}")
    return EXIT_OK


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.check import open_checker
    from assistant.check.render import requirements_text, to_text

    checker = open_checker(settings)
    if args.show_requirements:
        sys.stdout.write(requirements_text(checker.requirements(args.kind), args.kind))
        return EXIT_OK
    if not args.file:
        print("error: name the draft to check: python -m assistant check FILE [--kind ...]", file=sys.stderr)
        return EXIT_USAGE
    result = checker.check(Path(args.file), args.kind, Path(args.file).name)
    if args.json:
        _print_json(result.to_json())
    else:
        sys.stdout.write(to_text(result))
    return EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace, Settings], int]] = {
    "ingest": cmd_ingest,
    "status": cmd_status,
    "search": cmd_search,
    "ask": cmd_ask,
    "draft": cmd_draft,
    "feedback": cmd_feedback,
    "users": cmd_users,
    "check": cmd_check,
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m assistant", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    ingest = sub.add_parser("ingest", help="index the corpus folder (adds, updates and removes documents)")
    ingest.add_argument("--corpus", help="corpus folder (default: KLASINOV_CORPUS_DIR or corpus/)")
    ingest.add_argument("--rebuild", action="store_true", help="drop the index and build it again")
    ingest.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    status = sub.add_parser("status", help="list the indexed documents")
    status.add_argument("--json", action="store_true")
    search = sub.add_parser("search", help="show the passages retrieved for a question")
    search.add_argument("question")
    search.add_argument("--k", type=int, default=None, help="how many passages (default: settings)")
    search.add_argument("--json", action="store_true")
    add_filter_arguments(search)
    ask = sub.add_parser("ask", help="answer a question with cited sources")
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true", help="print the answer as one JSON object")
    ask.add_argument("--mode", choices=("extractive", "llm"), default=None, help="default: llm if configured")
    add_filter_arguments(ask)
    add_session_arguments(ask)
    draft = sub.add_parser("draft", help="draft a formal Indonesian helpdesk reply")
    draft.add_argument("question")
    add_session_arguments(draft)
    draft.add_argument("--plain", action="store_true", help="plain text instead of Markdown")
    feedback = sub.add_parser("feedback", help="app feedback: export disliked answers as draft eval questions")
    feedback.add_argument("action", choices=("export",))
    feedback.add_argument("--out", help="YAML file to write (default: standard output)")
    users = sub.add_parser("users", help="manage the users file (KLASINOV_USERS_FILE) for the app's login")
    users.add_argument("action", choices=("add",))
    users.add_argument("name")
    users.add_argument("--role", choices=("staff", "admin"), required=True)
    users.add_argument("--file", help="users file (default: KLASINOV_USERS_FILE)")
    users.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    check = sub.add_parser("check", help="check a draft proposal or master plan against the required structure")
    check.add_argument("file", nargs="?", help="the draft: PDF, DOCX, Markdown or text")
    check.add_argument("--kind", choices=("proposal", "master-plan"), default="proposal")
    check.add_argument("--json", action="store_true", help="print the checklist as one JSON object")
    check.add_argument("--show-requirements", action="store_true", help="print the items read from the rules")
    for register in EXTRA_PARSERS:
        register(sub)
    return parser


EXTRA_PARSERS: list[Callable[[Any], None]] = []


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = get_settings()
        return COMMANDS[args.command](args, settings)
    except IngestLockedError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_LOCKED
    except UsageError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except AssistantError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("interrupted; run the command again (ingest repairs itself)", file=sys.stderr)
        return 130
