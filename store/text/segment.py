"""Which characters are Chinese, and words: jieba for Chinese runs, whole lowercase words for
the rest. Search and summaries share this one segmentation, so a word found by one is a word
to the other."""

from __future__ import annotations

import re
from functools import lru_cache

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
CJK_CHAR = re.compile(f"[{CJK}]")
FIRST_CJK = "\u3400"  # every CJK character is at or above it, every Latin word character below
CJK_RUN = re.compile(f"[{CJK}]+")
# Runs the segmenter sees: CJK runs go to jieba; Latin words and numbers are kept whole.
LATIN_WORD = r"[A-Za-z0-9\u00c0-\u024f]+(?:[.'’][A-Za-z0-9]+)*"
WORD_RUN = re.compile(f"[{CJK}]+|{LATIN_WORD}")
# The characters words are made of: CJK and the Latin word characters.
WORD_CHAR_CLASS = r"A-Za-z0-9\u00c0-\u024f" + CJK


def is_cjk(token: str) -> bool:
    return bool(token) and CJK_CHAR.match(token[0]) is not None


@lru_cache(maxsize=1)
def _segmenter():
    # rjieba is jieba's dictionary and algorithm in Rust, about 11x faster. It only differs from
    # jieba on mixed ASCII runs ("MS-Celeb-1M"), which never reach it: words() splits those off.
    import rjieba

    return rjieba.cut


def words(text: str) -> list[str]:
    """Segment text into words: jieba for Chinese runs, whole lowercase words for the rest.

    Punctuation and spaces are dropped. Search and summaries share this, so a word found by one
    is a word to the other.
    """
    cut = _segmenter()
    out: list[str] = []
    for match in WORD_RUN.finditer(text):
        run = match.group()
        if run[0] >= FIRST_CJK:
            out.extend(cut(run))
        else:
            out.append(run.lower())
    return out


def words_by_span(text: str, spans: list[tuple[int, int]]) -> tuple[list[str], list[int]]:
    """words() of the [start, end) spans of text (ascending, disjoint), in one pass over it, and
    how many of them each span has: a word run belongs to the span it starts in."""
    cut = _segmenter()
    found: list[str] = []
    counts = [0] * len(spans)
    if not spans:
        return found, counts
    ends = [end for _, end in spans]
    number = 0
    for match in WORD_RUN.finditer(text, spans[0][0], ends[-1]):
        start = match.start()
        while ends[number] <= start:
            number += 1
        before = len(found)
        run = match.group()
        # A run is a CJK run or a Latin word (WORD_RUN), told apart by its first character.
        if run[0] >= FIRST_CJK:
            found.extend(cut(run))
        else:
            found.append(run.lower())
        counts[number] += len(found) - before
    return found, counts
