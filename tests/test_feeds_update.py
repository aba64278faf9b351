"""Refreshing subscriptions against a feed server on 127.0.0.1: what is new, what changed, what
failed, and that nothing is lost or fetched twice."""

from __future__ import annotations

import pytest

from newstui.store.ingest.feeds.http import Limits
from newstui.store.ingest.feeds.subscriptions import Subscription, Subscriptions
from newstui.store.ingest.feeds.update import update_feeds
from newstui.store.records.db import Store, StoreError
from newstui.store.search.searcher import search

QUICK = Limits(read_timeout_s=2.0, deadline_s=1.0, max_bytes=256 * 1024, max_redirects=3)
CHANNEL = "<rss version='2.0'><channel><title>{title}</title>{items}</channel></rss>"
ITEM = (
    "<item><guid>{guid}</guid><title>{title}</title><link>{link}</link>"
    "<description>{body}</description></item>"
)


def rss(title: str, items: list[tuple[str, str, str]], link: str = "https://news.example.cn/") -> bytes:
    return CHANNEL.format(
        title=title,
        items="".join(ITEM.format(guid=g, title=t, body=b, link=f"{link}{g}") for g, t, b in items),
    ).encode()


NEWS = [(f"n{i}", f"第{i}条新闻", f"新华社北京电 第{i}条新闻的正文。") for i in range(3)]
NEWS[1] = ("n1", "第1条新闻", "新华社北京电 鲲鹏计划启动。")


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(tmp_path / "news.json")


def subscribe(store: Store, *urls: str, full_text: bool = False) -> None:
    Subscriptions(store).add([Subscription(url, full_text=full_text) for url in urls])


def refresh(store: Store, **options):
    return update_feeds(store, limits=QUICK, page_limits=QUICK, workers=1, **options)


def titles(store: Store) -> list[str]:
    return sorted(entry.title for entry in store.entries())


def test_a_first_refresh_imports_every_item_with_its_feed(store, feed_server):
    url = feed_server.feed("/news.xml", rss("新华网", NEWS))
    subscribe(store, url)
    report = refresh(store)
    assert [(r.status, r.added, r.name) for r in report.feeds] == [("updated", 3, "新华网")]
    assert titles(store) == ["第0条新闻", "第1条新闻", "第2条新闻"]
    assert {(e.source, e.feed) for e in store.entries()} == {("新华网", url)}
    assert search(store, "第1条新闻").total == 1


def test_a_second_refresh_with_nothing_new_only_asks_conditionally(store, feed_server):
    urls = [feed_server.feed(f"/{n}.xml", rss(f"feed {n}", [(f"{n}-{g}", t, b) for g, t, b in NEWS]))
            for n in range(3)]
    subscribe(store, *urls)
    refresh(store)
    asked_before = len(feed_server.requests)
    report = refresh(store)
    again = feed_server.requests[asked_before:]
    assert len(again) == 3 and all("if-none-match" in seen.headers for seen in again)
    assert all("if-modified-since" in seen.headers for seen in again)
    assert [r.status for r in report.feeds] == ["not modified"] * 3
    assert report.added == 0 and len(store) == 9


def test_items_with_the_same_text_and_different_guids_are_distinct_articles(store, feed_server):
    untitled = "".join(f"<item><guid>urn:{n}</guid><description>一样的正文</description></item>"
                       for n in range(5))
    subscribe(store, feed_server.feed("/same.xml", CHANNEL.format(title="t", items=untitled).encode()))
    assert refresh(store).added == 5
    assert len(store) == 5


def test_the_same_items_served_again_without_validators_are_never_duplicated(store, feed_server):
    subscribe(store, feed_server.feed("/plain.xml", rss("s", NEWS), validators=False))
    refresh(store)
    feed_server.feed("/plain.xml", rss("s", list(reversed(NEWS))), validators=False)  # reordered bytes
    report = refresh(store)
    assert (report.added, report.changed, len(store)) == (0, 0, 3)


def test_an_item_whose_text_changed_replaces_its_stored_version(store, feed_server):
    url = feed_server.feed("/news.xml", rss("s", NEWS))
    subscribe(store, url)
    refresh(store)
    old = next(e for e in store.entries() if e.title == "第1条新闻")
    store.set_flags(old.id, read=True, starred=True)
    corrected = [*NEWS[:1], ("n1", "第1条新闻（更正）", "更正后的正文：国务院召开常务会议。"), *NEWS[2:]]
    feed_server.feed("/news.xml", rss("s", corrected))
    report = refresh(store)
    assert (report.added, report.changed, len(store)) == (0, 1, 3)
    assert old.id not in store
    new = next(e for e in store.entries() if e.title == "第1条新闻（更正）")
    assert (new.read, new.starred) == (True, True)
    assert store.body(new.id) == "更正后的正文：国务院召开常务会议。"
    assert search(store, "常务会议").total == 1
    assert search(store, "鲲鹏计划").total == 0


def test_a_failing_feed_is_reported_and_the_others_still_import(store, feed_server):
    good = feed_server.feed("/good.xml", rss("good", NEWS))
    broken = feed_server.route("/broken.xml", feed_server.status(500, "Internal Server Error"))
    subscribe(store, broken, good)
    report = refresh(store)
    assert [(r.status, r.error) for r in report.failed] == [
        ("failed", f"{broken}: HTTP 500 Internal Server Error")
    ]
    assert report.added == 3
    state = {s.url: s for s in Subscriptions(store).all()}
    assert state[broken].last_error == f"{broken}: HTTP 500 Internal Server Error"
    assert state[good].last_error == "" and state[good].last_fetched


def test_an_error_is_cleared_by_the_next_success(store, feed_server):
    url = feed_server.route("/flaky.xml", feed_server.status(503, "Service Unavailable"))
    subscribe(store, url)
    refresh(store)
    feed_server.feed("/flaky.xml", rss("flaky", NEWS))
    refresh(store)
    assert Subscriptions(store).get(url).last_error == ""


def test_misbehaving_servers_fail_within_the_limits(store, feed_server):
    slow = feed_server.route("/slow", lambda request, server: server.drip(request, server, 0.3))
    endless = feed_server.route("/endless", feed_server.endless)
    cut = feed_server.route("/cut", feed_server.cut_short(rss("cut", NEWS)))
    loop = feed_server.route("/loop", feed_server.redirect("/loop"))
    good = feed_server.feed("/good.xml", rss("good", NEWS), compress=True)
    subscribe(store, slow, endless, cut, loop, good)
    errors = {r.url: r.error.removeprefix(r.url + ": ") for r in refresh(store).failed}
    assert errors == {
        slow: "not fetched within 1 s",
        endless: "larger than 256 KB",
        cut: f"download cut short: {len(rss('cut', NEWS)) // 2} bytes of {len(rss('cut', NEWS))} bytes",
        loop: "more than 3 redirects",
    }
    assert len(store) == 3  # the gzipped feed


def test_a_gb2312_feed_without_a_declaration_is_not_mojibake(store, feed_server):
    subscribe(store, feed_server.feed("/gb.xml", rss("新华网", NEWS).decode().encode("gb2312")))
    refresh(store)
    assert titles(store) == ["第0条新闻", "第1条新闻", "第2条新闻"]
    assert {e.source for e in store.entries()} == {"新华网"}


def test_a_utf16_feed_without_a_byte_order_mark_is_accepted(store, feed_server):
    subscribe(store, feed_server.feed("/u16.xml", rss("新华网", NEWS).decode().encode("utf-16-le")))
    assert refresh(store).added == 3


def test_a_refresh_killed_before_saving_its_state_loses_nothing(store, feed_server, monkeypatch):
    url = feed_server.feed("/news.xml", rss("s", NEWS))
    subscribe(store, url)

    def killed(self, updated):
        raise KeyboardInterrupt  # as if killed after the articles were committed

    with monkeypatch.context() as patch:
        patch.setattr(Subscriptions, "save_fetched", killed)
        with pytest.raises(KeyboardInterrupt):
            refresh(store)
    assert len(store) == 3
    report = refresh(store)  # no validators were saved: a full download, all of it known
    assert (report.feeds[0].status, report.added, len(store)) == ("updated", 0, 3)
    assert len(Subscriptions(store).get(url).items) == 3


def test_only_one_refresh_of_a_store_runs_at_a_time(store, feed_server):
    from filelock import FileLock

    subscribe(store, feed_server.feed("/news.xml", rss("s", NEWS)))
    with FileLock(str(store.path) + ".update.lock"), pytest.raises(StoreError) as busy:
        refresh(store)
    assert str(busy.value) == f"{store.path}: another newstui update of this store is running"


def test_a_feed_removed_while_refreshing_stays_removed(store, feed_server, monkeypatch):
    url = feed_server.feed("/news.xml", rss("s", NEWS))
    subscribe(store, url)
    original = Subscriptions.save_fetched

    def remove_first(self, updated):
        Subscriptions(store).remove(url)
        original(self, updated)

    monkeypatch.setattr(Subscriptions, "save_fetched", remove_first)
    refresh(store)
    assert Subscriptions(store).all() == []


PAGE = """<html><head><meta charset="gb2312"><title>x</title></head><body>
<nav><a href="/">首页</a> <a href="/a">国内</a> <a href="/b">国际</a></nav>
<article><h1>第0条新闻</h1>
<p>新华社北京9月20日电 国务院总理主持召开国务院常务会议，部署进一步扩大开放的措施。</p>
<p>会议指出，要坚持以开放促改革、促发展，在更大范围、更宽领域、更深层次推进对外开放。</p>
<p>会议决定，进一步降低关税总水平，推动贸易和投资便利化，营造更好的营商环境。</p>
</article><footer>版权所有 新华网</footer></body></html>"""


def test_full_text_feeds_keep_the_main_text_of_each_items_page(store, feed_server):
    page = feed_server.feed("/page/n0", PAGE.encode("gb2312"), content_type="text/html")
    items = [("n0", "第0条新闻", "摘要。")]
    feed = feed_server.feed("/ft.xml", rss("s", items, link=page.removesuffix("n0")))
    subscribe(store, feed, full_text=True)
    report = refresh(store)
    [entry] = store.entries()
    body = store.body(entry.id)
    assert "降低关税总水平" in body and "首页" not in body and "版权所有" not in body
    assert report.feeds[0].pages_failed == 0


def test_a_full_text_page_that_fails_keeps_the_excerpt_and_says_so(store, feed_server):
    items = [("n0", "第0条新闻", "摘要。")]
    feed = feed_server.feed("/ft.xml", rss("s", items, link=feed_server.url("/gone/")))
    subscribe(store, feed, full_text=True)
    [result] = refresh(store).feeds
    assert (result.status, result.added, result.pages_failed) == ("updated", 1, 1)
    assert result.page_error == f"{feed_server.url('/gone/n0')}: HTTP 404 Not Found"
    assert store.body(store.entries()[0].id) == "摘要。"


def test_an_item_two_feeds_carry_is_one_article_counted_once(store, feed_server):
    subscribe(store, feed_server.feed("/a.xml", rss("a", NEWS)), feed_server.feed("/b.xml", rss("b", NEWS)))
    report = refresh(store)
    assert (report.added, len(store)) == (3, 3)


def test_a_feed_that_breaks_the_parser_fails_alone(store, feed_server, monkeypatch):
    import newstui.store.ingest.feeds.update as update

    good = feed_server.feed("/good.xml", rss("good", NEWS))
    bad = feed_server.feed("/bad.xml", rss("bad", NEWS[:1]))
    original = update.read_feed

    def fragile(data, **options):
        if options["origin"] == bad:
            raise RecursionError("maximum recursion depth exceeded")
        return original(data, **options)

    monkeypatch.setattr(update, "read_feed", fragile)
    subscribe(store, bad, good)
    report = refresh(store)
    assert [r.error for r in report.failed] == [
        f"{bad}: cannot read it (RecursionError: maximum recursion depth exceeded)"
    ]
    assert report.added == 3
