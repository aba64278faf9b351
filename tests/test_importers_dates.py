"""Dates from fields and from datelines; a date without a year is never guessed."""

from __future__ import annotations

import pytest

from newstui.store.ingest.formats.dates import date_from_text, parse_date, year_in_name
from newstui.store.ingest.formats.records import RawRecord, fill_dates


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2018-09-26", "2018-09-26"),
        ("2018-09-26T10:09:00Z", "2018-09-26T10:09"),
        ("2018-09-26T07:00:00.000+08:00", "2018-09-26T07:00"),  # publisher's wall clock kept
        ("2018-09-26 10:09", "2018-09-26T10:09"),
        ("2018/9/26 10:09", "2018-09-26T10:09"),
        ("2018/9/26", "2018-09-26"),
        ("2018.09.26", "2018-09-26"),
        ("2018年9月13日", "2018-09-13"),
        ("2018年9月13日 10:09", "2018-09-13T10:09"),
        ("Wed, 26 Sep 2018 10:09:00 +0800", "2018-09-26T10:09"),
        ("Wed, 26 Sep 2018 10:09:00 GMT", "2018-09-26T10:09"),
        ("September 26, 2018", "2018-09-26"),
        ("26 Sep 2018", "2018-09-26"),
        ("20180926", "2018-09-26"),
        ("1537927740", "2018-09-26T02:09"),  # epoch seconds are UTC
        (1537927740, "2018-09-26T02:09"),
        (1537927740123, "2018-09-26T02:09"),  # milliseconds
        ("  2018-09-26  ", "2018-09-26"),
    ],
)
def test_parse_date_reads_each_common_form(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    "value",
    ["", "yesterday", "2018-02-30", "2018-13-01", "9月13日", "0", None, True, "12", 2018, 42.5],
)
def test_parse_date_rejects_what_is_not_a_full_real_date(value):
    assert parse_date(value) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2018年9月13日，商汤宣布……", "2018-09-13"),
        ("（2018年9月13日，北京）经北京市人力资源和社会保障局审批", "2018-09-13"),
        ("(北京，2018年9月13日) 消息", "2018-09-13"),
        ("【2018-09-13】消息", "2018-09-13"),
        ("2018-09-13 北京消息", "2018-09-13"),
    ],
)
def test_date_from_text_reads_a_dateline_with_its_year(text, expected):
    assert date_from_text(text, None) == expected


def test_month_day_dateline_takes_the_context_year():
    assert date_from_text("9月3日，全球领先的人工智能平台公司", 2018) == "2018-09-03"
    assert date_from_text("（9月19日 上海） 在2018世界人工智能大会", 2018) == "2018-09-19"
    assert date_from_text("9月17日上午，以“人工智能赋能新时代”为主题", 2018) == "2018-09-17"
    assert date_from_text("9月8日-14日，备受瞩目的", 2018) == "2018-09-08"
    assert date_from_text("新华社北京9月13日电 记者", 2018) == "2018-09-13"


def test_month_day_dateline_prefers_a_full_date_in_the_same_text():
    assert date_from_text("9月3日，会上回顾了2017年5月1日的发布。", 2018) == "2017-09-03"


def test_month_day_dateline_without_any_year_is_unknown():
    assert date_from_text("9月3日，全球领先的人工智能平台公司", None) is None


def test_a_date_inside_the_text_is_not_taken_as_the_dateline():
    assert date_from_text("商汤科技成立于2014年10月15日，总部位于香港。", 2018) is None


def test_an_impossible_dateline_is_unknown():
    assert date_from_text("2月30日，", 2018) is None


def test_year_in_name_needs_exactly_one_year():
    assert year_in_name("/data/sensetime-press-releases-2018-09.tsv") == 2018
    assert year_in_name("https://example.com/archive/2018/news.json") is None
    assert year_in_name("news-2017-2018.tsv") is None
    assert year_in_name("articles-12018.tsv") is None


def _records(*bodies_and_dates):
    return lambda: iter(
        [RawRecord(title="t", body=body, date=date, line=n) for n, (body, date) in
         enumerate(bodies_and_dates, 1)]
    )


def test_fill_dates_takes_the_year_every_dated_article_shares():
    parse = _records(("9月3日，文", None), ("正文", "2018-09-26T10:09"))
    assert [r.date for r in fill_dates(parse, "dump.tsv")] == ["2018-09-03", "2018-09-26T10:09"]


def test_fill_dates_leaves_month_day_unknown_when_articles_span_years():
    parse = _records(("9月3日，文", None), ("正文", "2018-09-26"), ("正文", "2017-01-02"))
    assert next(iter(fill_dates(parse, "dump-2018.tsv"))).date is None


def test_fill_dates_falls_back_to_the_year_in_the_file_name():
    parse = _records(("9月3日，文", None), ("无日期", None))
    assert [r.date for r in fill_dates(parse, "press-2016.tsv")] == ["2016-09-03", None]


def test_fill_dates_never_invents_a_year():
    parse = _records(("9月3日，文", None), ("无日期", None))
    assert [r.date for r in fill_dates(parse, "press.tsv")] == [None, None]
