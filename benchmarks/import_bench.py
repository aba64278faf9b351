"""Import speed and peak memory for N synthetic articles, beside two baselines from the same run.

    python benchmarks/import_bench.py --sizes 1000 10000

Rows per N:
- ``orjson parse``: just reading and parsing the JSONL file — the floor no importer can beat.
- ``TinyDB default``: the naive store (TinyDB's JSONStorage, one insert_multiple), no cleaning,
  no summaries, no index — what the store costs without newstui's layout.
- ``newstui import``: the real pipeline (decode, clean, ids, summaries, keywords, store, index).

Each row runs in a fresh process so its peak RSS is its own.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.corpus import write_jsonl

METHODS = ("orjson parse", "TinyDB default", "newstui import")


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
        from store.db import Store
        from store.importing import import_sources

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--source", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_method(args.child, Path(args.source), Path(args.workdir))))
        return

    header = f"{'N':>7}  {'method':<15} {'seconds':>8} {'articles/s':>11} {'peak RSS MB':>12}"
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


if __name__ == "__main__":
    main()
