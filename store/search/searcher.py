"""Search: fuzzy, Chinese-aware full-text search over the store, on an embedded tantivy index.

``Searcher`` opens the store's index (``store.search.engine``), catching it up with the store first when
it is behind, and answers queries in the language of ``store.search.query``: the words become clauses of
weighted alternatives compiled to one tantivy query (``store.search.clauses``), the filters become
tantivy filters, and tantivy finds, counts and ranks the matches (BM25, in Rust). Equal scores go
to the newer article.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import tantivy
from tantivy import FieldType, Occur, Order, Query

from ..records.db import Store
from ..text.fold import fold
from ..text.segment import words
from .clauses import Clause, clause_query, clauses_of, every, literals, query_clauses
from .documents import date_rank
from .engine import IndexProgress, OpenIndex, ids_of
from .indexing import catch_up, finish, rebuild_index, update_index
from .lexicon import load_vocabulary, newest_file
from .query import SORTS, QueryError, parse_query
from .query import Query as ParsedQuery
from .vocabulary import Vocabulary

__all__ = [
    "Hit",
    "QueryError",
    "SearchResult",
    "Searcher",
    "highlight_spans",
    "rebuild_index",
    "search",
    "update_index",
]

TITLE_SPAN_HITS = 400  # the best hits carry title highlights; a list of every match needs no more
# A partial result (no article has every word) ranks by words matched first: each matched
# clause is worth more than any clause's own score (a title match is TITLE_WEIGHT).
PARTIAL_CLAUSE = 10_000.0


@dataclass(frozen=True, slots=True)
class Hit:
    id: str
    score: float  # relevance; 0 when sorted by date or title
    title_spans: tuple[tuple[int, int], ...]  # [start, end) offsets in entry.title
    terms: tuple[str, ...]  # folded strings matched; highlight with highlight_spans()
    partial: bool = False  # matches some of the query's words, not all (no article has all)


@dataclass(frozen=True, slots=True)
class SearchResult:
    hits: list[Hit]  # ranked, at most `limit`
    total: int  # all matches before the limit
    elapsed_ms: float
    partial: bool = False  # no article matched every word: these match some, most words first


# -- highlighting -----------------------------------------------------------------------------


def highlight_spans(text: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    """[start, end) spans of text where any term occurs, ignoring case, width and script.

    Folding keeps one character per character, so spans found in folded text fit the original.
    Overlapping spans are merged.
    """
    return _spans(fold(text), {fold(t) for t in terms})


def _spans(folded: str, folded_terms: Iterable[str]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for match in _starts(frozenset(filter(None, folded_terms))).finditer(folded):
        start, end = match.start(), match.start() + len(match.group(1))
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


@lru_cache(maxsize=64)
def _starts(terms: frozenset[str]) -> re.Pattern[str]:
    """Finds, at every position where a term starts, the longest term starting there: one pass
    over the text for all the terms, overlapping ones included."""
    if not terms:
        return re.compile("(?!)")
    longest_first = sorted(terms, key=lambda term: (-len(term), term))
    return re.compile("(?=(" + "|".join(map(re.escape, longest_first)) + "))")


# -- the public searcher ----------------------------------------------------------------------


class Searcher:
    """Search one store. Construct cheaply; ``load()`` in a worker thread; then ``search()``.

    ``search`` may run in several threads while one thread calls ``refresh``: tantivy gives each
    search a consistent view, and the vocabulary is swapped whole.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self._index: OpenIndex | None = None
        self._vocabulary: tuple[Vocabulary, Path | None] | None = None
        self._flags: tuple[set[str], set[str]] | None = None
        self._lock = threading.Lock()

    def load(self, on_progress: IndexProgress | None = None) -> None:
        """Open the index (catching up with the store first) and its vocabulary, and build the
        vocabulary's typo and pinyin tables in the background for the queries to come."""
        if on_progress:
            on_progress("Opening the search index", 0.0)
        self._open(on_progress)
        vocabulary = self._vocabulary_now()
        fold("預熱")  # the folding table: every query needs it

        def warm() -> None:
            words("預熱")  # jieba's dictionary, for a query's run that is no word
            vocabulary.warm()

        threading.Thread(target=warm, name="vocabulary", daemon=True).start()
        if on_progress:
            on_progress("Search index ready", 1.0)

    def _open(self, progress: IndexProgress | None) -> OpenIndex:
        with self._lock:
            if self._index is None:
                self._index = OpenIndex(self.store)
            index = self._index
        if not index.synced():
            writer = index.writer(wait=False)
            if writer is not None:  # else another process is writing, and will catch up
                with writer:
                    catch_up(index, writer, progress)
                    finish(writer)
        return index

    def refresh(self) -> None:
        """Pick up articles imported (or removed) and flags changed since load."""
        index = self._open(None)
        index.reload()
        current = self._vocabulary
        if current is not None and newest_file(index) != current[1]:
            self._vocabulary = None
            threading.Thread(target=self._vocabulary_now().warm, name="vocabulary", daemon=True).start()
        self._flags = None

    def version(self) -> int | None:
        """Changes whenever the index commits (compare two calls to see)."""
        return self._index.opstamp() if self._index is not None else None

    def _vocabulary_now(self) -> Vocabulary:
        loaded = self._vocabulary
        if loaded is None:
            with self._lock:
                if self._vocabulary is None:
                    assert self._index is not None
                    self._vocabulary = load_vocabulary(self._index)
                loaded = self._vocabulary
        return loaded[0]

    def _read_and_starred(self) -> tuple[set[str], set[str]]:
        flags = self._flags
        if flags is None:
            flags = self._flags = self.store.flagged()
        return flags

    def search(self, query: str, limit: int = 200, sort: str = "relevance") -> SearchResult:
        """Ranked hits for a query; QueryError for a bad one. Opens the index if needed."""
        started = time.perf_counter()
        if sort not in SORTS:
            raise ValueError(f"sort must be one of {', '.join(SORTS)}")
        parsed = parse_query(query)
        index = self._index or self._open(None)
        if not parsed.terms and not _has_filters(parsed):
            ids = self.store.ordered_ids("title" if sort == "title" else "date")
            hits = [Hit(article_id, 0.0, (), ()) for article_id in ids[: max(limit, 0)]]
            return SearchResult(hits, len(ids), (time.perf_counter() - started) * 1000)
        searcher = index.searcher()
        schema = index.schema

        def known(term: str) -> bool:
            return searcher.doc_freq("words", term) > 0

        clauses = query_clauses(parsed.positive, known, self._vocabulary_now)
        required = [clause_query(schema, clause) for clause in clauses]
        rest: list[tuple[Occur, Query]] = []
        for term in parsed.negative:
            excluded = [clause_query(schema, c) for c in clauses_of(term, known, self._vocabulary_now)]
            if excluded:
                rest.append((Occur.MustNot, every(excluded)))
        filters = self._filters(parsed, index, searcher)
        rest += [(Occur.Must, Query.const_score_query(f, 0.0)) for f in filters]
        order = "relevance" if clauses and sort == "relevance" else ("title" if sort == "title" else "date")
        parts = [(Occur.Must, query) for query in required] + rest
        if not any(occur == Occur.Must for occur, _ in parts):
            parts.append((Occur.Must, Query.const_score_query(Query.all_query(), 0.0)))
        hits, total = self._run(searcher, Query.boolean_query(parts), max(limit, 0), order, clauses)
        partial = total == 0 and len(required) > 1
        if partial:  # no empty screen: the articles with most of the words
            parts = [(Occur.Must, _some_of(required)), *rest]
            hits, total = self._run(searcher, Query.boolean_query(parts), max(limit, 0), order, clauses,
                                    partial=True)
        return SearchResult(hits, total, (time.perf_counter() - started) * 1000, partial)

    def _filters(self, query: ParsedQuery, index: OpenIndex, searcher: tantivy.Searcher) -> list[Query]:
        """tantivy queries for the date, source and flag filters."""
        schema = index.schema
        found = []
        if query.after or query.before:  # undated articles (0) are in neither
            lower = date_rank(query.after) if query.after else 1
            upper = date_rank(query.before) - 1 if query.before else None  # before is exclusive
            found.append(Query.range_query(schema, "when", FieldType.Integer, lower, upper))
        if query.sources:
            wanted = [fold(source) for source in query.sources]
            sources = [s for s, _ in searcher.terms_with_prefix("source", "") if any(w in s for w in wanted)]
            found.append(Query.term_set_query(schema, "source", sources) if sources else Query.empty_query())
        read, starred = (self._read_and_starred() if query.read is not None or query.starred is not None
                         else (set(), set()))
        for wanted, ids in ((query.read, read), (query.starred, starred)):
            if wanted is not None:
                flagged = Query.term_set_query(schema, "id", sorted(ids))
                found.append(flagged if wanted else Query.all_query().and_must_not_match(flagged))
        return found

    def _run(
        self, searcher: tantivy.Searcher, query: Query, limit: int, order: str, clauses: list[Clause],
        *, partial: bool = False,
    ) -> tuple[list[Hit], int]:
        """The best ``limit`` hits in an order ("relevance", "date" or "title") and the total."""
        if order == "relevance":  # scores nudged by recency (see documents.RECENCY_PER_MINUTE)
            options: dict = {"weight_by_field": "recency"}
        else:
            by, direction = ("title_sort", Order.Asc) if order == "title" else ("when", Order.Desc)
            options = {"order_by_field": by, "order": direction}
        result = searcher.search(query, limit, count=True, **options)
        found = result.hits
        addresses = [address for _, address in found]
        ids = ids_of(searcher, addresses)
        when = searcher.fast_field_values("when", addresses)
        # Equal scores newest first, exactly (the recency weight tells apart dates about a week
        # apart), and the same order whatever the index's layout: what still ties goes by id.
        ascending = order == "title"
        ranked = sorted(
            zip([value for value, _ in found], ids, when, strict=True),
            key=lambda hit: (hit[0] if ascending else -hit[0], -hit[2], hit[1]),
        )
        terms = literals(clauses)
        hits = []
        for number, (value, article_id, _) in enumerate(ranked):
            spans: tuple[tuple[int, int], ...] = ()
            if terms and number < TITLE_SPAN_HITS and (entry := self.store.entry(article_id)):
                spans = tuple(_spans(fold(entry.title), terms))
            score = round(value, 4) if order == "relevance" else 0.0
            hits.append(Hit(article_id, score, spans, terms, partial))
        return hits, result.count

    def close(self) -> None:
        if self._index is not None:
            self._index.close()
            self._index = None


def _some_of(clauses: Sequence[Query]) -> Query:
    """At least one of the clauses, scored first by how many match (PARTIAL_CLAUSE each)."""
    return Query.boolean_query([
        (Occur.Should, Query.boolean_query([(Occur.Must, Query.const_score_query(clause, PARTIAL_CLAUSE)),
                                            (Occur.Should, clause)]))
        for clause in clauses
    ])


def _has_filters(query: ParsedQuery) -> bool:
    return bool(query.sources or query.after or query.before or query.read is not None
                or query.starred is not None)


def search(store: Store, query: str, limit: int = 50) -> SearchResult:
    """One query against a store (for the CLI): opens the index, searches, lets it go."""
    searcher = Searcher(store)
    try:
        return searcher.search(query, limit)
    finally:
        searcher.close()
