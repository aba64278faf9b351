"""Bounded downloads: validators, timeouts, deadlines, size caps, redirects, gzip, cut bodies."""

from __future__ import annotations

import gzip
import time

import pytest

from newstui.store.ingest.feeds.http import FetchError, Limits, fetch

BODY = b"<rss version='2.0'><channel><title>t</title></channel></rss>"
QUICK = Limits(read_timeout_s=2.0, deadline_s=1.0, max_bytes=64 * 1024, max_redirects=3)


def failure(url: str, limits: Limits = QUICK) -> str:
    with pytest.raises(FetchError) as caught:
        fetch(url, limits=limits)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_a_feed_comes_with_its_validators_and_charset(feed_server):
    url = feed_server.feed("/a.xml", BODY, content_type="application/rss+xml; charset=GB2312")
    response = fetch(url)
    assert (response.status, response.body, response.charset) == (200, BODY, "gb2312")
    assert response.media_type == "application/rss+xml"
    assert response.etag.startswith('"') and response.last_modified.endswith("GMT")


def test_sending_the_validators_back_gets_304_and_no_body(feed_server):
    url = feed_server.feed("/a.xml", BODY)
    first = fetch(url)
    again = fetch(url, etag=first.etag, last_modified=first.last_modified)
    assert (again.status, again.body, again.not_modified) == (304, b"", True)
    sent = feed_server.requests_to("/a.xml")[-1].headers
    assert sent["if-none-match"] == first.etag
    assert sent["if-modified-since"] == first.last_modified


def test_gzip_is_accepted_and_inflated(feed_server):
    url = feed_server.feed("/z.xml", BODY, compress=True)
    assert fetch(url).body == BODY
    assert "gzip" in feed_server.requests_to("/z.xml")[0].headers["accept-encoding"]


def test_a_gzip_bomb_stops_at_the_size_cap(feed_server):
    bomb = gzip.compress(b" " * (10 * 1024 * 1024))

    def handle(request, _):
        request.send_response(200)
        request.send_header("Content-Encoding", "gzip")
        request.send_header("Content-Length", str(len(bomb)))
        request.end_headers()
        request.wfile.write(bomb)

    assert failure(feed_server.route("/bomb", handle)).endswith(": larger than 64 KB")


def test_a_server_that_drips_a_byte_at_a_time_hits_the_deadline(feed_server):
    url = feed_server.route("/drip", lambda request, server: server.drip(request, server, 0.2))
    started = time.monotonic()
    assert failure(url) == f"{url}: not fetched within 1 s"
    assert time.monotonic() - started < 1.8


def test_a_server_that_says_nothing_times_out_per_read(feed_server):
    url = feed_server.route("/silent", lambda request, server: server.stopping.wait(10))
    limits = Limits(read_timeout_s=0.3, deadline_s=5)
    assert failure(url, limits) == f"{url}: no answer within 0.3 s"


def test_an_endless_body_stops_at_the_size_cap(feed_server):
    url = feed_server.route("/endless", feed_server.endless)
    assert failure(url) == f"{url}: larger than 64 KB"


def test_a_body_cut_short_of_its_length_is_an_error_not_a_feed(feed_server):
    url = feed_server.route("/cut", feed_server.cut_short(BODY * 10))
    assert failure(url) == f"{url}: download cut short: 300 bytes of 600 bytes"


def test_a_declared_length_over_the_cap_is_refused_before_reading(feed_server):
    def handle(request, _):
        request.send_response(200)
        request.send_header("Content-Length", str(10**9))
        request.end_headers()

    url = feed_server.route("/huge", handle)
    assert failure(url) == f"{url}: larger than 64 KB (954 MB)"


def test_redirects_are_followed_to_the_final_url(feed_server):
    final = feed_server.feed("/final.xml", BODY)
    feed_server.route("/hop2", feed_server.redirect("/final.xml", 301))
    url = feed_server.route("/hop1", feed_server.redirect(feed_server.url("/hop2")))
    response = fetch(url, limits=QUICK)
    assert (response.url, response.body) == (final, BODY)


def test_a_redirect_loop_gives_up_after_a_few_hops(feed_server):
    url = feed_server.route("/loop", feed_server.redirect("/loop"))
    assert failure(url) == f"{url}: more than 3 redirects"
    assert len(feed_server.requests_to("/loop")) == 4


def test_an_http_error_names_its_status(feed_server):
    url = feed_server.route("/broken", feed_server.status(500, "Internal Server Error"))
    assert failure(url) == f"{url}: HTTP 500 Internal Server Error"


def test_a_refused_connection_is_one_line():
    assert failure("http://127.0.0.1:9/feed") == "http://127.0.0.1:9/feed: connection refused"


def test_only_http_and_https_are_fetched():
    assert failure("file:///etc/passwd") == "file:///etc/passwd: not an http(s) URL"


def test_the_proxy_the_environment_names_is_used(feed_server, monkeypatch):
    url = "http://feeds.example.invalid/rss"
    feed_server.feed(url, BODY)  # a proxy is asked for the whole URL
    monkeypatch.setenv("http_proxy", feed_server.base)
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    assert fetch(url, limits=QUICK).body == BODY
    assert feed_server.requests_to(url)[0].headers["host"] == "feeds.example.invalid"
