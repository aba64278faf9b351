"""Extractive summaries and keywords, computed at import so the browser never waits for them.

A summary is a few sentences of the article, verbatim and in document order. A sentence scores
for how much of it the rest of the article says again — the centroid idea (Radev et al. 2004)
as coverage: the sum, over its distinct words, of how often each recurs elsewhere — seen three
ways and mixed with a lead prior, since news puts its key facts first:
- content: words by term (``store.summaries.terms``: an English word by its stem), IDF-weighted,
  stopwords left out;
- surface: Chinese character bigrams and other words as written, unweighted, which holds where
  segmentation and IDF are weak: short texts, names jieba does not know;
- direction: PacSum's directed centrality (Zheng & Lapata 2019) over the content vectors,
  which favours the sentence later ones elaborate on over the one that repeats earlier ones.
Maximal marginal relevance (Carbonell & Goldstein 1998) keeps the chosen sentences from
repeating each other.

Only sentences that say something compete: source tags, bylines, datelines, links and
fragments never do (``store.summaries.boilerplate``). A summary has as many sentences as asked for,
whatever their length, where the text has that many; the summary box makes room for them.
The weights were chosen on the dev halves of public news sets (benchmarks/summary_eval.py).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..records.models import SUMMARY_SENTENCES
from ..text.fold import fold
from ..text.segment import CJK, words, words_by_span
from ..text.sentences import sentence_spans, shorten_at_clause
from .boilerplate import headline_part, summary_parts
from .terms import idf_of, term_numbers
from .wordcounts import (
    WordCounts,
    code_point_table,
    counted,
    counted_with_initials,
    run_firsts,
    sorted_unique,
)

DEFAULT_SENTENCES = SUMMARY_SENTENCES
DEFAULT_KEYWORDS = 8

# News puts what matters first; past this much text only the cost grows (a 2 MB file included).
ANALYSED_CHARS = 20_000
# Weight of the lead prior 1/sqrt(position+1) against coverage: in news the first sentences
# carry the facts, and in a short article there is too little text for coverage to tell. In
# Chinese news far more so: on three Chinese sets the weight that did best was 0.7 to 0.9, on
# both English sets 0.2 to 0.35, so a text's weight goes from one to the other with its share
# of Chinese words.
LEAD_WEIGHT = 0.35
LEAD_WEIGHT_CHINESE = 0.8
# Surface coverage, and directed centrality, count this much beside content coverage.
SURFACE_WEIGHT = 0.25
DIRECTED_WEIGHT = 0.5
# Directed centrality: similarity to later sentences counts for a sentence, similarity to earlier
# ones (it repeats what was already said) counts against it, at this weight.
BACKWARD_WEIGHT = -0.5
# Coverage is divided by the sentence's length to this power: a long sentence covers more, but
# not in proportion, or the longest sentence would always win.
LENGTH_EXPONENT = 0.5
# MMR trade-off between a sentence's own score and its overlap with the ones already chosen.
RELEVANCE_WEIGHT = 0.7
# A sentence this similar to one already chosen (cosine of their TF-IDF vectors) says nothing
# new: it is never chosen, however many sentences are asked for.
MAX_OVERLAP = 0.8

# Extra occurrences a title word counts for keywords: the title says what the article is about.
TITLE_WEIGHT = 2

# Two terminal cells wide, as Rich measures them: CJK, CJK punctuation, full-width forms.
_WIDE = re.compile(f"[{CJK}\u3000-\u303f\uff01-\uff60\uffe0-\uffe6]")
_HAS_LETTER = re.compile(f"[{CJK}A-Za-z]")
# Sentences a gram key has room for beside 43 bits of gram: far more than ANALYSED_CHARS holds.
_MAX_SENTENCES = 1 << 20


@dataclass(frozen=True, slots=True)
class _Document:
    """An article segmented once for summary, keywords and the search index.

    Sentences are cut on the original text (the quote rules look at real punctuation); words
    come from the folded text (see ``store.text.fold``: 裡/里, full-width and case fold alike), as the
    search index wants them; folding keeps one character per character, so a keyword is spelled
    back from the same place in the original. Words are counted over the whole analysed text
    (``words``, with ``idf`` beside them, 0 for words without content) and per sentence
    (``token_words`` numbers every word in order, ``sentence_lengths`` says how many belong to
    each sentence). ``parts`` is the part of each sentence a summary may show, None for one it
    never shows (``store.summaries.boilerplate``).
    """

    text: str  # the analysed text
    spans: list[tuple[int, int]]  # [start, end) of each sentence in it
    parts: list[tuple[int, int] | None]  # within each sentence
    words: WordCounts  # in the analysed text
    idf: np.ndarray
    token_words: np.ndarray
    sentence_lengths: np.ndarray
    complete: bool  # the analysed text is the whole text
    folded_text: str  # all of the analysed text, folded
    initials: np.ndarray  # the first code point of each of ``words``: its script
    headline: bool  # the text opens with its own headline (【……】), which leads its summary

    @classmethod
    def of(cls, text: str) -> _Document:
        analysed = text[:ANALYSED_CHARS]
        spans = sentence_spans(analysed)
        complete = len(text) <= ANALYSED_CHARS
        if not complete and len(spans) > 1:
            spans.pop()  # cut off mid-sentence
        folded_text = fold(analysed)
        tokens, sentence_lengths = words_by_span(folded_text, spans)
        bag, token_words, initials = counted_with_initials(tokens)
        first = analysed[spans[0][0] : spans[0][1]] if spans else ""
        return cls(
            analysed,
            spans,
            summary_parts(analysed, spans),
            bag,
            idf_of(bag),
            token_words,
            np.array(sentence_lengths, np.int64),
            complete,
            folded_text,
            initials,
            first.startswith("【") and headline_part(first) is not None,
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
    terms: np.ndarray  # the term number of each of those words (store.summaries.terms)

    @classmethod
    def of(cls, document: _Document, title: str) -> _Titled:
        folded_title = fold(title)
        title_words = words(folded_title)
        in_title, _, title_points = counted_with_initials(title_words)
        merged, numbers = document.words.plus(in_title)
        body, from_title = numbers[: len(document.words)], numbers[len(document.words) :]
        idf = np.empty(len(merged))
        idf[body] = document.idf
        idf[from_title] = idf_of(in_title)
        title_counts = np.zeros(len(merged), np.int64)
        title_counts[from_title] = in_title.counts
        initials = np.empty(len(merged), np.uint32)
        initials[body] = document.initials
        initials[from_title] = title_points
        terms = term_numbers(merged.words, initials)
        return cls(title, folded_title, title_words, merged, idf, title_counts, terms)


def summarize(text: str, max_sentences: int = DEFAULT_SENTENCES, max_chars: int | None = None) -> list[str]:
    """The article's key sentences, verbatim and in document order: ``max_sentences`` of them
    where the text has that many sentences worth showing, fewer only where it has not, so
    asking for more never gives fewer.

    Each is shown whole, however long; with ``max_chars``, a sentence wider than that (a
    Chinese character counts one, a Latin letter half) is cut at a clause boundary.
    """
    summary = _summary(_Document.of(text), max_sentences)
    if max_chars is None:
        return summary

    def fits(part: str) -> bool:
        return display_width(part) <= max_chars

    return [shorten_at_clause(sentence, fits) for sentence in summary]


def keywords(text: str, top_k: int = DEFAULT_KEYWORDS, title: str = "") -> list[str]:
    """Up to ``top_k`` words that say what the text is about (TF-IDF, title words weighted up)."""
    document = _Document.of(text)
    return _keywords(document, _Titled.of(document, title), top_k)


def analyse(text: str, title: str = "") -> Analysis:
    """The default summary, keywords and folded word counts, segmenting the text once (for the
    importer)."""
    document = _Document.of(text)
    titled = _Titled.of(document, title)
    summary = _summary(document, DEFAULT_SENTENCES)
    bag = titled.words if document.complete else counted(words(fold(text)) + titled.title_words)[0]
    return Analysis(summary, _keywords(document, titled, DEFAULT_KEYWORDS), titled.title_words, bag)


def display_width(text: str) -> float:
    """Width in Chinese characters: a wide (CJK, full-width) character is 1, anything else 1/2."""
    wide = len(_WIDE.findall(text))
    return wide + (len(text) - wide) / 2


def _summary(document: _Document, count: int) -> list[str]:
    candidates = np.flatnonzero(np.fromiter(map(bool, document.parts), bool, len(document.parts)))
    if not len(candidates) or count < 1:
        return []
    vectors = _Vectors.of(document)
    coverage = (
        _scaled(vectors.coverage[candidates])
        + SURFACE_WEIGHT * _scaled(_surface_coverage(document)[candidates])
        + DIRECTED_WEIGHT * _scaled(_directed_centrality(vectors)[candidates])
    )
    # The lead prior counts the sentences that may be shown: a tag above the lead takes no place.
    lead = 1 / np.sqrt(np.arange(1, len(candidates) + 1))
    weight = LEAD_WEIGHT + (LEAD_WEIGHT_CHINESE - LEAD_WEIGHT) * _chinese_share(document)
    scores = (1 - weight) * coverage + weight * lead

    # A headline the writer put on the text says what it is about better than any choice of ours.
    first = [0] if document.headline else []
    chosen = sorted(_select(candidates, scores, vectors.cosine, count, first))
    return [_shown(document, i) for i in chosen]


def _shown(document: _Document, index: int) -> str:
    start, _ = document.spans[index]
    part_start, part_end = document.parts[index] or (0, 0)
    return document.text[start + part_start : start + part_end]


def _chinese_share(document: _Document) -> float:
    """The share of the text's words that are Chinese."""
    if not len(document.token_words):
        return 0.0
    return float(code_point_table(CJK)[document.initials[document.token_words]].mean())


def _scaled(values: np.ndarray) -> np.ndarray:
    """Divided by the largest magnitude, so the coverages and the lead prior mix evenly. (Not
    min-max: that blows a small difference between two sentences of a short text up to the
    whole range, and the lead prior stops counting.)"""
    top = np.abs(values).max()
    return values / top if top else np.zeros(len(values))


def _coverage(sentences: np.ndarray, weights: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Per sentence, the summed weight of its distinct entries over its length ** LENGTH_EXPONENT."""
    total = np.bincount(sentences, weights, minlength=len(lengths))
    return total / np.maximum(lengths, 1) ** LENGTH_EXPONENT


@dataclass(frozen=True, slots=True)
class _Vectors:
    """Unit-length TF-IDF vectors of the sentences, over terms, as one sparse matrix: sentence
    i's entries are ``terms[starts[i]:starts[i + 1]]`` (ascending) with ``weights`` beside them;
    and each sentence's content coverage.

    Only terms another sentence may share are kept: a term found once in the text adds to its
    sentence's vector length but to no similarity.
    """

    starts: np.ndarray
    sentences: np.ndarray  # of each entry
    terms: np.ndarray
    weights: np.ndarray
    coverage: np.ndarray  # of each sentence

    @classmethod
    def of(cls, document: _Document) -> _Vectors:
        term_of_word = term_numbers(document.words.words, document.initials)
        size, idf = len(document.words), document.idf  # a term is numbered (and weighed) as a word
        count = len(document.sentence_lengths)
        sentence_of_token = np.repeat(np.arange(count), document.sentence_lengths)
        token_terms = term_of_word[document.token_words]
        pairs, frequencies = np.unique(sentence_of_token * size + token_terms, return_counts=True)
        sentences, terms = np.divmod(pairs, max(size, 1))
        # How often each term comes again elsewhere in the text, damped: a word the article
        # repeats ten times is central, not ten times as central as one it repeats once.
        recurring = np.sqrt(np.maximum(np.bincount(token_terms, minlength=size) - 1, 0)) * idf
        coverage = _coverage(sentences, recurring[terms], document.sentence_lengths)
        weights = frequencies * idf[terms]
        norms = np.sqrt(np.bincount(sentences, weights * weights, minlength=count))
        shared = recurring[terms] > 0
        sentences, terms = sentences[shared], terms[shared]
        starts = np.searchsorted(sentences, np.arange(count + 1))
        return cls(starts, sentences, terms, weights[shared] / norms[sentences], coverage)

    def cosine(self, i: int, j: int) -> float:
        a, b = slice(self.starts[i], self.starts[i + 1]), slice(self.starts[j], self.starts[j + 1])
        _, in_a, in_b = np.intersect1d(self.terms[a], self.terms[b], assume_unique=True, return_indices=True)
        return float(self.weights[a][in_a] @ self.weights[b][in_b])


def _directed_centrality(vectors: _Vectors) -> np.ndarray:
    """PacSum (Zheng & Lapata 2019): similarity to later sentences adds to a sentence's score,
    to earlier ones subtracts. It favours the sentence that sets up what follows over the one
    that repeats it (an item of a list does both).

    A sum of cosines is a dot product with a sum of vectors, so running sums per term give each
    sentence its similarity to all earlier and all later ones: linear in the text, not
    quadratic in its sentences.
    """
    count = len(vectors.starts) - 1
    by_term = np.lexsort((vectors.sentences, vectors.terms))
    terms, weights = vectors.terms[by_term], vectors.weights[by_term]
    running = np.cumsum(weights) - weights  # the weight of all entries before, term by term
    before = running - running[np.searchsorted(terms, terms)]  # this term's, in earlier sentences
    total = np.bincount(terms, weights)[terms] if len(terms) else weights
    similarity = weights * (total - before - weights) + BACKWARD_WEIGHT * weights * before
    return np.bincount(vectors.sentences[by_term], similarity, minlength=count)


def _surface_coverage(document: _Document) -> np.ndarray:
    """Coverage by Chinese character bigrams and by the other words as written: each distinct
    gram of a sentence weighs the square root of how many other sentences have it too."""
    count = len(document.spans)
    grams, sentence_of_gram = _cjk_bigrams(document.folded_text, document.spans)
    latin = ~code_point_table(CJK)[document.initials]
    sentence_of_token = np.repeat(np.arange(count), document.sentence_lengths)
    written = latin[document.token_words]
    # Words numbered above every bigram key (two code points, 42 bits), so they never meet.
    grams = np.concatenate((grams, document.token_words[written] + (1 << 42)))
    sentences = np.concatenate((sentence_of_gram, sentence_of_token[written]))
    # One sort by gram, then sentence: each distinct (gram, sentence) once, grams in runs.
    pairs = sorted_unique(grams * _MAX_SENTENCES + np.minimum(sentences, _MAX_SENTENCES - 1))
    grams, sentences = np.divmod(pairs, _MAX_SENTENCES)
    gram_number = np.cumsum(run_firsts(grams)) - 1
    weights = np.sqrt(np.bincount(gram_number) - 1)[gram_number]
    return _coverage(sentences, weights, np.bincount(sentences, minlength=count))


def _cjk_bigrams(text: str, spans: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    """Every pair of adjacent CJK characters within a sentence (a span of the text), as a 42-bit
    key, and the number of the sentence it is in."""
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32).astype(np.int64)
    cjk = code_point_table(CJK)[points]
    pair = np.flatnonzero(cjk[:-1] & cjk[1:])
    starts = np.fromiter((start for start, _ in spans), np.int64, len(spans))
    ends = np.fromiter((end for _, end in spans), np.int64, len(spans))
    sentence = np.searchsorted(starts, pair, side="right") - 1
    inside = (sentence >= 0) & (pair + 1 < ends[np.maximum(sentence, 0)])
    pair, sentence = pair[inside], sentence[inside]
    return (points[pair] << 21) | points[pair + 1], sentence


def _select(
    candidates: np.ndarray,
    scores: np.ndarray,
    cosine: Callable[[int, int], float],
    count: int,
    first: list[int],
) -> list[int]:
    """Greedy MMR: ``count`` sentences (or all there are that repeat none chosen), ``first`` and
    then each the best score less its overlap with those already chosen. A greedy choice of n is the choice of
    n - 1 plus one, so asking for more never changes the sentences already chosen.

    Overlap only lowers a score, so candidates are visited best score first and the search stops
    once no score left could beat the best gain found (lazy greedy): few similarities are computed.
    """
    # Earlier sentences win ties: in news they carry the facts.
    order = np.lexsort((candidates, -scores))
    by_score = list(zip(candidates[order].tolist(), scores[order].tolist(), strict=True))
    chosen: list[int] = first[:count]
    repeats: set[int] = set()
    while len(chosen) < min(count, len(by_score)):
        best, best_gain = -1, -math.inf
        for i, score in by_score:
            if RELEVANCE_WEIGHT * score < best_gain:
                break
            if i in chosen or i in repeats:
                continue
            overlap = max((cosine(i, j) for j in chosen), default=0.0)
            if overlap >= MAX_OVERLAP:
                repeats.add(i)
                continue
            gain = RELEVANCE_WEIGHT * score - (1 - RELEVANCE_WEIGHT) * overlap
            if gain > best_gain:
                best, best_gain = i, gain
        if best < 0:
            break  # every sentence left repeats one chosen
        chosen.append(best)
    return chosen


def _keywords(document: _Document, titled: _Titled, top_k: int) -> list[str]:
    """TF-IDF over the analysed text by term, each title word counting ``TITLE_WEIGHT`` times
    more; a term is shown as its most frequent word ("profits" and "profit": the one used more)."""
    candidates, term_of_word = titled.words, titled.terms
    size = len(candidates)
    occurrences = candidates.counts + (TITLE_WEIGHT - 1) * titled.title_counts
    scores = np.bincount(term_of_word, occurrences * titled.idf, minlength=size)[term_of_word]
    content = np.flatnonzero(titled.idf > 0)
    # Best first; within a term its most used word; ties in the order the words appear.
    ranked = content[np.lexsort((candidates.first[content], -occurrences[content], -scores[content]))]
    chosen: list[str] = []
    terms_taken: set[int] = set()
    for word_number in ranked.tolist():
        if len(chosen) == top_k:
            break
        word, term = candidates.words[word_number], int(term_of_word[word_number])
        if term in terms_taken or len(word) < 2 or not _HAS_LETTER.search(word):
            continue  # one word per term; no lone characters, no bare numbers
        terms_taken.add(term)
        # A word inside an already chosen one ("智能" in "人工智能") adds nothing.
        if not any(word in other or other in word for other in chosen):
            chosen.append(word)
    written = ((titled.folded_title, titled.title), (document.folded_text, document.text))
    return [_spelled_as_written(word, written) for word in chosen]


def _spelled_as_written(word: str, written: tuple[tuple[str, str], ...]) -> str:
    """A folded word as the title, else the text, first writes it ("sensetime" → "SenseTime",
    商汤 → 商湯): folding keeps offsets, so the same slice of the original is its spelling."""
    for folded, original in written:
        at = folded.find(word)
        if at >= 0:
            return original[at : at + len(word)]
    return word
