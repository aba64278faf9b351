"""Extractive summaries and keywords, computed at import so the browser never waits for them.

A summary is a few sentences of the article, verbatim and in document order. Each sentence is
scored by directed centrality (PacSum, Zheng & Lapata 2019) over TF-IDF cosine similarity —
a sentence scores when later sentences elaborate on it, and loses when it repeats earlier
ones — mixed with a lead prior, since news puts its key facts first. Maximal marginal
relevance (Carbonell & Goldstein 1998) keeps the chosen sentences from repeating each other,
and a character budget keeps the summary inside the summary box.

IDF weights come from the table bundled with jieba; Latin words are weighted alike, which
suits English, where stopwords are removed and sentence overlap does the rest.
"""

from __future__ import annotations

import importlib.util
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from pathlib import Path

import numpy as np

from store.fold import fold
from store.models import SUMMARY_SENTENCES
from store.text import CJK, sentence_spans, words, words_by_span
from store.wordcounts import WordCounts, counted, word_keys

DEFAULT_SENTENCES = SUMMARY_SENTENCES
# The summary box holds about 120 Chinese characters: 40 per sentence asked for.
CHARS_PER_SENTENCE = 40
DEFAULT_KEYWORDS = 8

# News puts what matters first; past this much text only the cost grows (a 2 MB file included).
ANALYSED_CHARS = 20_000
# Directed centrality: similarity to later sentences counts for a sentence, similarity to earlier
# ones (it repeats what was already said) counts against it, at this weight.
BACKWARD_WEIGHT = -0.5
# Weight of the lead prior 1/(position+1) against centrality: in news the first sentences carry
# the facts, and in a short article there is too little text for centrality to tell.
LEAD_WEIGHT = 0.5
# MMR trade-off between a sentence's own score and its overlap with the ones already chosen.
RELEVANCE_WEIGHT = 0.7
# Beyond min_sentences, a sentence joins only if it is worth this fraction of the first choice:
# a summary says the main thing, not the main thing padded with filler.
MIN_RELATIVE_GAIN = 0.6
# Extra occurrences a title word counts for keywords: the title says what the article is about.
TITLE_WEIGHT = 2

_STOPWORDS_FILE = Path(__file__).parent / "data" / "stopwords.txt"
# Two terminal cells wide, as Rich measures them: CJK, CJK punctuation, full-width forms.
_WIDE = re.compile(f"[{CJK}\u3000-\u303f\uff01-\uff60\uffe0-\uffe6]")
_CLAUSE_END = re.compile(r"[，,、：:；;\s]")
_HAS_LETTER = re.compile(f"[{CJK}A-Za-z]")


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    lines = _STOPWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


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
    table.update(dict.fromkeys(_stopwords(), 0.0))
    table.update(dict.fromkeys(map(chr, range(0x3400)), 0.0))  # one character below CJK: a stray letter
    keys = word_keys(list(table))
    order = np.argsort(keys)
    return keys[order], np.fromiter(table.values(), np.float64, len(table))[order], unseen


def _idf_of(words: WordCounts) -> np.ndarray:
    """Each word's IDF weight; 0 for a word that carries no content."""
    keys, weights, unseen = _idf_table()
    at = np.minimum(np.searchsorted(keys, words.keys), len(keys) - 1)
    return np.where(keys[at] == words.keys, weights[at], unseen)


@dataclass(frozen=True, slots=True)
class _Document:
    """An article segmented once for summary, keywords and the search index.

    Sentences are cut on the original text (the quote rules look at real punctuation); words
    come from the folded text (see ``store.fold``: 裡/里, full-width and case fold alike), as the
    search index wants them; folding keeps one character per character, so a keyword is spelled
    back from the same place in the original. Words are counted over the whole analysed text
    (``words``, with ``idf`` beside them, 0 for words without content) and per sentence
    (``token_words`` numbers every word in order, ``sentence_lengths`` says how many belong to
    each sentence).
    """

    sentences: list[str]
    folded: list[str]  # the sentences, folded
    words: WordCounts  # in the analysed text
    idf: np.ndarray
    token_words: np.ndarray
    sentence_lengths: np.ndarray
    complete: bool  # the analysed text is the whole text

    @classmethod
    def of(cls, text: str) -> _Document:
        analysed = text[:ANALYSED_CHARS]
        spans = sentence_spans(analysed)
        complete = len(text) <= ANALYSED_CHARS
        if not complete and len(spans) > 1:
            spans.pop()  # cut off mid-sentence
        folded_text = fold(analysed)
        sentence_words = words_by_span(folded_text, spans)
        bag, token_words = counted(list(chain.from_iterable(sentence_words)))
        return cls(
            [analysed[start:end] for start, end in spans],
            [folded_text[start:end] for start, end in spans],
            bag,
            _idf_of(bag),
            token_words,
            np.fromiter(map(len, sentence_words), np.int64, len(sentence_words)),
            complete,
        )


@dataclass(frozen=True, slots=True)
class Analysis:
    """What the importer keeps of an article's words: its summary, keywords, and the folded
    words of its title and whole body, which the search index takes instead of segmenting
    them again."""

    summary: list[str]
    keywords: list[str]
    title_words: list[str]  # in order
    words: WordCounts  # of the title and the body


@dataclass(frozen=True, slots=True)
class _Titled:
    """A document's words with its title's added: what keywords are chosen from."""

    title: str
    folded_title: str
    title_words: list[str]
    words: WordCounts  # of the analysed text and the title
    idf: np.ndarray  # of each of those words
    title_counts: np.ndarray  # occurrences in the title, of each of those words

    @classmethod
    def of(cls, document: _Document, title: str) -> _Titled:
        folded_title = fold(title)
        title_words = words(folded_title)
        in_title = counted(title_words)[0]
        merged, numbers = document.words.plus(in_title)
        body, from_title = numbers[: len(document.words)], numbers[len(document.words) :]
        idf = np.empty(len(merged))
        idf[body] = document.idf
        idf[from_title] = _idf_of(in_title)
        title_counts = np.zeros(len(merged), np.int64)
        title_counts[from_title] = in_title.counts
        return cls(title, folded_title, title_words, merged, idf, title_counts)


def summarize(
    text: str, max_sentences: int = DEFAULT_SENTENCES, max_chars: int | None = None, *, min_sentences: int = 1
) -> list[str]:
    """The article's key sentences, verbatim and in document order.

    At most ``max_sentences`` sentences and ``max_chars`` characters (a Chinese character counts
    one, a Latin letter half, as the summary box sees them); by default 40 per sentence, so
    asking for more sentences also makes room for them. Sentences past ``min_sentences`` are
    added only if they are nearly as important as the first, so ask for ``min_sentences ==
    max_sentences`` to get exactly that many (a longer or shorter summary on demand). A single
    sentence longer than the whole budget is shortened to a verbatim prefix ending at a clause
    boundary.
    """
    return _summary(_Document.of(text), max_sentences, max_chars, min_sentences)


def keywords(text: str, top_k: int = DEFAULT_KEYWORDS, title: str = "") -> list[str]:
    """Up to ``top_k`` words that say what the text is about (TF-IDF, title words weighted up)."""
    document = _Document.of(text)
    return _keywords(document, _Titled.of(document, title), top_k)


def analyse(text: str, title: str = "") -> Analysis:
    """The default summary, keywords and folded word counts, segmenting the text once (for the
    importer)."""
    document = _Document.of(text)
    titled = _Titled.of(document, title)
    summary = _summary(document, DEFAULT_SENTENCES, None, 1)
    bag = titled.words if document.complete else counted(words(fold(text)) + titled.title_words)[0]
    return Analysis(summary, _keywords(document, titled, DEFAULT_KEYWORDS), titled.title_words, bag)


def display_width(text: str) -> float:
    """Width in Chinese characters: a wide (CJK, full-width) character is 1, anything else 1/2."""
    wide = len(_WIDE.findall(text))
    return wide + (len(text) - wide) / 2


def _summary(document: _Document, max_sentences: int, max_chars: int | None, min_sentences: int) -> list[str]:
    sentences = document.sentences
    if not sentences or max_sentences < 1:
        return []
    budget = max_chars if max_chars is not None else CHARS_PER_SENTENCE * max_sentences
    vectors = _Vectors.of(document)
    lead = 1 / np.arange(1, len(sentences) + 1)
    scores = ((1 - LEAD_WEIGHT) * _directed_centrality(vectors) + LEAD_WEIGHT * lead).tolist()
    count = (min(min_sentences, max_sentences), max_sentences)
    chosen = _select(sentences, scores, vectors, count, budget)
    if not chosen:
        best = max(range(len(sentences)), key=lambda i: (scores[i], -i))
        return [_prefix_within(sentences[best], budget)]
    return [sentences[i] for i in sorted(chosen)]


@dataclass(frozen=True, slots=True)
class _Vectors:
    """Unit-length TF-IDF vectors of the sentences as one sparse matrix: sentence i's entries
    are ``words[starts[i]:starts[i + 1]]`` (ascending) with ``weights`` beside them.

    Only words another sentence may share are kept: a word found once in the text adds to its
    sentence's vector length but to no similarity.
    """

    starts: np.ndarray
    sentences: np.ndarray  # of each entry
    words: np.ndarray
    weights: np.ndarray

    @classmethod
    def of(cls, document: _Document) -> _Vectors:
        size = len(document.words)
        count = len(document.sentence_lengths)
        sentence_of_token = np.repeat(np.arange(count), document.sentence_lengths)
        pairs, frequencies = np.unique(sentence_of_token * size + document.token_words, return_counts=True)
        sentences, words = np.divmod(pairs, max(size, 1))
        weights = frequencies * document.idf[words]
        norms = np.sqrt(np.bincount(sentences, weights * weights, minlength=count))
        shared = (weights > 0) & (document.words.counts[words] > 1)
        sentences, words = sentences[shared], words[shared]
        starts = np.searchsorted(sentences, np.arange(count + 1))
        return cls(starts, sentences, words, weights[shared] / norms[sentences])

    def cosine(self, i: int, j: int) -> float:
        a, b = slice(self.starts[i], self.starts[i + 1]), slice(self.starts[j], self.starts[j + 1])
        _, in_a, in_b = np.intersect1d(self.words[a], self.words[b], assume_unique=True, return_indices=True)
        return float(self.weights[a][in_a] @ self.weights[b][in_b])


def _directed_centrality(vectors: _Vectors) -> np.ndarray:
    """PacSum: similarity to later sentences adds to a sentence's score, to earlier ones subtracts.

    A sum of cosines is a dot product with a sum of vectors, so running sums per word give each
    sentence its similarity to all earlier and all later ones: linear in the text, not
    quadratic in its sentences. Scaled to [0, 1] so the score mixes evenly with the lead prior
    and MMR overlap.
    """
    count = len(vectors.starts) - 1
    by_word = np.lexsort((vectors.sentences, vectors.words))
    words, weights = vectors.words[by_word], vectors.weights[by_word]
    running = np.cumsum(weights) - weights  # the weight of all entries before, word by word
    first_of_word = np.searchsorted(words, words)
    before = running - running[first_of_word]  # this word's weight in earlier sentences
    total = np.bincount(words, weights)[words]
    similarity = weights * (total - before - weights) + BACKWARD_WEIGHT * weights * before
    scores = np.bincount(vectors.sentences[by_word], similarity, minlength=count)
    span = scores.max() - scores.min() if count else 0.0
    return (scores - scores.min()) / span if span else np.zeros(count)


def _select(
    sentences: list[str],
    scores: list[float],
    vectors: _Vectors,
    count: tuple[int, int],
    budget: float,
) -> list[int]:
    """Greedy MMR within the budget: a sentence that does not fit is passed over for one that does.

    ``count`` is (min, max) sentences; between the two, weak additions are left out. Overlap
    only lowers a score, so candidates are visited best score first and the search stops once
    no score left could beat the best gain found (lazy greedy): few similarities are computed.
    """
    least, most = count
    # Earlier sentences win ties: in news they carry the facts.
    by_score = sorted(range(len(sentences)), key=lambda i: (-scores[i], i))
    width: dict[int, float] = {}
    chosen: list[int] = []
    used = 0.0
    first_gain = 0.0
    while len(chosen) < most:
        best, best_gain = -1, -math.inf
        for i in by_score:
            if RELEVANCE_WEIGHT * scores[i] < best_gain:
                break
            if i in chosen:
                continue
            if i not in width:
                width[i] = display_width(sentences[i])
            if used + width[i] > budget:
                continue
            overlap = max((vectors.cosine(i, j) for j in chosen), default=0.0)
            gain = RELEVANCE_WEIGHT * scores[i] - (1 - RELEVANCE_WEIGHT) * overlap
            if gain > best_gain:
                best, best_gain = i, gain
        if best < 0:
            break
        if not chosen:
            first_gain = best_gain
        elif len(chosen) >= least and best_gain < MIN_RELATIVE_GAIN * first_gain:
            break
        chosen.append(best)
        used += width[best]
    return chosen


def _prefix_within(sentence: str, budget: float) -> str:
    """The longest verbatim prefix within the budget, ending at a clause boundary where there is one."""
    end = 0
    width = 0.0
    for char in sentence:
        width += 1 if _WIDE.match(char) else 0.5
        if width > budget:
            break
        end += 1
    prefix = sentence[:end]
    boundaries = [m.end() for m in _CLAUSE_END.finditer(prefix)]
    if boundaries and boundaries[-1] > end // 2:
        prefix = prefix[: boundaries[-1]]
    return prefix.strip() or sentence[:end]


def _keywords(document: _Document, titled: _Titled, top_k: int) -> list[str]:
    """TF-IDF over the analysed text, each title word counting ``TITLE_WEIGHT`` times more."""
    candidates, idf = titled.words, titled.idf
    scores = (candidates.counts + (TITLE_WEIGHT - 1) * titled.title_counts) * idf
    content = np.flatnonzero(idf > 0)
    # Best first; ties in the order the words appear (the body's, then the title's).
    ranked = content[np.lexsort((candidates.first[content], -scores[content]))]
    chosen: list[str] = []
    for word in map(candidates.words.__getitem__, ranked.tolist()):
        if len(chosen) == top_k:
            break
        if len(word) < 2 or not _HAS_LETTER.search(word):
            continue  # no lone characters, no bare numbers
        # A word inside an already chosen one ("智能" in "人工智能") adds nothing.
        if not any(word in other or other in word for other in chosen):
            chosen.append(word)
    originals = [titled.title, *document.sentences]
    folded = [titled.folded_title, *document.folded]
    return [_spelled_as_written(word, folded, originals) for word in chosen]


def _spelled_as_written(word: str, folded: list[str], originals: list[str]) -> str:
    """A folded word as the article first writes it ("sensetime" → "SenseTime", 商汤 → 商湯):
    folding keeps offsets, so the same slice of the original text is its spelling."""
    for folded_text, original in zip(folded, originals, strict=True):
        at = folded_text.find(word)
        if at >= 0:
            return original[at : at + len(word)]
    return word
