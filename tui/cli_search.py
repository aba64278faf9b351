"""``newstui search``: one query from the command line, or ``--batch``, one query per line of stdin
answered by one JSON array per line of stdout, from one process (for scripts and evaluation)."""

from __future__ import annotations

import argparse
import sys

import orjson

from ..store.records.db import Store, paused_gc
from ..store.records.models import entry_fields
from ..store.search.searcher import QueryError, Searcher, SearchResult
from .cli_output import EXIT_OK, CliError, print_entries, safe_value

DEFAULT_LIMIT = 20
PARTIAL_NOTE = "no article has every word: these match some of them, most first"


def cmd_search(store: Store, args: argparse.Namespace) -> int:
    if args.batch:
        if args.query:
            raise CliError("search --batch reads its queries from stdin: give none on the command line")
        return _batch(store, args.limit or DEFAULT_LIMIT)
    if not args.query:
        raise CliError("search: give a query (or --batch to read queries from stdin)")
    searcher = Searcher(store)
    try:
        # One query and the process ends: the collector would only scan the index just loaded.
        with paused_gc():
            result = searcher.search(" ".join(args.query), limit=args.limit or DEFAULT_LIMIT)
    except QueryError as exc:
        raise CliError(str(exc)) from None
    finally:
        searcher.close()
    if args.json:
        if rows := _rows(store, result):  # nothing at all when nothing matches, as `list` does
            sys.stdout.buffer.write(orjson.dumps(rows, option=orjson.OPT_INDENT_2) + b"\n")
        return EXIT_OK
    if result.partial and result.hits:
        print(f"newstui: {PARTIAL_NOTE}", file=sys.stderr)
    print_entries([e for hit in result.hits if (e := store.entry(hit.id))], as_json=False)
    return EXIT_OK


def _batch(store: Store, limit: int) -> int:
    """Answer each line of stdin as it comes (a blank line is an empty array; a bad query is
    ``{"error": "..."}`` on its line), flushing each, until stdin ends."""
    searcher = Searcher(store)
    out = sys.stdout.buffer
    try:
        for line in sys.stdin.buffer:
            text = line.decode("utf-8", "replace").strip()
            try:
                answer: object = _rows(store, searcher.search(text, limit=limit)) if text else []
            except QueryError as exc:
                answer = {"error": str(exc)}
            out.write(orjson.dumps(answer) + b"\n")
            out.flush()
    finally:
        searcher.close()
    return EXIT_OK


def _rows(store: Store, result: SearchResult) -> list[dict]:
    rows = []
    for hit in result.hits:
        entry = store.entry(hit.id)
        if entry is not None:
            row = safe_value(entry_fields(entry))
            assert isinstance(row, dict)
            rows.append({**row, "score": round(hit.score, 4), "partial": hit.partial})
    return rows
