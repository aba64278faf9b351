"""What an article puts in the search index, as tantivy fields of already-folded tokens.

Every field is fed pre-tokenised (tokens joined by spaces, split by tantivy's whitespace
tokenizer), so tantivy never segments anything: words come from the one jieba segmentation the
import does for the summary, and characters from the folded text.

- ``words``: the jieba and Latin words of title and body, two characters or more, each repeated
             as often as it occurs (term frequencies and lengths for BM25; no positions);
- ``chars``: every Chinese character and every Latin word, in order, with positions: exact
             phrases across jieba's word boundaries, and single characters; the title and each
             paragraph are separate values, so a phrase never runs from one into the next;
- ``title``: the same units of the title alone, for title matches of what is no word;
- ``title_words``: the title's words, for title matches of words (much cheaper than phrases);
- ``pairs``: adjacent Chinese title words ("商汤_科技"), the compounds people spell in pinyin;
- ``id``, ``key``, ``when``, ``title_sort``, ``source``: identity, date order and filters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from itertools import chain, pairwise

import tantivy

from ..text.fold import fold
from ..text.segment import WORD_RUN, is_cjk, words

_HEX_ID = re.compile(r"[0-9a-f]{16}")
PAIR_JOINER = "_"  # never inside a word
MAX_COMPOUND = 8  # characters in a title compound
MAX_SORT_TITLE = 200  # characters of a title its sort key keeps
NO_KEY = 0  # an id that is not 16 hex digits: its document is looked up by its stored id
_EPOCH = datetime(1900, 1, 1)
# tantivy multiplies a score by log2(2 + recency): at most 1.0007 for a date before 2100, so
# of equal scores (or ones within 0.07%) it keeps the newer ones, telling dates about a week
# apart (a 32-bit score's precision), without reordering any others.
RECENCY_PER_MINUTE = 0.001 / (200 * 365.25 * 24 * 60)


def units(folded: str) -> list[str]:
    """The characters of Chinese runs and the Latin words of folded text, in order."""
    found: list[str] = []
    for match in WORD_RUN.finditer(folded):
        run = match.group()
        if is_cjk(run):
            found.extend(run)
        else:
            found.append(run.lower())
    return found


def spaced_units(folded: str) -> str:
    """units() joined by spaces (a Chinese run's characters in one join, without a list)."""
    return " ".join(
        " ".join(run) if is_cjk(run) else run.lower() for run in WORD_RUN.findall(folded)
    )


@dataclass(frozen=True, slots=True)
class IndexWords:
    """One article's words for the index, from the segmentation its import already did: each
    field's tokens joined by spaces, one string per field rather than an object per word (a
    batch waiting to be committed holds thousands of these)."""

    words: str  # every occurrence of every word of title and body, two characters or more
    title_words: str  # the title's words, in order
    pairs: str  # adjacent Chinese title words, as title compounds

    @classmethod
    def of(cls, distinct: list[str], counts: list[int], title_words: list[str]) -> IndexWords:
        """From distinct words and their counts (in no particular order: the field keeps
        frequencies, not positions; most words occur once, so only the extra occurrences are
        listed apart)."""
        kept = [word for word in distinct if len(word) > 1]
        extra = [word for word, count in zip(distinct, counts, strict=True) if count > 1 and len(word) > 1
                 for _ in range(count - 1)]
        pairs = [
            first + PAIR_JOINER + second
            for first, second in pairwise(title_words)
            if is_cjk(first) and is_cjk(second) and 3 <= len(first) + len(second) <= MAX_COMPOUND
        ]
        return cls(" ".join(kept + extra if extra else kept), " ".join(title_words), " ".join(pairs))

    @classmethod
    def segmented(cls, title: str, body: str) -> IndexWords:
        """For an article read back from the store (a rebuild): segment its text once."""
        title_words = words(fold(title))
        counted: dict[str, int] = {}
        for word in chain(words(fold(body)), title_words):
            counted[word] = counted.get(word, 0) + 1
        return cls.of(list(counted), list(counted.values()), title_words)


def article_key(article_id: str) -> int:
    """The id as a 64-bit number, which tantivy hands back with each hit without reading a
    stored document; NO_KEY for an id that is not one of ours (16 hex digits)."""
    return int(article_id, 16) if _HEX_ID.fullmatch(article_id) else NO_KEY


def date_rank(date: str | None) -> int:
    """Minutes since 1900 of an ISO date or date-time (or month, or year); 0 (oldest) when
    unknown or unreadable."""
    if not date:
        return 0
    for text in (date[:16], date[:10], date[:7] + "-01", date[:4] + "-01-01"):
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            continue
        return max(1, int((moment.replace(tzinfo=None) - _EPOCH).total_seconds() // 60))
    return 0


def document(
    article_id: str, title: str, body: str, date: str | None, source: str, indexed: IndexWords
) -> tantivy.Document:
    """The tantivy document of one article."""
    folded_title = fold(title)
    doc = tantivy.Document()
    doc.add_text("id", article_id)
    doc.add_unsigned("key", article_key(article_id))
    when = date_rank(date)
    doc.add_integer("when", when)
    doc.add_float("recency", when * RECENCY_PER_MINUTE)
    doc.add_text("title_sort", title[:MAX_SORT_TITLE])
    doc.add_text("source", fold(source))
    doc.add_text("words", indexed.words)
    title_units = spaced_units(folded_title)
    doc.add_text("title", title_units)
    doc.add_text("title_words", indexed.title_words)
    doc.add_text("chars", title_units)
    for paragraph in fold(body).split("\n"):
        doc.add_text("chars", spaced_units(paragraph))
    doc.add_text("pairs", indexed.pairs)
    return doc
