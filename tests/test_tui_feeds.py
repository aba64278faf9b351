"""The browser as a news reader: the sources pane, R, background refreshes, a steady cursor."""

from __future__ import annotations

import asyncio

from tui_support import async_test, news_app, settle, widget_text

from newstui.store.ingest.feeds.subscriptions import Subscription, Subscriptions
from newstui.store.ingest.feeds.update import update_feeds
from newstui.store.records.db import Store

WIDE, NARROW = (120, 30), (80, 24)


def rss(title: str, numbers: range) -> bytes:
    items = "".join(
        f"<item><guid isPermaLink='false'>{title}-{n}</guid><link>https://news.example.cn/{n}</link>"
        f"<title>{title}第{n}条</title><description>正文{n}。</description>"
        f"<pubDate>{n % 28 + 1:02d} Sep 2018 {n // 28:02d}:00:00 +0800</pubDate></item>"
        for n in numbers
    )
    return f"<rss version='2.0'><channel><title>{title}</title>{items}</channel></rss>".encode()


def reader_store(tmp_path, feed_server, *, fetch: bool = True):
    """A store following 新华网 (3 items) and 36氪 (2 items)."""
    urls = [feed_server.feed("/xinhua.xml", rss("新华网", range(3))),
            feed_server.feed("/36kr.xml", rss("36氪", range(2)))]
    store = Store(tmp_path / "news.json")
    Subscriptions(store).add([Subscription(url) for url in urls])
    if fetch:
        update_feeds(store, workers=1)
    store.close()
    return tmp_path / "news.json"


async def arrived(pilot, condition) -> None:
    """Wait for something another worker brings (the store poll runs every second)."""
    for _ in range(100):
        await settle(pilot)
        if condition():
            return
        await asyncio.sleep(0.1)
    raise AssertionError("it never came")


@async_test
async def test_a_store_with_feeds_opens_on_the_sources_pane_with_unread_counts(tmp_path, feed_server):
    app = news_app(reader_store(tmp_path, feed_server))
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        assert app.focused is app.sources_pane
        lines = [line.rstrip("▕ ").split() for line in widget_text(app.sources_pane).splitlines()[:3]]
        assert lines == [["All", "sources", "5"], ["新华网", "3"], ["36氪", "2"]]


@async_test
async def test_enter_lists_only_that_source_and_all_sources_lists_everything(tmp_path, feed_server):
    app = news_app(reader_store(tmp_path, feed_server))
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "enter")
        await settle(pilot)
        assert [e.title for e in app.article_list.entries] == ["36氪第1条", "36氪第0条"]
        assert app.focused is app.article_list
        assert app.status.status.source == "36氪"
        await pilot.press("shift+tab", "g", "enter")
        await settle(pilot)
        assert len(app.article_list.entries) == 5 and app.status.status.source == ""


@async_test
async def test_s_toggles_the_pane(tmp_path, sample_store_path):
    app = news_app(sample_store_path)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        assert not app.sources_pane.display  # an archive without feeds opens on its list
        await pilot.press("S")
        await settle(pilot)
        assert app.sources_pane.display and app.focused is app.sources_pane
        assert widget_text(app.sources_pane).splitlines()[0].split()[:2] == ["All", "sources"]
        await pilot.press("S")
        assert not app.sources_pane.display and app.focused is app.article_list


@async_test
async def test_in_a_narrow_terminal_the_pane_has_the_screen_until_a_source_is_chosen(tmp_path, feed_server):
    app = news_app(reader_store(tmp_path, feed_server))
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        assert app.sources_pane.display and not app.article_list.display
        await pilot.press("j", "enter")
        await settle(pilot)
        assert not app.sources_pane.display and app.article_list.display
        assert len(app.article_list.entries) == 3


def screen_line(listing) -> int:
    """The screen line the list's cursor row starts on."""
    return listing.cursor * listing.row_height - round(listing.scroll_y)


@async_test
async def test_r_refreshes_and_the_cursor_keeps_its_article_and_line(tmp_path, feed_server):
    app = news_app(reader_store(tmp_path, feed_server))
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        feed_server.feed("/xinhua.xml", rss("新华网", range(40)))  # more than a screenful
        await pilot.press("R")
        await arrived(pilot, lambda: len(app.article_list.entries) == 42)
        await pilot.press("enter", *"jjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjj")  # all sources; scrolled down
        await settle(pilot)
        before = app.article_list.highlighted
        line = screen_line(app.article_list)
        assert app.article_list.scroll_y > 0
        feed_server.feed("/xinhua.xml", rss("新华网", range(45)))  # five newer items on top
        activities = []
        original = app.status.set

        def spy(**changes):
            if changes.get("activity"):
                activities.append(changes["activity"])
            original(**changes)

        app.status.set = spy
        await pilot.press("R")
        await arrived(pilot, lambda: len(app.article_list.entries) == 47)
        assert app.article_list.highlighted is before
        assert screen_line(app.article_list) == line
        assert "updating feeds 2/2" in activities and "importing 5 articles" in activities
        assert app.status.status.activity == ""


@async_test
async def test_refresh_minutes_refreshes_feeds_that_are_due_when_the_browser_starts(tmp_path, feed_server):
    app = news_app(reader_store(tmp_path, feed_server, fetch=False), refresh_minutes=30)
    async with app.run_test(size=WIDE) as pilot:
        await arrived(pilot, lambda: len(app.all_entries) == 5)
        assert {s.last_error for s in Subscriptions(app.store).all()} == {""}


@async_test
async def test_r_without_feeds_says_how_to_add_one(sample_store_path):
    app = news_app(sample_store_path)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        assert [n.message for n in app._notifications] == [
            "No feeds yet: add one with 'newstui feeds add URL'"
        ]


def test_sources_pane_beside_the_list_snapshot(snap_compare, tmp_path, feed_server):
    assert snap_compare(news_app(reader_store(tmp_path, feed_server)), terminal_size=(120, 30),
                        run_before=settle)
