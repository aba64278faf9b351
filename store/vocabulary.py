"""Query words → index terms: exact, sub-word, prefix, typo and pinyin expansions.

Typos and pinyin are matched against the vocabulary (the distinct terms of the index), never
against documents, so their cost does not grow with the number of articles. The typo and pinyin
tables hold only the most frequent terms: a typo of a word seen once is not worth a keystroke's
latency.
"""

from __future__ import annotations

import heapq
import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence
from functools import cached_property, lru_cache

import numpy as np
from rapidfuzz import fuzz, process

EXPANSIONS_PER_KIND = 16  # sub-word or prefix matches kept, most frequent first
TYPO_VOCABULARY = 60_000  # most frequent compounds considered for typos and pinyin
TYPO_MATCHES = 5
CJK_TYPO_CUTOFF = 66.0  # one wrong character in three (fuzz.ratio)
LATIN_TYPO_CUTOFF = 80.0
MIN_COMPOUND_COUNT = 2  # titles a compound must appear in to be a typo or pinyin target
_STEM_SUFFIXES = ("ies", "ing", "ed", "es", "s", "ly")
_LATIN_WORD = re.compile(r"[a-z]+")


def stem(word: str) -> str:
    """A crude English stem, used as a prefix: 'partnerships' → 'partnership'."""
    for suffix in _STEM_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


class Vocabulary:
    """The sorted distinct words of the index, their document counts, the most frequent ones
    with their pinyin keys, and title compounds (see ``store.lexicon``, which reads them).

    Compounds (two title words seen together, like 商汤 + 科技) join the typo and pinyin tables,
    because names are what people mistype and spell in pinyin, and jieba splits many of them.
    """

    def __init__(
        self,
        terms: Sequence[str],
        counts: Sequence[int],
        frequent: Sequence[tuple[str, str]],
        compounds: Sequence[tuple[str, str, int, str]] = (),
    ) -> None:
        self.terms = terms  # sorted
        self.counts = counts  # documents holding each term
        self.frequent = frequent  # (term, "full initials" pinyin or ""), most frequent first
        self._compound_rows = compounds  # (first, second, titles, pinyin keys), most titles first

    def df(self, term: str) -> int:
        position = bisect_left(self.terms, term)
        if position < len(self.terms) and self.terms[position] == term:
            return self.counts[position]
        return 0

    @cached_property
    def compounds(self) -> dict[str, tuple[str, str]]:
        """Compound → its two words."""
        return {first + second: (first, second) for first, second, _, _ in self._compound_rows}

    @cached_property
    def _compounds(self) -> list[tuple[str, str]]:
        """(compound, pinyin keys), most frequent first."""
        return [(first + second, keys) for first, second, _, keys in self._compound_rows]

    @cached_property
    def _joined(self) -> tuple[str, np.ndarray]:
        """Every term on a line of one string, and where each line starts (numpy: a Python
        loop over 400,000 terms cost a cold search 0.1 s)."""
        lengths = np.fromiter(map(len, self.terms), np.int64, len(self.terms)) + 1
        return "\n".join(self.terms), np.concatenate(([0], np.cumsum(lengths)))

    def containing(self, fragment: str) -> list[str]:
        """Terms that contain fragment (other than itself), most frequent first."""
        joined, starts = self._joined
        found: set[int] = set()
        position = joined.find(fragment)
        while position >= 0:
            number = int(np.searchsorted(starts, position, side="right")) - 1
            found.add(number)
            position = joined.find(fragment, int(starts[number + 1]))
        terms = [self.terms[n] for n in found if self.terms[n] != fragment]
        return self._most_frequent(terms)

    def with_prefix(self, prefix: str) -> list[str]:
        """Terms that start with prefix (other than itself), most frequent first."""
        start = bisect_left(self.terms, prefix)
        end = bisect_left(self.terms, prefix + "\U0010ffff", start)
        return self._most_frequent([t for t in self.terms[start:end] if t != prefix])

    def _most_frequent(self, terms: list[str]) -> list[str]:
        if len(terms) > EXPANSIONS_PER_KIND:
            return heapq.nlargest(EXPANSIONS_PER_KIND, terms, key=self.df)
        return sorted(terms, key=self.df, reverse=True)

    @cached_property
    def _keyed(self) -> list[tuple[str, str]]:
        """(term, pinyin keys) of frequent terms and compounds: what typos and pinyin reach."""
        return [*self.frequent, *self._compounds[:TYPO_VOCABULARY]]

    @cached_property
    def _typo_buckets(self) -> dict[tuple[bool, int], list[str]]:
        """Terms by (ASCII or not, length): a typo keeps the script and about the length."""
        buckets: defaultdict[tuple[bool, int], list[str]] = defaultdict(list)
        for term, _ in self._keyed:
            buckets[term.isascii(), len(term)].append(term)
        return buckets

    @lru_cache(maxsize=256)  # noqa: B019 (one Vocabulary per loaded index, dropped with it)
    def typos(self, word: str) -> list[tuple[str, float]]:
        """Frequent terms one or two edits from word, best first, with rapidfuzz ratios."""
        latin = word.isascii()
        cutoff = LATIN_TYPO_CUTOFF if latin else CJK_TYPO_CUTOFF
        spread = 2 if latin else 1
        found: list[tuple[str, float]] = []
        for length in range(len(word) - spread, len(word) + spread + 1):
            choices = self._typo_buckets.get((latin, length))
            if choices:
                matches = process.extract(
                    word, choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=TYPO_MATCHES
                )
                found.extend((term, score) for term, score, _ in matches if term != word)
        found.sort(key=lambda match: (-match[1], -self.df(match[0])))
        return found[:TYPO_MATCHES]

    @cached_property
    def _pinyin(self) -> dict[str, list[str]]:
        table: defaultdict[str, list[str]] = defaultdict(list)
        for term, keys in self._keyed:
            for key in keys.split():
                table[key].append(term)
        return table

    def pinyin(self, word: str) -> list[str]:
        """Chinese terms whose full pinyin or initials are word: 'stkj' → 商汤科技."""
        if len(word) < 2 or not _LATIN_WORD.fullmatch(word):
            return []
        return self._pinyin.get(word, [])[:EXPANSIONS_PER_KIND]

    def warm(self) -> None:
        """Build the lazy tables now (in a background load), not on the first keystroke."""
        _ = self.compounds, self._joined, self._typo_buckets, self._pinyin
