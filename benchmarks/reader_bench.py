"""The reader on a giant article (issue 19, finding 6), beside an ordinary one in the same store.

    python benchmarks/reader_bench.py [--chars 17500000] [--workdir DIR]

One store holds the ten sample articles, one of 60,000 characters and one of ``--chars`` (the
sample's text repeated, as one paragraph), imported as ``newstui import`` does. Each row runs in a
fresh process, headless at 120×40: move the cursor down to the article ("reach": past the ones
above it, previewing each; the giant article is the sixth, so the baselines pass it on the way),
open it, page down ten times, G, then move on to the next article and wait: "idle CPU" is what
the app spends in the 5 s after the cursor has moved past it.

Rows: the giant article, and as same-run baselines a sample article (1,011 characters) and the
60,000-character one (as many pages to scroll through, but short enough to lay out whole).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TERMINAL = (120, 40)
GIANT_TITLE = "一篇巨大的文章"
LONG_TITLE, LONG_CHARS = "一篇长文章", 60_000  # long enough for ten pages, laid out whole
IDLE_S = 5.0
PHASE_TIMEOUT_S = 180.0


def build_store(folder: Path, chars: int) -> Path:
    from newstui.sample import sample_path
    from newstui.store.ingest.formats.tsv import parse
    from newstui.store.ingest.pipeline import import_sources
    from newstui.store.records.db import Store

    path = folder / f"reader-{chars}-{LONG_CHARS}.json"
    if path.exists():
        return path
    records = [r for r in parse(sample_path().read_bytes(), origin="sample") if hasattr(r, "body")]
    text = "".join(record.body for record in records)
    files = []
    for title, size in ((LONG_TITLE, LONG_CHARS), (GIANT_TITLE, chars)):
        row = {"title": title, "body": (text * (size // len(text) + 1))[:size], "date": "2018-09-15",
               "source": "bench"}
        # One JSON file each: JSON Lines whose first line is longer than the format sniffer reads
        # is taken for one JSON document.
        files.append(folder / f"article-{size}.json")
        files[-1].write_text(json.dumps(row, ensure_ascii=False), encoding="utf-8")
    store = Store(path)
    report = import_sources(store, [str(sample_path()), *map(str, files)])
    store.close()
    for file in files:
        file.unlink()
    if report.added != len(records) + 2:
        raise SystemExit(f"the benchmark store was not imported whole: {report}")
    return path


def _memory_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1]) / 1024
    return 0.0


async def _measure(store: Path, title: str) -> dict[str, float]:
    from newstui.tui.app import NewsApp
    from newstui.tui.config import Config

    app = NewsApp(store, Config(cursor_blink=False))
    result: dict[str, float] = {}

    async def idle(pilot) -> None:
        """Until every worker is done and the screen painted (bounded: the old reader never was)."""
        deadline = time.perf_counter() + PHASE_TIMEOUT_S
        while time.perf_counter() < deadline:
            await app.workers.wait_for_complete()
            await pilot.pause()
            if all(worker.is_finished for worker in app.workers):
                return
        raise TimeoutError

    context = app.run_test(size=TERMINAL)
    pilot = await context.__aenter__()
    await idle(pilot)
    result["rss_listed"] = _memory_mb("VmRSS")
    row = next(i for i, entry in enumerate(app.article_list.entries) if entry.title == title)
    started, cpu = time.perf_counter(), time.process_time()
    await pilot.press(*["j"] * row)  # the cursor passes the articles above, previewing each
    await idle(pilot)
    result["reach_s"], result["reach_cpu"] = time.perf_counter() - started, time.process_time() - cpu
    started = time.perf_counter()
    await pilot.press("enter")
    await idle(pilot)
    result["open_s"] = time.perf_counter() - started
    started, cpu = time.perf_counter(), time.process_time()
    await pilot.press(*["space"] * 10)
    await idle(pilot)
    result["page_s"], result["page_cpu"] = time.perf_counter() - started, time.process_time() - cpu
    started, cpu = time.perf_counter(), time.process_time()
    await pilot.press("G")
    await idle(pilot)
    result["end_s"], result["end_cpu"] = time.perf_counter() - started, time.process_time() - cpu
    await pilot.press("h", "j")  # on to the next article
    await idle(pilot)
    cpu = time.process_time()
    await asyncio.sleep(IDLE_S)
    result["idle_cpu"] = (time.process_time() - cpu) / IDLE_S
    result["rss_after"] = _memory_mb("VmRSS")
    started = time.perf_counter()
    await context.__aexit__(None, None, None)
    result["quit_s"] = time.perf_counter() - started
    result["peak_rss"] = _memory_mb("VmHWM")
    return result


def child(store: Path, title: str) -> None:
    print(json.dumps(asyncio.run(_measure(store, title))))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chars", type=int, default=17_500_000)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(Path(args.child[0]), args.child[1])
        return
    folder = args.workdir or Path(tempfile.mkdtemp(prefix="reader-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    store = build_store(folder, args.chars)
    rows = [("sample article (baseline)", "商汤科技与德勤签署战略合作协议 开启人工智能领域多项深度合作"),
            (f"{LONG_CHARS:,}-char article", LONG_TITLE),
            (f"{args.chars:,}-char article", GIANT_TITLE)]
    print(f"{'article':<28} {'reach s (CPU)':>13} {'open s':>7} {'10 pages s (CPU)':>16} "
          f"{'G s (CPU)':>11} "
          f"{'idle CPU after':>14} {'RSS after MB':>12} {'peak RSS MB':>11} {'quit s':>7}")
    for label, title in rows:
        run = subprocess.run([sys.executable, __file__, "--child", str(store), title],
                             capture_output=True, text=True, timeout=4 * PHASE_TIMEOUT_S)
        if run.returncode != 0:
            print(f"{label:<28} failed: {run.stderr.strip().splitlines()[-1:]}")
            continue
        r = json.loads(run.stdout.strip().splitlines()[-1])
        pages, end = f"{r['page_s']:.2f} ({r['page_cpu']:.2f})", f"{r['end_s']:.2f} ({r['end_cpu']:.2f})"
        reach = f"{r['reach_s']:.2f} ({r['reach_cpu']:.2f})"
        print(f"{label:<28} {reach:>13} {r['open_s']:>7.2f} {pages:>16} {end:>11} {r['idle_cpu']:>14.0%} "
              f"{r['rss_after']:>12.0f} {r['peak_rss']:>11.0f} {r['quit_s']:>7.2f}")


if __name__ == "__main__":
    main()
