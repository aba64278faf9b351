"""Words and characters of a text counted in bulk, with numpy instead of dicts.

An import analyses every article once, and per-word dict work (a Counter per sentence, an IDF
lookup, a term number for the index) cost more than segmenting the text. Here a word is known by
a 64-bit key (``word_keys``), which numpy sorts and searches thousands at a time. Two different
words with the same key would count as one; among the ~10⁵ distinct words of an import chunk
the odds are about one in 10⁹. String hashes are salted per process, so keys never leave it.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from store.text import WORD_CHAR_CLASS


@dataclass(frozen=True, slots=True)
class WordCounts:
    """Distinct words in order of first appearance, how often each occurs, and each one's key."""

    words: list[str]
    counts: np.ndarray  # int64
    keys: np.ndarray  # int64: each word's key (word_keys)

    def __len__(self) -> int:
        return len(self.words)

    def plus(self, other: WordCounts) -> tuple[WordCounts, np.ndarray]:
        """Both counts added up (an article's title words to its body's), and where each of
        ``other``'s words is in the result."""
        order = np.argsort(self.keys)
        at = np.minimum(np.searchsorted(self.keys, other.keys, sorter=order), max(len(self) - 1, 0))
        found = self.keys[order[at]] == other.keys if len(self) else np.zeros(len(other), bool)
        positions = np.empty(len(other), np.int64)
        positions[found] = order[at[found]]
        positions[~found] = len(self) + np.arange(np.count_nonzero(~found))
        counts = np.zeros(len(self) + np.count_nonzero(~found), np.int64)
        counts[: len(self)] = self.counts
        counts[positions] += other.counts  # a word occurs once in other: no index repeats
        merged = WordCounts(
            self.words + [word for word, new in zip(other.words, (~found).tolist(), strict=True) if new],
            counts,
            np.concatenate((self.keys, other.keys[~found])),
        )
        return merged, positions


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
    hashes = word_keys(tokens)
    unique, first, inverse, counts = np.unique(
        hashes, return_index=True, return_inverse=True, return_counts=True
    )
    order = np.argsort(first)  # first appearance: ties between equal scores go to the earlier word
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    words = [tokens[i] for i in first[order].tolist()]
    return WordCounts(words, counts[order], unique[order]), rank[inverse]


def word_code_points(text: str) -> np.ndarray:
    """The distinct characters words are made of in text, as sorted code points (what the
    index's character field keys: every character of every word)."""
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32)
    return np.unique(points[_word_char_table()[points]])


@lru_cache(maxsize=1)
def _word_char_table() -> np.ndarray:
    """A flag per code point: does it belong in a word (text.WORD_CHAR_CLASS)?"""
    table = np.zeros(sys.maxunicode + 1, bool)
    every = "".join(map(chr, range(sys.maxunicode + 1)))
    for run in re.finditer(f"[{WORD_CHAR_CLASS}]+", every):
        table[run.start() : run.end()] = True
    return table
