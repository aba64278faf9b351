"""Sentence splitting for Chinese, English and mixed news text (store.text.split_sentences)."""

from __future__ import annotations

import re
import time

from hypothesis import given
from hypothesis import strategies as st

from newstui.store.text.sentences import ELLIPSIS, shorten_at_clause, split_sentences


def test_chinese_terminators_end_sentences():
    text = "第一句。第二句！第三句？第四句；第五句……第六句"
    assert split_sentences(text) == ["第一句。", "第二句！", "第三句？", "第四句；", "第五句……", "第六句"]


def test_line_breaks_end_sentences():
    assert split_sentences("标题没有句号\n正文第一句。\n\n第二段") == [
        "标题没有句号",
        "正文第一句。",
        "第二段",
    ]


def test_text_after_the_last_terminator_is_kept():
    assert split_sentences("市场回暖。分析人士认为仍需观察") == ["市场回暖。", "分析人士认为仍需观察"]


def test_quote_closed_mid_sentence_stays_in_one_sentence():
    assert split_sentences("他说：“今天很好。”随后离开") == ["他说：“今天很好。”随后离开"]


def test_closing_quote_stays_with_the_sentence_it_ends():
    text = (
        "发言人表示：“我们将继续推进这项合作，并在年内公布更多细节。”"
        "与此同时，另一家公司宣布退出这一市场的竞争。"
    )
    assert split_sentences(text) == [
        "发言人表示：“我们将继续推进这项合作，并在年内公布更多细节。”",
        "与此同时，另一家公司宣布退出这一市场的竞争。",
    ]


def test_short_attribution_after_a_quote_stays_with_it():
    assert split_sentences("“今天很好。”他说。我们走吧。") == ["“今天很好。”他说。", "我们走吧。"]


def test_closing_bracket_stays_with_its_sentence():
    assert split_sentences("数据来自统计局（截至六月。）下一句。") == ["数据来自统计局（截至六月。）下一句。"]
    assert split_sentences("他问：“真的吗？”") == ["他问：“真的吗？”"]


def test_terminator_inside_a_book_title_does_not_split():
    assert split_sentences("电影《你好！李焕英》上映。票房很高") == ["电影《你好！李焕英》上映。", "票房很高"]


def test_long_quoted_speech_is_split_inside_with_the_quote_closed_at_its_end():
    speech = "这是一段很长的讲话内容。" * 30
    sentences = split_sentences(f"他表示：“{speech}”会议结束。")
    assert sentences[0] == "他表示：“这是一段很长的讲话内容。"
    assert sentences[-2] == "这是一段很长的讲话内容。”"
    assert sentences[-1] == "会议结束。"
    assert len(sentences) == 31


def test_decimals_do_not_split():
    assert split_sentences("营收增长3.5%。利润持平") == ["营收增长3.5%。", "利润持平"]
    assert split_sentences("It grew 3.5 percent. Profit was flat.") == [
        "It grew 3.5 percent.",
        "Profit was flat.",
    ]


def test_abbreviations_do_not_split():
    assert split_sentences("Mr. Smith met Dr. Lee on Jan. 5 in Washington. They talked.") == [
        "Mr. Smith met Dr. Lee on Jan. 5 in Washington.",
        "They talked.",
    ]


def test_english_initials_do_not_split():
    assert split_sentences("J. K. Rowling agreed. U.S. officials did not.") == [
        "J. K. Rowling agreed.",
        "U.S. officials did not.",
    ]


def test_abbreviation_at_the_end_of_a_quote_does_not_end_the_sentence():
    text = "他说“U.S.”这个缩写在这里很常见，并不代表任何一句话的结束。"
    assert split_sentences(text) == [text]


def test_english_sentences_end_inside_a_quotation():
    text = '"We won. It was hard," he said. "Next year we go again."'
    assert split_sentences(text) == ['"We won.', 'It was hard," he said.', '"Next year we go again."']


def test_a_capital_after_a_closing_quote_starts_a_sentence_however_short():
    assert split_sentences('"We won." He left.') == ['"We won."', "He left."]
    assert split_sentences('"Did we win?" he asked.') == ['"Did we win?" he asked.']


def test_a_question_mark_before_a_lowercase_word_does_not_end_a_sentence():
    assert split_sentences("The Goat, or Who is Sylvia? by Edward Albee won. It ran for years.") == [
        "The Goat, or Who is Sylvia? by Edward Albee won.",
        "It ran for years.",
    ]


def test_number_abbreviations_hold_only_before_a_number():
    assert split_sentences("He lives at No. 10 Downing Street. She said no. Then she left.") == [
        "He lives at No. 10 Downing Street.",
        "She said no.",
        "Then she left.",
    ]


def test_a_list_number_before_chinese_text_does_not_split():
    text = "设计原则：1.为人们解决问题；2.从人开始。"
    assert split_sentences(text) == ["设计原则：1.为人们解决问题；", "2.从人开始。"]


def test_lowercase_after_a_period_continues_the_sentence():
    assert split_sentences("Tools, e.g. hammers, are sold here.") == ["Tools, e.g. hammers, are sold here."]


def test_exclamation_inside_a_latin_name_does_not_split():
    assert split_sentences("品牌YES!IC走的路线截然不同。Yahoo! Japan") == [
        "品牌YES!IC走的路线截然不同。",
        "Yahoo!",
        "Japan",
    ]


def test_numbered_list_item_is_not_a_sentence_of_its_own():
    assert split_sentences("1. 首先\n2. 其次。然后") == ["1. 首先", "2. 其次。", "然后"]


def test_mixed_chinese_and_english():
    text = "商汤科技发布了SenseCore平台。The company said it grew fast. 市场反应积极！"
    assert split_sentences(text) == [
        "商汤科技发布了SenseCore平台。",
        "The company said it grew fast.",
        "市场反应积极！",
    ]


def test_empty_and_blank_text_have_no_sentences():
    assert split_sentences("") == []
    assert split_sentences(" \n\t\u3000\n") == []


def test_text_without_punctuation_is_one_sentence():
    assert split_sentences("没有任何标点的一段文字") == ["没有任何标点的一段文字"]


def test_unbalanced_quote_does_not_swallow_the_rest():
    assert split_sentences("他说：“今天很好。明天也好。\n新段落。") == [
        "他说：“今天很好。",
        "明天也好。",
        "新段落。",
    ]


_ALPHABET = "今天很好他说Ab1. 。！？!?；…“”‘’（）()《》\"'\n"


@given(st.text(alphabet=_ALPHABET, max_size=120))
def test_sentences_are_the_text_in_order_minus_whitespace(text):
    sentences = split_sentences(text)
    assert all(s and s == s.strip() for s in sentences)
    assert re.sub(r"\s", "", "".join(sentences)) == re.sub(r"\s", "", text)
    position = 0
    for sentence in sentences:  # each a verbatim slice, in order
        found = text.find(sentence, position)
        assert found >= 0
        position = found + len(sentence)


def test_two_megabytes_split_in_under_a_second():
    paragraph = (
        "据新华社报道，本市今年一季度地区生产总值同比增长3.5%，高于全国平均水平。"
        "市统计局负责人表示：“消费和投资共同发力，经济运行总体平稳。”"
        "Analysts at the U.S. bank agreed. 下一步，全市将继续扩大有效投资，稳定就业！\n"
    )
    text = (paragraph * (2_000_000 // len(paragraph) + 1))[:2_000_000]
    start = time.process_time()
    sentences = split_sentences(text)
    assert time.process_time() - start < 1.0  # measured 0.1-0.25 s: ample headroom
    assert len(sentences) > 50_000


def test_a_sentence_that_fits_is_not_shortened():
    assert shorten_at_clause("今天天气很好。", lambda text: len(text) <= 10) == "今天天气很好。"


def test_a_long_sentence_is_cut_at_the_last_clause_that_fits():
    sentence = "The firm, which is now one of the biggest investors in Google, benefited from sales."
    cut = shorten_at_clause(sentence, lambda text: len(text) <= 70)
    assert cut == "The firm, which is now one of the biggest investors in Google" + ELLIPSIS


def test_without_a_clause_boundary_a_sentence_is_cut_between_words_then_anywhere():
    assert shorten_at_clause("one two three four five", lambda text: len(text) <= 12) == "one two" + ELLIPSIS
    assert shorten_at_clause("一二三四五六七八九十", lambda text: len(text) <= 5) == "一二三四" + ELLIPSIS


@given(st.text(alphabet="今天很好，, ab。", min_size=1, max_size=60), st.integers(1, 40))
def test_a_shortened_sentence_fits_and_begins_the_sentence(sentence, width):
    cut = shorten_at_clause(sentence, lambda text: len(text) <= width)
    assert len(cut) <= max(width, 1)
    assert cut == sentence or sentence.startswith(cut.removesuffix(ELLIPSIS))


def test_a_bracketed_headline_opening_a_text_is_a_sentence_of_its_own():
    text = "【江西高考被曝替考 有关考生被取消资格】近日，有网友爆料江西高考出现替考。"
    assert split_sentences(text) == [
        "【江西高考被曝替考 有关考生被取消资格】",
        "近日，有网友爆料江西高考出现替考。",
    ]


def test_a_bracketed_source_tag_stays_with_the_sentence_it_opens():
    assert split_sentences("【新华社】美国宣布新一轮制裁。") == ["【新华社】美国宣布新一轮制裁。"]
    assert split_sentences("他在【快讯】栏目中写道，市场回暖。") == ["他在【快讯】栏目中写道，市场回暖。"]
