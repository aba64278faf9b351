"""RSS 2.0 and Atom feeds, from files and over HTTP (a server on the loopback interface)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newstui.store.ingest.formats import feed
from newstui.store.ingest.formats.detect import Source, parse_source
from newstui.store.ingest.formats.html_text import html_to_text
from newstui.store.ingest.formats.records import ImportFailure, RawRecord

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


def test_a_feed_url_is_fetched_and_recognised_without_an_extension(feed_server):
    records = list(parse_source(Source(feed_server.feed("/feed", RSS))))
    assert all(isinstance(record, RawRecord) for record in records)
    assert [record.title for record in records] == ["商汤科技发布 & 合作", "只有摘要"]


def test_a_feed_url_is_read_in_the_charset_its_server_names(feed_server):
    rss = news(*SIMPLIFIED, '<?xml version="1.0" encoding="utf-8"?>').encode("gb18030")
    url = feed_server.feed("/gb", rss, content_type="text/xml; charset=GB2312")
    [record] = parse_source(Source(url))
    assert record.title == SIMPLIFIED[1]


# -- encodings ------------------------------------------------------------------------------

ITEM_FEED = "<rss version='2.0'><channel><title>{source}</title><link>https://example.cn/</link>{items}</channel></rss>"
ITEM = "<item><guid>{guid}</guid><title>{title}</title><description>{body}</description></item>"
SIMPLIFIED = ("新华网", "新华社北京电 国务院召开常务会议", "（9月20日 北京）新华社北京电。")
TRADITIONAL = ("新華網", "新華社北京電 國務院召開常務會議", "（9月20日 北京）新華社北京電。")


def news(source: str, title: str, body: str, declaration: str = "") -> str:
    return declaration + ITEM_FEED.format(source=source, items=ITEM.format(guid="a1", title=title, body=body))


@pytest.mark.parametrize(
    ("encoding", "declaration"),
    [
        ("gb2312", ""),
        ("gb18030", ""),
        ("utf-16-le", ""),
        ("utf-16-be", ""),
        ("utf-32-le", ""),
        ("utf-32-be", ""),
        ("utf-16-le", '<?xml version="1.0" encoding="utf-16"?>'),
        ("gb18030", '<?xml version="1.0" encoding="gb2312"?>'),
        ("gb18030", '<?xml version="1.0" encoding="utf-8"?>'),  # declared wrong
        ("utf-8", '<?xml version="1.0" encoding="iso-8859-1"?>'),  # mislabelled UTF-8
        ("utf-8-sig", ""),
        ("utf-16", ""),  # with its byte-order mark
    ],
)
def test_a_simplified_chinese_feed_reads_right_in_any_encoding(encoding, declaration):
    [record] = parse(news(*SIMPLIFIED, declaration).encode(encoding))
    assert (record.source, record.title, record.body) == SIMPLIFIED


@pytest.mark.parametrize("declaration", ["", '<?xml version="1.0" encoding="big5"?>'])
def test_a_big5_feed_reads_right_declared_or_not(declaration):
    [record] = parse(news(*TRADITIONAL, declaration).encode("big5"))
    assert (record.source, record.title, record.body) == TRADITIONAL


def test_the_charset_the_server_names_wins_over_a_wrong_declaration():
    data = news(*SIMPLIFIED, '<?xml version="1.0" encoding="big5"?>').encode("gb18030")
    [record] = feed.parse(data, origin="f", charset="gb2312")
    assert (record.source, record.title) == SIMPLIFIED[:2]


def test_a_western_label_on_real_latin_text_is_kept():
    data = '<?xml version="1.0" encoding="windows-1252"?><rss><channel><title>Caf\xe9 \x93quoted\x94</title>'
    data += "<item><title>t</title></item></channel></rss>"
    [record] = parse(data.encode("latin-1"))
    assert record.source == "Café “quoted”"


# -- identity -------------------------------------------------------------------------------


def test_each_item_carries_its_guid_else_its_link():
    items = ITEM.format(guid="urn:1", title="甲", body="") + "<item><title>乙</title><link>https://e.cn/2</link></item>"
    first, second = parse(ITEM_FEED.format(source="s", items=items).encode())
    assert (first.guid, second.guid) == ("urn:1", "https://e.cn/2")


def test_items_that_share_a_guid_are_told_apart_by_their_links():
    item = "<item><guid>same</guid><link>https://e.cn/{n}</link><description>一样的正文</description></item>"
    records = parse(ITEM_FEED.format(source="s", items="".join(item.format(n=n) for n in range(3))).encode())
    assert [r.guid for r in records] == [f"same https://e.cn/{n}" for n in range(3)]
