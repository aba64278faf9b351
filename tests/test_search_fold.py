"""Folding for search (case, width, traditional → simplified), pinyin keys and highlights."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newstui.store.search.searcher import highlight_spans
from newstui.store.text.fold import fold, pinyin_keys


@given(st.text())
def test_folding_keeps_one_character_for_one(text):
    assert len(fold(text)) == len(text)


def test_traditional_characters_fold_to_simplified():
    assert fold("商湯科技 臺灣") == "商汤科技 台湾"


def test_full_width_latin_folds_to_lower_case_ascii():
    assert fold("ＳｅｎｓｅＴｉｍｅ AI") == "sensetime ai"


def test_pinyin_keys_give_full_pinyin_and_initials():
    assert pinyin_keys("商汤科技") == ("shangtangkeji", "stkj")


def test_pinyin_keys_read_heteronyms_as_the_phrase_does():
    assert pinyin_keys("银行") == ("yinhang", "yh")


def test_pinyin_keys_are_none_for_latin_text():
    assert pinyin_keys("AI") is None


def test_highlighting_spans_traditional_text_for_a_simplified_term():
    text = "全球領先的商湯科技SenseTime"
    assert [text[a:b] for a, b in highlight_spans(text, ["商汤", "sensetime"])] == [
        "商湯",
        "SenseTime",
    ]


def test_overlapping_highlights_merge():
    assert highlight_spans("商汤科技", ["商汤", "汤科"]) == [(0, 3)]
