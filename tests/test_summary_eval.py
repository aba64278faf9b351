"""The ROUGE scorer of benchmarks/summary_eval.py, on cases small enough to check by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.summary_eval import (
    evaluate,
    lead,
    punctuation_split,
    rouge_l,
    rouge_n,
    rouge_tokens,
    scores,
)
from store.text import split_sentences

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
    result = evaluate(lead(1, split_sentences), data)
    assert result["R-1"] == pytest.approx(50.0)
    assert result["chars"] == pytest.approx(4.0)


def test_punctuation_split_keeps_closing_quotes_and_the_tail():
    assert punctuation_split("他说：“好。”然后走了！没有句号") == ["他说：“好。”", "然后走了！", "没有句号"]


@pytest.mark.skipif(not EVAL_SET.exists(), reason="shared eval set not beside the repository")
def test_lead_baselines_reproduce_the_figures_in_the_issue():
    data = [json.loads(line) for line in EVAL_SET.read_text(encoding="utf-8").splitlines()]
    figures = {
        2: (32.65, 18.24, 24.66),
        3: (30.19, 16.97, 22.24),
    }
    for k, (r1, r2, rl) in figures.items():
        result = evaluate(lead(k, punctuation_split), data)
        assert (round(result["R-1"], 2), round(result["R-2"], 2), round(result["R-L"], 2)) == (r1, r2, rl)
