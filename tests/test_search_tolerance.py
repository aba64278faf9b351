"""Search that forgives: partial matches instead of nothing, homophones, typos in short English
words, letters and digits joined or spaced, pinyin of a part of a word, and ``search --batch``."""

from __future__ import annotations

import io
import sys

import orjson
import pytest

from newstui.store.records.db import Store
from newstui.store.records.models import Article, article_id
from newstui.store.search.searcher import Searcher
from newstui.tui.cli import main

ARTICLES = [
    ("天津港口吞吐量创新高", "天津港口今年的吞吐量创新高，集装箱业务增长明显。"),
    ("上海地铁新线开通", "上海地铁新线今天开通试运营，换乘更方便。"),
    ("空军司令访问基地", "空军司令今天访问了西部基地，与官兵座谈。"),
    ("The cafe on the corner", "A small cafe opened on the corner of the high street, its owner said."),
    ("Labour in constituency race row", "A row broke out over the constituency race, Labour said."),
    ("Papers at ECCV 2018", "Researchers presented papers at ECCV 2018 in Munich."),
    ("The iPhone14 launch", "The iPhone14 goes on sale on Friday, with a better camera."),
    ("Markets rally on rate hopes", "Shares rose as traders bet on lower interest rates."),
    ("Rate decision due", "The central bank decides on interest rates on Thursday."),
    ("乐视网再融资方案获批", "乐视网今天公告，再融资方案获得批准。"),  # jieba: 乐 / 视网 / 再融资
    ("乐视发布新电视", "乐视今天发布了新款电视。"),  # 乐视 a word here, so a known one
]


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Store:
    store = Store(tmp_path_factory.mktemp("tolerance") / "news.json")
    store.add([Article(id=article_id(title, body), title=title, body=body, date=f"2020-01-0{n + 1}",
                       lang="en" if title.isascii() else "zh")
               for n, (title, body) in enumerate(ARTICLES)])
    return store


@pytest.fixture(scope="module")
def searcher(store) -> Searcher:
    searcher = Searcher(store)
    searcher.load()
    yield searcher
    searcher.close()


def first_title(searcher: Searcher, store: Store, query: str) -> str | None:
    hits = searcher.search(query).hits
    entry = store.entry(hits[0].id) if hits else None
    return entry.title if entry else None


@pytest.mark.parametrize(("query", "title"), [
    ("天进", "天津港口吞吐量创新高"),  # the same toneless pinyin
    ("天进 港口", "天津港口吞吐量创新高"),
    ("尚海 地铁", "上海地铁新线开通"),  # near: sh/s
    ("czfe", "The cafe on the corner"),  # one letter wrong in four
    ("constituency rcae", "Labour in constituency race row"),  # two letters swapped
    ("ECCV2018", "Papers at ECCV 2018"),  # joined in the query, spaced in the article
    ("iPhone 14", "The iPhone14 launch"),  # and the other way round
    ("siling", "空军司令访问基地"),  # the pinyin of a part of a word
    ("乐视 再融资", "乐视网再融资方案获批"),  # the article's segmentation differs from the query's
])
def test_forgiving_queries_find_their_article_first(searcher, store, query, title):
    assert first_title(searcher, store, query) == title


def test_an_exact_match_ranks_above_a_homophone(searcher, store):
    hits = searcher.search("天津").hits
    assert store.entry(hits[0].id).title == "天津港口吞吐量创新高"
    assert not any(hit.partial for hit in hits)


def test_no_article_with_every_word_gives_the_best_partial_matches_most_words_first(searcher, store):
    result = searcher.search("interest rates thursday qwzxv")
    assert result.partial and result.hits and all(hit.partial for hit in result.hits)
    titles = [store.entry(hit.id).title for hit in result.hits]
    assert titles[:2] == ["Rate decision due", "Markets rally on rate hopes"]  # 3 words, then 2


def test_an_article_with_every_word_is_not_partial(searcher):
    result = searcher.search("interest rates thursday")
    assert not result.partial and result.total == 1 and not result.hits[0].partial


def test_a_single_word_that_matches_nothing_gives_nothing(searcher):
    result = searcher.search("qwzxvj")
    assert result.hits == [] and not result.partial


def test_search_batch_answers_one_json_array_per_line(store, monkeypatch, capsysbinary):
    lines = b"czfe\n\ninterest rates qwzxv\nafter:nodate\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(lines), encoding="utf-8"))
    assert main(["--db", str(store.path), "search", "--batch", "--limit", "3"]) == 0
    answers = [orjson.loads(line) for line in capsysbinary.readouterr().out.splitlines()]
    assert len(answers) == 4
    assert answers[0][0]["title"] == "The cafe on the corner" and answers[0][0]["partial"] is False
    assert answers[1] == []
    assert answers[2] and all(row["partial"] for row in answers[2])
    assert "after:nodate" in answers[3]["error"]


def test_search_json_marks_partial_matches(store, capsysbinary):
    assert main(["--db", str(store.path), "search", "--json", "interest", "qwzxv"]) == 0
    rows = orjson.loads(capsysbinary.readouterr().out)
    assert rows and all(row["partial"] is True for row in rows)
