"""Synthetic Chinese news for benchmarks: words sampled from jieba's dictionary by frequency.

Every benchmark generates its corpus with this one function so their figures compare.
"""

from __future__ import annotations

import importlib.util
import itertools
import random
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

import orjson

SOURCES = [
    "新华社", "人民网", "澎湃新闻", "财新", "界面新闻", "第一财经", "36氪", "虎嗅",
    "央视新闻", "中新网", "Reuters", "BBC 中文", "联合早报", "南方周末", "经济观察报", "21世纪经济报道",
]


@lru_cache(maxsize=1)
def vocabulary() -> tuple[list[str], list[int]]:
    """jieba's dictionary words and their cumulative frequencies, for random.choices(cum_weights=).

    Found without importing jieba (whose import warns and loads far more than the word list).
    """
    spec = importlib.util.find_spec("jieba")
    assert spec is not None and spec.origin is not None, "jieba is not installed"
    dictionary = Path(spec.origin).with_name("dict.txt")
    words, weights = [], []
    for line in dictionary.read_text(encoding="utf-8").splitlines():
        parts = line.split(" ")
        if len(parts) >= 2 and parts[1].isdigit():
            words.append(parts[0])
            weights.append(int(parts[1]))
    return words, list(itertools.accumulate(weights))


def synthetic_articles(n: int, chars: int = 2500, seed: int = 7) -> Iterator[dict]:
    """n article dicts ({title, body, date, source, url}) of about `chars` characters each.

    Sentences come from a pool sampled word by word (sampling every word of 100k articles would
    take minutes); articles draw sentences from the pool, so word frequencies stay Zipfian.
    """
    rng = random.Random(seed)
    words, cumulative = vocabulary()

    def sentence() -> str:
        k = rng.randint(8, 22)
        return "".join(rng.choices(words, cum_weights=cumulative, k=k)) + rng.choice("。。。！？；")

    pool = [sentence() for _ in range(min(400_000, max(20_000, n * 4)))]
    for i in range(n):
        paragraphs, size = [], 0
        while size < chars:
            paragraph = "".join(rng.choices(pool, k=rng.randint(3, 6)))
            paragraphs.append(paragraph)
            size += len(paragraph)
        year, month, day = rng.randint(2015, 2025), rng.randint(1, 12), rng.randint(1, 28)
        yield {
            "title": "".join(rng.choices(words, cum_weights=cumulative, k=rng.randint(5, 9))),
            "body": "\n".join(paragraphs),
            "date": f"{year}-{month:02d}-{day:02d}",
            "source": rng.choice(SOURCES),
            "url": f"https://news.example/{i}",
        }


def write_jsonl(path: Path, n: int, chars: int = 2500, seed: int = 7) -> Path:
    with open(path, "wb") as out:
        for article in synthetic_articles(n, chars, seed):
            out.write(orjson.dumps(article) + b"\n")
    return path
