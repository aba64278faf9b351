"""Folding text for search: case, width and traditional→simplified, plus pinyin keys.

``fold`` maps every character to exactly one character, so offsets found in folded text are
offsets in the original: highlighting never has to re-align. Both the index and the query go
through it, so "商湯", "ＳｅｎｓｅＴｉｍｅ" and "sensetime" meet in the middle.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import zhconv

# The ideograph blocks zhconv has single-character conversions for.
_IDEOGRAPH_RANGES = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, int]:
    table: dict[int, int] = {}
    # Full-width ASCII and other width/compatibility variants that NFKC maps to one character.
    for code in range(0xFF01, 0xFF5F):
        table[code] = ord(unicodedata.normalize("NFKC", chr(code)))
    for start, end in _IDEOGRAPH_RANGES:
        chars = "".join(map(chr, range(start, end)))
        # Converting the block at once keeps it character for character: zhconv only changes
        # length for multi-character phrases, which a run of unrelated characters never forms.
        simplified = zhconv.convert(chars, "zh-cn")
        if len(simplified) == len(chars):
            table.update((ord(a), ord(b)) for a, b in zip(chars, simplified, strict=True) if a != b)
        else:
            for char in chars:
                target = zhconv.convert(char, "zh-cn")
                if len(target) == 1 and target != char:
                    table[ord(char)] = ord(target)
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


def fold(text: str) -> str:
    """Lower-case, narrow and simplify text, one character for one character."""
    return text.translate(_fold_table())


# Pinyin vowels with tone marks → plain letters (ü → v, as pinyin keyboards type it).
_TONELESS = str.maketrans("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ", "aaaaeeeeiiiioooouuuuvvvvvnnnm")


@lru_cache(maxsize=1)
def _char_pinyin() -> dict[str, str]:
    from pypinyin.pinyin_dict import pinyin_dict

    # The first reading is the most common one; phrases below correct the heteronyms.
    return {
        chr(code): readings.split(",", 1)[0].translate(_TONELESS)
        for code, readings in pinyin_dict.items()
    }


@lru_cache(maxsize=1)
def _phrases() -> dict[str, list[list[str]]]:
    from pypinyin.phrases_dict import phrases_dict

    return phrases_dict


def pinyin_syllables(term: str) -> tuple[str, ...] | None:
    """Toneless pinyin of a Chinese term, one syllable per character; None if any has none."""
    phrase = _phrases().get(term)
    if phrase is not None and len(phrase) == len(term):
        return tuple(readings[0].translate(_TONELESS) for readings in phrase)
    table = _char_pinyin()
    found = tuple(table.get(char, "") for char in term)
    return None if "" in found else found


def pinyin_keys(term: str) -> tuple[str, str] | None:
    """(full pinyin, initials) of a Chinese term: 商汤科技 → ("shangtangkeji", "stkj")."""
    syllables = pinyin_syllables(term)
    if syllables is None:
        return None
    return "".join(syllables), "".join(s[0] for s in syllables)
