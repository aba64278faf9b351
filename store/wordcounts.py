"""Words of a text counted in bulk, with numpy instead of dicts.

An import analyses every article once, and per-word dict work (a Counter per sentence, an IDF
lookup) cost more than segmenting the text. Here a word is known by
a 64-bit key (``word_keys``), which numpy sorts and searches thousands at a time. Two different
words with the same key would count as one; among the ~10⁵ distinct words of an import chunk
the odds are about one in 10⁹. String hashes are salted per process, so keys never leave it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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


# An odd 64-bit constant (2**64 / golden ratio): it spreads small lengths over all the bits.
_LENGTH_MIX = np.uint64(0x9E3779B97F4A7C15)


def word_keys(words: Sequence[str]) -> np.ndarray:
    """A 64-bit key per word: its string hash mixed with its length. CPython hashes the bytes a
    string is stored as (1, 2 or 4 per character, by its widest one), so "of" and 景 (U+666F)
    hash alike; strings of one length with the same bytes are the same string."""
    hashes = np.fromiter(map(hash, words), np.int64, len(words)).view(np.uint64)
    lengths = np.fromiter(map(len, words), np.uint64, len(words))
    return (hashes ^ (lengths * _LENGTH_MIX)).view(np.int64)


def counted(tokens: list[str]) -> tuple[WordCounts, np.ndarray]:
    """The words of a token list with their counts, and each token's word number."""
    ones = np.ones(len(tokens), np.int64)
    return _grouped(tokens, word_keys(tokens), ones, np.arange(len(tokens)))


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
    return WordCounts([words[i] for i in leaders.tolist()], totals, ordered[starts], first[leaders]), numbers


def run_firsts(ordered: np.ndarray) -> np.ndarray:
    """Flags the first of each run of equal values in a sorted array."""
    first = np.ones(len(ordered), bool)
    first[1:] = ordered[1:] != ordered[:-1]
    return first
