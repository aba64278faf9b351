"""The tab-separated dump: the seed's exact ten articles and every quirk of such dumps."""

from __future__ import annotations

import pytest

from newstui.store.ingest.formats import tsv
from newstui.store.ingest.formats.records import RawRecord, RowError

SEED_TITLES = [
    "商汤科技与德勤签署战略合作协议 开启人工智能领域多项深度合作",
    "商汤科技大秀实时美颜魔法 创新AI驱动美业“焕新”升级",
    "不止美颜，更能美体 商汤SenseAR助力vivo X23”创造更多美”",
    "商汤及联合实验室37篇论文入选ECCV 2018，识别、检测与场景分析等技术获关键突破",
    "深化AI人才战略部署 商汤科技博士后工作站正式挂牌成立",
    "商汤科技亮相世界人工智能大会诠释大爱（AI）无疆 以原创技术打造中国方案",
    "商汤科技集全球大咖上海论剑 打造人工智能时代颠覆式创新引擎",
    "商汤科技首发SenseCare智慧诊疗平台 深度布局全方位临床工作流",
    "科技部正式宣布 依托商汤建设智能视觉国家新一代人工智能开放创新平台",
    "2018年商汤奖学金申报开始",
]
SEED_DATES = [
    "2018-09-03", None, None, "2018-09-08", "2018-09-13", "2018-09-17", "2018-09-18",
    "2018-09-19", "2018-09-20", "2018-09-26T10:09",
]


def parse(text: str, origin: str = "dump.tsv") -> list[RawRecord | RowError]:
    return list(tsv.parse(text.encode(), origin=origin))


@pytest.fixture(scope="module")
def seed(sample_file) -> list[RawRecord | RowError]:
    return list(tsv.parse(sample_file.read_bytes(), origin=str(sample_file)))


def test_seed_gives_exactly_ten_articles_with_their_titles(seed):
    assert all(isinstance(item, RawRecord) for item in seed)
    assert [record.title for record in seed] == SEED_TITLES


def test_seed_bodies_start_and_end_where_the_articles_do(seed):
    first, fourth, fifth, last = seed[0], seed[3], seed[4], seed[9]
    assert first.body.startswith("9月3日，全球领先的人工智能平台公司商汤科技SenseTime")
    assert first.body.endswith("共同推动AI对各行业的技术升级，引领AI时代发展大潮。")
    assert fourth.body.startswith("9月8日-14日，备受瞩目的2018欧洲计算机视觉大会")
    assert fourth.body.endswith("带动行业应用和产业融合的持续深入。")
    assert fifth.body.startswith("（2018年9月13日，北京）经北京市人力资源和社会保障局审批")
    assert fifth.body.endswith("创新项目与现实生产力对接。")
    assert last.body.startswith("“商汤奖学金”是商汤科技为提升人工智能领域优秀本科生的核心竞争力")
    assert last.body.endswith("点击链接，即可开始申请http://st.bj2.renhe.org.cn/shenqing/")


def test_seed_question_mark_artefacts_stay_visible(seed):
    assert "申请条件1.????? 国内高校" in seed[9].body
    assert "不止美颜??美体出街" in seed[2].body


def test_seed_dates_come_from_the_field_or_the_dateline(seed):
    # Article 1's "9月3日" gets 2018 from the file's other dated articles; 2 and 3 have no date.
    assert [record.date for record in seed] == SEED_DATES


def test_seed_records_carry_their_line_and_no_source(seed):
    assert [record.line for record in seed] == [1, 2, 3, 4, 4, 5, 6, 7, 8, 10]
    assert {record.source for record in seed} == {""}


def test_a_row_may_hold_several_articles():
    records = parse("标题一\t正文一\t标题二\t正文二\t标题三\t正文三\t\n")
    assert [(r.title, r.body) for r in records] == [
        ("标题一", "正文一"), ("标题二", "正文二"), ("标题三", "正文三"),
    ]


def test_rows_of_only_tabs_and_blank_lines_are_skipped():
    assert [r.title for r in parse("\t\t\t\n\n标题\t正文\t\n   \n")] == ["标题"]


def test_a_leading_date_field_dates_its_article():
    [record] = parse("2018/9/26 10:09\t奖学金\t正文\t\n")
    assert (record.title, record.body, record.date) == ("奖学金", "正文", "2018-09-26T10:09")


def test_each_article_in_a_row_may_have_its_own_date():
    records = parse("2018-09-01\t甲\t正文甲\t2018-09-02\t乙\t正文乙\n")
    assert [(r.title, r.date) for r in records] == [("甲", "2018-09-01"), ("乙", "2018-09-02")]


def test_an_empty_date_column_is_recognised():
    [record] = parse("\t商汤发布\t正文内容。\n")
    assert (record.title, record.body, record.date) == ("商汤发布", "正文内容。", None)


def test_a_title_that_looks_like_a_date_stays_a_title():
    [record] = parse("2018年9月13日\t当天的新闻。\n")
    assert (record.title, record.body) == ("2018年9月13日", "当天的新闻。")


def test_rows_without_trailing_tab_and_with_crlf_parse_the_same():
    assert parse("甲\t正文甲\r\n乙\t正文乙") == parse("甲\t正文甲\t\n乙\t正文乙\t\n")


def test_a_row_with_a_single_field_is_an_untitled_body():
    [record] = parse("只有正文的一行。\n")
    assert (record.title, record.body) == ("", "只有正文的一行。")


def test_a_title_without_a_body_is_a_row_error_and_the_rest_imports():
    items = parse("甲\t正文甲\n乙\t正文乙\t丙\n丁\t正文丁\n")
    assert [i.title for i in items if isinstance(i, RawRecord)] == ["甲", "乙", "丁"]
    assert [i for i in items if isinstance(i, RowError)] == [
        RowError(2, "field 3 is a title without a body")
    ]


def test_a_header_row_makes_the_file_a_table():
    records = parse("date\ttitle\tbody\n2018-09-01\t标题\t正文\n")
    assert [(r.title, r.body, r.date, r.line) for r in records] == [
        ("标题", "正文", "2018-09-01", 2)
    ]


def test_html_in_a_body_becomes_paragraphs():
    [record] = parse("标题\t<p>第一段</p><p>第二段</p>\n")
    assert record.body == "第一段\n第二段"


def test_gbk_dump_parses_like_utf8():
    text = "商汤科技新闻\t正文内容。\t\n"
    assert list(tsv.parse(text.encode("gbk"), origin="f")) == parse(text)
