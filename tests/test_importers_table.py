"""CSV (and tab/semicolon) tables with a header row."""

from __future__ import annotations

import pytest

from newstui.store.ingest.formats import table
from newstui.store.ingest.formats.records import ImportFailure, RawRecord, RowError


def parse(text: str, origin: str = "news.csv", encoding: str = "utf-8") -> list:
    return list(table.parse(text.encode(encoding), origin=origin))


def test_comma_separated_with_header():
    records = parse("title,content,date,url\n商汤发布,正文。,2018-09-26,http://a\n")
    assert [(r.title, r.body, r.date, r.url, r.line) for r in records] == [
        ("商汤发布", "正文。", "2018-09-26", "http://a", 2)
    ]


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_semicolon_and_tab_delimiters_are_sniffed(delimiter):
    text = delimiter.join(["headline", "body"]) + "\n" + delimiter.join(["甲", "乙, 丙"]) + "\n"
    [record] = parse(text)
    assert (record.title, record.body) == ("甲", "乙, 丙")


def test_quoted_cells_may_span_lines_and_hold_delimiters():
    text = 'title,body\r\n"甲, 乙","第一段\r\n第二段 ""引用"""\r\n丙,丁\r\n'
    records = parse(text)
    assert [(r.title, r.body, r.line) for r in records] == [
        ("甲, 乙", '第一段\n第二段 "引用"', 2), ("丙", "丁", 4),
    ]


def test_columns_are_matched_by_name_in_any_order_and_case():
    [record] = parse("Link,Published At,Text,Headline\nhttp://a,2018/9/26 10:09,正文,标题\n")
    assert (record.title, record.body, record.date, record.url) == (
        "标题", "正文", "2018-09-26T10:09", "http://a",
    )


def test_chinese_headers_in_gbk():
    [record] = parse("标题,内容,来源\n商汤发布,正文。,新华社\n", encoding="gbk")
    assert (record.title, record.body, record.source) == ("商汤发布", "正文。", "新华社")


def test_utf8_bom_does_not_hide_the_first_column():
    [record] = parse("title,body\n甲,乙\n", encoding="utf-8-sig")
    assert record.title == "甲"


def test_blank_rows_are_skipped_and_short_rows_padded():
    records = parse("title,body,date\n\n甲,乙\n,,\n")
    assert [(r.title, r.body, r.date) for r in records] == [("甲", "乙", None)]


def test_a_row_with_more_cells_than_the_header_is_a_row_error():
    items = parse("title,body\n甲,乙,多余\n丙,丁\n")
    assert items[0] == RowError(2, "3 cells, but the header names 2")
    assert isinstance(items[1], RawRecord)


def test_a_row_without_title_or_text_is_a_row_error():
    assert parse("title,body,url\n,,http://a\n") == [RowError(2, "no title and no text")]


def test_a_header_without_title_or_text_column_fails():
    with pytest.raises(ImportFailure) as failure:
        parse("name_of_city,population\nBeijing,21000000\n")
    assert str(failure.value) == (
        "news.csv:1: no title or text column in the header (found: name_of_city, population)"
    )


def test_a_long_cell_is_read_whole():
    body = "很长的正文。" * 50_000  # beyond the csv module's default field limit
    [record] = parse(f"title,body\n甲,{body}\n")
    assert record.body == body


def test_is_header_needs_known_names_including_title_or_body():
    assert table.is_header(["title", "body", ""])
    assert table.is_header(["日期", "标题", "正文"])
    assert not table.is_header(["date", "url"])
    assert not table.is_header(["商汤发布", "正文内容"])


def test_an_unterminated_quote_is_named_and_the_rows_after_it_recovered():
    items = parse('title,body\n第一,正文一\n第二,"没有结尾的引号\n第三,正文三\n'
                  '第四,"正文\n四"\n第五,正文五\n')
    assert [(type(item).__name__, item.line) for item in items] == [
        ("RawRecord", 2), ("RowError", 3), ("RawRecord", 4), ("RawRecord", 5), ("RawRecord", 7)]
    assert "quote" in items[1].message and "never closes" in items[1].message
    assert [item.title for item in items if isinstance(item, RawRecord)] == ["第一", "第三", "第四", "第五"]
    assert items[3].body == "正文\n四"  # a quoted cell over two lines is still one cell


def test_two_unterminated_quotes_are_both_named():
    items = parse('title,body\n一,"甲\n二,乙\n三,"丙\n四,丁\n')
    assert [(type(item).__name__, item.line) for item in items] == [
        ("RowError", 2), ("RawRecord", 3), ("RowError", 4), ("RawRecord", 5)]


def test_text_after_a_closing_quote_keeps_its_row():
    items = parse('title,body\n"甲" 乙,丙\n丁,戊\n')
    assert [(item.title, item.body, item.line) for item in items] == [("甲 乙", "丙", 2), ("丁", "戊", 3)]
