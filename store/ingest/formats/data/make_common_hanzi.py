"""Write common_hanzi.txt: the Han characters most used in Chinese text, simplified and traditional.

    python store/ingest/formats/data/make_common_hanzi.py

A character's use is the summed frequency of the words of jieba's dictionary that contain it. The
file has two paragraphs: the TIERS[0] most used characters (about 87% of the characters of its
text), then the rest of the TIERS[1] most used (together about 99%). Each is listed with its
traditional forms (zhconv), so a Big5 reading of traditional text scores like a GB reading of
simplified text. readings.py reads the file to tell a real reading of legacy bytes from mojibake.
"""

from __future__ import annotations

import sys
from collections import Counter
from itertools import pairwise
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[4]))  # the repository, for benchmarks.corpus

from benchmarks.corpus import vocabulary

TIERS = (1000, 3500)
TRADITIONAL_LOCALES = ("zh-hant", "zh-tw", "zh-hk")


def common_hanzi() -> list[list[str]]:
    """The characters of each tier, most used first, each followed by its traditional forms."""
    import zhconv

    words, cumulative = vocabulary()
    use: Counter[str] = Counter()
    for word, (before, after) in zip(words, pairwise([0, *cumulative]), strict=True):
        for char in word:
            if "\u4e00" <= char <= "\u9fff":
                use[char] += after - before
    ranked = [char for char, _ in use.most_common(TIERS[-1])]
    listed: dict[str, None] = {}
    tiers = []
    for start, end in pairwise([0, *TIERS]):
        tier: dict[str, None] = {}
        for char in ranked[start:end]:
            forms = [char, *(zhconv.convert(char, locale) for locale in TRADITIONAL_LOCALES)]
            tier.update(dict.fromkeys(c for c in forms if len(c) == 1 and c not in listed))
        listed.update(tier)
        tiers.append(list(tier))
    return tiers


if __name__ == "__main__":
    tiers = common_hanzi()
    target = Path(__file__).with_name("common_hanzi.txt")
    paragraphs = ["\n".join("".join(tier[i : i + 50]) for i in range(0, len(tier), 50)) for tier in tiers]
    target.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    print(f"{target}: {' + '.join(str(len(tier)) for tier in tiers)} characters")
