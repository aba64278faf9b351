"""RSS 2.0 and Atom feeds, from files and over HTTP (a server on the loopback interface)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from store.importers import feed
from store.importers.detect import Source, parse_source
from store.importers.html_text import html_to_text
from store.importers.records import ImportFailure, RawRecord

FIXTURES = Path(__file__).parent / "fixtures" / "importers"
RSS = (FIXTURES / "rss2.xml").read_bytes()
ATOM = (FIXTURES / "atom.xml").read_bytes()


def parse(data: bytes, origin: str = "feed.xml") -> list:
    return list(feed.parse(data, origin=origin))


def test_rss_items_become_records_with_the_feed_title_as_source():
    first, second = parse(RSS)
    assert (first.title, first.url, first.date, first.source) == (
        "商汤科技发布 & 合作", "https://example.com/news/1", "2018-09-26T10:09", "商汤新闻",
    )
    assert (second.title, second.line) == ("只有摘要", 2)


def test_rss_full_content_is_preferred_and_reduced_to_paragraphs():
    first = parse(RSS)[0]
    assert first.body == "第一段 内容 & 更多。\n第二段\n第三段"


def test_an_undated_rss_item_takes_its_date_from_its_dateline():
    second = parse(RSS)[1]
    assert (second.body, second.date) == ("（9月20日 上海）摘要正文。", "2018-09-20")


def test_atom_entries_keep_the_published_wall_clock_time():
    first, second = parse(ATOM)
    assert (first.title, first.body, first.date, first.url, first.source) == (
        "Lab opens", "Heading\nFirst & only paragraph.", "2018-09-13T09:30",
        "https://example.org/lab", "Example Atom",
    )
    assert (second.date, second.url) == ("2018-09-15T12:00", "")  # a URN id is not a link


def test_plain_text_atom_summary_is_not_treated_as_html():
    assert parse(ATOM)[1].body == "A summary that is plain text <not a tag>."


def test_html_to_text_drops_scripts_and_styles_and_decodes_entities():
    html = "<style>b{}</style><h2>标题</h2><p>甲&nbsp;&lt;乙&gt;\n丙</p><script>x()</script><li>丁"
    assert html_to_text(html) == "标题\n甲 <乙> 丙\n丁"


def test_a_feed_in_its_declared_legacy_encoding():
    rss = (
        '<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><title>Caf\xe9'
        "</title><item><title>Cr\xe8me</title><description>Br\xfbl\xe9e</description></item>"
        "</channel></rss>"
    ).encode("latin-1")
    [record] = parse(rss)
    assert (record.source, record.title, record.body) == ("Café", "Crème", "Brûlée")


def test_something_that_is_not_a_feed_fails():
    with pytest.raises(ImportFailure) as failure:
        parse(b"<html><body><p>hello</p></body></html>", origin="page.xml")
    assert str(failure.value) == "page.xml: not an RSS or Atom feed"


def test_broken_xml_fails_with_the_parser_reason():
    with pytest.raises(ImportFailure) as failure:
        parse(b"this is not xml at all", origin="broken.rss")
    assert str(failure.value).startswith("broken.rss: not an RSS or Atom feed (")


def test_a_binary_file_named_like_a_feed_is_not_a_text_file():
    with pytest.raises(ImportFailure) as failure:
        parse(b"\x89PNG\r\n\x1a\n\x00\x00", origin="image.rss")
    assert str(failure.value) == "image.rss: not a text file"


class _FeedHandler(BaseHTTPRequestHandler):
    release = threading.Event()  # the /hang handler waits for it, so the test never sleeps

    def do_GET(self) -> None:
        if self.path == "/hang":
            self.release.wait(10)
            return
        if self.path not in ("/feed", "/big.xml"):
            self.send_error(404, "Not Found")
            return
        body = RSS if self.path == "/feed" else b" " * 4096 + RSS
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:  # keep test output quiet
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _FeedHandler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    _FeedHandler.release.clear()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        _FeedHandler.release.set()
        httpd.shutdown()
        httpd.server_close()


def test_a_feed_url_is_fetched_and_recognised_without_an_extension(server):
    records = list(parse_source(Source(f"{server}/feed")))
    assert all(isinstance(record, RawRecord) for record in records)
    assert [record.title for record in records] == ["商汤科技发布 & 合作", "只有摘要"]


def test_an_http_error_is_one_line_naming_the_url(server):
    with pytest.raises(ImportFailure) as failure:
        feed.fetch(f"{server}/missing")
    assert str(failure.value) == f"{server}/missing: HTTP 404 Not Found"


def test_a_download_over_the_size_cap_is_refused(server):
    with pytest.raises(ImportFailure) as failure:
        feed.fetch(f"{server}/big.xml", max_bytes=1024)
    assert str(failure.value) == f"{server}/big.xml: larger than 1 KB, not imported"


def test_a_server_that_does_not_answer_times_out(server):
    with pytest.raises(ImportFailure) as failure:
        feed.fetch(f"{server}/hang", timeout=0.2)
    assert str(failure.value) == f"{server}/hang: no answer within 0.2 s"


def test_a_refused_connection_is_one_line():
    with pytest.raises(ImportFailure) as failure:
        feed.fetch("http://127.0.0.1:9/feed", timeout=2)
    message = str(failure.value)
    assert message.startswith("http://127.0.0.1:9/feed: cannot fetch: ")
    assert "\n" not in message
