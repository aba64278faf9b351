"""The browser while searching: relevance order (``d`` for date order), the true count of
matches, and partial matches labelled as such."""

from __future__ import annotations

import re

from tui_support import article, async_test, news_app, press, settle, store_with, widget_text

from newstui.tui.widgets.article_list import PARTIAL_LABEL

WIDE = (140, 30)
DATED = re.compile(r"\d{4}-\d{2}-\d{2}")
IN_TITLE = "德勤发布年度报告"
IN_PASSING = "城市交通新规出台"


def rows(app) -> list[str]:
    """The list's rows on screen (each has its date)."""
    return [line for line in widget_text(app.article_list).splitlines() if DATED.search(line)]


@async_test
async def test_a_search_lists_by_relevance_and_d_switches_to_date_order(tmp_path):
    path = store_with(tmp_path / "news.json", [
        article(IN_TITLE, "德勤今天发布了年度报告。", date="2020-01-01"),
        article(IN_PASSING, "新规出台，据德勤的一位顾问说，交通会更顺畅。", date="2020-06-01"),
    ])
    app = news_app(path)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        assert IN_PASSING in rows(app)[0]  # no query: newest first
        await press(pilot, "slash", *"德勤")
        await settle(pilot)
        assert IN_TITLE in rows(app)[0]  # the title match first, though older
        assert "sort: relevance" in widget_text(app.status)
        await press(pilot, "enter", "d")
        await settle(pilot)
        assert IN_PASSING in rows(app)[0]
        assert "sort: date" in widget_text(app.status)
        await press(pilot, "d")
        await settle(pilot)
        assert IN_TITLE in rows(app)[0]


@async_test
async def test_partial_matches_are_labelled_in_the_list_and_the_status_line(sample_store_path):
    app = news_app(sample_store_path)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await press(pilot, "slash", *"德勤 qwzxv")
        await settle(pilot)
        listed = rows(app)
        assert listed and all(PARTIAL_LABEL.strip() in row for row in listed)
        assert "partial matches: no article has every word" in widget_text(app.status)
        await press(pilot, "backspace", "backspace", "backspace", "backspace", "backspace")
        await settle(pilot)
        assert not any(PARTIAL_LABEL.strip() in row for row in rows(app))
        assert "partial" not in widget_text(app.status)


@async_test
async def test_the_status_line_counts_every_match_not_only_those_listed(sample_store_path):
    app = news_app(sample_store_path)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        app.status.set(shown=2_000, matches=19_045, total=20_000)
        await pilot.pause()
        assert "19,045 of 20,000 articles (2,000 best listed)" in widget_text(app.status)


def test_a_newer_query_replaces_one_not_yet_searched():
    """Keys typed faster than searches run are coalesced: only the newest query is searched."""
    from newstui.tui.widgets.article_list import ArticleList
    from newstui.tui.widgets.search_bar import SearchBar

    newer = SearchBar.QueryChanged("德勤")
    assert newer.can_replace(SearchBar.QueryChanged("德"))
    assert not newer.can_replace(SearchBar.QuerySubmitted())
    assert not newer.can_replace(ArticleList.Opened(None))  # type: ignore[arg-type]
