"""Folding text for search: case, width and traditional→simplified, plus pinyin keys.

``fold`` maps every character to exactly one character, so offsets found in folded text are
offsets in the original: highlighting never has to re-align. Both the index and the query go
through it, so "商湯", "ＳｅｎｓｅＴｉｍｅ" and "sensetime" meet in the middle.
"""

from __future__ import annotations

import importlib.util
import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import orjson

# The ideograph blocks zhconv has single-character conversions for.
_IDEOGRAPH_RANGES = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, int]:
    table: dict[int, int] = {}
    # Full-width ASCII and other width/compatibility variants that NFKC maps to one character.
    for code in range(0xFF01, 0xFF5F):
        table[code] = ord(unicodedata.normalize("NFKC", chr(code)))
    table.update(
        (ord(source), ord(target))
        for source, target in _simplified_characters().items()
        if any(start <= ord(source) < end for start, end in _IDEOGRAPH_RANGES)
    )
    # Lower case last, so full-width capitals fold all the way ("Ｓ" → "S" → "s").
    for code, target in list(table.items()):
        lowered = chr(target).lower()
        if len(lowered) == 1:
            table[code] = ord(lowered)
    for code in range(0x41, 0x5B):
        table[code] = code + 32
    for code in range(0xC0, 0x250):
        lowered = chr(code).lower()
        if len(lowered) == 1 and lowered != chr(code):
            table[code] = ord(lowered)
    return table


def _simplified_characters() -> dict[str, str]:
    """zhconv's single-character traditional→simplified conversions (as its "zh-cn" applies them).

    Read from zhconv's data file rather than by importing zhconv, which imports pkg_resources:
    a tenth of a second on every start of `newstui search`, and a deprecation warning.
    """
    spec = importlib.util.find_spec("zhconv")
    assert spec is not None and spec.submodule_search_locations, "zhconv is not installed"
    data = json.loads((Path(spec.submodule_search_locations[0]) / "zhcdict.json").read_bytes())
    mapping: dict[str, str] = {}
    for name in ("zh2Hans", "zh2CN"):  # zh-cn: the general table, then mainland overrides
        mapping.update((k, v) for k, v in data[name].items() if len(k) == 1 and len(v) == 1 and k != v)
    return mapping


@lru_cache(maxsize=1)
def _foldable_runs() -> re.Pattern[str]:
    """Runs of characters that fold changes. Chinese text has few (mostly full-width commas), and
    translating only those runs is four times faster than translating every character."""
    return re.compile("[" + "".join(map(re.escape, map(chr, sorted(_fold_table())))) + "]+")


def _fold_run(match: re.Match[str]) -> str:
    return match.group().translate(_fold_table())


def fold(text: str) -> str:
    """Lower-case, narrow and simplify text, one character for one character."""
    return _foldable_runs().sub(_fold_run, text)


# Pinyin vowels with tone marks → plain letters (ü → v, as pinyin keyboards type it).
_TONELESS = str.maketrans("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ", "aaaaeeeeiiiioooouuuuvvvvvnnnm")


def _pypinyin_data(name: str) -> dict:
    """One of pypinyin's JSON tables, read with orjson: importing the package loads both
    tables with json and much else (0.17 s at the first pinyin of a process)."""
    spec = importlib.util.find_spec("pypinyin")
    assert spec is not None and spec.submodule_search_locations, "pypinyin is not installed"
    return orjson.loads((Path(spec.submodule_search_locations[0]) / f"{name}.json").read_bytes())


@lru_cache(maxsize=1)
def _char_readings() -> dict[str, str]:
    """Each character's readings ("shāng,..."), keyed by its code point written in decimal."""
    return _pypinyin_data("pinyin_dict")


@lru_cache(maxsize=8192)
def char_pinyin(char: str) -> str:
    """A character's most common (first) reading, toneless; "" when it has none. Phrases
    correct the heteronyms (pinyin_syllables)."""
    readings = _char_readings().get(str(ord(char)))
    return readings.split(",", 1)[0].translate(_TONELESS) if readings else ""


@lru_cache(maxsize=1)
def _phrases() -> dict[str, list[list[str]]]:
    return _pypinyin_data("phrases_dict")


def pinyin_syllables(term: str) -> tuple[str, ...] | None:
    """Toneless pinyin of a Chinese term, one syllable per character; None if any has none."""
    phrase = _phrases().get(term)
    if phrase is not None and len(phrase) == len(term):
        return tuple(readings[0].translate(_TONELESS) for readings in phrase)
    return character_pinyin(term)


def character_pinyin(term: str) -> tuple[str, ...] | None:
    """Each character's most common reading, without the phrase tables (for a word that is
    not one: a typo has no heteronyms to settle); None if any character has none."""
    found = tuple(map(char_pinyin, term))
    return None if "" in found else found


def pinyin_keys(term: str) -> tuple[str, str] | None:
    """(full pinyin, initials) of a Chinese term: 商汤科技 → ("shangtangkeji", "stkj")."""
    syllables = pinyin_syllables(term)
    if syllables is None:
        return None
    return "".join(syllables), "".join(s[0] for s in syllables)
