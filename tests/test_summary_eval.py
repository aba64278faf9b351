"""The ROUGE scorer of benchmarks/summary_eval.py, on cases small enough to check by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.summary_eval import (
    evaluate,
    held_out,
    lead,
    lead_at_length,
    naive_split,
    rouge_l,
    rouge_n,
    rouge_tokens,
    scores,
    sumy_systems,
)
from newstui.store.text.sentences import split_sentences

EVAL_SET = Path(__file__).resolve().parents[2] / "shared" / "eval" / "summaries-zh.jsonl"


def test_tokens_are_chinese_characters_and_whole_words_and_numbers():
    tokens = rouge_tokens("松下撤出LCD业务，亏损3.5亿、裁员1,200人！")
    assert " ".join(tokens) == "松 下 撤 出 lcd 业 务 亏 损 3.5 亿 裁 员 1,200 人"


def test_identical_summaries_score_one():
    assert scores("今天天气很好。", "今天天气很好") == (1.0, 1.0, 1.0)


def test_disjoint_summaries_score_zero():
    assert scores("今天天气很好", "股市大幅下跌") == (0.0, 0.0, 0.0)


def test_rouge_1_clips_repeated_tokens():
    # unigrams 今 天 天 气 against 今 天 下 雨: two match, precision = recall = 1/2
    assert rouge_n(rouge_tokens("今天天气"), rouge_tokens("今天下雨"), 1) == pytest.approx(0.5)


def test_rouge_2_counts_bigrams():
    # 今天 天天 天气 against 今天 天下 下雨: one of three matches on each side
    assert rouge_n(rouge_tokens("今天天气"), rouge_tokens("今天下雨"), 2) == pytest.approx(1 / 3)


def test_rouge_l_uses_the_longest_common_subsequence():
    # The textbook pair ABCBDAB / BDCABA has an LCS of length 4: F1 = 2·(4/7)·(4/6) / (4/7 + 4/6)
    assert rouge_l(list("ABCBDAB"), list("BDCABA")) == pytest.approx(8 / 13)


def test_empty_summary_scores_zero():
    assert scores("", "今天天气很好") == (0.0, 0.0, 0.0)


def test_evaluate_averages_per_article_scores_in_percent():
    data = [
        {"article": "甲乙丙。丁戊己。", "summary": "甲乙丙"},
        {"article": "子丑寅。卯辰巳。", "summary": "卯辰巳"},
    ]
    result = evaluate(lead(split_sentences), data, sentences=1)
    assert result["R-1"] == pytest.approx(50.0)
    assert result["sentences"] == 1
    assert result["tokens"] == 3


def test_every_summary_is_cut_to_the_length_of_lead_k():
    data = [{"article": "甲乙。丙丁戊己庚辛。", "summary": "丙丁"}]
    second = evaluate(lambda article, k: split_sentences(article)[1:2], data, sentences=1)
    assert second["tokens"] == 2  # 丙丁, cut to the two tokens of 甲乙
    assert second["R-1"] == pytest.approx(100.0)
    assert second["sentences"] == 1


def test_lead_at_a_systems_length_is_cut_to_its_tokens():
    def second_sentence(article: str, k: int) -> list[str]:
        return split_sentences(article)[1:2]

    cut = lead_at_length(second_sentence)
    assert cut("Prices rose 3.5% today. Markets fell.", 1) == ["Prices rose"]
    assert cut("甲乙丙丁戊。己庚。", 1) == ["甲乙"]
    assert cut("甲乙丙丁戊。", 1) == []  # the system says nothing: nor does the cut lead
    assert cut("甲乙。丙丁戊己。", 1) == ["甲乙"]  # never longer than LEAD-k


def test_scores_take_only_the_first_tokens_when_limited():
    assert scores("今天天气很好", "今天", limit=2) == (1.0, 1.0, 1.0)


def test_naive_split_cuts_at_terminators_and_a_period_before_a_space():
    assert naive_split("他说：“好。”然后走了！没有句号") == ["他说：“好。”", "然后走了！", "没有句号"]
    assert naive_split("Mr. Smith left. He was 3.5 km away\nNext line") == [
        "Mr.", "Smith left.", "He was 3.5 km away", "Next line",
    ]


def test_the_held_out_half_is_fixed_by_the_text():
    items = [{"article": f"第{i}篇文章。", "summary": ""} for i in range(200)]
    chosen = [held_out(item) for item in items]
    assert 60 < sum(chosen) < 140
    assert chosen == [held_out(item) for item in items]


@pytest.mark.skipif(not sumy_systems(), reason="sumy is a benchmark extra")
def test_sumy_anchors_pick_whole_sentences_of_the_article():
    article = "今天天气很好。我们去公园散步。公园里有很多人。天气很好的时候人很多。"
    for system in sumy_systems().values():
        summary = system(article, 2)
        assert len(summary) == 2
        assert all(sentence in split_sentences(article) for sentence in summary)


@pytest.mark.skipif(not EVAL_SET.exists(), reason="shared eval set not beside the repository")
def test_lead_baselines_reproduce_the_figures_in_the_issue():
    # Uncut (no limit), as the issue measured them, with its punctuation split.
    data = [json.loads(line) for line in EVAL_SET.read_text(encoding="utf-8").splitlines()]
    figures = {
        2: (32.65, 18.24, 24.66),
        3: (30.19, 16.97, 22.24),
    }
    for k, (r1, r2, rl) in figures.items():
        totals = [0.0, 0.0, 0.0]
        for item in data:
            for n, value in enumerate(scores("".join(naive_split(item["article"])[:k]), item["summary"])):
                totals[n] += value
        assert tuple(round(100 * total / len(data), 2) for total in totals) == (r1, r2, rl)
