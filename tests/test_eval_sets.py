"""The converters of benchmarks/eval_sets.py, on files we write here (never the fetched data)."""

from __future__ import annotations

import json

from benchmarks.eval_sets import finna, lawbench, unique_articles

ARTICLE = "天宇股份公告，预计半年度净利润同比下降。"
SUMMARY = "天宇股份：半年度净利润预降"


def test_finna_pairs_become_article_and_summary(tmp_path):
    source = tmp_path / "eval_list.json"
    source.write_text(json.dumps([[SUMMARY, ARTICLE]]), "utf-8")
    assert list(finna(source)) == [{"title": "", "article": ARTICLE, "summary": SUMMARY}]


def test_lawbench_questions_are_articles_and_answers_summaries(tmp_path):
    source = tmp_path / "2-7.json"
    item = {"instruction": "请用一句话给出这段报道的摘要。", "question": ARTICLE, "answer": SUMMARY}
    source.write_text(json.dumps([item], ensure_ascii=False), "utf-8")
    assert list(lawbench(source)) == [{"title": "", "article": ARTICLE, "summary": SUMMARY}]


def test_an_article_a_set_holds_twice_is_kept_once():
    items = [{"article": text, "summary": ""} for text in ("同一篇。", "另一篇。", "同一篇。")]
    assert [item["article"] for item in unique_articles(iter(items))] == ["同一篇。", "另一篇。"]
