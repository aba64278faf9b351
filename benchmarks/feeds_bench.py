"""Refreshing feeds from a local server, beside importing the same items from files (same run).

    python benchmarks/feeds_bench.py                     # 100 synthetic feeds x 50 items
    python benchmarks/feeds_bench.py --feeds 20 --items 10 --chars 500
    python benchmarks/feeds_bench.py --real ../data/feedparser-tests/tests/wellformed/rss

Rows:
- ``newstui import FOLDER``: the same feed files imported from disk, into a fresh store (baseline);
- ``newstui update`` (first): every feed downloaded from a server on 127.0.0.1 (ETag,
  Last-Modified, gzip), parsed and imported; goal: at most 1.5 x the import;
- ``newstui update`` (second, nothing new): every request is conditional and answered 304;
  goal: 2 s in all;
- ``newsboat -x reload``, first and second, on the same feeds (when newsboat is installed),
  with as many download threads as newstui uses.

Each command runs as a fresh process, so start-up counts the same for all. ``--real DIR`` serves
every file under DIR instead of synthetic feeds and reports how many each reader could read.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.corpus import synthetic_articles
from newstui.store.ingest.feeds.update import CONNECTIONS


def write_feeds(folder: Path, feeds: int, items: int, chars: int) -> list[Path]:
    articles = synthetic_articles(feeds * items, chars=chars)
    paths = []
    for number in range(feeds):
        entries = []
        for index in range(items):
            article = next(articles)
            paragraphs = "".join(f"<p>{escape(p)}</p>" for p in article["body"].split("\n"))
            entries.append(
                f"<item><guid isPermaLink='false'>feed{number}-{index}</guid>"
                f"<title>{escape(article['title'])}</title><link>{article['url']}</link>"
                f"<pubDate>{formatdate(1537956540 + index * 3600)}</pubDate>"
                f"<description>{escape(paragraphs)}</description></item>"
            )
        path = folder / f"feed-{number:03d}.xml"
        path.write_text(
            f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
            f"<title>{escape(article['source'])} {number}</title><link>https://news.example/</link>"
            + "".join(entries) + "</channel></rss>",
            encoding="utf-8",
        )
        paths.append(path)
    return paths


class FeedFiles:
    """Serves files as feeds: ETag and Last-Modified, 304 when they come back, gzip if asked."""

    def __init__(self, paths: list[Path]) -> None:
        self.files = {f"/{path.name}": path.read_bytes() for path in paths}
        self.zipped = {name: gzip.compress(body) for name, body in self.files.items()}
        self.answers: dict[int, int] = {}
        served = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                body = served.files.get(self.path)
                if body is None:
                    self.send_error(404)
                    return
                etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
                modified = formatdate(1537956540, usegmt=True)
                asked = (self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since"))
                if asked[0] == etag or asked[1] == modified:
                    served.count(304)
                    self.send_response(304)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                served.count(200)
                zipped = "gzip" in (self.headers.get("Accept-Encoding") or "")
                payload = served.zipped[self.path] if zipped else body
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("Content-Length", str(len(payload)))
                if zipped:
                    self.send_header("Content-Encoding", "gzip")
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", modified)
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: object) -> None:
                pass

        self._lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def count(self, status: int) -> None:
        with self._lock:
            self.answers[status] = self.answers.get(status, 0) + 1

    def urls(self) -> list[str]:
        port = self.httpd.server_address[1]
        return [f"http://127.0.0.1:{port}{name}" for name in self.files]

    def take_answers(self) -> dict[int, int]:
        with self._lock:
            answers, self.answers = self.answers, {}
        return answers

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def timed(command: list[str], env: dict) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, env=env, timeout=3600)
    return time.perf_counter() - started, result


def newstui(*args: str) -> list[str]:
    return [sys.executable, "-m", "newstui.tui.cli", *args]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--feeds", type=int, default=100)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--chars", type=int, default=1000, help="characters per item")
    parser.add_argument("--real", type=Path, help="serve the feed files under this folder instead")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="feeds-bench-"))
    env = {**os.environ, "HOME": str(work), "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    server = None
    try:
        folder = work / "feeds"
        folder.mkdir()
        if args.real:
            paths = []
            for number, path in enumerate(sorted(p for p in args.real.rglob("*") if p.is_file())):
                paths.append(folder / f"real-{number:04d}.xml")
                shutil.copyfile(path, paths[-1])
        else:
            paths = write_feeds(folder, args.feeds, args.items, args.chars)
        server = FeedFiles(paths)
        urls = server.urls()
        (work / "urls").write_text("\n".join(urls) + "\n")
        rows = []

        seconds, result = timed(newstui("import", str(folder), "--db", str(work / "files.json")), env)
        imported = (result.stdout or result.stderr).decode().strip().splitlines()[-1]
        rows.append(("newstui import FOLDER", seconds, "baseline", imported[:60]))

        db = str(work / "feeds.json")
        subprocess.run(newstui("feeds", "add", *urls, "--db", db), capture_output=True, env=env, check=True)
        seconds_first, result = timed(newstui("update", "--db", db), env)
        summary = result.stdout.decode().strip()
        rows.append(("newstui update (first)", seconds_first, f"{seconds_first / seconds:.2f} x import",
                     summary[:60]))
        answers = server.take_answers()
        seconds_second, result = timed(newstui("update", "--db", db), env)
        answers = server.take_answers()
        rows.append(("newstui update (nothing new)", seconds_second,
                     f"{answers.get(304, 0)} x 304, {answers.get(200, 0)} x 200",
                     result.stdout.decode()[:60]))

        if shutil.which("newsboat"):
            (work / "config").write_text(f"reload-threads {CONNECTIONS}\n")
            command = ["newsboat", "-u", str(work / "urls"), "-c", str(work / "newsboat.db"),
                       "-C", str(work / "config"), "-x", "reload"]
            for label in ("newsboat -x reload (first)", "newsboat -x reload (again)"):
                seconds_nb, result = timed(command, env)
                answers = server.take_answers()
                rows.append((label, seconds_nb, f"{answers.get(304, 0)} x 304, {answers.get(200, 0)} x 200",
                             f"exit {result.returncode}"))
            if args.real:
                import sqlite3

                with sqlite3.connect(work / "newsboat.db") as cache:
                    items = cache.execute("select count(*) from rss_item").fetchone()[0]
                rows.append(("newsboat items stored", float(items), "", ""))
        else:
            rows.append(("newsboat", float("nan"), "not installed", ""))

        label = f"{len(urls)} feeds"
        if not args.real:
            label += f" x {args.items} items, {args.chars} chars each"
        print(f"\n{label}\n")
        print(f"{'step':<30} {'seconds':>8}  {'same-run baseline / check':<28} output")
        print(f"{'-' * 30} {'-' * 8}  {'-' * 28} {'-' * 30}")
        for name, value, baseline, note in rows:
            print(f"{name:<30} {value:>8.2f}  {baseline:<28} {note}")
        print(f"\ngoals: first update <= 1.5 x import ({seconds_first / seconds:.2f}); "
              f"nothing new <= 2 s ({seconds_second:.2f} s)")
    finally:
        if server is not None:
            server.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
