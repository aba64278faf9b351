"""Search: fuzzy, Chinese-aware full-text search over the store, fast at 100,000 articles.

``Searcher`` loads (or builds) the index in ``store.index_dir`` and answers queries in the
language of ``store.query``. Every query word becomes a clause of alternatives — the exact term,
terms containing it, English prefixes, typo neighbours and pinyin readings, each with a weight —
found in the vocabulary (``store.vocabulary``). Clauses AND together as bitsets
(``store.bitsets``), then a bounded pool of candidates is ranked: title hits above body hits,
exact above fuzzy, BM25 for body terms, newer first on ties.
"""

from __future__ import annotations

import heapq
import math
import re
import threading
import time
from bisect import bisect_left
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property, reduce
from itertools import compress, repeat
from operator import and_, ge

import rjieba
from filelock import FileLock

from store import bitsets
from store.db import Store
from store.fold import fold
from store.index import (
    Chunk,
    ChunkBuilder,
    Doc,
    IndexFormatError,
    Manifest,
    Segment,
    indexed_chunks,
    merge_segments,
    write_segment,
)
from store.models import Article, Entry
from store.query import Query, QueryError, Term, parse_query
from store.text import CJK, words
from store.vocabulary import Vocabulary, stem

__all__ = [
    "Hit",
    "IndexAppender",
    "QueryError",
    "SearchResult",
    "Searcher",
    "highlight_spans",
    "rebuild_index",
    "search",
    "update_index",
]

SORTS = ("relevance", "date", "title")
MAX_SEGMENTS = 8  # more than this and the next update merges the index into one segment
MERGE_FANOUT = 8  # an import merges this many of its segments of a size
FLUSH_POSTINGS = 10_000_000  # postings an import holds before writing a segment (~100 MB)
POOL_SIZE = 400  # candidates ranked exactly; beyond this the likely best are chosen
POOL_ALTERNATIVES = 4  # alternatives of the rarest clause that pick the likely best
BITSET_CACHE = 1024
# Shorter words are not corrected: a wrong character in three is as likely another word, and
# three-character prefixes are typed on the way to most Chinese queries.
MIN_CJK_TYPO, MIN_LATIN_TYPO = 4, 4
FEW_ARTICLES = 2000  # fewer new articles than this are read one by one, not shard by shard

# Weights of the alternatives of a clause: what was typed beats what it was expanded into.
EXACT, SUBWORD, PREFIX, PINYIN, CHARS, TYPO = 1.0, 0.85, 0.8, 0.75, 0.6, 0.7
TITLE_WEIGHT = 100.0  # a title match outranks any body score
BM25_K1, BM25_B = 1.2, 0.75

_CJK_RUN = re.compile(f"[{CJK}]+")

Progress = Callable[[str, float], None]


@dataclass(frozen=True, slots=True)
class Hit:
    id: str
    score: float
    title_spans: tuple[tuple[int, int], ...]  # [start, end) offsets in entry.title
    terms: tuple[str, ...]  # folded strings matched; highlight with highlight_spans()


@dataclass(frozen=True, slots=True)
class SearchResult:
    hits: list[Hit]  # ranked, at most `limit`
    total: int  # all matches before the limit
    elapsed_ms: float


# -- highlighting -----------------------------------------------------------------------------


def highlight_spans(text: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    """[start, end) spans of text where any term occurs, ignoring case, width and script.

    Folding keeps one character per character, so spans found in folded text fit the original.
    Overlapping spans are merged.
    """
    return _spans(fold(text), {fold(t) for t in terms})


def _spans(folded: str, folded_terms: Iterable[str]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for term in filter(None, folded_terms):
        start = folded.find(term)
        while start >= 0:
            spans.append((start, start + len(term)))
            start = folded.find(term, start + 1)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


# -- building and updating the index ----------------------------------------------------------


_SEGMENT_FILE = re.compile(r"segment-(\d{6,})\.idx")


def _segment_name(number: int) -> str:
    return f"segment-{number:06d}.idx"


def _lock(store: Store) -> FileLock:
    """Held by whoever writes the index (or reads it to load): writers never interleave."""
    store.index_dir.mkdir(parents=True, exist_ok=True)
    return FileLock(str(store.index_dir / "lock"))


def _new_segment(store: Store) -> str:
    """A segment name that no file has (the index lock is held: nobody else is naming one)."""
    numbers = [
        int(match.group(1))
        for path in store.index_dir.glob("segment-*.idx")
        if (match := _SEGMENT_FILE.fullmatch(path.name))
    ]
    return _segment_name(max(numbers, default=0) + 1)


def _commit_manifest(store: Store, names: list[str]) -> None:
    """Make these segments the index, then delete every other segment file (merged away, or
    left by a build that was killed)."""
    Manifest(tuple(names)).write(store.index_dir)
    for path in store.index_dir.glob("segment-*.idx"):
        if path.name not in names:
            path.unlink(missing_ok=True)


def _index_from_bodies(store: Store, entries: Sequence[Entry], progress: Progress | None) -> dict[str, int]:
    """Index articles read back from the store, one segment per chunk; returns their names and
    sizes.

    Bodies are read in an order the shard cache likes: import order for a few, shard by shard
    for many.
    """

    def articles() -> Iterator[Article]:
        if len(entries) <= FEW_ARTICLES:
            for entry in sorted(entries, key=lambda e: e.imported_at):
                article = store.get(entry.id)
                if article is not None:
                    yield article
            return
        wanted = {entry.id for entry in entries}
        yield from (a for a in store.articles() if a.id in wanted)

    triples = (
        (Doc(a.id, fold(a.title), a.date or "", fold(a.source)), a.title, a.body)
        for a in articles()
    )
    written: dict[str, int] = {}
    for chunk in indexed_chunks(triples, len(entries), progress):
        name = _new_segment(store)
        written[name] = write_segment(store.index_dir / name, [chunk])
    return written


def _merged(
    store: Store, names: list[str], progress: Progress | None, opened: Sequence[Segment] = ()
) -> str:
    """The named segments as one new segment, postings copied rather than recomputed (segments
    already open are used as they are: their metadata is most of a merge's memory)."""
    if len(names) == 1:
        return names[0]
    if progress:
        progress("Merging the search index", 1.0)
    have = {segment.path.name: segment for segment in opened}
    fresh = {name: Segment(store.index_dir / name) for name in names if name not in have}
    try:
        name = _new_segment(store)
        merge_segments(store.index_dir / name, [have[n] if n in have else fresh[n] for n in names])
    finally:
        for segment in fresh.values():
            segment.close()
    return name


def _open_index(store: Store) -> tuple[Manifest, list[Segment]] | None:
    """The manifest and its segments if all are readable and current, else None (rebuild)."""
    try:
        manifest = Manifest.read(store.index_dir)
        if manifest is None:
            return None
        return manifest, [Segment(store.index_dir / name) for name in manifest.segments]
    except (IndexFormatError, FileNotFoundError):
        return None


def _update(
    store: Store,
    opened: tuple[Manifest, list[Segment]] | None,
    progress: Progress | None,
    merge: Sequence[str] = (),
) -> bool:
    """Bring the index up to date with the store; True if anything was written.

    New articles are indexed from their bodies into a segment of their own. The ``merge``
    segments (an import's) and those new ones become one segment, which then takes in the
    segments before it while they are no more than twice its size (so a big import, or one
    resumed after a kill, leaves one segment, and small ones leave a few small segments that
    are cheap to add); more than MAX_SEGMENTS are merged into one.
    """
    stored = store.ids()
    if opened is None:
        _rebuild(store, progress)
        return True
    manifest, segments = opened
    indexed = {article_id for segment in segments for article_id in segment.ids}
    if not indexed <= stored:  # articles left the store: it was replaced
        _rebuild(store, progress)
        return True
    sizes = {segment.path.name: len(segment) for segment in segments}
    names = list(manifest.segments)
    together = [name for name in names if name in merge]
    if indexed != stored:
        # Entries only for the new articles: building all of them cost ~0.5 s per import at 100k.
        fresh = list(store.entry_list([i for i in store.ordered_ids() if i not in indexed]))
        added = _index_from_bodies(store, fresh, progress)
        sizes.update(added)
        names += list(added)
        together += list(added)
    if together:
        names = [name for name in names if name not in together] + together
        newest = sum(sizes[name] for name in together)
        first = len(names) - len(together)
        while first > 0 and 2 * newest >= sizes[names[first - 1]]:
            first -= 1
            newest += sizes[names[first]]
        together = names[first:]
    if len(names) > MAX_SEGMENTS:
        together = names
    if len(together) > 1:
        merged = _merged(store, together, progress, segments)
        names = [name for name in names if name not in together] + [merged]
    if names == list(manifest.segments):
        return False
    _commit_manifest(store, names)
    return True


def update_index(store: Store, on_progress: Progress | None = None, merge: Sequence[str] = ()) -> None:
    """Bring the index up to date with the store: add a segment for new articles.

    A missing, corrupt, version-mismatched or inconsistent index (articles gone from the store)
    is rebuilt from scratch.
    """
    with _lock(store):
        opened = _open_index(store)
        try:
            _update(store, opened, on_progress, merge)
        finally:
            for segment in opened[1] if opened else ():
                segment.close()


def rebuild_index(store: Store, on_progress: Progress | None = None) -> None:
    """Throw the index away and build it again from every article in the store."""
    with _lock(store):
        _rebuild(store, on_progress)


def _rebuild(store: Store, progress: Progress | None) -> None:
    names = list(_index_from_bodies(store, store.entries(), progress))
    if not names:  # an empty store still gets an index, so searching it finds nothing quickly
        names = [_new_segment(store)]
        write_segment(store.index_dir / names[0], [ChunkBuilder().build()])
    _commit_manifest(store, [_merged(store, names, progress)])


class IndexAppender:
    """How an import keeps the index in step without reading a body back.

    The postings of committed batches are held until about FLUSH_POSTINGS, then written as a
    segment, under the index lock. A browser searching meanwhile indexes the committed but
    unwritten articles itself (from their bodies, as after a kill); a segment that appears in
    the manifest from elsewhere is therefore read for its ids, and those are dropped before
    writing, so nothing is indexed twice. Whenever the import's last MERGE_FANOUT segments are
    of a size they are merged (each article is rewritten a few times, and a merge holds only a
    few segments' metadata); what is left is merged when the import ends.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self.segments: list[tuple[str, int]] = []  # this import's, in the manifest: (name, articles)
        self._written: set[str] = set()
        self._pending: list[Chunk] = []
        with _lock(store):
            self._seen = set(self._listed())  # segments not this import's, as last seen

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.segments]

    def batch(self) -> FileLock:
        return _lock(self.store)

    def _listed(self) -> list[str]:
        try:
            manifest = Manifest.read(self.store.index_dir)
        except IndexFormatError:
            return []  # unusable: finish() indexes the rest of the store from bodies
        return list(manifest.segments) if manifest else []

    def append(self, chunks: Sequence[Chunk]) -> None:
        """Hold a committed batch's postings (call inside ``batch()``)."""
        self._pending += [chunk for chunk in chunks if chunk.docs]
        if sum(chunk.postings for chunk in self._pending) >= FLUSH_POSTINGS:
            self._flush()

    def _flush(self) -> None:
        listed = self._listed()
        self.segments = [(name, size) for name, size in self.segments if name in listed]
        others = [name for name in listed if name not in self._written]
        indexed_elsewhere = set()
        for name in others:
            if name not in self._seen:
                segment = Segment(self.store.index_dir / name)
                indexed_elsewhere.update(segment.ids)
                segment.close()
        self._seen = set(others)
        chunks = [chunk.without(indexed_elsewhere) for chunk in self._pending]
        self._pending = []
        if not any(chunk.docs for chunk in chunks):
            return
        name = _new_segment(self.store)
        self.segments.append((name, write_segment(self.store.index_dir / name, chunks)))
        self._written.add(name)
        while self._tail_is_of_a_size():
            group = self.segments[-MERGE_FANOUT:]
            merged = _merged(self.store, [name for name, _ in group], None)
            self._written.add(merged)
            self.segments[-MERGE_FANOUT:] = [(merged, sum(n for _, n in group))]
        _commit_manifest(self.store, [*others, *self.names])

    def _tail_is_of_a_size(self) -> bool:
        tail = self.segments[-MERGE_FANOUT:]
        return len(tail) == MERGE_FANOUT and len({_size_class(n) for _, n in tail}) == 1

    def finish(self, on_progress: Progress | None = None) -> None:
        """Write what is held, merge this import's segments, and index anything the store
        holds that the index lacks (an index from an older version, or articles a killed
        import committed)."""
        if self._pending:
            with _lock(self.store):
                self._flush()
        if self.segments:
            update_index(self.store, on_progress, merge=self.names)


def _size_class(articles: int) -> int:
    """Segments within a factor of four of each other share a class."""
    return articles.bit_length() // 2


# -- the loaded index -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Alternative:
    """One way a query word can match: index keys that must all be present."""

    weight: float
    keys: tuple[tuple[str, str], ...]  # (field, term): field "body" (scored) or "char"
    literals: tuple[str, ...]  # folded text to find in titles and to highlight


@dataclass(slots=True)
class _Clause:
    alternatives: list[_Alternative]
    title_only: bool
    phrase: str | None  # folded text of a quoted phrase, for the verbatim-in-title bonus


class _Index:
    """A read-only view of the loaded segments, the article flags and derived tables."""

    def __init__(self, segments: list[Segment], flagged: Callable[[], tuple[set[str], set[str]]]) -> None:
        self.segments = segments
        self.bases = [0]
        for segment in segments:
            self.bases.append(self.bases[-1] + len(segment))
        self.size = self.bases[-1]
        self.ids = [i for s in segments for i in s.ids]
        self.titles = [t for s in segments for t in s.titles]
        self.dates = [d for s in segments for d in s.dates]
        self.sources = [src for s in segments for src in s.sources]
        self.lengths = [n for s in segments for n in s.lengths]
        average = max(sum(self.lengths) / max(self.size, 1), 1.0)
        # BM25's length normalisation, per document: k1 · (1 − b + b · length / average).
        self.bm25_norms = [BM25_K1 * (1 - BM25_B + BM25_B * n / average) for n in self.lengths]
        self.number = dict(zip(self.ids, range(self.size), strict=True))
        newest_first = sorted(range(self.size), key=self.dates.__getitem__, reverse=True)
        self.newest_first = newest_first
        self.recency = [0.0] * self.size
        for rank, doc in enumerate(newest_first):
            self.recency[doc] = 1.0 - rank / max(self.size, 1)
        self._flagged = flagged
        self._flags: tuple[int, int] | None = None  # (read, starred) bitsets, read when needed
        self._flags_lock = threading.Lock()
        self._bitsets: OrderedDict[tuple[str, str], int] = OrderedDict()
        self._bitsets_lock = threading.Lock()
        self._filters: dict[tuple, int] = {}

    def warm(self) -> None:
        """Build what is built on first use now, not on the first keystroke.

        jieba's dictionary and the folding table are needed by every query; the vocabulary's
        typo and pinyin tables only by some, so they are built in a thread of their own and a
        query that needs one before it is ready waits for it.
        """
        words(fold("預熱"))
        threading.Thread(target=self.vocabulary.warm, name="vocabulary", daemon=True).start()

    def set_flags(self, read_ids: set[str], starred_ids: set[str]) -> None:
        def docs(ids: set[str]) -> list[int]:
            return [doc for doc in map(self.number.get, ids) if doc is not None]

        self._flags = (bitsets.from_docs(docs(read_ids), self.size),
                       bitsets.from_docs(docs(starred_ids), self.size))

    def flags(self) -> tuple[int, int]:
        """(read, starred) bitsets, read from the store's state file on first use."""
        with self._flags_lock:
            if self._flags is None:
                self.set_flags(*self._flagged())
            assert self._flags is not None
            return self._flags

    @cached_property
    def vocabulary(self) -> Vocabulary:
        if len(self.segments) == 1:
            terms = self.segments[0].fields["body"].terms
        else:
            terms = sorted({t for s in self.segments for t in s.fields["body"].terms})
        if len(self.segments) == 1:
            ranked = list(zip(self.segments[0].frequent, self.segments[0].pinyin, strict=True))
        else:
            frequent = dict(
                pair
                for s in reversed(self.segments)
                for pair in zip(s.frequent, s.pinyin, strict=True)
            )
            ranked = sorted(frequent.items(), key=lambda pair: -self.df(pair[0]))
        segments = self.segments
        return Vocabulary(
            terms, self.df, ranked, lambda: [pair for s in segments for pair in s.compound_counts()]
        )

    def df(self, term: str, field: str = "body") -> int:
        return sum(segment.fields[field].df(term) for segment in self.segments)

    def idf(self, term: str, field: str = "body") -> float:
        df = self.df(term, field)
        return math.log(1 + (self.size - df + 0.5) / (df + 0.5))

    def bits(self, field: str, term: str) -> int:
        """Documents with a term in a field, as a bitset over all segments (cached)."""
        key = (field, term)
        with self._bitsets_lock:
            if key in self._bitsets:
                self._bitsets.move_to_end(key)
                return self._bitsets[key]
        result = 0
        for segment, base in zip(self.segments, self.bases, strict=False):
            result |= segment.bits(field, term) << base
        with self._bitsets_lock:
            self._bitsets[key] = result
            while len(self._bitsets) > BITSET_CACHE:
                self._bitsets.popitem(last=False)
        return result

    def title_bits(self, literal: str) -> int:
        """A superset of the documents whose title contains literal (checked when ranking)."""
        if _CJK_RUN.fullmatch(literal):
            if len(literal) == 1:
                return self.bits("title", literal)
            result = -1
            for i in range(len(literal) - 1):
                result &= self.bits("title", literal[i : i + 2])
                if not result:
                    break
            return max(result, 0)
        tokens = words(literal)
        if not tokens:
            return 0
        result = -1
        for token in tokens:
            matching = 0
            for segment in self.segments:
                terms = segment.fields["title"].terms
                start = bisect_left(terms, token)
                end = bisect_left(terms, token + "\U0010ffff", start)
                for term in terms[start:end]:
                    matching |= self.bits("title", term)
            result &= matching
        return max(result, 0)

    def tf(self, term: str, docs: Sequence[int]) -> dict[int, int]:
        """Term frequencies of a body term in some documents (ascending numbers)."""
        found: dict[int, int] = {}
        for index, segment in enumerate(self.segments):
            base, end = self.bases[index], self.bases[index + 1]
            local = [d - base for d in docs[bisect_left(docs, base) : bisect_left(docs, end)]]
            if not local:
                continue
            postings = segment.body_postings(term)
            if postings is None:
                continue
            numbers, frequencies = postings
            for doc in local:
                position = bisect_left(numbers, doc)
                if position < len(numbers) and numbers[position] == doc:
                    found[doc + base] = frequencies[position]
        return found

    def filter_bits(self, query: Query) -> int:
        """Documents passing the date, source and flag filters."""
        result = bitsets.full(self.size)
        if query.after or query.before:
            key = ("dates", query.after, query.before)
            if key not in self._filters:
                after, before = query.after or "", query.before or "\uffff"
                self._filters[key] = bitsets.from_docs(
                    (d for d, date in enumerate(self.dates) if date and after <= date < before),
                    self.size,
                )
            result &= self._filters[key]
        if query.sources:
            key = ("sources", *query.sources)
            if key not in self._filters:
                self._filters[key] = bitsets.from_docs(
                    (
                        d
                        for d, source in enumerate(self.sources)
                        if any(fold(wanted) in source for wanted in query.sources)
                    ),
                    self.size,
                )
            result &= self._filters[key]
        if query.read is not None or query.starred is not None:
            read, starred = self.flags()
            if query.read is not None:
                result &= read if query.read else ~read
            if query.starred is not None:
                result &= starred if query.starred else ~starred
        return result

    def close(self) -> None:
        for segment in self.segments:
            segment.close()


# -- turning query words into clauses ---------------------------------------------------------


def _clauses(index: _Index, term: Term) -> list[_Clause]:
    """A clause per word of a term ("ECCV论文" is two); a quoted phrase is one clause.

    Quoted phrases and exclusions match exactly: no prefixes, typos or pinyin.
    """
    folded = fold(term.text)
    exact_only = term.phrase or term.negated
    groups = [_unit_alternatives(index, unit, exact_only) for unit in _units(folded)]
    if term.phrase and groups:
        return [_Clause(_and_alternatives(groups), term.title_only, folded.strip())]
    return [_Clause(group, term.title_only, None) for group in groups]


def _units(folded: str) -> list[str]:
    """Chinese runs whole, and Latin words, in order."""
    units: list[str] = []
    position = 0
    for run in _CJK_RUN.finditer(folded):
        units.extend(words(folded[position : run.start()]))
        units.append(run.group())
        position = run.end()
    units.extend(words(folded[position:]))
    return units


def _and_alternatives(groups: list[list[_Alternative]]) -> list[_Alternative]:
    """One alternative per word's best match, all required (no cross product blow-up)."""
    keys: list[tuple[str, str]] = []
    literals: list[str] = []
    weight = 1.0
    for group in groups:
        if not group:
            return []
        best = group[0]
        keys.extend(best.keys)
        literals.extend(best.literals)
        weight = min(weight, best.weight)
    return [_Alternative(weight, tuple(keys), tuple(literals))]


def _unit_alternatives(index: _Index, unit: str, exact_only: bool) -> list[_Alternative]:
    vocabulary = index.vocabulary
    found: list[_Alternative] = []
    seen: set[str] = set()

    def add(weight: float, term: str, literal: str | None = None) -> None:
        if term not in seen:
            seen.add(term)
            pieces = vocabulary.compounds.get(term, (term,)) if not index.df(term) else (term,)
            found.append(_Alternative(weight, tuple(("body", p) for p in pieces), (literal or term,)))

    if index.df(unit):
        add(EXACT, unit)
    if _CJK_RUN.fullmatch(unit):
        if len(unit) == 1:
            found.append(_Alternative(CHARS, (("char", unit),), (unit,)))
            return found
        if not found:
            found.append(_pieces_alternative(index, unit))
        # A word that holds the query matched by the query's characters: 德勤 in "而德勤" (jieba
        # cut "而" onto it) is highlighted as 德勤.
        for term in vocabulary.containing(unit):
            add(SUBWORD, term, literal=unit)
        # Typos only for what the vocabulary does not know ("did you mean"): a known word needs
        # no correcting, and this keeps rapidfuzz off most keystrokes.
        if not exact_only and len(unit) >= MIN_CJK_TYPO and not seen:
            for term, score in vocabulary.typos(unit):
                add(TYPO * score / 100, term)
        if not any(_alternative_bits(index, alternative) for alternative in found):
            # Nothing as words: text jieba cut another way in the article still has the characters.
            found.append(_Alternative(CHARS, tuple(("char", c) for c in unit), (unit,)))
        return found
    if not exact_only:
        for term in vocabulary.with_prefix(stem(unit)):
            add(PREFIX, term)
        for term in vocabulary.pinyin(unit):
            add(PINYIN, term)
        if len(unit) >= MIN_LATIN_TYPO and not seen:
            for term, score in vocabulary.typos(unit):
                add(TYPO * score / 100, term)
    return found


def _pieces_alternative(index: _Index, run: str) -> _Alternative:
    """A Chinese run that is not one word: all of its jieba words must be there.

    Exact when every piece is a known word (商汤科技 → 商汤 + 科技); otherwise the unknown
    pieces fall back to their characters, for text jieba cuts differently in the article.
    """
    keys: list[tuple[str, str]] = []
    weight = EXACT
    for piece in rjieba.cut(run):
        if index.df(piece):
            keys.append(("body", piece))
        else:
            keys.extend(("char", char) for char in piece)
            weight = CHARS
    return _Alternative(weight, tuple(keys), (run,))


# -- ranking ----------------------------------------------------------------------------------


def _alternative_bits(index: _Index, alternative: _Alternative) -> int:
    result = -1
    for field, term in alternative.keys:
        result &= index.bits(field, term)
        if not result:
            return 0
    return max(result, 0)


def _title_bits(index: _Index, alternative: _Alternative) -> int:
    """Documents whose titles may hold every literal of an alternative (a superset)."""
    result = -1
    for literal in alternative.literals:
        result &= index.title_bits(literal)
    return max(result, 0)


def _clause_bits(index: _Index, clause: _Clause) -> tuple[int, int]:
    """(documents matching anywhere, documents possibly matching in the title)."""
    anywhere = title = 0
    for alternative in clause.alternatives:
        anywhere |= _alternative_bits(index, alternative)
        title |= _title_bits(index, alternative)
    return anywhere, title


@dataclass(slots=True)
class _Scored:
    scores: dict[int, float]
    matches: list[tuple[_Alternative, set[int]]]  # which pool documents each alternative matched

    def literals(self, doc: int) -> set[str]:
        return {lit for alt, docs in self.matches if doc in docs for lit in alt.literals}


def _body_scores(index: _Index, alternative: _Alternative, members: list[int]) -> dict[int, float]:
    """BM25 of an alternative's keys in some documents."""
    scores = dict.fromkeys(members, 0.0)
    norms = index.bm25_norms
    for field, term in alternative.keys:
        if field == "body":
            idf = index.idf(term) * (BM25_K1 + 1)
            for doc, tf in index.tf(term, members).items():
                scores[doc] += idf * tf / (tf + norms[doc])
        else:
            idf = index.idf(term, "char") * (BM25_K1 + 1)
            for doc in members:
                scores[doc] += idf / (1 + norms[doc])
    return scores


def _score(index: _Index, clauses: list[_Clause], pool: list[int]) -> _Scored:
    """Exact scores for a pool of documents (ascending numbers).

    A clause scores its best alternative: the body's BM25 times the alternative's weight, plus
    TITLE_WEIGHT times that weight when the title holds it.
    """
    totals = dict.fromkeys(pool, 0.0)
    pool_bits = bitsets.from_docs(pool, index.size)
    matches: list[tuple[_Alternative, set[int]]] = []
    for clause in clauses:
        best: dict[int, float] = {}
        in_title: set[int] = set()
        for alternative in clause.alternatives:
            member_bits = _alternative_bits(index, alternative) & pool_bits
            if not member_bits:
                continue
            members = bitsets.to_docs(member_bits)
            matches.append((alternative, set(members)))
            weight = alternative.weight
            titled = {
                doc
                for doc in bitsets.to_docs(member_bits & _title_bits(index, alternative))
                if all(literal in index.titles[doc] for literal in alternative.literals)
            }
            in_title |= titled
            for doc, body in _body_scores(index, alternative, members).items():
                score = weight * (body + (TITLE_WEIGHT if doc in titled else 0.0))
                if score > best.get(doc, -1.0):
                    best[doc] = score
        if clause.phrase:
            for doc in best:
                if clause.phrase in index.titles[doc]:
                    best[doc] += TITLE_WEIGHT
        for doc, score in best.items():
            totals[doc] += score
        if clause.title_only:
            totals = {doc: score for doc, score in totals.items() if doc in in_title}
    return _Scored(totals, matches)


def _pool(
    index: _Index, rarest: _Clause, candidates: int, in_title: int, size: int
) -> list[int]:
    """The candidates worth scoring exactly: all of them, or the likely best `size`.

    Past that, exact BM25 over every candidate would cost a Python loop per document, so the
    pool takes title matches, then the documents where the rarest clause's terms are most
    frequent (BM25's winners), then the newest.
    """
    if candidates.bit_count() <= size:
        return bitsets.to_docs(candidates)
    chosen = _newest(index, in_title & candidates, size // 2)
    best_first = sorted(rarest.alternatives, key=lambda a: -a.weight)[:POOL_ALTERNATIVES]
    for alternative in best_first:
        for field, term in alternative.keys:
            if field == "body" and len(chosen) < size:
                chosen |= set(_top_frequency(index, term, candidates, size - len(chosen)))
    if len(chosen) < size:
        chosen |= _newest(index, candidates, size - len(chosen))
    return sorted(chosen)


def _top_frequency(index: _Index, term: str, candidates: int, wanted: int) -> list[int]:
    """About `wanted` candidates where term is most frequent (its likely best BM25 scores)."""
    chosen = 0
    for segment, base in zip(index.segments, index.bases, strict=False):
        postings = segment.body_postings(term)
        if postings is None:
            continue
        numbers, frequencies = postings
        histogram = Counter(frequencies)
        threshold, covered = 0, 0
        for threshold in sorted(histogram, reverse=True):
            covered += histogram[threshold]
            if covered >= wanted:
                break
        frequent = compress(numbers, map(ge, frequencies, repeat(threshold)))
        chosen |= bitsets.from_docs(frequent, len(segment)) << base
    return bitsets.to_docs(chosen & candidates)


def _newest(index: _Index, bits: int, wanted: int) -> set[int]:
    if not bits or wanted <= 0:
        return set()
    count = bits.bit_count()
    if count <= wanted:
        return set(bitsets.to_docs(bits))
    if count * 20 < index.size:
        return set(heapq.nlargest(wanted, bitsets.to_docs(bits), key=index.recency.__getitem__))
    # Many members: walk the dates from the newest, probing the bitset's bytes, and stop soon.
    data = bitsets.to_bytes(bits, index.size)
    chosen: set[int] = set()
    for doc in index.newest_first:
        if data[doc >> 3] >> (doc & 7) & 1:
            chosen.add(doc)
            if len(chosen) >= wanted:
                break
    return chosen


# -- the public searcher ----------------------------------------------------------------------


class Searcher:
    """Search one store. Construct cheaply; ``load()`` in a worker thread; then ``search()``.

    ``search`` may run in several threads while one thread calls ``refresh``: each search uses
    the index it started with, and ``refresh`` swaps in a new one when it is ready.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self._index: _Index | None = None
        self._manifest_stamp: tuple[int, int] | None = None
        self._swap_lock = threading.Lock()

    def load(self, on_progress: Progress | None = None) -> None:
        """Load the index from disk, building or updating it first when missing or stale."""
        if on_progress:
            on_progress("Opening the search index", 0.0)
        self._load(on_progress, warm=True)

    def _load(self, on_progress: Progress | None, *, warm: bool) -> _Index:
        """Open (updating first) the index; ``warm`` builds the vocabulary's tables in the
        background for the queries to come, which a one-shot search would only wait behind."""
        with _lock(self.store):
            opened = _open_index(self.store)
            if _update(self.store, opened, on_progress):
                for segment in opened[1] if opened else ():
                    segment.close()
                opened = _open_index(self.store)
            if opened is None:
                raise IndexFormatError(f"{self.store.index_dir}: index unreadable after rebuild")
            manifest, segments = opened
            stamp = manifest.stamp(self.store.index_dir)
        if on_progress:
            on_progress("Loading the search index", 0.95)
        index = _Index(segments, self.store.flagged)
        if warm:
            index.warm()
        # The old index is not closed: searches may still be running on it. Its maps close
        # when the last of them lets go.
        with self._swap_lock:
            self._index, self._manifest_stamp = index, stamp
        if on_progress:
            on_progress("Search index ready", 1.0)
        return index

    def refresh(self) -> None:
        """Pick up articles imported and flags changed since load."""
        ids = self.store.ids()
        index = self._index
        if index is None or self._index_changed() or ids != index.number.keys():
            index = self._load(None, warm=True)
        index.set_flags(*self.store.flagged())

    def _index_changed(self) -> bool:
        try:
            manifest = Manifest.read(self.store.index_dir)
        except IndexFormatError:
            return True
        return manifest is None or manifest.stamp(self.store.index_dir) != self._manifest_stamp

    def search(self, query: str, limit: int = 200, sort: str = "relevance") -> SearchResult:
        """Ranked hits for a query; QueryError for a bad one. Loads the index if needed."""
        started = time.perf_counter()
        if sort not in SORTS:
            raise ValueError(f"sort must be one of {', '.join(SORTS)}")
        parsed = parse_query(query)
        if self._index is None:
            self._load(None, warm=False)
        index = self._index
        assert index is not None
        hits, total = _run(index, parsed, limit, sort)
        return SearchResult(hits, total, (time.perf_counter() - started) * 1000)

    def close(self) -> None:
        if self._index is not None:
            self._index.close()
            self._index = None


def _run(index: _Index, query: Query, limit: int, sort: str) -> tuple[list[Hit], int]:
    candidates = index.filter_bits(query)
    clauses = [clause for term in query.positive for clause in _clauses(index, term)]
    in_any_title = 0
    rarest: tuple[int, _Clause] | None = None
    for clause in clauses:
        anywhere, in_title = _clause_bits(index, clause)
        candidates &= in_title if clause.title_only else anywhere
        in_any_title |= in_title
        if rarest is None or anywhere.bit_count() < rarest[0]:
            rarest = (anywhere.bit_count(), clause)
    for term in query.negative:
        excluded = [_clause_bits(index, clause)[0] for clause in _clauses(index, term)]
        if excluded:
            candidates &= ~reduce(and_, excluded)
    total = candidates.bit_count()
    if not clauses:
        return [_hit(index, doc, 0.0, ()) for doc in _ordered(index, candidates, sort, limit)], total
    if sort != "relevance":
        docs = _ordered(index, candidates, sort, limit)
        scored = _score(index, clauses, sorted(docs[:POOL_SIZE]))
        if len(docs) <= POOL_SIZE:
            docs = [doc for doc in docs if doc in scored.scores]  # drops unverified title:
        return _hits(index, docs, scored, clauses), total
    assert rarest is not None
    scored = _score(index, clauses, _pool(index, rarest[1], candidates, in_any_title, POOL_SIZE))
    scores, recency = scored.scores, index.recency
    if total <= POOL_SIZE:
        total = len(scores)  # the pool was every candidate, each verified
    ranked = heapq.nsmallest(limit, scores, key=lambda d: (-scores[d], -recency[d]))
    if limit > len(ranked) and total > len(ranked):
        # Asked for more than was ranked (a list showing every match): the rest, newest first.
        rest = candidates & ~bitsets.from_docs(scores, index.size)
        ranked += _ordered(index, rest, "date", limit - len(ranked))
    return _hits(index, ranked, scored, clauses), total


def _hits(index: _Index, docs: list[int], scored: _Scored, clauses: list[_Clause]) -> list[Hit]:
    """Hits for ranked documents. Past the scored pool there are no title spans, and the terms
    are every term the query matched: cheap enough for a list that shows every match."""
    everything = tuple({lit for clause in clauses for alt in clause.alternatives for lit in alt.literals})
    hits = []
    for doc in docs:
        score = scored.scores.get(doc)
        if score is None:
            hits.append(Hit(index.ids[doc], 0.0, (), everything))
        else:
            hits.append(_hit(index, doc, score, scored.literals(doc)))
    return hits


def _ordered(index: _Index, candidates: int, sort: str, limit: int) -> list[int]:
    if sort == "title":
        members = bitsets.to_docs(candidates)
        members.sort(key=lambda d: (index.titles[d], -index.recency[d]))
        return members[:limit]
    return sorted(_newest(index, candidates, limit), key=lambda d: -index.recency[d])


def _hit(index: _Index, doc: int, score: float, literals: Iterable[str]) -> Hit:
    literals = sorted(set(literals), key=lambda lit: (-len(lit), lit))
    return Hit(
        id=index.ids[doc],
        score=round(score, 4),
        title_spans=tuple(_spans(index.titles[doc], literals)),  # titles are stored folded
        terms=tuple(literals),
    )


def search(store: Store, query: str, limit: int = 50) -> SearchResult:
    """One query against a store (for the CLI): loads the index, searches, lets it go."""
    searcher = Searcher(store)
    try:
        return searcher.search(query, limit)
    finally:
        searcher.close()
