"""Relevance: the queries in search_queries.jsonl find the article they are about.

The corpus is the sample (10 SenseTime press releases), 20 hand-picked articles in
tests/fixtures/search/articles.jsonl (Chinese news from ThePaper.cn, two of them in traditional
characters, and English news), and 400 distractors of words drawn from jieba's dictionary.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from benchmarks.corpus import vocabulary
from newstui.store.ingest.pipeline import import_sources
from newstui.store.records.db import Store
from newstui.store.records.models import Article
from newstui.store.search.searcher import Searcher

FIXTURES = Path(__file__).parent / "fixtures" / "search"
QUERIES = Path(__file__).parent / "search_queries.jsonl"
DISTRACTORS = 400
STARRED_TITLE = "松下將在2021年前撤出液晶面板業務"
READ_TITLE = "不止美颜，更能美体 商汤SenseAR助力vivo X23”创造更多美”"


def distractors(count: int, seed: int = 7) -> list[Article]:
    """Articles of dictionary words drawn by frequency: plausible noise for every query."""
    dictionary, weights = vocabulary()
    rng = random.Random(seed)
    articles = []
    for number in range(count):
        title = "".join(rng.choices(dictionary, cum_weights=weights, k=8))
        sentences = ("".join(rng.choices(dictionary, cum_weights=weights, k=12)) for _ in range(30))
        body = "，".join(sentences) + "。"
        articles.append(
            Article(id=f"noise{number:04d}", title=title, body=body, source="noise",
                    date=f"2019-{number % 12 + 1:02d}-{number % 28 + 1:02d}", lang="zh")
        )
    return articles


def fixture_articles() -> list[Article]:
    lines = (FIXTURES / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    return [Article(**json.loads(line)) for line in lines]


@pytest.fixture(scope="module")
def searcher(tmp_path_factory, sample_file) -> Searcher:
    store = Store(tmp_path_factory.mktemp("relevance") / "news.json")
    import_sources(store, [str(sample_file)], workers=1)
    store.add(fixture_articles())
    store.add(distractors(DISTRACTORS))
    by_title = {entry.title: entry.id for entry in store.entries()}
    store.set_flags(by_title[STARRED_TITLE], starred=True)
    store.set_flags(by_title[READ_TITLE], read=True)
    searcher = Searcher(store)
    searcher.load()
    return searcher


def relevance_cases() -> list[dict]:
    return [json.loads(line) for line in QUERIES.read_text(encoding="utf-8").splitlines() if line]


def rank_of_expected(searcher: Searcher, case: dict) -> int | None:
    titles = {entry.id: entry.title for entry in searcher.store.entries()}
    hits = searcher.search(case["query"], limit=5).hits
    for rank, hit in enumerate(hits, 1):
        if case["first"] in (hit.id, titles[hit.id]):
            return rank
    return None


def test_the_query_set_covers_every_kind_of_query():
    kinds = {case["kind"] for case in relevance_cases()}
    assert len(relevance_cases()) >= 40
    assert kinds >= {
        "chinese-title", "chinese-body", "subword", "unsegmented", "typo", "pinyin-full",
        "pinyin-initials", "traditional", "english", "english-stem", "english-prefix", "phrase",
        "exclude", "title", "source", "after", "before", "unread", "starred", "and",
    }


def test_every_query_finds_its_article_in_the_top_five(searcher):
    missed = [c["query"] for c in relevance_cases() if rank_of_expected(searcher, c) is None]
    assert missed == []


def test_nine_queries_in_ten_rank_their_article_first(searcher):
    cases = relevance_cases()
    first = sum(rank_of_expected(searcher, case) == 1 for case in cases)
    assert first >= 0.9 * len(cases), f"{first}/{len(cases)} ranked first"
