"""Known-item search on real news: does the wanted article come first? newstui against BM25 (issue 14).

    python benchmarks/relevance_eval.py --data /work/data/lcsts-part3/lcsts.jsonl \\
        --data /work/shared/eval/summaries-zh.jsonl --data sample/sensetime-press-releases-2018-09.tsv \\
        --data /work/data/bbc-news
    ... --limit-articles 500        # a quick run on a seeded sample
    ... --json                      # the report as one JSON object
    ... --details queries.jsonl     # every query with each system's rank
    ... --via cli                   # newstui through `newstui search --batch` (issue 14 adds it)

Each query is two words of a human-written summary (or the headline) of one article, exact or
changed in one way (a homophone, pinyin, traditional characters, a typo...): the rules are in
``benchmarks/relevance_queries.py``, the data formats in ``benchmarks/relevance_data.py``.
The articles are imported into a fresh temporary store with ``store.ingest.pipeline.import_sources``
(what ``newstui import`` runs), and every query goes through newstui's search and through a BM25
baseline over the same words, in the same run (``benchmarks/relevance_systems.py``).

Per query type: how often the wanted article is the first result, in the top 5, and how often
there is no result at all, beside the goals of issue 14. Latency is each query's search time,
and "keystrokes" is every prefix of a seeded sample of queries, one search each, as the browser
searches while the user types (200 results, as search_bench.py asks for).

The data behind issue 14's figures (fetched, never committed; research use only):
- ``lcsts-part3/lcsts.jsonl``: the 725 human-checked LCSTS test items (Sina Weibo news with the
  author's summary; HIT Shenzhen), from ``result.json`` of github:nlpython/MoCoBart-LCSTS, whose
  ``title`` field is the reference summary and ``summary`` a model's output, so it is converted
  to ``{"article": content, "summary": title}`` first;
- ``/work/shared/eval/summaries-zh.jsonl`` (12 ThePaper.cn articles, CLTS) and newstui's own
  ``sample/`` TSV (10 press releases, headlines only);
- ``bbc-news/``: the 2,225 BBC News articles of Greene & Cunningham (2006), one file per article
  with its headline first, from github:suraj-deshmukh/BBC-Dataset-News-Classification;
- ``cnndm-sample/cnndm.jsonl``: 100 CNN/Daily Mail articles with their human highlights.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import orjson

from benchmarks.relevance_data import EvalArticle, LoadReport, load_articles
from benchmarks.relevance_queries import (
    EN_EXACT,
    EN_TYPO,
    KINDS,
    LETTERS_DIGITS,
    ZH_EXACT,
    ZH_HOMOPHONE,
    ZH_INITIALS,
    ZH_PINYIN,
    ZH_PINYIN_INSIDE,
    ZH_TRADITIONAL,
    Query,
    QueryMaker,
    analyse,
)
from benchmarks.relevance_systems import BM25, BatchCli, InProcess, Ranking, batch_command
from benchmarks.search_bench import keystrokes, percentile
from newstui.store.ingest.formats.records import ImportFailure
from newstui.store.ingest.pipeline import import_sources
from newstui.store.records.db import Store

RESULTS = 20  # per evaluation query: enough to see how far off a miss is
KEYSTROKE_RESULTS = 200
# Issue 14's goals, right article first (and in the top 5), in percent.
GOALS: dict[str, tuple[float, float | None]] = {
    ZH_EXACT: (97, 99), ZH_HOMOPHONE: (80, None), ZH_PINYIN: (97, None), ZH_INITIALS: (97, None),
    ZH_PINYIN_INSIDE: (97, None), ZH_TRADITIONAL: (97, None), EN_EXACT: (98, 99), EN_TYPO: (97, None),
}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add = parser.add_argument
    add("--data", type=Path, action="append", required=True, metavar="PATH",
        help="JSONL/JSON/CSV with article+summary, a BBC-style folder, or a newstui dump (repeatable)")
    add("--limit-articles", type=int, default=None, metavar="N", help="a seeded sample of N articles")
    add("--seed", type=int, default=14, help="for the sample and the queries")
    add("--via", choices=("inprocess", "cli"), default="inprocess", help="how newstui is searched")
    add("--newstui", default=None, metavar="COMMAND", help="for --via cli (default: beside python)")
    add("--workers", type=int, default=None, help="import worker processes")
    add("--keystroke-sample", type=int, default=300, metavar="N", help="queries typed prefix by prefix")
    add("--examples", type=int, default=4, metavar="K", help="failures shown per query type")
    add("--json", action="store_true", help="print the report as JSON")
    add("--details", type=Path, default=None, metavar="PATH", help="write every query (JSONL)")
    return parser.parse_args(argv)


def sample(articles: list[EvalArticle], limit: int | None, seed: int) -> list[EvalArticle]:
    if limit is None or limit >= len(articles):
        return articles
    chosen = set(random.Random(seed).sample(range(len(articles)), limit))
    return [article for number, article in enumerate(articles) if number in chosen]


def import_articles(store: Store, articles: list[EvalArticle], folder: Path, workers: int | None) -> float:
    """Import through newstui's own pipeline; every article must come out under its own id."""
    path = folder / "articles.jsonl"
    with path.open("wb") as out:
        for article in articles:
            row = {"title": article.title, "content": article.body, "source": Path(article.dataset).name}
            out.write(orjson.dumps(row) + b"\n")
    started = time.perf_counter()
    report = import_sources(store, [str(path)], workers=workers)
    elapsed = time.perf_counter() - started
    missing = {article.key for article in articles} - store.ids()
    if report.failures or missing:
        raise SystemExit(f"{path}: import gave {report.added} articles, {len(missing)} of ours missing")
    return elapsed


def run_queries(queries: list[Query], systems: dict, articles: dict[str, EvalArticle]) -> list[dict]:
    records = []
    for query in queries:
        record = {
            "kind": query.kind, "query": query.text, "exact": query.exact, "changed": query.changed,
            "typed": query.typed, "note": query.note, "target": query.target,
            "dataset": Path(articles[query.target].dataset).name,
        }
        for name, system in systems.items():
            started = time.perf_counter()
            ranking: Ranking = system.search(query.text, RESULTS)
            elapsed = (time.perf_counter() - started) * 1000
            rank = ranking.ids.index(query.target) + 1 if query.target in ranking.ids else None
            record[name] = {
                "rank": rank, "results": len(ranking.ids), "partial": ranking.partial,
                "ms": round(elapsed, 3), "top": ranking.ids[0] if ranking.ids else None,
            }
            if ranking.error:
                record[name]["error"] = ranking.error
        records.append(record)
    return records


def keystroke_latency(queries: list[Query], systems: dict, count: int, seed: int) -> dict[str, dict]:
    typed = random.Random(seed).sample(queries, min(count, len(queries)))
    prefixes = [prefix for query in typed for prefix in keystrokes(query.text)]
    timings: dict[str, dict] = {}
    for name, system in systems.items():
        elapsed = []
        for prefix in prefixes:
            started = time.perf_counter()
            system.search(prefix, KEYSTROKE_RESULTS)
            elapsed.append((time.perf_counter() - started) * 1000)
        timings[name] = {"queries": len(typed), "searches": len(prefixes), **_spread(elapsed)}
    return timings


def _spread(values: list[float]) -> dict[str, float]:
    if not values:
        return {"p50_ms": 0.0, "p95_ms": 0.0}
    return {"p50_ms": round(percentile(values, 0.5), 2), "p95_ms": round(percentile(values, 0.95), 2)}


def _rates(records: list[dict], name: str) -> dict[str, float]:
    n = len(records)
    ranks = [record[name]["rank"] for record in records]
    return {
        "first": 100 * sum(rank == 1 for rank in ranks) / n,
        "top5": 100 * sum(rank is not None and rank <= 5 for rank in ranks) / n,
        "none": 100 * sum(record[name]["results"] == 0 for record in records) / n,
        "partial": 100 * sum(record[name]["partial"] for record in records) / n,
    }


def build_report(records: list[dict], systems: list[str], examples: int, seed: int) -> dict:
    by_kind: dict[str, list[dict]] = defaultdict(list)
    for record in records:
        by_kind[record["kind"]].append(record)
    rows = []
    for kind in KINDS:
        if by_kind[kind]:
            first, top5 = GOALS.get(kind, (None, None))
            rows.append({"kind": kind, "n": len(by_kind[kind]), "goal_first": first, "goal_top5": top5,
                         **{name: _rates(by_kind[kind], name) for name in systems}})
    rng = random.Random(seed)
    failures = {}
    for kind in KINDS:
        missed = [record for record in by_kind[kind] if record[systems[0]]["rank"] != 1]
        failures[kind] = rng.sample(missed, min(examples, len(missed)))
    return {"rows": rows, "failures": failures, "breakdown": breakdown(by_kind, systems[0])}


def breakdown(by_kind: dict[str, list[dict]], name: str) -> dict[str, dict[str, list[int]]]:
    """[first, n] of newstui by the changed word's length (and the edit, or the form)."""
    groups: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for kind in (ZH_HOMOPHONE, ZH_PINYIN, ZH_INITIALS, ZH_PINYIN_INSIDE, EN_TYPO, LETTERS_DIGITS):
        for record in by_kind.get(kind, ()):
            unit = "letters" if kind == EN_TYPO else "chars"
            keys = [f"{len(record['changed'])} {unit}"] if kind != LETTERS_DIGITS else []
            if kind in (EN_TYPO, LETTERS_DIGITS):
                keys.append(record["note"])
            for key in keys:
                tally = groups[kind][key]
                tally[0] += record[name]["rank"] == 1
                tally[1] += 1
    def natural(key: str) -> tuple[int, str]:
        number = key.split(" ", 1)[0]
        return (int(number), key) if number.isdigit() else (1 << 30, key)

    return {kind: dict(sorted(tally.items(), key=lambda p: natural(p[0]))) for kind, tally in groups.items()}


def print_report(report: dict, titles: dict[str, str], systems: list[str]) -> None:
    print(report["header"])
    print()
    width = max(len(row["kind"]) for row in report["rows"]) + 1
    head = "".join(f"{name:^22}" for name in systems)
    print(f"{'':{width}}{'':>6}  {head} {'goal':^12}")
    columns = "".join(f"{'first':>7}{'top 5':>7}{'none':>7} " for _ in systems)
    print(f"{'query type':{width}}{'n':>6}  {columns} {'first':>6}{'top 5':>6}")
    for row in report["rows"]:
        cells = "".join(f"{row[n]['first']:7.1f}{row[n]['top5']:7.1f}{row[n]['none']:7.1f} " for n in systems)
        goal = f"{_goal(row['goal_first']):>6}{_goal(row['goal_top5']):>6}"
        print(f"{row['kind']:{width}}{row['n']:6d}  {cells} {goal}")
    print("\n(%) of queries: right article first, in the top 5, no result at all. Goals: issue 14.")
    ours = systems[0]
    partial = {row["kind"]: row[ours]["partial"] for row in report["rows"] if row[ours]["partial"]}
    if partial:
        print("newstui results marked partial (%): " + ", ".join(f"{k} {v:.1f}" for k, v in partial.items()))
    print()
    for label, key in (("search per query", "latency"), ("keystrokes", "keystrokes")):
        for name, spread in report.get(key, {}).items():
            extra = ""
            if "searches" in spread:
                extra = f" ({spread['searches']:,} searches, {spread['queries']} queries)"
            times = f"p50 {spread['p50_ms']:7.2f} ms  p95 {spread['p95_ms']:7.2f} ms"
            print(f"{label:17} {name:8} {times}{extra}")
    print("keystroke goal (issue 14, the engine issue): p95 <= 10 ms at 100k articles; see search_bench.py\n")
    for kind, tallies in report["breakdown"].items():
        parts = ", ".join(f"{key} {hits}/{n} ({100 * hits / n:.0f}%)" for key, (hits, n) in tallies.items())
        print(f"{ours} first, {kind}: {parts}")
    print()
    for kind, missed in report["failures"].items():
        if not missed:
            continue
        print(f"-- {kind}: examples where newstui does not put the wanted article first")
        for record in missed:
            print("  " + _failure(record, titles, ours, systems[-1]))
    print()


def _failure(record: dict, titles: dict[str, str], ours: str, baseline: str) -> str:
    mine, theirs = record[ours], record[baseline]
    rank = "no result" if mine["results"] == 0 else f"rank {mine['rank'] or f'>{RESULTS}'}"
    got = f"; first: {_short(titles.get(mine['top'], ''))}" if mine["top"] else ""
    how = f", {record['note']}" if record["note"] else ""
    change = f" ({record['changed']} -> {record['typed']}{how})" if record["changed"] else ""
    wanted = _short(titles[record["target"]])
    theirs_rank = theirs["rank"] or "-"
    return f"{record['query']!r}{change}: {rank}, {baseline} rank {theirs_rank}; wanted: {wanted}{got}"


def _goal(value: float | None) -> str:
    return f"≥{value:g}" if value is not None else "—"


def _short(title: str, chars: int = 34) -> str:
    return title if len(title) <= chars else title[: chars - 1] + "…"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    command = batch_command(args.newstui) if args.via == "cli" else []
    loaded = LoadReport()
    try:
        articles = sample(load_articles(args.data, loaded), args.limit_articles, args.seed)
    except (ImportFailure, OSError, csv.Error) as error:
        raise SystemExit(str(error)) from None
    if not articles:
        raise SystemExit(f"no usable articles in {', '.join(map(str, args.data))}")
    started = time.perf_counter()
    corpus = [analyse(article) for article in articles]
    queries = QueryMaker(corpus, args.seed).queries()
    made_s = time.perf_counter() - started
    by_key = {article.key: article for article in articles}
    with tempfile.TemporaryDirectory(prefix="relevance-eval-") as folder:
        store = Store(Path(folder) / "eval.json")
        import_s = import_articles(store, articles, Path(folder), args.workers)
        newstui = BatchCli(store.path, RESULTS, command) if command else InProcess(store)
        systems = {"newstui": newstui, "BM25": BM25(corpus)}
        try:
            records = run_queries(queries, systems, by_key)
            typing = {} if command else keystroke_latency(queries, systems, args.keystroke_sample, args.seed)
        finally:
            for system in systems.values():
                system.close()
            store.close()
    names = list(systems)
    report = build_report(records, names, args.examples, args.seed)
    languages = Counter(article.lang for article in articles)
    report["latency"] = {name: _spread([record[name]["ms"] for record in records]) for name in names}
    report["keystrokes"] = typing
    report["data"] = {str(path): loaded.read[str(path)] for path in args.data}
    report["articles"] = {"used": len(articles), "dropped": dict(loaded.dropped), "languages": languages}
    report["seconds"] = {"queries": round(made_s, 1), "import": round(import_s, 1)}
    report["header"] = (
        f"{len(articles):,} articles ({', '.join(f'{n:,} {lang}' for lang, n in languages.most_common())}; "
        f"{sum(loaded.dropped.values())} duplicates or empty dropped) from {len(args.data)} paths; "
        f"{len(queries):,} queries (seed {args.seed}), made in {made_s:.1f} s; import {import_s:.1f} s; "
        f"newstui via {args.via}"
    )
    if args.details:
        with args.details.open("w", encoding="utf-8") as out:
            for record in records:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        print_report(report, {article.key: article.title for article in articles}, names)
    return 0


if __name__ == "__main__":
    sys.exit(main())
