"""Exact phrases: characters (Chinese) or words (English) in that order, wherever jieba cut them,
and the phrase is what is highlighted."""

from __future__ import annotations

import pytest

from store.db import Store
from store.models import Article
from store.search import Searcher, highlight_spans

ARTICLES = [
    Article(id="a" * 16, title="武侠电影拍摄", body="七剑地点选在天山脚下，剧组已经进驻。", date="2020-01-01"),
    Article(id="b" * 16, title="七剑下天山", body="地点还没有定下来。", date="2020-01-02"),
    Article(id="c" * 16, title="Cup final", body="Despite losing the first leg, the club went through.",
            date="2020-01-03"),
    Article(id="d" * 16, title="Season review", body="Losing despite a late goal was hard.", date="2020-01-04"),
    Article(id="e" * 16, title="两段文字", body="第一段结尾是七剑\n地点在第二段开头", date="2020-01-05"),
]


@pytest.fixture(scope="module")
def searcher(tmp_path_factory) -> Searcher:
    store = Store(tmp_path_factory.mktemp("phrases") / "news.json")
    store.add(ARTICLES)
    searcher = Searcher(store)
    searcher.load()
    return searcher


def found(searcher: Searcher, query: str) -> list[str]:
    return [hit.id[0] for hit in searcher.search(query).hits]


def test_a_chinese_phrase_crossing_a_jieba_word_boundary_is_found(searcher):
    assert found(searcher, '"七剑地"') == ["a"]  # 七剑/地点: the phrase ends inside a word


def test_a_chinese_phrase_needs_its_characters_adjacent(searcher):
    assert "b" not in found(searcher, '"七剑地点"')  # 七剑 in the title, 地点 in the body


def test_a_phrase_does_not_run_from_one_paragraph_into_the_next(searcher):
    assert found(searcher, '"七剑地点"') == ["a"]


def test_an_english_phrase_needs_its_words_in_order(searcher):
    assert found(searcher, '"Despite losing"') == ["c"]
    assert found(searcher, '"losing despite"') == ["d"]


def test_the_highlighted_span_of_a_phrase_is_the_phrase(searcher):
    hit = searcher.search('"Despite losing"').hits[0]
    body = ARTICLES[2].body
    assert [body[a:b] for a, b in highlight_spans(body, hit.terms)] == ["Despite losing"]


def test_a_phrase_in_the_title_ranks_first(searcher):
    assert found(searcher, '"七剑"')[0] == "b"


def test_an_unquoted_run_that_is_no_word_is_found_as_characters(searcher):
    assert "a" in found(searcher, "七剑地")
