"""Summary and keyword cost per article, beside the word segmentation it builds on, in one run.

    python benchmarks/summary_speed.py [--articles 300] [--data ../shared/eval/summaries-zh.jsonl]

The import computes a summary and keywords for every article, so their cost multiplies by the
archive size: the budget is 2 ms per 2,500-character Chinese article for the summary step
(``summary``: sentence splitting, segmentation, boilerplate rules, scoring).
Rows (milliseconds per article, best of several rounds, CPU time of this process):
- ``segmentation``: ``store.text.words`` over the article — the baseline, which every
  summariser over jieba words pays.
- ``summary``, ``keywords``: each on its own (each segments the text again).
- ``summary + keywords + word counts``: ``analyse``, what the importer calls (segments once).
Articles are the synthetic 2,500-character ones the import benchmark uses and, with --data, real
news from an eval file. The one-off IDF table load and a 2 MB text are timed last.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.corpus import synthetic_articles
from newstui.store.summaries import summarize as summaries
from newstui.store.text.segment import words

ROUNDS = 5


def per_article_ms(operation: Callable[[str], object], articles: list[str]) -> float:
    best = float("inf")
    for _ in range(ROUNDS):
        start = time.process_time()
        for article in articles:
            operation(article)
        best = min(best, time.process_time() - start)
    return 1000 * best / len(articles)


def report(label: str, articles: list[str]) -> None:
    chars = sum(map(len, articles)) / len(articles)
    print(f"\n{label}: {len(articles)} articles, {chars:.0f} characters on average")
    rows = {
        "segmentation (baseline)": words,
        "summary": summaries.summarize,
        "keywords": summaries.keywords,
        "summary + keywords + word counts": summaries.analyse,
    }
    for name, operation in rows.items():
        print(f"  {name:26} {per_article_ms(operation, articles):6.2f} ms/article")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--data", type=Path, help='JSONL with an "article" per line (real news)')
    args = parser.parse_args()

    start = time.perf_counter()
    summaries.summarize("预热。")  # loads the IDF table and stopwords once, as each worker does
    print(f"one-off IDF table and stopword load: {time.perf_counter() - start:.2f} s")

    synthetic = [a["body"] for a in synthetic_articles(args.articles, chars=2500)]
    report("synthetic Chinese news", synthetic)
    if args.data:
        lines = args.data.read_text(encoding="utf-8").splitlines()
        report(f"real news ({args.data.name})", [json.loads(line)["article"] for line in lines])

    joined = "\n".join(synthetic)
    huge = (joined * (2_000_000 // len(joined) + 1))[:2_000_000]
    start = time.perf_counter()
    summaries.summarize(huge)
    print(f"\n2 MB text ({len(huge):,} characters): summarized in {time.perf_counter() - start:.3f} s")


if __name__ == "__main__":
    main()
