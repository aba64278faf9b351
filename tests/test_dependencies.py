"""The data newstui reads from inside other packages is where and what we expect.

zhconv's, pypinyin's and jieba's data files are not their public API: an upgrade may move or
reshape them. The pinned ranges in pyproject.toml are the versions this holds for.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from newstui.store.summaries.terms import _idf_table
from newstui.store.text.fold import _phrases, _simplified_characters, char_pinyin, fold, pinyin_syllables


def package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.submodule_search_locations, f"{name} is not installed"
    return Path(spec.submodule_search_locations[0])


def test_zhconv_ships_its_conversion_tables_with_the_keys_we_read():
    data = json.loads((package_dir("zhconv") / "zhcdict.json").read_bytes())
    assert {"zh2Hans", "zh2CN"} <= set(data)
    assert _simplified_characters()["網"] == "网"
    assert fold("臺灣網路") == "台湾网路"


def test_jieba_ships_its_idf_table_as_word_and_weight_lines():
    lines = (package_dir("jieba") / "analyse" / "idf.txt").read_text(encoding="utf-8").splitlines()
    assert len(lines) > 100_000
    word, weight = lines[0].rsplit(" ", 1)
    assert word and float(weight) > 0
    keys, weights, unseen = _idf_table()
    assert len(keys) == len(weights) > 100_000 and unseen > 0


def test_pypinyin_ships_its_character_and_phrase_dictionaries():
    data = package_dir("pypinyin")
    assert (data / "pinyin_dict.json").is_file() and (data / "phrases_dict.json").is_file()
    assert char_pinyin("商") == "shang" and char_pinyin("a") == ""
    assert isinstance(_phrases(), dict) and len(_phrases()) > 10_000
    assert pinyin_syllables("重庆") == ("chong", "qing")  # a heteronym the phrases settle
