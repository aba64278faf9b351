"""Extractive summaries and keywords (store.summaries.summarize)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from newstui.store.summaries.summarize import TITLE_WEIGHT, analyse, display_width, keywords, summarize
from newstui.store.text.fold import fold
from newstui.store.text.segment import words
from newstui.store.text.sentences import split_sentences

NEWS = (
    "本市今天正式开通首条无人驾驶地铁线路，全长三十二公里，设站二十座。"
    "这条无人驾驶地铁线路连接机场和市中心，单程运行时间缩短到二十五分钟。"
    "市交通委员会表示，无人驾驶地铁线路开通后每天可运送乘客约四十万人次。"
    "据介绍，列车采用全自动运行系统，可以自动唤醒、出库、运行和回库。\n"
    "开通首日，不少市民专程前来体验。"
    "一位乘客说：“车厢很宽敞，运行也很平稳。”"
    "地铁公司提醒乘客，早晚高峰时段请合理安排出行时间。"
    "下一步，本市还将建设三条地铁线路，预计二〇二八年全部建成。"
)

ENGLISH = (
    "The city opened its first driverless metro line on Monday. "
    "The driverless line links the airport with the city centre in 25 minutes. "
    "Officials expect the driverless metro line to carry 400,000 passengers a day. "
    "Mr. Smith, a commuter, said the ride was smooth. "
    "Three more lines are planned by 2028."
)


def test_summary_sentences_are_verbatim_and_in_document_order():
    summary = summarize(NEWS)
    sentences = split_sentences(NEWS)
    assert summary
    positions = [sentences.index(s) for s in summary]
    assert positions == sorted(positions)


def test_chinese_news_summary_leads_with_the_key_fact():
    assert summarize(NEWS)[0] == split_sentences(NEWS)[0]


def test_a_summary_has_the_sentences_asked_for():
    for count in range(1, 9):
        assert len(summarize(NEWS, max_sentences=count)) == count


def test_asking_for_more_than_the_text_has_gives_every_sentence():
    assert summarize(NEWS, max_sentences=20) == split_sentences(NEWS)


def test_asking_for_more_never_drops_a_sentence_chosen_for_fewer():
    for count in range(1, 8):
        assert set(summarize(NEWS, max_sentences=count)) <= set(summarize(NEWS, max_sentences=count + 1))


def test_long_sentences_are_shown_whole():
    # Each of these is 60-70 characters: wider than the summary box's 40 cells per sentence.
    sentences = split_sentences(NEWS)
    long = ["".join(sentences[i : i + 2]).replace("。", "，", 1) for i in (0, 2, 5)]
    summary = summarize("".join(long), max_sentences=3)
    assert summary == long


def test_max_chars_cuts_a_long_sentence_at_a_clause_boundary():
    summary = summarize(NEWS, max_sentences=2, max_chars=20)
    assert len(summary) == 2
    first = split_sentences(NEWS)[0]
    assert summary[0] == "本市今天正式开通首条无人驾驶地铁线路…"  # cut after "，", the comma dropped
    assert first.startswith(summary[0][:-1])
    assert all(display_width(sentence) <= 20 for sentence in summary)


def test_chosen_sentences_do_not_repeat_each_other():
    first = split_sentences(NEWS)[0]
    text = f"{first}{first}" + NEWS[len(first) :]
    summary = summarize(text, max_sentences=3)
    assert summary.count(first) == 1


def test_source_tags_bylines_and_datelines_are_never_summary_sentences():
    text = (
        "（凤凰财经）\n新民网\n记者 张三 李四\n"
        "新华社北京9月20日电（记者 王五）本市今天正式开通首条无人驾驶地铁线路，全长三十二公里。"
        "这条无人驾驶地铁线路连接机场和市中心，单程运行时间缩短到二十五分钟。\n"
        "详情见 http://example.com/metro 。\n"
        "地铁公司提醒乘客，早晚高峰时段请合理安排出行时间(中新网)"
    )
    summary = summarize(text, max_sentences=5)
    assert summary == [
        "本市今天正式开通首条无人驾驶地铁线路，全长三十二公里。",
        "这条无人驾驶地铁线路连接机场和市中心，单程运行时间缩短到二十五分钟。",
        "地铁公司提醒乘客，早晚高峰时段请合理安排出行时间",
    ]


def test_a_headline_the_text_opens_with_leads_its_summary():
    text = (
        "【江西高考被曝替考 有关考生被取消资格】近日，有网友爆料江西高考出现替考，多名考生被查。"
        "教育部门已经介入调查此事，当地教育局表示将对涉事考生取消资格并追责，替考考生也将被追究责任。"
    )
    assert summarize(text, 1) == ["江西高考被曝替考 有关考生被取消资格"]
    assert summarize(text, 2)[0] == "江西高考被曝替考 有关考生被取消资格"


def test_chinese_news_keeps_its_lead_where_english_weighs_what_recurs():
    # The same story: the opening scene-setter shares no words with the rest. English news
    # summaries follow what the article repeats; Chinese news summaries, far more, its lead.
    chinese = (
        "今天是春运的第三天，铁路客流平稳。"
        "一列满载货物的班列从南通海安站驶出，这是今年春运首列开往东盟的班列。"
        "班列载有电子产品和机械配件，全程运行约五天。"
    )
    english = (
        "It was the third day of the holiday season, and rail traffic was calm. "
        "A freight train left Haian station, the first freight train of the season bound for Southeast Asia. "
        "The freight train carries electronics and machine parts and takes five days."
    )
    assert summarize(chinese, 1) == ["今天是春运的第三天，铁路客流平稳。"]
    assert summarize(english, 1) == [split_sentences(english)[1]]


def test_english_bylines_and_time_stamps_are_never_summary_sentences():
    text = (
        "By . Associated Press . PUBLISHED: . 14:11 EST, 25 October 2013 . | . UPDATED: . "
        "15:36 EST, 25 October 2013 . WASHINGTON (Reuters) - The city opened its first driverless "
        "metro line on Monday. The driverless line links the airport with the city centre."
    )
    assert summarize(text, max_sentences=5) == [
        "The city opened its first driverless metro line on Monday.",
        "The driverless line links the airport with the city centre.",
    ]


def test_english_summary_keeps_abbreviations_inside_sentences():
    summary = summarize(ENGLISH)
    assert summary[0] == "The city opened its first driverless metro line on Monday."
    assert all(s in split_sentences(ENGLISH) for s in summary)


def test_mixed_chinese_and_english_text():
    text = "商汤科技今天发布SenseCore平台。The platform serves AI developers. 业内人士认为这将降低开发成本。"
    summary = summarize(text)
    assert summary[0] == "商汤科技今天发布SenseCore平台。"


def test_single_sentence_is_its_own_summary():
    # Under ten characters, but all the text there is: a fragment only beside longer sentences.
    assert summarize("市场今天小幅上涨。") == ["市场今天小幅上涨。"]


def test_short_text_without_punctuation_is_its_own_summary():
    assert summarize("没有任何标点的一段文字") == ["没有任何标点的一段文字"]


def test_a_text_of_nothing_but_a_link_has_no_summary():
    assert summarize("https://example.com/a/very/long/path/to/an/article") == []


def test_empty_text_has_no_summary():
    assert summarize("") == []
    assert summarize(" \n ") == []


def test_two_megabyte_text_summarizes_in_under_a_second():
    text = (NEWS * (2_000_000 // len(NEWS) + 1))[:2_000_000]
    start = time.process_time()
    summary = summarize(text)
    assert time.process_time() - start < 1.0  # measured ~0.05 s: ample headroom
    assert summary


def test_keywords_name_what_the_article_is_about():
    found = keywords(NEWS)
    assert 5 <= len(found) <= 8
    assert "无人驾驶" in found
    assert "地铁线路" in found or "地铁" in found


def test_keywords_leave_out_stopwords_numbers_and_single_characters():
    found = keywords(NEWS + "我们的2024年是的了。")
    assert not {"我们", "的", "了", "是", "2024"} & set(found)
    assert all(len(word) > 1 for word in found)


def test_title_words_count_in_keywords():
    assert "快线" not in keywords(NEWS)
    assert "快线" in keywords(NEWS, title="机场快线开通")  # in the title only


def test_keywords_come_best_first_by_tf_idf_with_title_words_weighted():
    # A reference computed the plain way, with a Counter and jieba's IDF file as text.
    idf_file = Path(importlib.util.find_spec("jieba").origin).parent / "analyse" / "idf.txt"
    lines = idf_file.read_text("utf-8").splitlines()
    table = {word: float(value) for word, _, value in (line.rpartition(" ") for line in lines)}
    unseen = sorted(table.values())[len(table) // 2]
    title = "地铁快线开通运营"
    body_counts, title_counts = Counter(words(fold(NEWS))), Counter(words(fold(title)))

    def score(word: str) -> float:
        return (body_counts[word] + TITLE_WEIGHT * title_counts[word]) * table.get(word, unseen)

    scores = [score(fold(word)) for word in keywords(NEWS, top_k=12, title=title)]
    assert len(scores) >= 8
    assert scores == sorted(scores, reverse=True)


def test_english_keywords_count_inflections_as_one_word():
    text = (
        "Profits rose at the bank. The profit came from lending. Analysts expect profits to grow. "
        "Lending grew fast, and the bank lends more."
    )
    found = [word.lower() for word in keywords(text)]
    assert found[0] == "profits"  # profit + profits + Profits: one term, shown as the most used
    assert "profit" not in found
    assert "lending" in found and "lends" not in found
    assert not {"the", "and", "more"} & set(found)


def test_english_keywords_keep_the_article_spelling():
    found = keywords("SenseTime released SenseCore. SenseTime said SenseCore serves developers.")
    assert "SenseTime" in found
    assert "SenseCore" in found


def test_keywords_of_empty_text_are_empty():
    assert keywords("") == []


def test_the_importers_analysis_matches_the_separate_calls():
    title = "地铁开通"
    analysis = analyse(NEWS, title=title)
    assert (analysis.summary, analysis.keywords) == (summarize(NEWS), keywords(NEWS, title=title))


@pytest.mark.parametrize("length", [len(NEWS), 30_000])
def test_the_analysis_counts_every_word_of_title_and_body_for_the_index(length):
    # The index takes these counts instead of segmenting again: they must be the whole body's,
    # sentence cuts and the summariser's length limit notwithstanding.
    text = (NEWS * (length // len(NEWS) + 1))[:length]
    analysis = analyse(text, title="地铁开通")
    counts = dict(zip(analysis.words.words, analysis.words.counts.tolist(), strict=True))
    assert counts == Counter(words(fold(text))) + Counter(words("地铁开通"))


def test_keywords_of_traditional_text_are_spelled_as_written():
    text = "商湯科技發佈新模型。商湯科技表示，新模型已經上線。商湯科技的客戶包括多家銀行。"
    assert "商湯" in keywords(text) or "商湯科技" in keywords(text)


_FIXTURES = Path(__file__).parent / "fixtures" / "search" / "articles.jsonl"


def test_the_same_text_gets_the_same_summary_in_every_process():
    # Python salts its string hashes per process: nothing the summary depends on may follow them.
    code = (
        "import json, sys\n"
        "from newstui.store.summaries.summarize import analyse, summarize\n"
        "texts = [json.loads(line) for line in open(sys.argv[1], encoding='utf-8')]\n"
        "texts += [{'title': '', 'body': text} for text in sys.argv[2:]]\n"
        "for text in texts:\n"
        "    analysis = analyse(text['body'], text['title'])\n"
        "    print(json.dumps([analysis.summary, analysis.keywords, analysis.words.words,\n"
        "                      summarize(text['body'], 6)], ensure_ascii=False))\n"
    )
    outputs = [
        subprocess.run(
            [sys.executable, "-c", code, str(_FIXTURES), NEWS, ENGLISH],
            capture_output=True, text=True, check=True, env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    ]
    assert outputs[0].count("\n") == 22
    assert outputs[0] == outputs[1]


def test_summarizing_never_imports_jieba():
    # jieba.analyse loads ~1.7 s of dictionary per import worker; only its IDF file is read.
    code = (
        "import sys; from newstui.store.summaries.summarize import analyse as s; "
        f"s({NEWS!r}); print(any(m == 'jieba' or m.startswith('jieba.') for m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
