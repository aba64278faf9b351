"""Which sentences may stand in a summary (store.summaries.boilerplate): rules by shape, not by outlet."""

from __future__ import annotations

import pytest

from newstui.store.summaries.boilerplate import summary_part, summary_parts
from newstui.store.text.sentences import sentence_spans


def shown(sentence: str, *, whole_line: bool = False, opens_line: bool = False) -> str | None:
    part = summary_part(sentence, whole_line=whole_line, opens_line=opens_line)
    return None if part is None else sentence[part[0] : part[1]]


@pytest.mark.parametrize(
    "sentence",
    [
        "（凤凰财经）",  # a source tag on its own
        "【环球时报】",
        "新民网",  # a fragment: under ten letters
        "By Jane Smith and John Doe.",  # bylines
        "Reporting by Jane Smith; Editing by John Doe",
        "（记者 张三 李四 王五 通讯员 赵六 摄）",
        "14:11 EST, 25 October 2013 .",  # time stamps
        "2018年9月20日 10:09",
        "Associated Press .",  # two words
        "详情请访问 www.example.com 了解更多信息和产品内容。",  # links
        "Read more at https://example.org/news/2018/09/article.html",
        "（原题为《雄安新区第二批征迁安置工作启动涉及三县五十六个村》）",  # asides in brackets
        "(Photo: a commuter boards the first driverless train at the airport station.)",
    ],
)
def test_tags_bylines_time_stamps_links_and_fragments_are_left_out(sentence):
    assert shown(sentence) is None


@pytest.mark.parametrize(
    "line", ["来源：新民网", "责任编辑：王五", "Photo: Getty Images", "原标题：商汤科技发布新平台"]
)
def test_a_label_line_of_its_own_is_left_out(line):
    assert shown(line, whole_line=True) is None


def test_inside_a_paragraph_a_label_shape_is_speech():
    assert shown("他表示：公司将在明年上市", whole_line=False) == "他表示：公司将在明年上市"


@pytest.mark.parametrize(
    ("sentence", "part"),
    [
        ("（凤凰财经）央行今天宣布下调存款准备金率。", "央行今天宣布下调存款准备金率。"),
        ("(CNN) -- With a sweep of his pen the president wrote a new chapter.",
         "With a sweep of his pen the president wrote a new chapter."),
        ("WASHINGTON (Reuters) - The Senate passed the bill.", "The Senate passed the bill."),
        ("NEW YORK, N.Y. — Stocks fell sharply on Wall Street.", "Stocks fell sharply on Wall Street."),
        ("新华社北京9月20日电（记者 张三）商汤科技今天发布新平台。", "商汤科技今天发布新平台。"),
        ("本报讯（记者 李四）本市今天开通首条无人驾驶地铁线路。", "本市今天开通首条无人驾驶地铁线路。"),
        ("对此，专家称限价蔬菜种类少，难起实际效果(中新网)", "对此，专家称限价蔬菜种类少，难起实际效果"),
    ],
)
def test_a_dateline_or_tag_is_taken_off_the_sentence_it_opens_or_closes(sentence, part):
    assert shown(sentence) == part


@pytest.mark.parametrize(
    "sentence",
    [
        "By the end of the year, sales had risen sharply.",
        "记者在现场看到，大批市民排队购票。",
        "腾讯公司今天发布了第三季度财报，营收同比增长。",
        "2018年9月20日，商汤科技宣布完成新一轮融资。",
        "US - China talks resumed in Beijing on Monday.",
        "营收增长3.5%，利润持平。",
        "He resigned.",  # short, but a sentence
    ],
)
def test_ordinary_sentences_stand_whole(sentence):
    assert shown(sentence) == sentence


def test_a_text_of_one_short_line_is_its_own_summary_material():
    text = "市场今天小幅上涨。"
    assert summary_parts(text, sentence_spans(text)) == [(0, len(text))]


def test_the_fast_path_agrees_with_the_sentence_by_sentence_rules():
    text = (
        "（凤凰财经）\n新民网\n"
        "本市今天正式开通首条无人驾驶地铁线路，全长三十二公里，设站二十座，连接机场和市中心。\n"
        "来源：新民网\n"
        "这条线路的列车采用全自动运行系统，单程运行时间缩短到二十五分钟，每天可运送乘客约四十万人次。"
    )
    spans = sentence_spans(text)
    whole_lines = [(start == 0 or text[start - 1] == "\n") and (end == len(text) or text[end] == "\n")
                   for start, end in spans]
    expected = [summary_part(text[s:e], whole_line=w) for (s, e), w in zip(spans, whole_lines, strict=True)]
    assert summary_parts(text, spans) == expected
    assert [part is not None for part in expected] == [False, False, True, False, True]


@pytest.mark.parametrize(
    "sentence",
    [
        "1月27日，A股再度大跌。",  # short and full of dates, but a sentence
        "2022年春运于今天（1月17日）正式开启。",
        "澎湃新闻（www.thepaper.cn）从郑州救援队委托律师处获悉，郑州慈善总会6日收到滴滴公司100万元捐赠。",
        "The report, published at www.example.com on Monday, says prices rose faster than wages.",
    ],
)
def test_dates_and_a_link_inside_a_real_sentence_do_not_make_it_boilerplate(sentence):
    assert shown(sentence) == sentence


@pytest.mark.parametrize(
    ("sentence", "part"),
    [
        ("1月13日消息，三大指数集体高开后跳水，沪指弱势震荡。", "三大指数集体高开后跳水，沪指弱势震荡。"),
        ("至诚新闻网1月8日讯，陕西汉中中级法院今天一审宣判此案。", "陕西汉中中级法院今天一审宣判此案。"),
    ],
)
def test_a_news_flash_dateline_is_taken_off_its_sentence(sentence, part):
    assert shown(sentence) == part


def test_a_bracketed_headline_opening_a_text_is_its_words_not_an_aside():
    headline = "【江西高考被曝替考 有关考生被取消资格】"
    assert shown(headline, opens_line=True) == "江西高考被曝替考 有关考生被取消资格"
    assert shown("【江西高考被曝替考 有关考生被取消资格】") is None  # mid-paragraph: an aside
    assert shown("【产权及免责声明：本文系转载编辑文章，对文中观点保持中立，对所包含内容的准确性、可靠性"
                 "或者完整性不提供任何明示或暗示的保证，仅作分享之用。】", opens_line=True) is None
