"""What summaries and keywords compare words by: a term per word, and a weight per word.

An English word's term is its Snowball stem, so "profits" and "profit", "jumped" and "jumps"
count as one; a Chinese word is its own term (jieba's words do not inflect). Weights are IDF
from the table bundled with jieba; Latin words, which it lacks, all weigh the same, and
stopwords in either language weigh nothing. The search index never sees terms: it keeps the
words as they are written.
"""

from __future__ import annotations

import importlib.util
import re
from functools import lru_cache
from pathlib import Path

import numpy as np

from .wordcounts import WordCounts, code_point_table, word_keys

_STOPWORDS_FILE = Path(__file__).parent / "data" / "stopwords.txt"
_LATIN_LETTERS = "a-z\u00df-\u024f"  # as folded: lower case
_LATIN = re.compile(f"[{_LATIN_LETTERS}]")


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    lines = _STOPWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=1)
def _stemmer():
    # snowballstemmer runs on PyStemmer's C code when that is installed (~300x faster).
    import snowballstemmer

    return snowballstemmer.stemmer("english")


def term_of(word: str) -> str:
    """A folded word's term: an English word's stem, any other word itself."""
    return _stemmer().stemWord(word) if _LATIN.match(word) else word


def term_numbers(words: list[str], initials: np.ndarray) -> np.ndarray:
    """A term number per word: its own position, or for an English word the position of the
    first word with its stem ("profits" takes the number of "profit"), whose weight the term
    takes. ``initials`` are the words' first code points (wordcounts.counted_with_initials)."""
    numbers = np.arange(len(words))
    latin = np.flatnonzero(code_point_table(_LATIN_LETTERS)[initials]).tolist()
    first_with_stem: dict[str, int] = {}
    for i, stem in zip(latin, _stemmer().stemWords([words[i] for i in latin]), strict=True):
        numbers[i] = first_with_stem.setdefault(stem, i)
    return numbers


@lru_cache(maxsize=1)
def _idf_table() -> tuple[np.ndarray, np.ndarray, float]:
    """jieba's bundled IDF table as sorted word keys and their weights, plus the weight of an
    unseen word (the median), loaded once per process. Stopwords and lone Latin letters and
    digits weigh 0: they carry no content.

    Read directly rather than through jieba.analyse, which would also load jieba's whole
    dictionary in every import worker.
    """
    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:
        raise RuntimeError("jieba is not installed; it ships the IDF table newstui uses")
    path = Path(spec.origin).parent / "analyse" / "idf.txt"
    table: dict[str, float] = {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            word, _, value = line.rstrip("\n").rpartition(" ")
            if word:
                table[word] = float(value)
    unseen = sorted(table.values())[len(table) // 2]
    table.update(dict.fromkeys(sorted(stopwords()), 0.0))
    table.update(dict.fromkeys(map(chr, range(0x3400)), 0.0))  # one character below CJK: a stray letter
    keys = word_keys(list(table))
    order = np.argsort(keys)
    return keys[order], np.fromiter(table.values(), np.float64, len(table))[order], unseen


def idf_of(words: WordCounts) -> np.ndarray:
    """Each word's IDF weight; 0 for a word that carries no content."""
    keys, weights, unseen = _idf_table()
    at = np.minimum(np.searchsorted(keys, words.keys), len(keys) - 1)
    return np.where(keys[at] == words.keys, weights[at], unseen)
