"""Search benchmark: index build (``newstui reindex``), size, load, memory and per-keystroke latency.

    python benchmarks/search_bench.py                 # N = 1,000, 10,000, 100,000
    python benchmarks/search_bench.py --sizes 1000    # a quick run

The corpus is synthetic: titles and ~2,500-character bodies of words drawn from jieba's
dictionary by frequency (sentences are drawn from a pool so 100k articles generate quickly).
Latency is measured like a user typing: every prefix of 20 queries, one search per keystroke,
in a fresh process that only loads the index (so its memory is what the app would pay).
The baseline, measured in the same process on the same prefixes, is a plain Python substring
scan over title + body; the table prints our p95 as a fraction of the baseline's.
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from newstui.store.records.db import Store
from newstui.store.records.models import Article
from newstui.store.search.searcher import Searcher, rebuild_index

BODY_CHARS = 2500
SENTENCE_POOL = 200_000
BATCH = 10_000  # articles per store commit (one body shard each)
# Typed queries: common and rare words, a phrase of two words, pinyin, typos, English.
QUERIES = [
    "人工智能", "经济发展", "北京", "中国", "科技", "教育", "医院", "足球",
    "美国总统", "互联网", "环境保护", "新能源汽车", "社会主义", "股票市场",
    "文化 传统", "学生 考试", "beijing", "jingji", "经齐发展", "人工只能",
]


def dictionary() -> tuple[list[str], list[int]]:
    spec = importlib.util.find_spec("jieba")
    assert spec is not None and spec.origin is not None
    lines = (Path(spec.origin).parent / "dict.txt").read_text(encoding="utf-8").splitlines()
    pairs = [line.split(" ")[:2] for line in lines if line]
    return [w for w, _ in pairs], list(itertools.accumulate(int(f) for _, f in pairs))


def corpus(count: int, seed: int = 1) -> list[Article]:
    words, weights = dictionary()
    rng = random.Random(seed)
    pool = [
        "".join(rng.choices(words, cum_weights=weights, k=rng.randint(6, 16)))
        + rng.choice("，，，。；！？")
        for _ in range(min(SENTENCE_POOL, count * 20))
    ]
    sentence_chars = sum(map(len, pool)) / len(pool)
    per_body = int(BODY_CHARS / sentence_chars)
    articles = []
    for number in range(count):
        title = "".join(rng.choices(words, cum_weights=weights, k=rng.randint(5, 10)))
        body = "".join(rng.choices(pool, k=per_body))
        # Paragraphs of a few hundred characters, like news.
        body = "\n".join(body[i : i + 300] for i in range(0, len(body), 300))
        day = number % 3650
        date = f"{2014 + day // 365}-{day % 365 // 31 + 1:02d}-{day % 28 + 1:02d}"
        articles.append(
            Article(id=f"a{number:07d}", title=title, body=body, date=date, source="bench", lang="zh")
        )
    return articles


def keystrokes(query: str) -> list[str]:
    return [query[:end] for end in range(1, len(query) + 1) if query[:end].strip()]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(store_path: str) -> dict:
    """Runs in a fresh process: load, type the queries, then the baseline scan."""
    started = time.perf_counter()
    store = Store(store_path)
    searcher = Searcher(store)
    searcher.load()
    load_s = time.perf_counter() - started
    rss_loaded = rss_mib()
    prefixes = [p for q in QUERIES for p in keystrokes(q)]
    latencies, totals = [], []
    for prefix in prefixes:
        result = searcher.search(prefix, limit=200)
        latencies.append(result.elapsed_ms)
        totals.append(result.total)
    rss_searched = rss_mib()
    texts = [article.title + "\n" + article.body for article in store.articles()]
    baseline = []
    for prefix in prefixes:
        started = time.perf_counter()
        needles = prefix.split()
        [i for i, text in enumerate(texts) if all(n in text for n in needles)]
        baseline.append((time.perf_counter() - started) * 1000)
    return {
        "load_s": load_s,
        "rss_loaded": rss_loaded,
        "rss_searched": rss_searched,
        "p50": percentile(latencies, 0.5),
        "p95": percentile(latencies, 0.95),
        "max": max(latencies),
        "base_p50": percentile(baseline, 0.5),
        "base_p95": percentile(baseline, 0.95),
        "keystrokes": len(prefixes),
        "median_hits": statistics.median(totals),
    }


def run(size: int, workdir: Path) -> dict:
    store_path = workdir / f"bench-{size}" / "news.json"
    store_path.parent.mkdir(parents=True, exist_ok=False)
    store = Store(store_path)
    started = time.perf_counter()
    articles = corpus(size)
    generate_s = time.perf_counter() - started
    for start in range(0, size, BATCH):
        store.add(articles[start : start + BATCH])
    del articles
    started = time.perf_counter()
    rebuild_index(store)
    build_s = time.perf_counter() - started
    index_mib = sum(f.stat().st_size for f in store.index_dir.rglob("*") if f.is_file()) / 2**20
    store_mib = store.stats()["bytes"] / 2**20
    store.close()
    child = subprocess.run(
        [sys.executable, __file__, "--measure", str(store_path)],
        check=True, capture_output=True, text=True,
    )
    return {
        "size": size, "generate_s": generate_s, "build_s": build_s,
        "index_mib": index_mib, "store_mib": store_mib, **json.loads(child.stdout),
    }


def print_table(rows: list[dict]) -> None:
    header = (
        f"{'N':>7} {'build s':>8} {'index MiB':>10} {'store MiB':>10} {'load s':>7} "
        f"{'RSS MiB':>8} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} "
        f"{'scan p50':>9} {'scan p95':>9} {'p95/scan':>9}"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        print(
            f"{r['size']:>7} {r['build_s']:>8.1f} {r['index_mib']:>10.1f} {r['store_mib']:>10.1f} "
            f"{r['load_s']:>7.2f} {r['rss_searched']:>8.0f} {r['p50']:>7.1f} {r['p95']:>7.1f} "
            f"{r['max']:>7.1f} {r['base_p50']:>9.1f} {r['base_p95']:>9.1f} "
            f"{r['p95'] / r['base_p95']:>9.3f}"
        )
    print(
        f"\n{rows[0]['keystrokes']} keystrokes per size (every prefix of {len(QUERIES)} queries); "
        "scan = Python substring scan over title+body (the baseline); "
        "RSS = the searching process after all keystrokes."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--workdir", type=Path, help="build stores here and keep them")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return
    rows = []
    with tempfile.TemporaryDirectory(prefix="newstui-search-bench-") as scratch:
        for size in args.sizes:
            rows.append(run(size, args.workdir or Path(scratch)))
            print(
                f"N={size}: generated in {rows[-1]['generate_s']:.0f} s, "
                f"indexed in {rows[-1]['build_s']:.1f} s",
                file=sys.stderr,
            )
    print_table(rows)


if __name__ == "__main__":
    main()
