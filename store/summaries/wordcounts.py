"""Words of a text counted in bulk, with numpy instead of dicts.

An import analyses every article once, and per-word dict work (a Counter per sentence, an IDF
lookup) cost more than segmenting the text. Here a word is known by
a 64-bit key (``word_keys``), which numpy sorts and searches thousands at a time. Two different
words with the same key would count as one; among the ~10⁵ distinct words of an import chunk
the odds are about one in 10⁹. Keys are computed from the characters alone, not with Python's
string hash, which is salted per process: words come out in the same order everywhere, and so
do the sums over them, so the same text gets the same summary in every process.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter

import numpy as np


@dataclass(frozen=True, slots=True)
class WordCounts:
    """Distinct words in the order of their keys, how often each occurs, and where each first
    occurs (for ties between equal scores: the earlier word wins)."""

    words: list[str]
    counts: np.ndarray  # int64
    keys: np.ndarray  # int64, ascending: each word's key (word_keys)
    first: np.ndarray  # int64: the number of the token where the word first occurs

    def __len__(self) -> int:
        return len(self.words)

    def plus(self, other: WordCounts) -> tuple[WordCounts, np.ndarray]:
        """Both counts added up, ``other``'s tokens taken to follow these (an article's title
        words to its body's); and where each word is in the result, these words' then other's."""
        return _grouped(
            self.words + other.words,
            np.concatenate((self.keys, other.keys)),
            np.concatenate((self.counts, other.counts)),
            np.concatenate((self.first, other.first + int(self.counts.sum()))),
        )


# Odd 64-bit constants: the polynomial's base (any odd number is invertible modulo 2**64, so
# words differing in one character never collide), and 2**64 / golden ratio to mix in lengths.
_BASE = np.uint64(0x5BD1E9955BD1E995)
_LENGTH_MIX = np.uint64(0x9E3779B97F4A7C15)


def word_keys(words: Sequence[str]) -> np.ndarray:
    """A 64-bit key per word: a polynomial hash of its code points modulo 2**64, mixed with its
    length and finished with splitmix64's avalanche, all in numpy over the joined words."""
    return _keys_and_initials(words)[0]


def _keys_and_initials(words: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """word_keys, and the first code point of each word (0 for an empty one)."""
    if not words:
        return np.zeros(0, np.int64), np.zeros(0, np.uint32)
    # Joined with NULs, whose places give the words' starts and lengths at once; if a word
    # holds a NUL itself, its length is taken the slow way.
    points = np.frombuffer("\x00".join(words).encode("utf-32-le", "surrogatepass"), np.uint32)
    breaks = np.flatnonzero(points == 0)
    if len(breaks) == len(words) - 1:
        starts = np.concatenate(([0], breaks + 1))
        lengths = np.append(breaks, len(points)) - starts
    else:
        lengths = np.fromiter(map(len, words), np.int64, len(words))
        points = np.frombuffer("".join(words).encode("utf-32-le", "surrogatepass"), np.uint32)
        starts = np.cumsum(lengths) - lengths
    spans = np.diff(starts, append=len(points))  # a word and the NUL after it
    offset_in_word = np.arange(len(points)) - np.repeat(starts, spans)
    longest = int(spans.max(initial=0))
    # A table of powers rounded up to a power of two serves every shorter length too.
    terms = points.astype(np.uint64) * _powers(1 << max(longest - 1, 15).bit_length())[offset_in_word]
    # A NUL adds 0; the appended 0 lets an empty last word start within the array.
    keys = np.add.reduceat(np.append(terms, np.uint64(0)), starts)
    empty = lengths == 0
    keys[empty] = 0
    keys ^= lengths.astype(np.uint64) * _LENGTH_MIX
    keys ^= keys >> np.uint64(30)
    keys *= np.uint64(0xBF58476D1CE4E5B9)
    keys ^= keys >> np.uint64(27)
    keys *= np.uint64(0x94D049BB133111EB)
    keys ^= keys >> np.uint64(31)
    initials = np.where(empty, 0, np.append(points, np.uint32(0))[starts]).astype(np.uint32)
    return keys.view(np.int64), initials


@lru_cache(maxsize=8)
def _powers(size: int) -> np.ndarray:
    """_BASE ** i modulo 2**64 for i < size (numpy's integer products wrap around)."""
    powers = np.full(size, _BASE, np.uint64)
    powers[0] = 1
    return np.cumprod(powers, dtype=np.uint64)


def counted(tokens: list[str]) -> tuple[WordCounts, np.ndarray]:
    """The words of a token list with their counts, and each token's word number."""
    bag, numbers, _ = counted_with_initials(tokens)
    return bag, numbers


def counted_with_initials(tokens: list[str]) -> tuple[WordCounts, np.ndarray, np.ndarray]:
    """counted, and the first code point of each word (what script it is in), which comes
    free with its key."""
    keys, initials = _keys_and_initials(tokens)
    ones = np.ones(len(tokens), np.int64)
    bag, numbers = _grouped(tokens, keys, ones, np.arange(len(tokens)))
    return bag, numbers, initials[bag.first]


def _grouped(
    words: list[str], keys: np.ndarray, counts: np.ndarray, first: np.ndarray
) -> tuple[WordCounts, np.ndarray]:
    """Entries with equal keys made one, counts added; and each entry's number in the result."""
    order = np.argsort(keys, kind="stable")  # stable: a word's earliest entry leads its group
    ordered = keys[order]
    new_word = run_firsts(ordered)
    starts = np.flatnonzero(new_word)
    numbers = np.empty(len(keys), np.int64)
    numbers[order] = np.cumsum(new_word) - 1
    leaders = order[starts]
    totals = np.add.reduceat(counts[order], starts) if len(keys) else counts
    return WordCounts(_picked(words, leaders.tolist()), totals, ordered[starts], first[leaders]), numbers


def _picked(words: list[str], indices: list[int]) -> list[str]:
    """words[i] for each index (itemgetter does it in C)."""
    if len(indices) < 2:
        return [words[i] for i in indices]
    return list(itemgetter(*indices)(words))


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """np.unique by sorting: for a few thousand integers it is ~4x faster than the hash table
    np.unique uses for them."""
    ordered = np.sort(values)
    return ordered[run_firsts(ordered)]


def run_firsts(ordered: np.ndarray) -> np.ndarray:
    """Flags the first of each run of equal values in a sorted array."""
    first = np.ones(len(ordered), bool)
    first[1:] = ordered[1:] != ordered[:-1]
    return first


_CODE_POINT_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})")


@lru_cache(maxsize=4)
def code_point_table(char_class: str) -> np.ndarray:
    """A flag per code point: is it in the regular-expression character class (such as
    CJK)? Indexing it with an array of code points tests them all at once."""
    table = np.zeros(sys.maxunicode + 1, bool)
    # Writing out every code point takes a fifth of a second; a class of characters, ranges and
    # \u escapes (no escape such as \d) matches nothing above its highest one, so only the code
    # points up to it are written out.
    spelled = _CODE_POINT_ESCAPE.sub(lambda code: chr(int(code.group(1) or code.group(2), 16)), char_class)
    highest = max(map(ord, spelled)) if "\\" not in spelled else sys.maxunicode
    every = "".join(map(chr, range(highest + 1)))
    for run in re.finditer(f"[{char_class}]+", every):
        table[run.start() : run.end()] = True
    return table
