"""The ``newstui`` command: the browser by default, plus subcommands that work in a pipe.

Only the browser (and ``serve``) import Textual; every other subcommand starts fast and prints
plain text when stdout is not a terminal.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import orjson

from ..store.ingest.formats.records import ImportFailure
from ..store.records.article_text import plain_text
from ..store.records.db import Store, StoreError
from ..store.records.models import SUMMARY_SENTENCES, Article, entry_fields
from ..store.records.paths import named_store, resolve_store_path
from .cli_output import (
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    CliError,
    one_line,
    print_entries,
    safe_text,
    safe_value,
)

# Commands that read a store: on a missing store the user named they say so and make no file.
NEEDS_A_STORE = ("list", "search", "show", "stats", "export", "reindex")
SAMPLE_COMMANDS = ("browse", "serve", "list", "search", "show", "stats", "export")
NO_TERMINAL = ("the browser needs a terminal; for scripts use newstui list/search/show; "
               "over ssh use ssh -t")


class _Version(argparse.Action):
    """--version, reading the version only when asked (see store/__init__.py)."""

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        from .. import store

        print(f"newstui {store.__version__}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newstui",
        description="A terminal news browser with fuzzy Chinese-aware search and summaries. "
        "With no command, opens the browser.",
    )
    parser.add_argument("--version", action=_Version, nargs=0, help="print the version and exit")
    _add_common_flags(parser, default=None)
    _add_browser_flags(parser)
    # Subcommands accept the same flags after their name; SUPPRESS keeps them from overwriting
    # a value given before the name (`newstui --db X list`).
    common = argparse.ArgumentParser(add_help=False)
    _add_common_flags(common, default=argparse.SUPPRESS)

    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    browse = commands.add_parser("browse", parents=[common], help="open the browser (default)")
    _add_browser_flags(browse, default=argparse.SUPPRESS)

    imp = commands.add_parser("import", parents=[common], help="import files, folders or URLs")
    imp.add_argument("sources", nargs="+", metavar="PATH|URL")
    imp.add_argument("--workers", type=int, default=None, help="summary worker processes")

    for name, text in (("list", "list articles"), ("search", "search articles")):
        sub = commands.add_parser(name, parents=[common], help=text)
        if name == "search":
            sub.add_argument("query", nargs="*", help='terms, "phrases", -exclude, title:, '
                             "source:, after:, before:, is:unread, is:starred")
            sub.add_argument("--batch", action="store_true",
                             help="read one query per line from stdin, print one JSON array per line")
        sub.add_argument("--json", action="store_true", help="print one JSON array")
        sub.add_argument("--limit", type=_positive_int, default=None, help="at most N results")

    show = commands.add_parser("show", parents=[common], help="print one article")
    show.add_argument("id", help="article id (a unique prefix is enough)")
    show.add_argument("--json", action="store_true", help="print one JSON object")
    show.add_argument("--limit", type=_positive_int, default=None, help=argparse.SUPPRESS)

    stats = commands.add_parser("stats", parents=[common], help="store statistics")
    stats.add_argument("--json", action="store_true")

    export = commands.add_parser("export", parents=[common], help="export every article")
    export.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    export.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")

    summ = commands.add_parser("summarize", parents=[common], help="summarise a text file or stdin")
    summ.add_argument("file", nargs="?", default="-", metavar="FILE|-")
    summ.add_argument("--sentences", type=_positive_int, default=SUMMARY_SENTENCES, metavar="N",
                      help=f"this many (default {SUMMARY_SENTENCES}; fewer only if the text has fewer)")
    summ.add_argument("--chars", type=_positive_int, default=None, metavar="N",
                      help="cut a sentence wider than N at a clause boundary "
                           "(a Chinese character counts 1, a Latin letter 1/2)")

    commands.add_parser("reindex", parents=[common], help="rebuild the search index")

    doctor = commands.add_parser("doctor", parents=[common], help="check the store's files")
    doctor.add_argument("--repair", action="store_true",
                        help="salvage every readable article into new files, keeping the damaged ones")

    from . import cli_feeds  # here, not at the top: it imports this module's helpers

    cli_feeds.add_parsers(commands, common)

    serve = commands.add_parser("serve", parents=[common], help="serve the browser to a web browser")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8566, help="port (default 8566)")
    _add_browser_flags(serve, default=argparse.SUPPRESS)
    return parser


def _add_common_flags(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument("--db", metavar="PATH", default=default,
                        help="store file (default: $NEWSTUI_DB or the platform data dir)")
    parser.add_argument("--debug", action="store_true", default=default or False,
                        help="show tracebacks on errors")


def _add_browser_flags(parser: argparse.ArgumentParser, default: object = None) -> None:
    parser.add_argument("--no-mouse", action="store_true", default=default or False,
                        help="don't capture the mouse")
    parser.add_argument("--theme", default=default, help="colour theme")
    parser.add_argument("--sort", choices=("date", "relevance", "title"), default=default,
                        help="initial sort")


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {value}")
    return number


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _dispatch(args)
    except KeyboardInterrupt:
        print("newstui: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # `newstui list | head`: the reader left; not an error worth a message.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except (CliError, StoreError, ImportFailure, OSError, ValueError) as exc:
        if args.debug:
            raise
        print(f"newstui: {one_line(str(exc))}", file=sys.stderr)
        return EXIT_ERROR


def _dispatch(args: argparse.Namespace) -> int:
    command = args.command or "browse"
    if command == "summarize":
        return cmd_summarize(args)
    if command == "browse" and not _has_terminal():
        print(f"newstui: {NO_TERMINAL}", file=sys.stderr)
        return EXIT_USAGE
    path = resolve_store_path(args.db)
    if command == "doctor":  # before Store(): the store may be too damaged to open
        return cmd_doctor(path, args)
    fresh = not path.exists()
    if fresh and named_store(args.db) and command in NEEDS_A_STORE:
        raise CliError(f"no store at {path}: importing into it makes one "
                       f"(newstui import FILE --db {path})")
    store = Store(path)
    if fresh and not named_store(args.db) and command in SAMPLE_COMMANDS:
        _import_sample(store)  # the default store's first use; a store the user named never gets it
    if command in ("feeds", "update"):
        from . import cli_feeds

        return (cli_feeds.cmd_feeds if command == "feeds" else cli_feeds.cmd_update)(store, args)
    handler = {
        "browse": cmd_browse,
        "import": cmd_import,
        "list": cmd_list,
        "search": _search_command,
        "show": cmd_show,
        "stats": cmd_stats,
        "export": cmd_export,
        "reindex": cmd_reindex,
        "serve": cmd_serve,
    }[command]
    return handler(store, args)


def _search_command(store: Store, args: argparse.Namespace) -> int:
    from .cli_search import cmd_search

    return cmd_search(store, args)


def _has_terminal() -> bool:
    """Both ends of a terminal, or a tab of ``newstui serve`` (which drives the app over pipes)."""
    if sys.stdin.isatty() and sys.stdout.isatty():
        return True
    from .served_driver import SERVED_DRIVER

    return os.environ.get("TEXTUAL_DRIVER") == SERVED_DRIVER


def _import_sample(store: Store) -> None:
    """First run on an empty store: bring in the bundled sample so there is something to read."""
    from ..sample import sample_path
    from ..store.ingest.pipeline import import_sources

    report = import_sources(store, [str(sample_path())], workers=1)
    if sys.stderr.isatty():
        print(f"newstui: new store at {store.path}; imported the bundled sample "
              f"({report.added} articles)", file=sys.stderr)


# -- browser --------------------------------------------------------------------------------


def _browser_overrides(args: argparse.Namespace) -> dict:
    overrides: dict = {"mouse": False} if args.no_mouse else {}
    if args.theme:
        overrides["theme"] = args.theme
    if args.sort:
        overrides["sort"] = args.sort
    return overrides


def cmd_browse(store: Store, args: argparse.Namespace) -> int:
    from .app import run_app
    from .config import load_config

    return run_app(store, load_config(_browser_overrides(args)))


def cmd_serve(store: Store, args: argparse.Namespace) -> int:
    from .serve import run_server

    store.close()
    run_server(store.path, host=args.host, port=args.port, overrides=_browser_overrides(args))
    return EXIT_OK


# -- import ---------------------------------------------------------------------------------


def cmd_import(store: Store, args: argparse.Namespace) -> int:
    from ..store.ingest.pipeline import import_sources

    progress = ProgressLine() if sys.stderr.isatty() else None
    try:
        report = import_sources(
            store, args.sources, on_progress=progress.update if progress else None,
            workers=args.workers, on_notice=_notice,
        )
    finally:
        if progress:
            progress.close()
    for file in report.files:
        if file.failure:
            print(f"newstui: {one_line(file.failure)}", file=sys.stderr)
            continue
        for error in file.errors:
            print(f"newstui: {one_line(error)}", file=sys.stderr)
        print(f"{file.origin}: {file.added} added, {file.duplicates} already stored, "
              f"{file.bad_rows} bad rows")
    print(f"imported {report.added} articles ({report.duplicates} already stored, "
          f"{report.bad_rows} bad rows, {len(report.failures)} files failed); "
          f"store has {len(store)}")
    return EXIT_ERROR if report.failures and report.added == 0 else EXIT_OK


def _notice(message: str) -> None:
    """Why a command is waiting, on a line of its own."""
    print(f"newstui: {message}", file=sys.stderr, flush=True)


class ProgressLine:
    """A one-line progress bar on stderr, redrawn in place, only when stderr is a terminal."""

    def __init__(self) -> None:
        self._last = 0.0

    def update(self, progress) -> None:
        width = 24
        done = progress.files_done / progress.files_total if progress.files_total else 0
        bar = "#" * int(done * width) + "-" * (width - int(done * width))
        name = Path(progress.origin).name[-30:]
        sys.stderr.write(
            f"\r[{bar}] {progress.files_done}/{progress.files_total} files · "
            f"{progress.articles_seen:,} articles · {progress.rate:,.0f}/s · {name}\x1b[K"
        )
        sys.stderr.flush()

    def close(self) -> None:
        sys.stderr.write("\r\x1b[K")
        sys.stderr.flush()


# -- list / search / show -------------------------------------------------------------------


def cmd_list(store: Store, args: argparse.Namespace) -> int:
    ids = store.ordered_ids()
    print_entries(list(store.entry_list(ids[: args.limit] if args.limit else ids)), args.json)
    return EXIT_OK


def cmd_show(store: Store, args: argparse.Namespace) -> int:
    article = store.get(_resolve_id(store, args.id))
    assert article is not None
    if args.json:
        sys.stdout.buffer.write(
            orjson.dumps(_article_dict(article), option=orjson.OPT_INDENT_2) + b"\n"
        )
        return EXIT_OK
    sys.stdout.write(plain_text(article))
    return EXIT_OK


def _resolve_id(store: Store, wanted: str) -> str:
    if wanted in store:
        return wanted
    matches = [i for i in store.ids() if i.startswith(wanted.lower())]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise CliError(f"no article with id {wanted!r}")
    raise CliError(f"id {wanted!r} is ambiguous ({len(matches)} articles); give more characters")


def _article_dict(article: Article) -> dict:
    """An article as JSON-ready data, every string re-sanitised (the store file may be tampered)."""
    data = {**entry_fields(article), "summary": article.summary, "keywords": article.keywords,
            "format": "text", "body": article.body}
    return safe_value(data)


def cmd_stats(store: Store, args: argparse.Namespace) -> int:
    stats = store.stats()
    if args.json:
        sys.stdout.buffer.write(orjson.dumps(stats, option=orjson.OPT_INDENT_2) + b"\n")
        return EXIT_OK
    print(f"store      {stats['path']}")
    print(f"articles   {stats['articles']:,} ({stats['unread']:,} unread, {stats['starred']:,} starred)")
    print(f"dates      {stats['first_date'] or '?'} … {stats['last_date'] or '?'}")
    print("languages  " + ", ".join(f"{k} {v:,}" for k, v in stats["languages"].items()))
    top = list(stats["sources"].items())[:5]
    print("sources    " + ", ".join(f"{safe_text(k) or '(none)'} {v:,}" for k, v in top))
    print(f"size       {stats['bytes'] / 1e6:,.1f} MB")
    return EXIT_OK


# -- export / summarize / reindex -----------------------------------------------------------

EXPORT_FIELDS = ("id", "title", "date", "source", "url", "lang", "keywords", "summary", "read",
                 "starred", "format", "body")


def cmd_export(store: Store, args: argparse.Namespace) -> int:
    out = open(args.output, "wb") if args.output else sys.stdout.buffer  # noqa: SIM115
    try:
        if args.format == "jsonl":
            for article in store.articles():
                row = _article_dict(article)
                out.write(orjson.dumps({k: row[k] for k in EXPORT_FIELDS}) + b"\n")
        else:
            text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
            writer = csv.DictWriter(text, fieldnames=EXPORT_FIELDS)
            writer.writeheader()
            for article in store.articles():
                row = _article_dict(article)
                writer.writerow({k: _csv_value(row[k]) for k in EXPORT_FIELDS})
            text.detach()
    finally:
        if args.output:
            out.close()
    return EXIT_OK


def _csv_value(value: object) -> object:
    return "|".join(value) if isinstance(value, list) else value


def cmd_summarize(args: argparse.Namespace) -> int:
    from ..store.ingest.formats.decode import decode_bytes
    from ..store.summaries.summarize import summarize

    if args.file == "-":
        data = sys.stdin.buffer.read()
        origin = "<stdin>"
    else:
        origin = args.file
        try:
            data = Path(args.file).read_bytes()
        except FileNotFoundError:
            raise CliError(f"no such file: {args.file}") from None
    text = decode_bytes(data, origin=origin)
    for sentence in summarize(text, max_sentences=args.sentences, max_chars=args.chars):
        print(safe_text(sentence))
    return EXIT_OK


def cmd_doctor(path: Path, args: argparse.Namespace) -> int:
    from ..store.records import doctor

    if args.repair:
        for line in doctor.repair(path).lines():
            print(safe_text(line))
        return EXIT_OK
    problems = doctor.check(path)
    for problem in problems:
        print(safe_text(str(problem)))
    if not problems:
        print(f"{path}: no problems found")
        return EXIT_OK
    if any(p.repairable for p in problems):
        print("run 'newstui doctor --repair' to salvage what is readable (damaged files are kept)")
    return EXIT_ERROR


def cmd_reindex(store: Store, args: argparse.Namespace) -> int:
    from ..store.search.searcher import rebuild_index

    rebuild_index(store, on_notice=_notice)
    print(f"reindexed {len(store)} articles")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
