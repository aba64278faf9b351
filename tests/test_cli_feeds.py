"""`newstui feeds …` and `newstui update` end to end, against a feed server on 127.0.0.1."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from newstui.tui.cli import main

RSS = (
    "<rss version='2.0'><channel><title>新华网</title><link>https://news.example.cn/</link>"
    + "".join(f"<item><guid>g{n}</guid><title>新闻{n}</title><description>正文{n}。</description></item>"
              for n in range(4))
    + "</channel></rss>"
).encode()
OPML = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0"><head><title>mine</title></head><body>
  <outline type="rss" text="Top" xmlUrl="https://top.example.com/rss" />
  <outline text="科技"><outline text="36氪" xmlUrl="https://36kr.example.com/feed" />
    <outline text="深度"><outline text="Deep" xmlUrl="https://deep.example.com/atom" /></outline>
  </outline>
  <outline text="not a feed" xmlUrl="ftp://example.com/x" />
</body></opml>
"""


@pytest.fixture
def db(tmp_path) -> str:
    return str(tmp_path / "news.json")


def run(capsys, *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_add_list_and_remove(capsys, db, feed_server):
    url = feed_server.feed("/a.xml", RSS)
    status, out, _ = run(capsys, "feeds", "add", url, "--db", db)
    assert (status, out) == (0, f"subscribed to {url}\n")
    assert run(capsys, "feeds", "add", url, "--full-text", "--db", db)[1] == (
        f"already subscribed to {url} (full text)\n"
    )
    [row] = json.loads(run(capsys, "feeds", "list", "--json", "--db", db)[1])
    assert row == {"url": url, "title": "", "full_text": True, "category": "", "articles": 0,
                   "unread": 0, "last_fetched": None, "last_error": None}
    assert run(capsys, "feeds", "remove", url, "--db", db)[:2] == (
        0, f"unsubscribed from {url}; its articles stay in the store\n"
    )
    assert run(capsys, "feeds", "list", "--db", db)[1] == ""


def test_adding_what_is_not_an_http_url_is_one_line(capsys, db):
    assert run(capsys, "feeds", "add", "ftp://example.com/rss", "--db", db)[::2] == (
        1, "newstui: not an http(s) URL: ftp://example.com/rss\n"
    )


def test_removing_a_feed_not_subscribed_fails(capsys, db):
    assert run(capsys, "feeds", "remove", "https://example.com/rss", "--db", db)[::2] == (
        1, "newstui: not subscribed to https://example.com/rss\n"
    )


def test_update_imports_then_finds_nothing_new(capsys, db, feed_server):
    url = feed_server.feed("/a.xml", RSS)
    run(capsys, "feeds", "add", url, "--db", db)
    assert run(capsys, "update", "--db", db)[:2] == (
        0, "updated 1 feeds: 4 new articles, 0 changed, 0 feeds not modified, 0 failed; store has 4\n"
    )
    [row] = json.loads(run(capsys, "update", "--json", "--db", db)[1])
    assert row == {"url": url, "title": "新华网", "status": "not modified", "added": 0, "changed": 0,
                   "error": None, "pages_failed": 0}
    [listed] = json.loads(run(capsys, "feeds", "list", "--json", "--db", db)[1])
    assert (listed["title"], listed["articles"], listed["unread"]) == ("新华网", 4, 4)
    assert listed["last_error"] is None
    assert listed["last_fetched"]


def test_update_prints_a_line_per_failed_feed_and_exits_1(capsys, db, feed_server):
    good = feed_server.feed("/a.xml", RSS)
    broken = feed_server.route("/gone.xml", feed_server.status(410, "Gone"))
    run(capsys, "feeds", "add", broken, good, "--db", db)
    status, out, err = run(capsys, "update", "--db", db)
    assert status == 1
    assert err == f"newstui: {broken}: HTTP 410 Gone\n"
    assert out == "updated 2 feeds: 4 new articles, 0 changed, 0 feeds not modified, 1 failed; store has 4\n"
    listed = run(capsys, "feeds", "list", "--db", db)[1]
    assert f"{broken}  127.0.0.1  0 articles, 0 unread, fetched never  error: HTTP 410 Gone\n" in listed


def test_update_with_no_feeds_says_how_to_add_one(capsys, db):
    assert run(capsys, "update", "--db", db)[::2] == (
        0, "newstui: no feeds to update; add one with 'newstui feeds add URL'\n"
    )


def test_opml_import_keeps_folders_and_export_writes_them_back(capsys, db, tmp_path):
    opml = tmp_path / "subs.opml"
    opml.write_text(OPML, encoding="utf-8")
    status, out, err = run(capsys, "feeds", "import", str(opml), "--db", db)
    assert (status, out) == (0, f"{opml}: 3 feeds subscribed, 0 already, 1 skipped\n")
    assert err == f"newstui: {opml}: skipped not an http(s) URL: ftp://example.com/x\n"
    rows = json.loads(run(capsys, "feeds", "list", "--json", "--db", db)[1])
    assert [(r["url"], r["title"], r["category"]) for r in rows] == [
        ("https://top.example.com/rss", "Top", ""),
        ("https://36kr.example.com/feed", "36氪", "科技"),
        ("https://deep.example.com/atom", "Deep", "科技/深度"),
    ]
    exported = run(capsys, "feeds", "export", "--db", db)[1]
    root = ElementTree.fromstring(exported)
    assert root.get("version") == "2.0"
    body = root.find("body")
    assert [o.get("xmlUrl") for o in body.iter("outline") if o.get("xmlUrl")] == [r["url"] for r in rows]
    folder = body.find("outline[@text='科技']")
    assert folder.find("outline[@text='深度']/outline").get("xmlUrl") == "https://deep.example.com/atom"
    assert run(capsys, "feeds", "import", str(opml), "--db", db)[1] == (
        f"{opml}: 0 feeds subscribed, 3 already, 1 skipped\n"
    )


def test_a_broken_opml_file_is_one_line_naming_file_and_line(capsys, db, tmp_path):
    opml = tmp_path / "broken.opml"
    opml.write_text("<opml><body>\n<outline text='x'>\n</body></opml>", encoding="utf-8")
    assert run(capsys, "feeds", "import", str(opml), "--db", db)[::2] == (
        1, f"newstui: {opml}:3: not an OPML file (mismatched tag)\n"
    )


def test_a_missing_opml_file_is_one_line(capsys, db, tmp_path):
    assert run(capsys, "feeds", "import", str(tmp_path / "nope.opml"), "--db", db)[::2] == (
        1, f"newstui: no such file: {tmp_path / 'nope.opml'}\n"
    )


def test_an_rss_file_given_as_opml_is_not_opml(capsys, db, tmp_path):
    rss = tmp_path / "a.opml"
    rss.write_bytes(RSS)
    assert run(capsys, "feeds", "import", str(rss), "--db", db)[::2] == (
        1, f"newstui: {rss}: not an OPML file (its root is <rss>)\n"
    )


def test_a_damaged_feeds_file_is_salvaged_by_doctor(capsys, db, feed_server):
    run(capsys, "feeds", "add", feed_server.feed("/a.xml", RSS), "--db", db)
    run(capsys, "update", "--db", db)
    run(capsys, "feeds", "add", "https://a.example.com/rss", "https://b.example.com/rss", "--db", db)
    feeds = Path(f"{db}.feeds.json")
    raw = feeds.read_bytes()
    cut = raw.index(b'"https://b.example.com')
    feeds.write_bytes(raw[:cut] + b"\x00garbage" + raw[cut:])  # between two subscriptions
    status, _, err = run(capsys, "feeds", "list", "--db", db)
    assert status == 1 and err.count("\n") == 1 and "newstui doctor" in err
    assert run(capsys, "doctor", "--repair", "--db", db)[0] == 0
    rows = json.loads(run(capsys, "feeds", "list", "--json", "--db", db)[1])
    assert [row["url"] for row in rows][1:] == ["https://a.example.com/rss", "https://b.example.com/rss"]
    assert rows[0]["articles"] == 4


def test_feeds_commands_never_load_textual(tmp_path):
    import subprocess
    import sys

    db = str(tmp_path / "news.json")
    code = (
        "import sys\nfrom newstui.tui.cli import main\n"
        f"main(['feeds', 'add', 'https://example.com/rss', '--db', {db!r}])\n"
        f"main(['feeds', 'list', '--db', {db!r}])\nmain(['feeds', 'export', '--db', {db!r}])\n"
        "import newstui.store.ingest.feeds.update\n"
        "assert not [m for m in sys.modules if m.startswith('textual')], 'textual was imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
