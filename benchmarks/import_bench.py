"""Import speed and peak memory for N synthetic articles, beside two baselines from the same run.

    python benchmarks/import_bench.py --sizes 1000 10000
    python benchmarks/import_bench.py --sizes --big-jsonl-mb 1024 --data /work/data/bench
    python benchmarks/import_bench.py --sizes --small-files 5000 --baseline-checkout /work/main

Rows per N:
- ``orjson parse``: just reading and parsing the JSONL file — the floor no importer can beat.
- ``TinyDB default``: the naive store (TinyDB's JSONStorage, one insert_multiple), no cleaning,
  no summaries, no index — what the store costs without newstui's layout.
- ``newstui import``: the real pipeline (decode, clean, ids, summaries, keywords, store, index).

Each row runs in a fresh process so its peak RSS is its own.

Two more tables, each for one hostile shape of input (issue 19):
- ``--big-jsonl-mb M``: one JSONL file of M MB imported by ``newstui import`` (two summary workers),
  with the peak memory of the whole process tree (the import and its workers), sampled from /proc:
  the summed resident size and the summed proportional size (PSS: shared pages split between the
  processes that share them). Goal: the tree stays within 1 GiB whatever the file's size.
- ``--small-files N``: a folder of N one-article JSONL files, imported by this checkout and, in the
  same run, by another one (``--baseline-checkout``, e.g. the main branch, with its own .venv).
  Goal: ten times faster than the baseline, and one body shard per 500 articles, not one per file.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.corpus import synthetic_articles, write_jsonl

METHODS = ("orjson parse", "TinyDB default", "newstui import")
GIB = 1 << 30
ROOT = Path(__file__).resolve().parent.parent
SAMPLE_EVERY_S = 0.2


def run_method(method: str, source: Path, workdir: Path) -> dict:
    started = time.perf_counter()
    if method == "orjson parse":
        import orjson

        with open(source, "rb") as handle:
            count = sum(1 for line in handle if orjson.loads(line))
        store_bytes = 0
    elif method == "TinyDB default":
        import orjson
        from tinydb import TinyDB

        with open(source, "rb") as handle:
            docs = [orjson.loads(line) for line in handle]
        db = TinyDB(workdir / "naive.json")
        db.insert_multiple(docs)
        db.close()
        count = len(docs)
        store_bytes = (workdir / "naive.json").stat().st_size
    else:
        from newstui.store.ingest.pipeline import import_sources
        from newstui.store.records.db import Store

        store = Store(workdir / "news.json")
        report = import_sources(store, [str(source)])
        count = report.added
        store_bytes = sum(p.stat().st_size for p in workdir.rglob("*") if p.is_file())
    seconds = time.perf_counter() - started
    peak_kb = max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    )
    return {"count": count, "seconds": seconds, "peak_mb": peak_kb / 1024, "store_mb": store_bytes / 1e6}


def tree_memory(pid: int) -> tuple[int, int]:
    """Summed resident and proportional (PSS) bytes of pid and every process under it."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError):
            continue
    tree, queue = {pid}, [pid]
    while queue:
        parent = queue.pop()
        children = [child for child, its_parent in parents.items() if its_parent == parent]
        tree.update(children)
        queue += children
    rss = pss = 0
    for member in tree:
        try:
            for line in Path(f"/proc/{member}/smaps_rollup").read_text().splitlines():
                if line.startswith(("Rss:", "Pss:")):
                    kilobytes = int(line.split()[1]) * 1024
                    rss, pss = (rss + kilobytes, pss) if line.startswith("Rss:") else (rss, pss + kilobytes)
        except OSError:
            continue
    return rss, pss


def run_measuring_tree(argv: list[str], cwd: Path) -> dict:
    """Run a command to its end, sampling its process tree's memory; seconds and peaks."""
    started = time.perf_counter()
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}  # nothing written into a baseline checkout
    # Files, not pipes: a pipe nobody reads until the end would stall a talkative command.
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(argv, cwd=cwd, env=env, stdout=out, stderr=err)
        peak_rss = peak_pss = 0
        while process.poll() is None:
            rss, pss = tree_memory(process.pid)
            peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
            time.sleep(SAMPLE_EVERY_S)
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        if process.returncode != 0:
            tail = err.read()[-2000:].decode(errors="replace")
            raise SystemExit(f"{argv} failed ({process.returncode}):\n{tail}")
        return {"seconds": seconds, "peak_rss": peak_rss, "peak_pss": peak_pss,
                "out": out.read().decode(errors="replace")}


# The import without its search index, to tell the importer's memory from the index's.
WITHOUT_INDEX = ("import sys, newstui.store.search.indexing as indexing; from newstui.tui.cli import main\n"
                 "indexing.ImportIndex.add = lambda self, articles, words: None\n"
                 "indexing.ImportIndex.commit = lambda self: None\n"
                 "indexing.ImportIndex.finish = lambda self: None\n"
                 "sys.exit(main(sys.argv[1:]))")


def import_command(checkout: Path, store: Path, *sources: Path, index: bool = True) -> list[str]:
    """``newstui import`` as run from a checkout with its own .venv (default workers)."""
    python = checkout / ".venv" / "bin" / "python"
    run = ["-m", "newstui.tui.cli"] if index else ["-c", WITHOUT_INDEX]
    return [str(python if python.exists() else sys.executable), *run, "import",
            *map(str, sources), "--db", str(store)]


def big_jsonl_table(megabytes: int, data: Path, without_index: bool) -> None:
    source = data / f"news-{megabytes}MB.jsonl"
    articles = megabytes * 1_000_000 // 7_600  # a synthetic article of 2,500 characters is ~7.6 kB
    write_jsonl(source, articles)
    print(f"\n{source.stat().st_size / 1e6:,.0f} MB of JSONL, {articles:,} articles; "
          f"goal: process tree <= 1 GiB")
    print(f"{'method':<22} {'seconds':>8} {'articles/s':>11} {'tree RSS MiB':>13} {'tree PSS MiB':>13}")
    parse_only = "import orjson, sys\nfor line in open(sys.argv[1], 'rb'): orjson.loads(line)"
    baseline = run_measuring_tree([sys.executable, "-c", parse_only, str(source)], ROOT)
    row = run_measuring_tree(import_command(ROOT, data / "big" / "news.json", source), ROOT)
    rows = [("orjson parse (floor)", baseline), ("newstui import", row)]
    if without_index:
        command = import_command(ROOT, data / "no-index" / "news.json", source, index=False)
        rows.append(("  without the index", run_measuring_tree(command, ROOT)))
    for name, result in rows:
        print(f"{name:<22} {result['seconds']:>8.1f} {articles / result['seconds']:>11,.0f} "
              f"{result['peak_rss'] / (1 << 20):>13,.0f} {result['peak_pss'] / (1 << 20):>13,.0f}")
    verdict = "within" if row["peak_rss"] <= GIB else "OVER"
    print(f"newstui import: summed RSS {verdict} 1 GiB; {row['out'].strip().splitlines()[-1]}")


def small_files_table(count: int, data: Path, baseline_checkout: Path | None) -> None:
    folder = data / f"small-{count}"
    folder.mkdir(parents=True)
    for number, article in enumerate(synthetic_articles(count, chars=600)):
        (folder / f"{number:05d}.jsonl").write_bytes(orjson.dumps(article) + b"\n")
    print(f"\n{count:,} one-article files; goal: >= 10x faster than the baseline checkout")
    print(f"{'checkout':<36} {'seconds':>8} {'files/s':>8} {'body shards':>12} {'tree RSS MiB':>13}")
    results = {}
    for name, checkout in (("this checkout", ROOT), (f"baseline {baseline_checkout}", baseline_checkout)):
        if checkout is None:
            continue
        store = data / name.replace(" ", "-").replace("/", "_") / "news.json"
        result = run_measuring_tree(import_command(checkout, store, folder), checkout)
        shards = len(list(store.with_name(store.name + ".bodies").glob("*.json")))
        results[name] = result["seconds"]
        print(f"{name:<36} {result['seconds']:>8.1f} {count / result['seconds']:>8.1f} {shards:>12,} "
              f"{result['peak_rss'] / (1 << 20):>13,.0f}", flush=True)
    if len(results) == 2:
        ours, theirs = results.values()
        print(f"speed-up: {theirs / ours:.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--big-jsonl-mb", type=int, help="also import one JSONL file of this many MB")
    parser.add_argument("--small-files", type=int, help="also import a folder of this many one-article files")
    parser.add_argument("--baseline-checkout", type=Path, help="a checkout (with .venv) to compare with")
    parser.add_argument("--data", type=Path, help="where to generate the big inputs (deleted after)")
    parser.add_argument("--also-without-index", action="store_true",
                        help="with --big-jsonl-mb: a second import with the search index switched off")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--source", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_method(args.child, Path(args.source), Path(args.workdir))))
        return

    header = f"{'N':>7}  {'method':<15} {'seconds':>8} {'articles/s':>11} {'peak RSS MB':>12}"
    if args.sizes:
        print(header + f" {'on disk MB':>11}")
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            source = write_jsonl(Path(tmp) / f"news-{n}.jsonl", n)
            for method in METHODS:
                workdir = Path(tmp) / method.replace(" ", "-")
                workdir.mkdir()
                out = subprocess.run(
                    [sys.executable, __file__, "--child", method, "--source", str(source),
                     "--workdir", str(workdir)],
                    capture_output=True, text=True, check=True,
                )
                row = json.loads(out.stdout.strip().splitlines()[-1])
                rate = row["count"] / row["seconds"] if row["seconds"] else 0
                print(f"{n:>7}  {method:<15} {row['seconds']:>8.2f} {rate:>11,.0f} "
                      f"{row['peak_mb']:>12.0f} {row['store_mb']:>11.1f}", flush=True)
    if args.big_jsonl_mb or args.small_files:
        data = Path(tempfile.mkdtemp(prefix="import-bench-", dir=args.data))
        try:
            if args.small_files:
                small_files_table(args.small_files, data, args.baseline_checkout)
            if args.big_jsonl_mb:
                big_jsonl_table(args.big_jsonl_mb, data, args.also_without_index)
        finally:
            shutil.rmtree(data)


if __name__ == "__main__":
    main()
