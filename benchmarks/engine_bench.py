"""newstui's search beside bare tantivy queries on the same index: what our query layer costs.

    python benchmarks/engine_bench.py --n 20000            # build a store of N synthetic articles
    python benchmarks/engine_bench.py --db PATH            # or measure an existing store

The same 200 queries (common words, rare words, two-word ANDs, single characters, word prefixes
typed keystroke by keystroke, phrases) run through ``Searcher.search`` (parsing, vocabulary
expansion, scoring, hits with ids and title highlights) and as bare tantivy queries with no
expansion: a term query per word (a phrase query over characters for what is no word), ANDed,
phrases over character positions, each hit's id read back. The bare queries are the floor; the
goal is newstui's p95 within three times the floor's. Both take 200 hits and count every match.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from itertools import islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tantivy import Occur, Query  # after the path above: the benchmarks run from anywhere

from benchmarks.corpus import synthetic_articles
from newstui.store.records.db import Store
from newstui.store.records.models import Article, article_id
from newstui.store.search.documents import spaced_units
from newstui.store.search.engine import OpenIndex, ids_of
from newstui.store.search.searcher import Searcher, update_index
from newstui.store.text.fold import fold

LIMIT = 200
GOAL = 3.0
ROUNDS = 3  # each query is timed this many times; the median counts


def build_store(path: Path, n: int) -> Store:
    store = Store(path)
    batch: list[Article] = []
    for item in synthetic_articles(n):
        batch.append(Article(id=article_id(item["title"], item["body"]), **item))
        if len(batch) == 5000:
            store.add(batch)
            batch = []
    if batch:
        store.add(batch)
    update_index(store)
    return store


def query_set(store: Store, index: OpenIndex, seed: int = 5) -> list[tuple[str, str]]:
    """(kind, query) pairs drawn from the store's own text."""
    rng = random.Random(seed)
    searcher = index.searcher()
    counted = [(t, n) for t, n in searcher.terms_with_prefix("words", "") if not t.isascii()]
    common = [t for t, _ in counted[:300]]
    rare = [t for t, n in counted if 2 <= n <= 5][:2000]
    bodies = [a.body for a in islice(store.articles(), 200)]
    queries = [("common word", w) for w in rng.sample(common, 30)]
    queries += [("rare word", w) for w in rng.sample(rare, 30)]
    pairs = zip(rng.sample(common, 30), rng.sample(common, 30), strict=True)
    queries += [("two words", f"{a} {b}") for a, b in pairs]
    queries += [("one character", c) for c in rng.sample(sorted({w[0] for w in common}), 30)]
    typed = rng.sample([t for t, _ in counted[:3000] if len(t) >= 3], 10)
    queries += [("keystroke", w[:end]) for w in typed for end in range(1, len(w) + 1)]
    while len([q for q in queries if q[0] == "phrase"]) < 30:
        body = rng.choice(bodies)
        start = rng.randrange(max(1, len(body) - 8))
        chunk = "".join(c for c in body[start : start + rng.randint(3, 6)] if "\u4e00" <= c <= "\u9fff")
        if len(chunk) >= 3:
            queries.append(("phrase", f'"{chunk}"'))
    return queries[:200] if len(queries) > 200 else queries


def bare(index: OpenIndex) -> Callable[[str], int]:
    """The floor: tantivy queries for the query as typed, no expansion; returns the count."""
    schema = index.schema

    def word_query(text: str) -> Query:
        found = spaced_units(fold(text)).split()
        if len(found) == 1:
            return Query.term_query(schema, "chars", found[0], index_option="freq")
        return Query.phrase_query(schema, "chars", found)

    def run(query: str) -> int:
        searcher = index.searcher()
        if query.startswith('"'):
            tantivy_query = word_query(query.strip('"'))
        else:
            parts = []
            for word in map(fold, query.split()):
                if len(word) > 1 and searcher.doc_freq("words", word):
                    parts.append(Query.term_query(schema, "words", word, index_option="freq"))
                else:
                    parts.append(word_query(word))
            together = Query.boolean_query([(Occur.Must, part) for part in parts])
            tantivy_query = parts[0] if len(parts) == 1 else together
        result = searcher.search(tantivy_query, LIMIT, count=True)
        ids_of(searcher, [address for _, address in result.hits])
        return result.count

    return run


def timed(function: Callable[[str], object], query: str) -> float:
    samples = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        function(query)
        samples.append((time.perf_counter() - started) * 1000)
    return sorted(samples)[ROUNDS // 2]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def measure(store: Store) -> None:
    searcher = Searcher(store)
    searcher.load()
    index = OpenIndex(store)
    floor = bare(index)
    queries = query_set(store, index)
    for _, query in queries:  # warm both: the vocabulary's tables, tantivy's caches
        searcher.search(query, LIMIT)
        floor(query)
    ours: dict[str, list[float]] = {}
    theirs: dict[str, list[float]] = {}
    for kind, query in queries:
        ours.setdefault(kind, []).append(timed(lambda q: searcher.search(q, LIMIT), query))
        theirs.setdefault(kind, []).append(timed(floor, query))
    print(f"\n{len(queries)} queries on {len(store):,} articles, {LIMIT} hits each, "
          f"median of {ROUNDS} runs\n")
    header = (f"{'kind':<15} {'n':>4} {'newstui p50':>12} {'p95':>7} {'bare tantivy p50':>17} {'p95':>7} "
              f"{'p95 ×':>6}")
    print(header)
    print("-" * len(header))
    for kind in ours:
        mine, floor_ms = ours[kind], theirs[kind]
        print(f"{kind:<15} {len(mine):>4} {percentile(mine, .5):>9.2f} ms {percentile(mine, .95):>7.2f} "
              f"{percentile(floor_ms, .5):>14.2f} ms {percentile(floor_ms, .95):>7.2f} "
              f"{percentile(mine, .95) / percentile(floor_ms, .95):>6.1f}")
    everything = [t for times in ours.values() for t in times]
    floor_all = [t for times in theirs.values() for t in times]
    ratio = percentile(everything, .95) / percentile(floor_all, .95)
    print(f"{'all':<15} {len(everything):>4} {percentile(everything, .5):>9.2f} ms "
          f"{percentile(everything, .95):>7.2f} {percentile(floor_all, .5):>14.2f} ms "
          f"{percentile(floor_all, .95):>7.2f} {ratio:>6.1f}")
    print(f"\nnewstui p95 / floor p95 = {ratio:.2f} (goal ≤ {GOAL:.0f})")
    index.close()
    searcher.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--db", type=Path, help="an existing store to measure (built otherwise)")
    args = parser.parse_args()
    if args.db:
        measure(Store(args.db))
        return
    with tempfile.TemporaryDirectory(prefix="newstui-engine-bench-") as scratch:
        measure(build_store(Path(scratch) / "news.json", args.n))


if __name__ == "__main__":
    main()
