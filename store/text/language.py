"""Which language a text is in, as far as newstui cares: Chinese, Latin-script, or neither."""

from __future__ import annotations

import re

from .segment import CJK_RUN

_LATIN_LETTERS = re.compile(r"[A-Za-z\u00c0-\u024f]+")


def detect_lang(text: str, sample: int = 2000) -> str:
    """'zh' when Chinese characters make up a real share of the letters, 'en' for Latin text."""
    head = text[:sample]
    # Counted as what removing them takes away: no list of one-character strings.
    cjk = len(head) - len(CJK_RUN.sub("", head))
    latin = len(head) - len(_LATIN_LETTERS.sub("", head))
    if cjk == 0 and latin == 0:
        return "und"
    # One Chinese character carries about as much as a short English word.
    return "zh" if cjk * 4 >= latin else "en"

