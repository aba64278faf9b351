"""The whole 100,000-article path on this machine, one table with the goal beside each figure.

    python benchmarks/scale_bench.py --n 100000      # the real thing (~10 minutes)
    python benchmarks/scale_bench.py --n 2000        # CI smoke test

Steps: generate a JSONL corpus; import it with ``newstui import``, killed with SIGKILL part-way and
restarted (the resumed total is the import time); then, on that store, a cold ``newstui search
--json``, the browser's first paint with the list filled, opening articles, search per keystroke,
and resident memory. Every figure has a baseline measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.corpus import write_jsonl  # noqa: E402  (needs the path above)

TYPED_QUERIES = [
    "商汤科技", "人工智能", "经济发展", "中国", "新华社", "政府工作", "市场", "技术创新", "北京", "国际合作",
    "shangtang", "rengong", "jingji", "science", "发展战略", "公司", "研究", "教育", "医疗", "改革",
]


CATALOGUE_BYTES_PER_ARTICLE = 200


def newstui(*args: str) -> list[str]:
    script = Path(sys.executable).with_name("newstui")
    return [str(script), *args] if script.exists() else [sys.executable, "-m", "tui.cli", *args]


def timed(command: list[str], **kwargs) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, **kwargs)
    return time.perf_counter() - started, result


def import_with_a_kill(source: Path, db: Path, n: int) -> dict:
    """Import, SIGKILL once about a third of the way in, restart; return times and counts."""
    started = time.perf_counter()
    proc = subprocess.Popen(newstui("import", str(source), "--db", str(db)),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    killed = False
    # The catalogue grows by roughly CATALOGUE_BYTES_PER_ARTICLE per committed article.
    kill_at = n // 3 * CATALOGUE_BYTES_PER_ARTICLE
    while proc.poll() is None:
        if n >= 3000 and db.exists() and db.stat().st_size >= kill_at:
            proc.send_signal(signal.SIGKILL)
            killed = True
            break
        time.sleep(0.2)
    proc.wait()
    first_run = time.perf_counter() - started
    from store.db import Store

    committed = len(Store(db))
    resume_time, result = timed(newstui("import", str(source), "--db", str(db)))
    if result.returncode != 0:
        raise SystemExit(result.stderr.decode())
    store = Store(db)
    return {
        "killed": killed, "committed_at_kill": committed, "first_run_s": first_run,
        "resume_s": resume_time, "total_s": first_run + resume_time,
        "final_count": len(store), "distinct_ids": len(store.ids()),
    }


def measure_session(db: Path) -> dict:
    """In a fresh process: open articles, type queries, and read the resident memory."""
    code = f"""
import json, random, resource, statistics, time
from store.db import Store
from store.search import Searcher
queries = {TYPED_QUERIES!r}
store = Store({str(db)!r})
ids = store.ordered_ids()
searcher = Searcher(store)
t = time.perf_counter(); searcher.load(); load_s = time.perf_counter() - t
rng = random.Random(3)
open_ms = []
for article_id in rng.sample(ids, min(60, len(ids))):
    t = time.perf_counter(); store.get(article_id); open_ms.append((time.perf_counter() - t) * 1000)
key_ms, scan_ms = [], []
titles = {{e.id: e.title for e in store.entries()}}
for query in queries:
    for end in range(1, len(query) + 1):
        t = time.perf_counter(); searcher.search(query[:end], limit=200)
        key_ms.append((time.perf_counter() - t) * 1000)
for query in queries[:5]:
    t = time.perf_counter()
    [a.id for a in store.articles() if query in a.title or query in a.body]
    scan_ms.append((time.perf_counter() - t) * 1000)
q = lambda xs, p: sorted(xs)[min(len(xs) - 1, int(len(xs) * p))]
print(json.dumps({{"index_load_s": load_s, "open_p95_ms": q(open_ms, .95),
    "key_p50_ms": q(key_ms, .5), "key_p95_ms": q(key_ms, .95),
    "scan_ms": statistics.median(scan_ms),
    "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def measure_first_paint(db: Path) -> tuple[float, float]:
    """(empty app, this store) seconds from process start to the list painted, via tui_bench."""
    from benchmarks.tui_bench import first_paint_seconds

    return first_paint_seconds(None), first_paint_seconds(db)


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
                 f"baseline: parse only {parse_s:.1f} s", "≤ 300 s"))
    kill_note = (f"{imp['committed_at_kill']:,} committed at the kill" if imp["killed"]
                 else "not killed (too small to kill part-way)")
    rows.append(("  import rate", f"{n / imp['total_s']:,.0f} articles/s", kill_note, ""))
    rows.append(("  after resume", f"{imp['final_count']:,} articles",
                 "no loss, no duplicates" if ok else "MISMATCH", f"= {parsed:,}"))

    baseline_s, _ = timed([sys.executable, "-c", "import orjson"])
    search_s, result = timed(newstui("search", "商汤", "--json", "--db", str(db)))
    assert result.returncode == 0, result.stderr
    rows.append(("cold `newstui search --json`", f"{search_s:.2f} s",
                 f"baseline: bare python {baseline_s:.2f} s", "≤ 1.5 s"))

    empty_s, paint_s = measure_first_paint(db)
    rows.append(("first paint, list filled", f"{paint_s:.2f} s",
                 f"baseline: empty app {empty_s:.2f} s", "≤ 1 s"))

    session = measure_session(db)
    rows.append(("open an article (p95)", f"{session['open_p95_ms']:.1f} ms", "", "≤ 50 ms"))
    rows.append(("search per keystroke p50/p95",
                 f"{session['key_p50_ms']:.1f}/{session['key_p95_ms']:.1f} ms",
                 f"baseline: substring scan {session['scan_ms']:.0f} ms", "≤ 50 ms"))
    rows.append(("search index load", f"{session['index_load_s']:.2f} s", "", "≤ 1 s"))
    rows.append(("resident memory (store+index+reads)", f"{session['rss_mb']:.0f} MB", "", "≤ 1024 MB"))

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
