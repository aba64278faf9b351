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

import heapq
import importlib.util
import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, repeat
from operator import itemgetter
from pathlib import Path

from store.fold import fold
from store.text import CJK, sentence_spans, word_chars, words, words_by_span

DEFAULT_SENTENCES = 3
# The summary box holds about 120 Chinese characters: 40 per sentence asked for.
CHARS_PER_SENTENCE = 40
DEFAULT_KEYWORDS = 8
KEYWORD_CANDIDATES = 8  # per keyword wanted, ranked before the rest are (most are kept)

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
def _idf() -> tuple[dict[str, float], float]:
    """jieba's bundled IDF table and its median (the weight of an unseen word), loaded once.

    Read directly rather than through jieba.analyse, which would also load jieba's whole
    dictionary in every import worker.
    """
    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:
        raise RuntimeError("jieba is not installed; it ships the IDF table newstui uses")
    path = Path(spec.origin).parent / "analyse" / "idf.txt"
    weights: list[tuple[float, str]] = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            word, _, value = line.rstrip("\n").rpartition(" ")
            if word:
                weights.append((float(value), word))
    weights.sort()
    # Common words first: the entries every article looks up sit together in memory, which
    # measured 5 % faster summaries than the file's order.
    table = {word: weight for weight, word in weights}
    return table, weights[len(weights) // 2][0]


def _is_content_word(word: str, stopwords: frozenset[str]) -> bool:
    """Not a stopword, nor a stray Latin letter or digit (one-character words below U+3400)."""
    return word not in stopwords and (len(word) > 1 or word >= "\u3400")


@dataclass(frozen=True, slots=True)
class _Document:
    """An article segmented once for summary, keywords and the search index.

    Words come from folded text (``store.fold``: case, width, traditional → simplified), as the
    search index wants them; folding keeps one character per character, so a keyword is spelled
    back from the same place in the original. ``terms`` and ``totals`` count every word;
    ``idf`` holds the content words only, so a word counts for similarity and keywords exactly
    when it is in ``idf``. Stopwords are filtered per distinct word, which is cheaper.
    """

    sentences: list[str]
    folded: list[str]  # the sentences, folded
    terms: list[Counter[str]]  # word counts per sentence
    totals: Counter[str]  # word counts in the analysed text
    idf: dict[str, float]
    complete: bool  # the analysed text is the whole text
    folded_text: str  # all of the analysed text, folded

    @classmethod
    def of(cls, text: str) -> _Document:
        analysed = text[:ANALYSED_CHARS]
        spans = sentence_spans(analysed)
        complete = len(text) <= ANALYSED_CHARS
        if not complete and len(spans) > 1:
            spans.pop()  # cut off mid-sentence
        folded_text = fold(analysed)
        folded = [folded_text[start:end] for start, end in spans]
        sentence_words = words_by_span(folded_text, spans)
        totals = Counter(chain.from_iterable(sentence_words))
        table, unseen = _idf()
        stopwords = _stopwords()
        content = [w for w in totals if w not in stopwords and (len(w) > 1 or w >= "\u3400")]
        idf = dict(zip(content, map(table.get, content, repeat(unseen)), strict=True))
        sentences = [analysed[start:end] for start, end in spans]
        terms = [Counter(ws) for ws in sentence_words]
        return cls(sentences, folded, terms, totals, idf, complete, folded_text)


@dataclass(frozen=True, slots=True)
class Analysis:
    """What the importer keeps of an article's words: its summary, keywords, and the folded word
    counts of the whole body, which the search index takes instead of segmenting it again."""

    summary: list[str]
    keywords: list[str]
    word_counts: Counter[str]
    word_chars: set[str]  # the characters of those words

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
    return _keywords(_Document.of(text), top_k, title)


def analyse(text: str, title: str = "") -> Analysis:
    """The default summary, keywords and folded word counts, segmenting the text once (for the
    importer)."""
    document = _Document.of(text)
    summary = _summary(document, DEFAULT_SENTENCES, None, 1)
    if document.complete:
        counts, folded = document.totals, document.folded_text
    else:
        folded = fold(text)
        counts = Counter(words(folded))
    return Analysis(summary, _keywords(document, DEFAULT_KEYWORDS, title), counts, word_chars(folded))


def display_width(text: str) -> float:
    """Width in Chinese characters: a wide (CJK, full-width) character is 1, anything else 1/2."""
    wide = len(_WIDE.findall(text))
    return wide + (len(text) - wide) / 2


def _summary(document: _Document, max_sentences: int, max_chars: int | None, min_sentences: int) -> list[str]:
    sentences = document.sentences
    if not sentences or max_sentences < 1:
        return []
    budget = max_chars if max_chars is not None else CHARS_PER_SENTENCE * max_sentences
    vectors = _tfidf_vectors(document)
    scores = [
        (1 - LEAD_WEIGHT) * centrality + LEAD_WEIGHT / (position + 1)
        for position, centrality in enumerate(_directed_centrality(vectors))
    ]
    count = (min(min_sentences, max_sentences), max_sentences)
    chosen = _select(sentences, scores, vectors, count, budget)
    if not chosen:
        best = max(range(len(sentences)), key=lambda i: (scores[i], -i))
        return [_prefix_within(sentences[best], budget)]
    return [sentences[i] for i in sorted(chosen)]


def _tfidf_vectors(document: _Document) -> list[dict[str, float]]:
    """Unit-length TF-IDF vectors, one per sentence, keeping only words another sentence may share.

    A word found once in the text adds to its sentence's vector length but to no similarity.
    """
    idf, totals = document.idf, document.totals
    vectors = []
    for counts in document.terms:
        weights = {word: count * idf[word] for word, count in counts.items() if word in idf}
        norm = math.hypot(*weights.values())
        vectors.append({word: w / norm for word, w in weights.items() if totals[word] > 1})
    return vectors


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(weight * b[word] for word, weight in a.items() if word in b)


def _directed_centrality(vectors: list[dict[str, float]]) -> list[float]:
    """PacSum: similarity to later sentences adds to a sentence's score, to earlier ones subtracts.

    A sum of cosines is a dot product with a sum of vectors, so running sums give each sentence
    its similarity to all earlier and all later ones: linear in the text, not quadratic in its
    sentences. Scaled to [0, 1] so the score mixes evenly with the lead prior and MMR overlap.
    """
    total: dict[str, float] = {}
    for vector in vectors:
        for word, weight in vector.items():
            total[word] = total.get(word, 0.0) + weight
    seen: dict[str, float] = {}  # the sum of the vectors so far
    scores = []
    for vector in vectors:
        earlier = later = 0.0
        for word, weight in vector.items():
            before = seen.get(word, 0.0)
            earlier += weight * before
            later += weight * (total[word] - before - weight)
            seen[word] = before + weight
        scores.append(later + BACKWARD_WEIGHT * earlier)
    low, high = min(scores), max(scores)
    span = high - low
    return [(s - low) / span if span else 0.0 for s in scores]


def _select(
    sentences: list[str],
    scores: list[float],
    vectors: list[dict[str, float]],
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
            overlap = max((_cosine(vectors[i], vectors[j]) for j in chosen), default=0.0)
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


def _keywords(document: _Document, top_k: int, title: str) -> list[str]:
    idf, totals = document.idf, document.totals
    scored = {word: totals[word] * weight for word, weight in idf.items()}
    table, unseen = _idf()
    stopwords = _stopwords()
    folded_title = fold(title)
    for word in words(folded_title):
        if _is_content_word(word, stopwords):
            weight = idf[word] if word in idf else table.get(word, unseen)
            scored[word] = scored.get(word, 0.0) + TITLE_WEIGHT * weight
    chosen: list[str] = []
    for word in _by_score(scored, KEYWORD_CANDIDATES * top_k):
        if len(chosen) == top_k:
            break
        if len(word) < 2 or not _HAS_LETTER.search(word):
            continue  # no lone characters, no bare numbers
        # A word inside an already chosen one ("智能" in "人工智能") adds nothing.
        if not any(word in other or other in word for other in chosen):
            chosen.append(word)
    originals = [title, *document.sentences]
    folded = [folded_title, *document.folded]
    return [_spelled_as_written(word, folded, originals) for word in chosen]


def _by_score(scored: dict[str, float], first: int) -> Iterator[str]:
    """Words best first, ties in the order they appear; the first few without sorting them all."""
    yield from (word for word, _ in heapq.nlargest(first, scored.items(), key=itemgetter(1)))
    if len(scored) > first:
        yield from (word for word, _ in sorted(scored.items(), key=itemgetter(1), reverse=True)[first:])


def _spelled_as_written(word: str, folded: list[str], originals: list[str]) -> str:
    """A folded word as the article first writes it ("sensetime" → "SenseTime", 商汤 → 商湯):
    folding keeps offsets, so the same slice of the original text is its spelling."""
    for folded_text, original in zip(folded, originals, strict=True):
        at = folded_text.find(word)
        if at >= 0:
            return original[at : at + len(word)]
    return word
