"""`newstui feeds …` and `newstui update`: subscriptions from the command line (and from cron).

Like every subcommand but the browser, these never load Textual and print plain text in a pipe.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import orjson

from ..store.ingest.feeds.subscriptions import Subscription, Subscriptions, normalise_url
from ..store.records.db import Store
from .cli_output import EXIT_ERROR, EXIT_OK, CliError, safe_value


def add_parsers(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    feeds = commands.add_parser("feeds", parents=[common], help="subscriptions: add, remove, list, "
                                "import, export")
    actions = feeds.add_subparsers(dest="feeds_command", metavar="ACTION", required=True)
    add = actions.add_parser("add", parents=[common], help="subscribe to feeds")
    add.add_argument("urls", nargs="+", metavar="URL")
    add.add_argument("--full-text", action=argparse.BooleanOptionalAction, default=None,
                     help="fetch each new item's web page and keep its main text (for feeds that "
                     "carry only an excerpt)")
    remove = actions.add_parser("remove", parents=[common],
                                help="unsubscribe (the articles already fetched stay)")
    remove.add_argument("urls", nargs="+", metavar="URL")
    listing = actions.add_parser("list", parents=[common], help="list subscriptions")
    listing.add_argument("--json", action="store_true", help="print one JSON array")
    opml_in = actions.add_parser("import", parents=[common], help="subscribe to every feed of an OPML file")
    opml_in.add_argument("file", metavar="FILE.opml")
    actions.add_parser("export", parents=[common], help="print the subscriptions as OPML 2.0")

    update = commands.add_parser("update", parents=[common], help="refresh every feed")
    update.add_argument("--json", action="store_true", help="print one JSON array, a row per feed")
    update.add_argument("--workers", type=int, default=None, help="summary worker processes")


def cmd_feeds(store: Store, args: argparse.Namespace) -> int:
    subscriptions = Subscriptions(store)
    return {
        "add": _add, "remove": _remove, "list": _list, "import": _import, "export": _export,
    }[args.feeds_command](store, subscriptions, args)


def _add(store: Store, subscriptions: Subscriptions, args: argparse.Namespace) -> int:
    urls = [_url(text) for text in args.urls]
    candidates = [Subscription(url, full_text=bool(args.full_text)) for url in urls]
    added = subscriptions.add(candidates, set_full_text=args.full_text is not None)
    for url, new in zip(urls, added, strict=True):
        mode = " (full text)" if subscriptions.get(url).full_text else ""  # type: ignore[union-attr]
        print(f"{'subscribed to' if new else 'already subscribed to'} {url}{mode}")
    if any(added):
        print("run 'newstui update' to fetch them", file=sys.stderr)
    return EXIT_OK


def _remove(store: Store, subscriptions: Subscriptions, args: argparse.Namespace) -> int:
    missing = []
    for text in args.urls:
        url = _url(text)
        if subscriptions.remove(url):
            print(f"unsubscribed from {url}; its articles stay in the store")
        else:
            missing.append(url)
    if missing:
        raise CliError(f"not subscribed to {', '.join(missing)}")
    return EXIT_OK


def _list(store: Store, subscriptions: Subscriptions, args: argparse.Namespace) -> int:
    from ..store.ingest.feeds.sources import source_groups

    followed = subscriptions.all()
    counts = {group.feed: group for group in source_groups(store, followed) if group.feed}
    rows = [
        {"url": s.url, "title": s.title, "full_text": s.full_text, "category": s.category,
         "articles": len(counts[s.url].ids), "unread": counts[s.url].unread,
         "last_fetched": s.last_fetched or None, "last_error": s.last_error or None}
        for s in followed
    ]
    if args.json:
        sys.stdout.buffer.write(orjson.dumps(safe_value(rows), option=orjson.OPT_INDENT_2) + b"\n")
        return EXIT_OK
    for row, subscription in zip(rows, followed, strict=True):
        when = (row["last_fetched"] or "never").replace("T", " ")[:16]
        line = (f"{row['url']}  {subscription.name}  {row['articles']} articles, {row['unread']} unread, "
                f"fetched {when}")
        if row["last_error"]:
            line += f"  error: {row['last_error'].removeprefix(row['url'] + ': ')}"
        print(safe_value(line))
    return EXIT_OK


def _import(store: Store, subscriptions: Subscriptions, args: argparse.Namespace) -> int:
    from ..store.ingest.feeds.opml import read_opml

    try:
        data = Path(args.file).read_bytes()
    except FileNotFoundError:
        raise CliError(f"no such file: {args.file}") from None
    outlines = read_opml(data, origin=args.file)
    candidates, skipped = [], []
    for outline in outlines:
        try:
            candidates.append(Subscription(normalise_url(outline.url), title=outline.title,
                                           category=outline.category))
        except ValueError as error:
            skipped.append(str(error))
    added = subscriptions.add(candidates)
    for problem in skipped:
        print(f"newstui: {args.file}: skipped {safe_value(problem)}", file=sys.stderr)
    print(f"{args.file}: {sum(added)} feeds subscribed, {len(added) - sum(added)} already, "
          f"{len(skipped)} skipped")
    return EXIT_OK


def _export(store: Store, subscriptions: Subscriptions, args: argparse.Namespace) -> int:
    from ..store.ingest.feeds.opml import write_opml

    sys.stdout.buffer.write(write_opml(subscriptions.all()).encode("utf-8"))
    return EXIT_OK


def cmd_update(store: Store, args: argparse.Namespace) -> int:
    from ..store.ingest.feeds.update import UpdateProgress, update_feeds

    if not Subscriptions(store).all():
        print("newstui: no feeds to update; add one with 'newstui feeds add URL'", file=sys.stderr)
        return EXIT_OK
    show = sys.stderr.isatty()

    def progress(step: UpdateProgress) -> None:
        sys.stderr.write(f"\r{step.stage} {step.done}/{step.total}\x1b[K" if step.total else "")
        sys.stderr.flush()

    try:
        report = update_feeds(store, workers=args.workers, on_progress=progress if show else None)
    finally:
        if show:
            sys.stderr.write("\r\x1b[K")
    for result in report.feeds:
        if result.error:
            print(f"newstui: {safe_value(result.error)}", file=sys.stderr)
        if result.pages_failed:
            print(f"newstui: {result.url}: {result.pages_failed} pages not fetched, kept their "
                  f"excerpts (first: {safe_value(result.page_error)})", file=sys.stderr)
    if args.json:
        rows = [{"url": r.url, "title": r.name, "status": r.status, "added": r.added,
                 "changed": r.changed, "error": r.error or None, "pages_failed": r.pages_failed}
                for r in report.feeds]
        sys.stdout.buffer.write(orjson.dumps(safe_value(rows), option=orjson.OPT_INDENT_2) + b"\n")
    else:
        unchanged = sum(r.status == "not modified" for r in report.feeds)
        print(f"updated {len(report.feeds)} feeds: {report.added} new articles, {report.changed} "
              f"changed, {unchanged} feeds not modified, {len(report.failed)} failed; "
              f"store has {len(store)}")
    return EXIT_ERROR if report.failed else EXIT_OK


def _url(text: str) -> str:
    try:
        return normalise_url(text)
    except ValueError as error:
        raise CliError(str(error)) from None
