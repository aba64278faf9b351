"""Which legacy encoding non-UTF-8 text is in, judged by whether its reading makes sense.

Bytes that are not UTF-8 often decode without error in several legacy encodings (GB18030 takes
most byte strings), so decoding alone decides nothing: German in Windows-1252 reads as GB18030
("Schröder" → "Schr鰀er"), Japanese in Shift_JIS too ("東京の天気予報" → "搶嫗偺揤婥梊曬"). Each
reading is scored by the share of its non-ASCII characters that its script commonly uses:

- Chinese: CJK punctuation and the Han characters most used in Chinese text (by their use in
  jieba's dictionary), simplified and traditional: the first 1,000 (87% of text) count whole,
  the next 2,500 (12%) half, so a wrong reading that lands evenly on the common-looking
  characters of a standard (Korean EUC-KR read as GB2312) stays below a right one;
- Japanese: kana, the JIS level-1 kanji and CJK punctuation, with some kana present;
- Latin script (Windows-1252): accented letters inside words of ASCII letters, and typography.

A right reading scores near 1; a wrong one lands on rare characters, half-width katakana or
clusters of accented capitals and scores far lower. Readings below PLAUSIBLE are not offered.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

# A right reading of a file scores 0.9-1 (of a lone sentence, under 0.7 once in 1,000 sentences);
# mojibake of real text rarely passes 0.5.
PLAUSIBLE = 0.7
JAPANESE_MIN_KANA = 0.05  # Japanese prose is a third kana or more; a kanji-only "reading" is Chinese bytes
COMMON_HANZI_FILE = Path(__file__).parent / "data" / "common_hanzi.txt"

_CJK_PUNCTUATION = re.compile(r"[\u3000-\u303f\uff01-\uff5e\u2010-\u2027\u00b7\u30fb]")
_KANA = re.compile(r"[\u3041-\u309f\u30a0-\u30ff]")
_NON_ASCII = re.compile(r"[^\x00-\x7f\s]")
# Latin-1 and Latin Extended letters (not × or ÷), and the typography Windows-1252 adds to ASCII.
_LATIN_LETTER = re.compile("[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]")
_TYPOGRAPHY = re.compile("[\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
                         "\u00a0-\u00bf\u00d7\u00f7]")


def ranked_readings(sample: bytes) -> list[str]:
    """The legacy codecs whose reading of sample makes sense, the most plausible first."""
    scored = []
    for rank, (codec, score) in enumerate(CANDIDATES):
        try:
            text = sample.decode(codec)
        except UnicodeDecodeError:
            continue
        value = score(text)
        if value >= PLAUSIBLE:
            scored.append((-value, rank, codec))
    return [codec for _, _, codec in sorted(scored)]


def chinese_score(text: str) -> float:
    """The share of the non-ASCII characters that are common Hanzi (the less common at half
    weight) or CJK punctuation."""
    most, more = common_hanzi()
    considered = _NON_ASCII.findall(text)
    if not considered:
        return 0.0
    usual = sum(1.0 if char in most or _CJK_PUNCTUATION.match(char) else 0.5 * (char in more)
                for char in considered)
    return usual / len(considered)


def japanese_score(text: str) -> float:
    """The share of the non-ASCII characters that are kana, level-1 kanji or CJK punctuation."""
    considered = _NON_ASCII.findall(text)
    if not considered:
        return 0.0
    kana = sum(1 for char in considered if _KANA.match(char))
    if kana < JAPANESE_MIN_KANA * len(considered):
        return 0.0
    kanji = common_kanji()
    usual = kana + sum(1 for char in considered if char in kanji or _CJK_PUNCTUATION.match(char))
    return usual / len(considered)


def latin_score(text: str) -> float:
    """The share of the non-ASCII characters that sit in Latin-script text as they should: an
    accented letter beside an ASCII letter ("Köln", "café") or standing alone between ASCII
    non-letters ("à la"), typography beside an ASCII character ("“Hi”", "5 €")."""
    considered = fitting = 0
    padded = f" {text} "
    for match in _NON_ASCII.finditer(padded):
        considered += 1
        char, before, after = match.group(), padded[match.start() - 1], padded[match.end()]
        if _LATIN_LETTER.match(char):
            beside = [c.isalpha() for c in (before, after) if c.isascii()]
            fitting += any(beside) or beside == [False, False]
        elif _TYPOGRAPHY.match(char):
            fitting += before.isascii() or after.isascii()
    return fitting / considered if considered else 0.0


@lru_cache(maxsize=1)
def common_hanzi() -> tuple[frozenset[str], frozenset[str]]:
    """The most used Hanzi, and the next most used (written by data/make_common_hanzi.py)."""
    most, more = COMMON_HANZI_FILE.read_text(encoding="utf-8").split("\n\n")
    return frozenset(most.replace("\n", "")), frozenset(more.replace("\n", ""))


@lru_cache(maxsize=1)
def common_kanji() -> frozenset[str]:
    """JIS X 0208 level 1 (rows 16-47, 2,965 kanji), read from the EUC-JP codec."""
    pairs = (bytes((lead, trail)) for lead in range(0xB0, 0xD0) for trail in range(0xA1, 0xFF))
    return frozenset(pair.decode("euc_jp", "ignore") for pair in pairs) - {""}


# In order of preference when two readings score the same: Big5 as Windows writes it before
# Hong Kong's additions (which only a file using them needs).
CANDIDATES: tuple[tuple[str, Callable[[str], float]], ...] = (
    ("gb18030", chinese_score),
    ("cp950", chinese_score),
    ("big5hkscs", chinese_score),
    ("cp932", japanese_score),
    ("euc_jp", japanese_score),
    ("cp1252", latin_score),
)
