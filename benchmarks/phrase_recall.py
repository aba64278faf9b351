"""Exact phrases beside a brute-force scan: every article holding a phrase found, none without it.

    python benchmarks/phrase_recall.py /work/data/lcsts-part3/lcsts.jsonl [more files] [--phrases 400]

Imports the files into a scratch store, draws phrases from the articles' own text (Chinese runs
of 2–8 characters and English runs of 2–4 words, cut anywhere, so most cross jieba's word
boundaries; and as many with two neighbours swapped, which mostly occur nowhere), and compares
``Searcher.search('"…"')`` with a scan of every title and paragraph for the phrase's characters
and words in order. Prints recall and precision over all phrases, and the phrases that differ.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from newstui.store.records.db import Store  # after the path above: the benchmarks run from anywhere
from newstui.store.search.documents import units
from newstui.store.search.searcher import Searcher
from newstui.store.text.fold import fold
from newstui.store.text.segment import is_cjk

SEPARATOR = "\x00"  # between units: a scan for units in order, never for part of one


@dataclass(frozen=True, slots=True)
class Recall:
    phrases: int
    expected: int  # (phrase, article) pairs the scan finds
    found: int  # of those, found by search
    extra: int  # found by search, not by the scan
    misses: list[tuple[str, int, int]]  # (phrase, scan's count, search's count) that differ
    search_ms: list[float]  # each phrase's search, sorted


def scanned_texts(store: Store) -> dict[str, list[str]]:
    """Each article's title and paragraphs as units joined by SEPARATOR (and framed by it)."""
    texts: dict[str, list[str]] = {}
    for article in store.articles():
        parts = [article.title, *article.body.split("\n")]
        texts[article.id] = [SEPARATOR + SEPARATOR.join(units(fold(part))) + SEPARATOR for part in parts]
    return texts


def draw_phrases(texts: dict[str, list[str]], count: int, seed: int = 11) -> list[str]:
    """Phrases cut from the texts at random places, half of them with two neighbours swapped."""
    rng = random.Random(seed)
    parts = [found.strip(SEPARATOR).split(SEPARATOR) for found in (p for ps in texts.values() for p in ps)]
    parts = [part for part in parts if len(part) >= 2 and part != [""]]
    phrases: list[str] = []
    while parts and len(phrases) < count:
        part = rng.choice(parts)
        start = rng.randrange(len(part) - 1)
        chinese = is_cjk(part[start])
        length = rng.randint(2, 8) if chinese else rng.randint(2, 4)
        chosen = part[start : start + length]
        if len(chosen) < 2:
            continue
        if len(phrases) % 2:
            at = rng.randrange(len(chosen) - 1)
            chosen[at], chosen[at + 1] = chosen[at + 1], chosen[at]
        phrases.append(_spelled(chosen))
    return phrases


def _spelled(found: list[str]) -> str:
    """Units as a query would type them: Chinese characters together, words apart."""
    text = ""
    for unit in found:
        if text and not (is_cjk(unit) and is_cjk(text[-1])):
            text += " "
        text += unit
    return text


def measure(store: Store, phrases: Iterable[str], texts: dict[str, list[str]]) -> Recall:
    searcher = Searcher(store)
    searcher.load()
    try:
        total = expected_total = found_total = extra_total = 0
        misses, search_ms = [], []
        for phrase in phrases:
            total += 1
            needle = SEPARATOR + SEPARATOR.join(units(fold(phrase))) + SEPARATOR
            expected = {i for i, parts in texts.items() if any(needle in part for part in parts)}
            started = time.perf_counter()
            found = {hit.id for hit in searcher.search(f'"{phrase}"', limit=len(texts) + 1).hits}
            search_ms.append((time.perf_counter() - started) * 1000)
            expected_total += len(expected)
            found_total += len(expected & found)
            extra_total += len(found - expected)
            if found != expected:
                misses.append((phrase, len(expected), len(found)))
        return Recall(total, expected_total, found_total, extra_total, misses, sorted(search_ms))
    finally:
        searcher.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--phrases", type=int, default=400)
    args = parser.parse_args()
    from newstui.store.ingest.pipeline import import_sources

    with tempfile.TemporaryDirectory(prefix="newstui-phrases-") as scratch:
        store = Store(Path(scratch) / "news.json")
        import_sources(store, [str(path) for path in args.files], workers=1)
        texts = scanned_texts(store)
        phrases = draw_phrases(texts, args.phrases)
        result = measure(store, phrases, texts)
        store.close()
    times = result.search_ms
    print(f"{len(texts):,} articles from {', '.join(p.name for p in args.files)}; {result.phrases} phrases, "
          f"search p50 {times[len(times) // 2]:.1f} ms, p95 {times[int(len(times) * .95)]:.1f} ms "
          f"(every hit listed)")
    print(f"recall {result.found}/{result.expected} = {result.found / max(result.expected, 1):.4f}; "
          f"articles found without the phrase: {result.extra}")
    for phrase, expected, found in result.misses[:20]:
        print(f"  differs: {phrase!r} scan {expected}, search {found}")


if __name__ == "__main__":
    main()
