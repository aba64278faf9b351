"""Browser start-up and scrolling at 1k, 10k and 100k articles, beside an empty Textual app.

    python benchmarks/tui_bench.py --sizes 1000 10000 100000 [--workdir DIR] [--runs 3]

Each measurement runs in a fresh process, so "first paint" includes starting Python and importing
Textual, as a user waits for it:

- ``empty Textual app``: an App with one Static — the floor for any Textual program here.
- ``newstui N``: the browser on a store of N synthetic articles (index already built, as after
  ``newstui import``): "first paint" until the list is filled and painted, "search ready" until
  the index has loaded in its worker, then ``G`` (pressed once everything is idle) until the
  last row is painted.

Stores are built once per size in ``--workdir`` (default: a temporary folder) and reused.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TERMINAL = (120, 40)
BODY_CHARS = 400  # the list never shows bodies; short ones keep building 100k stores quick


# -- child: one measurement in a fresh process ----------------------------------------------


def _measure_browser(store: Path, started: float) -> tuple[float, float, float]:
    """Times taken from the app's own refreshes (Pilot waits for idle, which threads never are).

    Hooks the app's private ``_store_loaded``: the moment the rows are handed to the list.
    """
    from newstui.store.records.db import Store
    from newstui.store.records.models import Entry
    from newstui.tui.app import NewsApp
    from newstui.tui.config import Config

    class TimedApp(NewsApp):
        first_paint = search_ready = to_end = 0.0

        def _store_loaded(self, store: Store, entries: list[Entry]) -> None:
            super()._store_loaded(store, entries)  # the rows are set: the next refresh paints them
            self.call_after_refresh(self.painted_rows)

        def painted_rows(self) -> None:
            self.first_paint = time.time() - started
            self.idle_check = self.set_interval(0.01, self.press_end_when_idle)

        def press_end_when_idle(self) -> None:
            """``G`` once the index has loaded and every worker is done: the list's own cost."""
            if not self.index_ready.is_set() or not all(w.is_finished for w in self.workers):
                return
            self.idle_check.stop()
            self.search_ready = time.time() - started
            pressed = time.perf_counter()

            def painted_end() -> None:
                self.to_end = time.perf_counter() - pressed
                self.exit()

            self.article_list.action_last()
            self.call_after_refresh(painted_end)

    # As `newstui` does: the store is opened (and its catalogue parsed) once, before the app starts.
    app = TimedApp(store, Config(cursor_blink=False), opened=Store(store))
    app.run(headless=True, size=TERMINAL)
    return app.first_paint, app.search_ready, app.to_end


def _measure_empty(started: float) -> tuple[float, float, float]:
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Empty(App[float]):
        def compose(self) -> ComposeResult:
            yield Static("hello")

        def on_mount(self) -> None:
            self.call_after_refresh(lambda: self.exit(time.time() - started))

    return Empty().run(headless=True, size=TERMINAL) or 0.0, 0.0, 0.0


def child(store: str, started: float) -> None:
    times = _measure_empty(started) if store == "-" else _measure_browser(Path(store), started)
    print(" ".join(f"{t:.6f}" for t in times))


# -- parent: build stores, run children, print the table ------------------------------------


def build_store(folder: Path, size: int) -> Path:
    from benchmarks.corpus import synthetic_articles
    from newstui.store.records.db import Store
    from newstui.store.records.models import Article, article_id
    from newstui.store.search.searcher import update_index

    path = folder / f"store-{size}" / "news.json"
    if path.exists():
        return path
    print(f"building a store of {size:,} articles in {path.parent} …", file=sys.stderr)
    store = Store(path)
    store.add(
        Article(id=article_id(a["title"], a["body"]), **a)
        for a in synthetic_articles(size, chars=BODY_CHARS)
    )
    update_index(store)
    store.close()
    return path


def measure(store: str, runs: int) -> tuple[float, ...]:
    """Median of each time over ``runs`` fresh processes."""
    results = []
    for _ in range(runs):
        started = time.time()
        output = subprocess.run(
            [sys.executable, __file__, "--child", store, "--started", repr(started)],
            capture_output=True, text=True, check=True,
        ).stdout.split()
        results.append([float(value) for value in output[-3:]])
    return tuple(statistics.median(column) for column in zip(*results, strict=True))


def browser_seconds(store: Path | None, runs: int = 3) -> tuple[float, float]:
    """Median seconds from process start to the list painted, and to search ready; None
    measures the empty app."""
    first_paint, search_ready, _ = measure(str(store) if store else "-", runs)
    return first_paint, search_ready


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--runs", type=int, default=3, help="runs per row (the median is shown)")
    parser.add_argument("--workdir", type=Path, help="keep the generated stores here")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--started", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.started)
        return

    with tempfile.TemporaryDirectory() as scratch:
        folder = args.workdir or Path(scratch)
        stores = {size: build_store(folder, size) for size in args.sizes}
        rows = [("empty Textual app", *measure("-", args.runs))]
        rows += [(f"newstui {size:,}", *measure(str(path), args.runs)) for size, path in stores.items()]
    print(f"{'':<20} {'first paint':>12} {'search ready':>13} {'G to last row':>14}"
          f"   (median of {args.runs}, {TERMINAL[0]}x{TERMINAL[1]})")
    for name, first_paint, search_ready, to_end in rows:
        later = [f"{t * 1000:.0f} ms" if name.startswith("newstui") else "—"
                 for t in (search_ready, to_end)]
        print(f"{name:<20} {first_paint * 1000:>9.0f} ms {later[0]:>13} {later[1]:>14}")


if __name__ == "__main__":
    main()
