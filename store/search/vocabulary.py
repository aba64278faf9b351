"""Query words → index terms: exact, sub-word, prefix, typo and pinyin expansions.

Typos and pinyin are matched against the vocabulary (the distinct terms of the index), never
against documents, so their cost does not grow with the number of articles. The typo and pinyin
tables hold only the most frequent terms: a typo of a word seen once is not worth a keystroke's
latency.
"""

from __future__ import annotations

import heapq
import re
from array import array
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from functools import cache, cached_property, lru_cache
from itertools import accumulate
from typing import overload

from ..text.fold import character_pinyin, pinyin_syllables

EXPANSIONS_PER_KIND = 16  # sub-word or prefix matches kept, most frequent first
TYPO_VOCABULARY = 60_000  # most frequent compounds considered for typos and pinyin
TYPO_MATCHES = 5
LATIN_TYPO_MATCHES = 12  # a four-letter word has dozens of neighbours: the other words pick
CJK_TYPO_CUTOFF = 66.0  # one wrong character in three (fuzz.ratio)
LONG_WORD = 8  # English words this long may have two typos
HOMOPHONES = 8  # same-sounding words kept per query word, most frequent first
INSIDE_LONGEST = 6  # terms this long or shorter lend their parts' pinyin (siling → 空军司令)
MIN_COMPOUND_COUNT = 2  # titles a compound must appear in to be a typo or pinyin target
_STEM_SUFFIXES = ("ies", "ing", "ed", "es", "s", "ly")
_LATIN_WORD = re.compile(r"[a-z]+")
# Sounds a pinyin typist confuses (zh/z, ch/c, sh/s, in/ing, en/eng, an/ang): one key for both.
_NEAR_SOUNDS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("ang", "an"), ("eng", "en"), ("ing", "in"))


def stem(word: str) -> str:
    """A crude English stem, used as a prefix: 'partnerships' → 'partnership'."""
    for suffix in _STEM_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


class Terms(Sequence[str]):
    """Sorted terms as one string, a term a line, and where each line starts: a vocabulary of
    400,000 terms loads as one decode instead of 400,000 string objects, and ``containing`` is a
    ``str.find`` over all of them."""

    def __init__(self, joined: str, starts: Sequence[int]) -> None:
        self.joined = joined  # every term followed by a newline
        self.starts = starts  # len(self) + 1 offsets into joined

    @classmethod
    def of(cls, terms: Sequence[str]) -> Terms:
        return cls("".join(term + "\n" for term in terms), array("I", accumulate((len(t) + 1 for t in terms),
                                                                               initial=0)))

    def __len__(self) -> int:
        return len(self.starts) - 1

    @overload
    def __getitem__(self, number: int) -> str: ...
    @overload
    def __getitem__(self, number: slice) -> Sequence[str]: ...
    def __getitem__(self, number):
        if isinstance(number, slice):
            return [self[i] for i in range(*number.indices(len(self)))]
        if number < 0:
            number += len(self)
        return self.joined[self.starts[number] : self.starts[number + 1] - 1]

    def number_at(self, position: int) -> int:
        """The term whose line holds a position of the joined string."""
        return bisect_right(self.starts, position) - 1


class Vocabulary:
    """The sorted distinct words of the index and their document counts, and (read when first
    needed) the most frequent ones with their pinyin keys and the title compounds; see
    ``store.search.lexicon``, which reads them out of the index.

    Compounds (two title words seen together, like 商汤 + 科技) join the typo and pinyin tables,
    because names are what people mistype and spell in pinyin, and jieba splits many of them.
    """

    def __init__(
        self,
        terms: Terms,
        counts: Sequence[int],
        keyed: Callable[[], tuple[Sequence[tuple[str, str]], Sequence[tuple[str, str, int, str]]]],
    ) -> None:
        self.terms = terms
        self.counts = counts  # documents holding each term
        # (term, "full initials" pinyin or "") most frequent first, and (first, second, titles,
        # pinyin keys) of compounds, most titles first: typos, pinyin and compounds need them.
        self._read_keyed = keyed

    def df(self, term: str) -> int:
        position = bisect_left(self.terms, term)
        if position < len(self.terms) and self.terms[position] == term:
            return self.counts[position]
        return 0

    @cached_property
    def _keyed_rows(self) -> tuple[Sequence[tuple[str, str]], Sequence[tuple[str, str, int, str]]]:
        return self._read_keyed()

    @cached_property
    def compounds(self) -> dict[str, tuple[str, str]]:
        """Compound → its two words."""
        return {first + second: (first, second) for first, second, _, _ in self._keyed_rows[1]}

    @lru_cache(maxsize=256)  # noqa: B019 (one Vocabulary per loaded index, dropped with it)
    def containing(self, fragment: str) -> list[str]:
        """Terms that contain fragment (other than itself), most frequent first (cached: typing
        and deleting come back to the same fragments)."""
        joined, terms = self.terms.joined, self.terms
        found: set[int] = set()
        position = joined.find(fragment)
        while position >= 0:
            number = terms.number_at(position)
            found.add(number)
            position = joined.find(fragment, terms.starts[number + 1])
        return self._most_frequent(n for n in found if terms[n] != fragment)

    def with_prefix(self, prefix: str) -> list[str]:
        """Terms that start with prefix (other than itself), most frequent first."""
        start = bisect_left(self.terms, prefix)
        end = bisect_left(self.terms, prefix + "\U0010ffff", start)
        return self._most_frequent(n for n in range(start, end) if self.terms[n] != prefix)

    def _most_frequent(self, numbers: Iterable[int]) -> list[str]:
        best = heapq.nlargest(EXPANSIONS_PER_KIND, numbers, key=lambda n: (self.counts[n], -n))
        return [self.terms[n] for n in best]

    @cached_property
    def _keyed(self) -> list[tuple[str, str]]:
        """(term, pinyin keys) of frequent terms and compounds: what typos and pinyin reach."""
        frequent, compounds = self._keyed_rows
        return [*frequent, *((a + b, keys) for a, b, _, keys in compounds[:TYPO_VOCABULARY])]

    @cached_property
    def _typo_buckets(self) -> dict[tuple[bool, int], list[str]]:
        """Terms by (ASCII or not, length): a typo keeps the script and about the length."""
        buckets: defaultdict[tuple[bool, int], list[str]] = defaultdict(list)
        for term, _ in self._keyed:
            buckets[term.isascii(), len(term)].append(term)
        return buckets

    @lru_cache(maxsize=256)  # noqa: B019 (one Vocabulary per loaded index, dropped with it)
    def typos(self, word: str) -> list[tuple[str, float]]:
        """Frequent terms a typo away from word, best first, each with a score out of 100.

        Chinese: rapidfuzz ratios of terms of about its length. English: terms one edit away
        (two in words of eight letters or more), a swap of neighbours counting as one, scored
        100 * (1 - edits / length): short words have many neighbours, so more are kept.
        """
        from rapidfuzz import fuzz, process  # here: a one-shot search seldom needs it
        from rapidfuzz.distance import OSA

        latin = word.isascii()
        edits = 2 if len(word) >= LONG_WORD else 1
        spread = edits if latin else 1
        found: list[tuple[str, float]] = []
        for length in range(len(word) - spread, len(word) + spread + 1):
            choices = self._typo_buckets.get((latin, length))
            if not choices:
                continue
            if latin:
                near = process.extract(word, choices, scorer=OSA.distance, score_cutoff=edits,
                                       limit=LATIN_TYPO_MATCHES)
                found.extend((term, 100 * (1 - d / len(word))) for term, d, _ in near if term != word)
            else:
                alike = process.extract(word, choices, scorer=fuzz.ratio, score_cutoff=CJK_TYPO_CUTOFF,
                                        limit=TYPO_MATCHES)
                found.extend((term, score) for term, score, _ in alike if term != word)
        found.sort(key=lambda match: (-match[1], -self.df(match[0])))
        return found[: LATIN_TYPO_MATCHES if latin else TYPO_MATCHES]

    @cached_property
    def _pinyin(self) -> dict[str, list[str]]:
        table: defaultdict[str, list[str]] = defaultdict(list)
        for term, keys in self._keyed:
            for key in keys.split():
                table[key].append(term)
        return table

    def pinyin(self, word: str, limit: int = EXPANSIONS_PER_KIND) -> list[str]:
        """Chinese terms whose full pinyin or initials are word, most frequent first: 'stkj' →
        商汤科技."""
        if len(word) < 2 or not _LATIN_WORD.fullmatch(word):
            return []
        return self._pinyin.get(word, [])[:limit]

    @cached_property
    def _pinyin_inside(self) -> dict[str, list[str]]:
        """Pinyin of the parts of frequent Chinese terms → the terms: full pinyin of two or more
        characters, initials of three or more, neither of the whole term (``pinyin`` has it)."""
        table: defaultdict[str, list[str]] = defaultdict(list)
        for term, keys in self._keyed:
            if not keys or not 2 < len(term) <= INSIDE_LONGEST:
                continue
            syllables = pinyin_syllables(term)
            if syllables is None:
                continue
            for start in range(len(term) - 1):
                for end in range(start + 2, len(term) + 1 - (start == 0)):
                    part = syllables[start:end]
                    table["".join(part)].append(term)
                    if end - start > 2:
                        table["".join(s[0] for s in part)].append(term)
        return table

    def pinyin_inside(self, word: str) -> list[str]:
        """Chinese terms with a part whose pinyin is word: 'siling' → 空军司令."""
        if len(word) < 3 or not _LATIN_WORD.fullmatch(word):
            return []
        return self._pinyin_inside.get(word, [])[:EXPANSIONS_PER_KIND]

    @cached_property
    def _sound_buckets(self) -> dict[tuple[int, str], list[tuple[str, str]]]:
        """(term, full pinyin) of the frequent Chinese terms and compounds, by syllable count and
        first letter: a homophone has as many syllables and starts alike (zh/z keep their z)."""
        buckets: defaultdict[tuple[int, str], list[tuple[str, str]]] = defaultdict(list)
        for term, keys in self._keyed:
            if keys:
                buckets[len(term), keys[0]].append((term, keys.partition(" ")[0]))
        return buckets

    @cache  # noqa: B019 (one Vocabulary per loaded index, dropped with it)
    def _sounding(self, length: int, initial: str) -> tuple[dict[str, list[tuple[str, str]]], dict[str, str]]:
        """One bucket's terms by near-pinyin key, and each one's full pinyin: keyed per bucket,
        so a one-shot search keys a few thousand terms, not every one."""
        table: defaultdict[str, list[tuple[str, str]]] = defaultdict(list)
        spelled: dict[str, str] = {}
        for term, full in self._sound_buckets.get((length, initial), ()):
            spelled[term] = full
            table[_near(full)].append((term, full))
        return table, spelled

    @lru_cache(maxsize=256)  # noqa: B019 (one Vocabulary per loaded index, dropped with it)
    def homophones(self, word: str) -> list[tuple[str, bool]]:
        """Frequent Chinese terms that sound like word (two characters or more), each with
        whether its toneless pinyin is the same (else only near: zh/z, in/ing...), the same
        first, then most frequent first."""
        syllables = character_pinyin(word) if len(word) > 1 else None
        if syllables is None:
            return []
        table, spelled = self._sounding(len(word), syllables[0][0])
        full = spelled.get(word) or "".join(syllables)
        sounding = table.get(_near(full), ())
        found = [(term, pinyin == full) for term, pinyin in sounding if term != word]
        found.sort(key=lambda match: not match[1])  # stable: most frequent first within each
        return found[:HOMOPHONES]

    def warm(self) -> None:
        """Build the lazy tables now (in a background load), not on the first keystroke."""
        _ = self.compounds, self._typo_buckets, self._pinyin, self._pinyin_inside
        for length, initial in list(self._sound_buckets):
            self._sounding(length, initial)


def _near(pinyin: str) -> str:
    # str.replace, not a regex with a callback: the table of 75,000 terms is built at the
    # first Chinese query of a process, so this is a third of a cold `newstui search`.
    for sound, near in _NEAR_SOUNDS:
        pinyin = pinyin.replace(sound, near)
    return pinyin
