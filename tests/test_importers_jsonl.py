"""JSON documents and JSON Lines: shapes, field names, and bad lines counted, not fatal."""

from __future__ import annotations

import orjson
import pytest

from newstui.store.ingest.formats import jsonl
from newstui.store.ingest.formats.records import ImportFailure, RawRecord, RowError

ARTICLE = {"title": "商汤发布", "content": "第一段。\n第二段。", "date": "2018-09-26"}


def parse(data: bytes | str, origin: str = "news.json") -> list[RawRecord | RowError]:
    return list(jsonl.parse(data.encode() if isinstance(data, str) else data, origin=origin))


def as_lines(*values: object) -> bytes:
    return b"\n".join(orjson.dumps(value) for value in values) + b"\n"


def test_a_json_array_of_articles():
    [record] = parse(orjson.dumps([ARTICLE]))
    assert (record.title, record.body, record.date, record.line) == (
        "商汤发布", "第一段。\n第二段。", "2018-09-26", 1,
    )


@pytest.mark.parametrize("key", ["articles", "items", "data"])
def test_an_object_holding_the_list(key):
    document = orjson.dumps({"status": "ok", key: [ARTICLE, ARTICLE]}, option=orjson.OPT_INDENT_2)
    assert [r.title for r in parse(document)] == ["商汤发布", "商汤发布"]


def test_a_single_article_object():
    assert [r.title for r in parse(orjson.dumps(ARTICLE, option=orjson.OPT_INDENT_2))] == ["商汤发布"]


def test_json_lines_one_object_per_line():
    records = parse(as_lines(ARTICLE, {**ARTICLE, "title": "第二篇"}), origin="news.jsonl")
    assert [(r.title, r.line) for r in records] == [("商汤发布", 1), ("第二篇", 2)]


def test_a_malformed_line_is_a_row_error_with_its_line_number():
    data = as_lines(ARTICLE) + b'{"title": "broken",\n' + as_lines(ARTICLE)
    items = parse(data, origin="news.jsonl")
    errors = [item for item in items if isinstance(item, RowError)]
    assert len(items) == 3
    assert [error.line for error in errors] == [2]
    assert errors[0].message.startswith("invalid JSON")


def test_json_lines_whose_first_line_is_broken_are_still_json_lines():
    items = parse(b"{broken\n" + as_lines(ARTICLE), origin="news.jsonl")
    assert [type(item) for item in items] == [RowError, RawRecord]


def test_a_record_without_title_or_text_is_a_row_error():
    items = parse(as_lines({"title": "", "content": "  ", "url": "http://x"}, ARTICLE))
    assert items[0] == RowError(1, "no title and no text")
    assert isinstance(items[1], RawRecord)


def test_a_value_that_is_not_an_object_is_a_row_error():
    assert parse(orjson.dumps([ARTICLE, "text", 3]))[1:] == [
        RowError(2, "not a JSON object"), RowError(3, "not a JSON object")
    ]


def test_a_body_without_title_keeps_an_empty_title():
    [record] = parse(as_lines({"text": "只有正文。"}))
    assert (record.title, record.body) == ("", "只有正文。")


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"headline": "H", "article": "B"}, ("H", "B", None, "", "")),
        ({"name": "H", "body": "B", "link": "http://a"}, ("H", "B", None, "", "http://a")),
        ({"title": "H", "text": "B", "pubDate": "Wed, 26 Sep 2018 10:09:00 +0800"},
         ("H", "B", "2018-09-26T10:09", "", "")),
        ({"title": "H", "description": "B", "published": "2018-09-26", "publisher": "P"},
         ("H", "B", "2018-09-26", "P", "")),
        ({"Title": "H", "Content": "B", "created_at": 1537927740, "site": "S"},
         ("H", "B", "2018-09-26T02:09", "S", "")),
        ({"标题": "H", "正文": "B", "发布时间": "2018年9月13日", "来源": "新华社"},
         ("H", "B", "2018-09-13", "新华社", "")),
    ],
)
def test_field_names_in_common_use_are_recognised(fields, expected):
    [record] = parse(orjson.dumps([fields]))
    assert (record.title, record.body, record.date, record.source, record.url) == expected


def test_content_is_preferred_to_description():
    [record] = parse(orjson.dumps([{"title": "H", "description": "短", "content": "全文"}]))
    assert record.body == "全文"


def test_nested_values_give_their_text():
    newsapi = {"source": {"id": None, "name": "BBC"}, "title": {"rendered": "H"},
               "content": ["第一段", "第二段"], "author": "someone"}
    [record] = parse(orjson.dumps({"articles": [newsapi]}))
    assert (record.title, record.body, record.source) == ("H", "第一段\n第二段", "BBC")


def test_html_content_becomes_paragraphs():
    [record] = parse(orjson.dumps([{"title": "H", "content": "<p>甲&amp;乙</p><p>丙</p>"}]))
    assert record.body == "甲&乙\n丙"


def test_a_date_missing_from_the_fields_is_read_from_the_dateline():
    data = as_lines({"title": "A", "content": "9月3日，消息"}, {"title": "B", "content": "x",
                                                          "date": "2018-09-26"})
    assert [r.date for r in parse(data)] == ["2018-09-03", "2018-09-26"]


def test_invalid_json_document_fails_naming_the_line():
    with pytest.raises(ImportFailure) as failure:
        parse('[\n{"title": "a"},\n{"title": }\n]')
    assert str(failure.value).startswith("news.json:3: invalid JSON: ")


def test_a_document_without_articles_fails():
    with pytest.raises(ImportFailure) as failure:
        parse('{\n  "status": "ok",\n  "count": 0\n}')
    assert str(failure.value) == (
        'news.json: no articles found (expected an array of objects, or one under "articles", '
        '"items" or "data")'
    )


def test_gbk_json_lines_decode():
    [record] = parse(orjson.dumps(ARTICLE).decode().encode("gbk"), origin="news.jsonl")
    assert record.title == "商汤发布"
