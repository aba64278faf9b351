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

``terminal_seconds`` (what ``scale_bench.py`` reports) times the same start-up from outside, as a
person sees it: ``newstui`` runs in a private tmux server and the screen is read every 10 ms,
until the list shows the newest article, and until a query typed into the search bar lists what
it asked for.
"""

from __future__ import annotations

import argparse
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
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

        def _store_loaded(self, store: Store, entries: list[Entry], has_feeds: bool) -> None:
            super()._store_loaded(store, entries, has_feeds)  # the rows are set: the next refresh paints them
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


# -- in a real terminal: tmux runs the installed command, the screen is read back --------------

EMPTY_APP = (
    "from textual.app import App\nfrom textual.widgets import Static\n"
    "class Empty(App):\n    def compose(self):\n        yield Static('empty app painted')\nEmpty().run()\n"
)
SCREEN_POLL_S = 0.01


class Terminal:
    """A private tmux server with one window of TERMINAL's size, running one command."""

    def __init__(self, command: list[str]) -> None:
        self.folder = tempfile.TemporaryDirectory(prefix="newstui-tmux-")
        self.socket = ["tmux", "-S", str(Path(self.folder.name) / "socket"), "-f", "/dev/null"]
        size = ["-x", str(TERMINAL[0]), "-y", str(TERMINAL[1])]
        launch = [*self.socket, "new-session", "-d", *size, "-s", "bench",
                  shlex.join(["env", "NEWSTUI_CURSOR_BLINK=false", "TERM=xterm-256color", *command])]
        for _ in range(3):  # tmux's server now and then fails to start on a loaded machine
            self.started = time.perf_counter()
            started = subprocess.run(launch, capture_output=True, text=True)
            if started.returncode == 0:
                return
        raise SystemExit(f"tmux would not start {command[0]}: {started.stderr.strip()}")

    def screen(self) -> str:
        return subprocess.run([*self.socket, "capture-pane", "-p", "-t", "bench"], capture_output=True,
                              text=True).stdout

    def type(self, text: str) -> None:
        subprocess.run([*self.socket, "send-keys", "-t", "bench", "-l", text], check=True)

    def seconds_until(self, shown: Callable[[str], bool], timeout: float = 60.0) -> float:
        """Seconds from the launch until the screen shows what ``shown`` looks for."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if shown(self.screen()):
                return time.perf_counter() - self.started
            time.sleep(SCREEN_POLL_S)
        raise SystemExit(f"the terminal never showed what was awaited; it shows:\n{self.screen()}")

    def close(self) -> None:
        subprocess.run([*self.socket, "kill-server"], capture_output=True)
        self.folder.cleanup()


def terminal_seconds(store: Path | None, runs: int = 3) -> tuple[float, float]:
    """Median seconds from launching ``newstui`` in a terminal until its list shows the newest
    article, and until the oldest article's title typed into its search bar at once, as a quoted
    phrase, lists that article; for None, until an empty Textual app has painted (and 0)."""
    if store is None:
        return statistics.median(_painted([sys.executable, "-c", EMPTY_APP], "empty app painted")
                                 for _ in range(runs)), 0.0
    from newstui.store.records.db import Store

    opened = Store(store)
    ids = opened.ordered_ids("date")
    newest, oldest = opened.entry(ids[0]).title, opened.entry(ids[-1]).title
    newstui = Path(sys.executable).with_name("newstui")
    query = '"' + oldest.replace('"', " ") + '"'
    times = [_searched([str(newstui), "--db", str(store)], newest, (query, oldest), len(ids))
             for _ in range(runs)]
    return statistics.median(t[0] for t in times), statistics.median(t[1] for t in times)


def _painted(command: list[str], text: str) -> float:
    terminal = Terminal(command)
    try:
        return terminal.seconds_until(lambda screen: text in screen)
    finally:
        terminal.close()


def _searched(command: list[str], newest: str, wanted: tuple[str, str], total: int) -> tuple[float, float]:
    """(first paint, search ready): ``wanted`` is the query and the title it must list."""
    query, title = wanted
    terminal = Terminal(command)
    try:
        painted = terminal.seconds_until(lambda screen: _shown(newest) in screen)
        terminal.type("/")
        terminal.type(query)
        every = f"{total:,} of {total:,}"
        return painted, terminal.seconds_until(lambda screen: _shown(title) in screen and every not in screen)
    finally:
        terminal.close()


def _shown(title: str) -> str:
    """The start of a title as the list shows it (the row may cut the rest)."""
    return title.strip()[:8]


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
