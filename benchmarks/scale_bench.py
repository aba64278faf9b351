"""The whole 100,000-article path on this machine, one table with the goal beside each figure.

    python benchmarks/scale_bench.py --n 100000      # the real thing (~10 minutes)
    python benchmarks/scale_bench.py --n 2000        # CI smoke test

Steps: generate a JSONL corpus; import it with ``newstui import``, killed with SIGKILL part-way and
restarted (the resumed total is the import time; the peak is the resident memory of the import's
whole process tree, workers included); the index's size beside the store's; then, on that store,
a cold ``newstui search --json``, the browser's first paint and search ready (``newstui`` in a tmux
terminal: from the launch until the list shows the newest article, and until a query typed into
the search bar at once lists the oldest article), opening articles,
search per keystroke beside a substring scan of every title and body held in memory, resident
memory, and last ``newstui reindex``. Every figure has a baseline measured in the same run.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.corpus import write_jsonl  # noqa: E402  (needs the path above)

TYPED_QUERIES = [
    "商汤科技", "人工智能", "经济发展", "中国", "新华社", "政府工作", "市场", "技术创新", "北京", "国际合作",
    "shangtang", "rengong", "jingji", "science", "发展战略", "公司", "研究", "教育", "医疗", "改革",
]
SCANNED_PREFIXES = 40  # of the keystrokes, timed again as a substring scan (each scans everything)
CATALOGUE_BYTES_PER_ARTICLE = 200
MB = 1024 * 1024


def newstui(*args: str) -> list[str]:
    script = Path(sys.executable).with_name("newstui")
    return [str(script), *args] if script.exists() else [sys.executable, "-m", "newstui.tui.cli", *args]


def keystrokes() -> list[str]:
    return [query[:end] for query in TYPED_QUERIES for end in range(1, len(query) + 1)]


class TreePeak:
    """The highest resident memory of a process and all its descendants, sampled every 50 ms."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak = pid, 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._done.wait(0.05):
            self.peak = max(self.peak, sum(_rss(pid) for pid in _tree(self.pid)))

    def stop(self) -> int:
        self._done.set()
        self._thread.join()
        return self.peak


def _tree(pid: int) -> list[int]:
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        with contextlib.suppress(OSError):
            queue += [int(c) for c in Path(f"/proc/{current}/task/{current}/children").read_text().split()]
    return found


def _rss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def run_measured(command: list[str], kill_when=None) -> tuple[float, int, bool]:
    """Run a command: (seconds, peak resident bytes of its process tree, whether it was killed)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    peak = TreePeak(process.pid)
    killed = False
    while process.poll() is None:
        if kill_when is not None and kill_when():
            os.killpg(process.pid, signal.SIGKILL)
            killed = True
            break
        time.sleep(0.2)
    process.wait()
    seconds = time.perf_counter() - started
    if not killed and process.returncode != 0:
        raise SystemExit(process.stderr.read().decode())
    return seconds, peak.stop(), killed


def import_with_a_kill(source: Path, db: Path, n: int) -> dict:
    """Import, SIGKILL once about a third of the way in, restart; return times and counts."""
    from newstui.store.records.db import Store

    kill_at = n // 3 * CATALOGUE_BYTES_PER_ARTICLE  # the catalogue grows by about this much per article
    first_s, first_peak, killed = run_measured(
        newstui("import", str(source), "--db", str(db)),
        kill_when=lambda: n >= 3000 and db.exists() and db.stat().st_size >= kill_at,
    )
    committed = len(Store(db)) if db.exists() else 0
    resume_s, resume_peak, _ = run_measured(newstui("import", str(source), "--db", str(db)))
    store = Store(db)
    return {
        "killed": killed, "committed_at_kill": committed, "total_s": first_s + resume_s,
        "peak": max(first_peak, resume_peak), "final_count": len(store), "distinct_ids": len(store.ids()),
    }


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def measure_session(db: Path) -> dict:
    """In a fresh process: open articles, type queries, and read the resident memory."""
    code = f"""
import json, random, resource, time
from newstui.store.records.db import Store
from newstui.store.search.searcher import Searcher
prefixes = {keystrokes()!r}
store = Store({str(db)!r})
ids = store.ordered_ids()
searcher = Searcher(store)
t = time.perf_counter(); searcher.load(); load_s = time.perf_counter() - t
rng = random.Random(3)
open_ms = []
for article_id in rng.sample(ids, min(60, len(ids))):
    t = time.perf_counter(); store.get(article_id); open_ms.append((time.perf_counter() - t) * 1000)
def typed(limit):
    times = []
    for prefix in prefixes:
        t = time.perf_counter(); searcher.search(prefix, limit=limit)
        times.append((time.perf_counter() - t) * 1000)
    return times
typed(200)  # warm: the vocabulary's tables are built in the background after load
key_ms, browser_ms = typed(200), typed(2000)
q = lambda xs, p: sorted(xs)[min(len(xs) - 1, int(len(xs) * p))]
print(json.dumps({{"index_load_s": load_s, "open_p95_ms": q(open_ms, .95),
    "key_p50_ms": q(key_ms, .5), "key_p95_ms": q(key_ms, .95), "browser_p95_ms": q(browser_ms, .95),
    "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def measure_scan(db: Path) -> float:
    """p95 ms of a plain substring scan over every title and body held in memory (the baseline),
    for a sample of the keystrokes, in a process of its own."""
    prefixes = keystrokes()[:: max(1, len(keystrokes()) // SCANNED_PREFIXES)]
    code = f"""
import json, time
from newstui.store.records.db import Store
texts = [a.title + "\\n" + a.body for a in Store({str(db)!r}).articles()]
times = []
for prefix in {prefixes!r}:
    t = time.perf_counter(); [i for i, text in enumerate(texts) if prefix in text]
    times.append((time.perf_counter() - t) * 1000)
print(json.dumps(sorted(times)[min(len(times) - 1, int(len(times) * .95))]))
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep the store")
    args = parser.parse_args()
    if args.keep:
        Path(args.keep).mkdir(parents=True, exist_ok=True)
        run(Path(args.keep), args.n)
        return
    with tempfile.TemporaryDirectory(prefix="newstui-scale-") as workdir:
        run(Path(workdir), args.n)


def run(workdir: Path, n: int) -> None:
    """Every step in workdir, then the table."""
    from benchmarks.tui_bench import terminal_seconds
    from newstui.store.records.db import Store

    rows: list[tuple[str, str, str, str]] = []

    t = time.perf_counter()
    source = write_jsonl(workdir / f"news-{n}.jsonl", n)
    rows.append(("generate corpus", f"{time.perf_counter() - t:.1f} s",
                 f"{source.stat().st_size / 1e6:.0f} MB of JSONL", ""))

    t = time.perf_counter()
    import orjson

    with open(source, "rb") as handle:
        parsed = sum(1 for line in handle if orjson.loads(line))
    parse_s = time.perf_counter() - t
    db = workdir / "news.json"
    imp = import_with_a_kill(source, db, n)
    ok = imp["final_count"] == imp["distinct_ids"] == parsed
    rows.append(("import (killed once, resumed)", f"{imp['total_s']:.1f} s",
                 f"baseline: parse only {parse_s:.1f} s", ""))
    kill_note = (f"{imp['committed_at_kill']:,} committed at the kill" if imp["killed"]
                 else "not killed (too small to kill part-way)")
    rows.append(("  import rate", f"{n / imp['total_s']:,.0f} articles/s", kill_note, "≥ 333 articles/s"))
    rows.append(("  after resume", f"{imp['final_count']:,} articles",
                 "no loss, no duplicates" if ok else "MISMATCH", f"= {parsed:,}"))
    rows.append(("  peak resident, process tree", f"{imp['peak'] / MB:.0f} MB", "import and its workers",
                 "≤ 1024 MB"))

    store = Store(db)
    index_bytes, store_bytes = folder_bytes(store.index_dir), store.stats()["bytes"]
    rows.append(("search index on disk", f"{index_bytes / MB:.0f} MB",
                 f"store {store_bytes / MB:.0f} MB: {index_bytes / store_bytes:.2f} ×", "≤ 0.6 × store"))

    baseline_s, _, _ = run_measured([sys.executable, "-c", "import orjson"])
    search_s, _, _ = run_measured(newstui("search", "商汤", "--json", "--db", str(db)))
    rows.append(("cold `newstui search --json`", f"{search_s:.2f} s",
                 f"baseline: bare python {baseline_s:.2f} s", "≤ 0.5 s"))

    (empty_s, _), (paint_s, ready_s) = terminal_seconds(None), terminal_seconds(db)
    rows.append(("first paint, list filled", f"{paint_s:.2f} s", f"baseline: empty app {empty_s:.2f} s",
                 "≤ 1 s"))
    rows.append(("browser search ready", f"{ready_s:.2f} s", "from launch to a query's results", "≤ 1 s"))

    session, scan_ms = measure_session(db), measure_scan(db)
    rows.append(("open an article (p95)", f"{session['open_p95_ms']:.1f} ms", "", "≤ 50 ms"))
    rows.append(("search per keystroke p50/p95",
                 f"{session['key_p50_ms']:.1f}/{session['key_p95_ms']:.1f} ms",
                 f"substring scan p95 {scan_ms:.0f} ms: {session['key_p95_ms'] / scan_ms:.3f} ×",
                 "≤ 10 ms, ≤ 0.1 × scan"))
    rows.append(("  with the browser's 2,000 hits", f"p95 {session['browser_p95_ms']:.1f} ms", "", ""))
    rows.append(("search index load", f"{session['index_load_s']:.2f} s", "", ""))
    rows.append(("resident memory (store+index+reads)", f"{session['rss_mb']:.0f} MB", "", "≤ 1024 MB"))

    reindex_s, reindex_peak, _ = run_measured(newstui("reindex", "--db", str(db)))
    rows.append(("`newstui reindex`", f"{reindex_s:.1f} s", f"peak {reindex_peak / MB:.0f} MB, process tree",
                 "≤ 120 s"))

    print(f"\nnewstui at {n:,} articles — {os.cpu_count()} cores, Python {sys.version.split()[0]}\n")
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    header = ("step", "measured", "same-run baseline / note", "goal")
    widths = [max(w, len(h)) for w, h in zip(widths, header, strict=True)]
    for row in (header, tuple("-" * w for w in widths), *rows):
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
    if not ok:
        raise SystemExit("import lost or duplicated articles")


if __name__ == "__main__":
    main()
