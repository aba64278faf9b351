"""Exact phrases: characters (Chinese) or words (English) in that order, wherever jieba cut them,
and the phrase is what is highlighted."""

from __future__ import annotations

import pytest

from newstui.store.records.db import Store
from newstui.store.records.models import Article
from newstui.store.search.searcher import Searcher, highlight_spans

ARTICLES = [
    Article(id=letter * 16, title=title, body=body, date=f"2020-01-0{day}")
    for day, (letter, title, body) in enumerate([
        ("a", "武侠电影拍摄", "七剑地点选在天山脚下，剧组已经进驻。"),
        ("b", "七剑下天山", "地点还没有定下来。"),
        ("c", "Cup final", "Despite losing the first leg, the club went through."),
        ("d", "Season review", "Losing despite a late goal was hard."),
        ("e", "两段文字", "第一段结尾是七剑\n地点在第二段开头"),
    ], 1)
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
