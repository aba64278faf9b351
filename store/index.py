"""The search index on disk: segments of postings, inverted with numpy, mmapped to load.

An index is a manifest plus segments. An import turns the articles it analyses into segments as
it commits them (``ChunkBuilder`` in its workers, ``write_segment`` here) and merges them as it
goes; a rebuild indexes stored articles a chunk per worker task and merges those. A segment
holds three inverted indexes over folded text (see ``store.fold``):

- ``body``:  jieba words and Latin words of title + body → document numbers (uint32), term
             frequencies (uint8) and, for common terms, a bitmap too; for BM25;
- ``char``:  the characters of those words → documents (only a bitmap when common), so one typed
             character, or text jieba cut differently, still matches;
- ``title``: title words, Chinese characters and character bigrams → documents, for title hits.

A segment is one file: a header; per field, every term's documents back to back, the body's
frequencies alike, and the bitmaps; then orjson metadata (ids, folded titles, dates, sources,
lengths, each field's sorted terms with document counts, the frequent terms with their pinyin).
Terms need no offsets: a term's postings start where the counts before it add up to. Postings
are sliced out of an mmap on demand, so loading reads only the metadata; a merge copies them
range by range without segmenting anything again. Files are written under a temp name,
fsynced and renamed, and the manifest is replaced last, so a crash leaves the previous index
intact.
"""

from __future__ import annotations

import mmap
import os
import re
import shutil
import struct
import tempfile
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, chain, pairwise, repeat
from multiprocessing import get_context
from operator import ne
from pathlib import Path
from typing import IO

import numpy as np
import orjson

from store import bitsets
from store.db import paused_gc
from store.fold import fold, pinyin_keys
from store.text import CJK, is_cjk, words
from store.vocabulary import MIN_COMPOUND_COUNT
from store.wordcounts import WordCounts, counted, run_firsts, word_code_points, word_keys
from store.workers import batches, worker_pool

FORMAT_VERSION = 4
MAGIC = b"NEWSIDX\0"
_HEADER = struct.Struct("<8sIQQ")  # magic, format version, metadata offset and length
FIELDS = ("body", "char", "title")
# A character posting list is stored as a bitmap once that is smaller than 4-byte numbers.
_BITMAP_DENSITY = 32
# Below this many articles a process pool costs more than it saves.
PARALLEL_MIN_ARTICLES = 4000
CHUNK_ARTICLES = 5000  # per worker task of a rebuild, and per segment it writes before merging
GROUP_POSTINGS = 2_000_000  # merged at a time (about 40 MB of working arrays)
FREQUENT_TERMS = 60_000  # the most frequent terms get typo and pinyin matching
MAX_COMPOUND = 8  # characters in a title compound

_CJK_RUN = re.compile(f"[{CJK}]+")

Progress = Callable[[str, float], None]


class IndexFormatError(Exception):
    """A segment or manifest that is unreadable or from another version: rebuild it."""


@dataclass(frozen=True, slots=True)
class Doc:
    """What the index keeps about an article besides its words."""

    id: str
    title: str  # folded, same length as the real title
    date: str
    source: str  # folded


# -- building ---------------------------------------------------------------------------------


@dataclass(slots=True)
class ArticleTerms:
    """What the index keeps of one article's words, from a single segmentation."""

    words: WordCounts  # folded words of title and body, with their frequencies
    chars: np.ndarray  # code points of the characters of those words
    title_keys: list[str]
    compounds: list[tuple[str, str]]

    @property
    def length(self) -> int:
        return int(self.words.counts.sum())


def article_terms(
    folded_title: str, title_words: list[str], counts: WordCounts, chars: np.ndarray
) -> ArticleTerms:
    """Index terms from a folded title, its words, and the words of title and body with their
    characters (which the summariser has already segmented: jieba is the dearest step of an
    import)."""
    keys = dict.fromkeys(title_words)
    for run in _CJK_RUN.findall(folded_title):
        keys.update(dict.fromkeys(run))
        keys.update(dict.fromkeys(run[i : i + 2] for i in range(len(run) - 1)))
    compounds = [
        (first, second)
        for first, second in pairwise(title_words)
        if is_cjk(first) and is_cjk(second) and 3 <= len(first) + len(second) <= MAX_COMPOUND
    ]
    return ArticleTerms(counts, chars, list(keys), compounds)


def terms_of(title: str, body: str) -> ArticleTerms:
    """Index terms of an article read back from the store (a rebuild: no summary to share)."""
    folded_title, folded = fold(title), fold(body)
    title_words = words(folded_title)
    chars = word_code_points(folded, folded_title)
    return article_terms(folded_title, title_words, counted(words(folded) + title_words)[0], chars)


@dataclass(slots=True)
class _Postings:
    """One field's postings for a run of documents: sorted terms, each one's documents in order."""

    terms: list[str]
    starts: np.ndarray  # postings of terms[i] are docs[starts[i]:starts[i + 1]]
    docs: np.ndarray  # uint32 document numbers within the chunk
    frequencies: np.ndarray | None  # uint8, one per posting (body only)

    def kept(self, renumber: np.ndarray) -> _Postings:
        """These postings with documents renumbered; documents mapped to -1 are dropped."""
        if not self.terms:
            return self
        numbers = renumber[self.docs]
        keep = numbers >= 0
        per_term = np.add.reduceat(keep.astype(np.int64), self.starts[:-1])
        alive = np.flatnonzero(per_term)
        return _Postings(
            [self.terms[i] for i in alive.tolist()],
            np.concatenate(([0], np.cumsum(per_term[alive]))),
            numbers[keep].astype(np.uint32),
            None if self.frequencies is None else self.frequencies[keep],
        )


class _FieldBuilder:
    """Collects one field's postings as flat arrays, an article at a time (documents are
    numbered in the order added). A term is known by a number (a word's key, a character's
    code point) until the chunk is inverted, with one numpy sort; then each number is named
    after its first occurrence. An article's words are kept as one string, joined by NUL (no
    word holds one): a string object per word would keep ~70 kB per article alive until then."""

    def __init__(self, with_frequencies: bool, name: Callable[[int], str] | None = None) -> None:
        self.name = name  # a term number's name, when numbers are not word keys
        self.numbers: list[np.ndarray] = []
        self.sizes: list[int] = []  # terms per document
        self.joined: list[str] = []  # each document's words, when numbers are word keys
        self.frequencies: list[np.ndarray] | None = [] if with_frequencies else None

    def add(
        self, numbers: np.ndarray, words: Sequence[str] = (), frequencies: np.ndarray | None = None
    ) -> None:
        self.numbers.append(numbers)
        self.sizes.append(len(numbers))
        if self.name is None:
            self.joined.append("\0".join(words))
        if self.frequencies is not None:
            self.frequencies.append(_capped(frequencies))

    def add_words(self, words: list[str]) -> None:
        self.add(word_keys(words), words)

    def postings(self) -> _Postings:
        numbers = _concatenated(self.numbers)
        order = np.argsort(numbers, kind="stable")  # stable: a term's documents stay ascending
        grouped = numbers[order]
        firsts = np.flatnonzero(run_firsts(grouped))
        docs = np.repeat(np.arange(len(self.sizes), dtype=np.uint32), self.sizes)
        if self.name is None:
            names = self._words_at(order[firsts], docs)
        else:
            names = list(map(self.name, grouped[firsts].tolist()))
        by_name = np.asarray(sorted(range(len(names)), key=names.__getitem__), np.int64)
        sizes = np.diff(np.append(firsts, len(grouped)))[by_name]
        starts = np.concatenate(([0], np.cumsum(sizes)))
        # The terms' runs of postings, moved into name order.
        moved = order[np.repeat(firsts[by_name] - starts[:-1], sizes) + np.arange(len(grouped))]
        return _Postings(
            [names[i] for i in by_name.tolist()],
            starts,
            docs[moved],
            None if self.frequencies is None else _concatenated(self.frequencies)[moved],
        )

    def _words_at(self, postings: np.ndarray, docs: np.ndarray) -> list[str]:
        """The words of the given postings, splitting each document's words once."""
        document_starts = np.concatenate(([0], np.cumsum(self.sizes)))
        owners = docs[postings]
        within = (postings - document_starts[owners]).tolist()
        found = [""] * len(postings)
        current, document_words = -1, []
        by_owner = np.argsort(owners, kind="stable")
        for i, owner in zip(by_owner.tolist(), owners[by_owner].tolist(), strict=True):
            if owner != current:
                current, document_words = owner, self.joined[owner].split("\0")
            found[i] = document_words[within[i]]
        return found


def _concatenated(arrays: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(arrays) if arrays else np.empty(0, np.int64)


def _capped(frequencies: np.ndarray) -> np.ndarray:
    """Term frequencies as bytes: past 255 occurrences BM25 has long saturated."""
    return np.minimum(frequencies, 255).astype(np.uint8)


@dataclass(slots=True)
class Chunk:
    """Inverted postings of a run of articles, numbered from 0: what an import batch (or a
    worker's share of a rebuild) hands to ``write_segment``."""

    docs: list[Doc]
    body: _Postings
    chars: _Postings
    titles: _Postings
    lengths: list[int]
    compounds: Counter[tuple[str, str]]

    @property
    def postings(self) -> int:
        return len(self.body.docs) + len(self.chars.docs) + len(self.titles.docs)

    def without(self, dropped: set[str]) -> Chunk:
        """This chunk minus the articles with the given ids (found to be stored already)."""
        if not dropped or not any(doc.id in dropped for doc in self.docs):
            return self
        keep = [doc.id not in dropped for doc in self.docs]
        renumber = np.full(len(keep), -1, np.int64)
        kept = np.flatnonzero(keep)
        renumber[kept] = np.arange(len(kept))
        survivors = kept.tolist()
        return Chunk(
            [self.docs[i] for i in survivors],
            self.body.kept(renumber),
            self.chars.kept(renumber),
            self.titles.kept(renumber),
            [self.lengths[i] for i in survivors],
            self.compounds,  # counts of title pairs: a duplicate's only make them a bit higher
        )


class ChunkBuilder:
    """Adds articles one at a time; ``build`` inverts them into a Chunk."""

    def __init__(self) -> None:
        self.docs: list[Doc] = []
        self.lengths: list[int] = []
        self.compounds: Counter[tuple[str, str]] = Counter()
        self._body = _FieldBuilder(with_frequencies=True)
        self._chars = _FieldBuilder(with_frequencies=False, name=chr)
        self._titles = _FieldBuilder(with_frequencies=False)

    def add(self, doc: Doc, terms: ArticleTerms) -> None:
        self.docs.append(doc)
        self.lengths.append(terms.length)
        self.compounds.update(terms.compounds)
        self._body.add(terms.words.keys, terms.words.words, terms.words.counts)
        self._chars.add(terms.chars)
        self._titles.add_words(terms.title_keys)

    def build(self) -> Chunk:
        return Chunk(
            self.docs, self._body.postings(), self._chars.postings(), self._titles.postings(),
            self.lengths, self.compounds,
        )


def _chunk_of(articles: Sequence[tuple[Doc, str, str]]) -> Chunk:
    """Index (doc, title, body) triples: runs in a worker process during a rebuild."""
    builder = ChunkBuilder()
    for doc, title, body in articles:
        builder.add(doc, terms_of(title, body))
    return builder.build()


def indexed_chunks(
    articles: Iterable[tuple[Doc, str, str]], total: int, progress: Progress | None
) -> Iterator[Chunk]:
    """Chunks of at most CHUNK_ARTICLES, in order, indexed in worker processes for big builds.

    Articles are read a chunk at a time while workers index the previous ones, so the bodies
    of a whole archive are never in memory at once.
    """
    workers = os.cpu_count() or 1
    done = 0

    def report(chunk: Chunk) -> Chunk:
        nonlocal done
        done += len(chunk.docs)
        if progress:
            progress("Indexing articles", min(1.0, done / max(total, 1)))
        return chunk

    if total < PARALLEL_MIN_ARTICLES or workers < 2:
        for part in batches(articles, repeat(CHUNK_ARTICLES)):
            yield report(_chunk_of(part))
        return
    # spawn, not fork: the TUI builds from a worker thread, and a forked threaded process can
    # deadlock. Results are taken in submission order, which keeps documents in order.
    with worker_pool(workers, mp_context=get_context("spawn")) as pool:
        pending: deque[Future] = deque()
        for part in batches(articles, repeat(CHUNK_ARTICLES)):
            pending.append(pool.submit(_chunk_of, part))
            if len(pending) > workers:
                yield report(pending.popleft().result())
        while pending:
            yield report(pending.popleft().result())


class _ChunkSource:
    """One input of a segment write: a chunk's postings, documents shifted past the inputs
    before it. Postings come out flat, for a range of its (sorted) terms at a time."""

    def __init__(self, postings: _Postings, base: int) -> None:
        self.terms, self.base, self.postings = postings.terms, base, postings
        self.dfs = np.diff(postings.starts)

    def flat(self, first: int, end: int) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """(documents per term, documents, frequencies) of terms[first:end]."""
        p = self.postings
        start, stop = p.starts[first], p.starts[end]
        frequencies = None if p.frequencies is None else p.frequencies[start:stop]
        return self.dfs[first:end], p.docs[start:stop] + np.uint32(self.base), frequencies


class _SegmentSource:
    """One input of a segment merge: a field of an existing segment, documents shifted."""

    def __init__(self, segment: Segment, field_name: str, base: int) -> None:
        self.field = segment.fields[field_name]
        self.terms, self.base, self.segment = self.field.terms, base, segment
        self.dfs = np.asarray(self.field.dfs, np.int64)

    def flat(self, first: int, end: int) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        docs, frequencies = self.segment.flat(self.field, first, end)
        return self.dfs[first:end], docs + np.uint32(self.base), frequencies


_Source = _ChunkSource | _SegmentSource


def _meta_of_chunks(chunks: Sequence[Chunk]) -> tuple[dict, Counter]:
    docs = [doc for chunk in chunks for doc in chunk.docs]
    compounds: Counter[tuple[str, str]] = Counter()
    for chunk in chunks:
        compounds.update(chunk.compounds)
    meta = {
        "ids": [d.id for d in docs],
        "titles": [d.title for d in docs],
        "dates": [d.date for d in docs],
        "sources": [d.source for d in docs],
        "lengths": [n for chunk in chunks for n in chunk.lengths],
    }
    return meta, compounds


def write_segment(path: Path, chunks: Sequence[Chunk]) -> int:
    """Write chunks (in document order) as one segment file, atomically; returns its size."""
    meta, compounds = _meta_of_chunks(chunks)
    bases = list(accumulate((len(c.docs) for c in chunks), initial=0))
    sources = {
        "body": [_ChunkSource(c.body, b) for c, b in zip(chunks, bases, strict=False)],
        "char": [_ChunkSource(c.chars, b) for c, b in zip(chunks, bases, strict=False)],
        "title": [_ChunkSource(c.titles, b) for c, b in zip(chunks, bases, strict=False)],
    }
    _write(path, meta, sources, compounds)
    return len(meta["ids"])


def merge_segments(path: Path, segments: Sequence[Segment]) -> None:
    """Write segments (in order) as one, copying postings: nothing is segmented again."""
    meta: dict = {key: [] for key in ("ids", "titles", "dates", "sources", "lengths")}
    compounds: Counter[tuple[str, str]] = Counter()
    for segment in segments:
        for key in meta:
            meta[key].extend(getattr(segment, key))
        compounds.update(segment.title_pairs())
    bases = list(accumulate(map(len, segments), initial=0))
    sources = {
        name: [_SegmentSource(s, name, b) for s, b in zip(segments, bases, strict=False)] for name in FIELDS
    }
    _write(path, meta, sources, compounds)


def _write(path: Path, meta: dict, sources: dict[str, list[_Source]], compounds: Counter) -> None:
    size = len(meta["ids"])
    with _AtomicFile(path) as out:
        body, chars, titles = (_write_field(out, sources[name], size, name) for name in FIELDS)
        frequent = _most_frequent(body["terms"], body["dfs"])
        # Title pairs go in blobs of their own, parsed only when needed: those seen often enough
        # to be searched for, with pinyin, for the typo and pinyin tables; those seen once, for a
        # merge only (the next import may bring the second).
        common = [[a, b, n, _pinyin_key(a + b)] for (a, b), n in compounds.items() if n >= MIN_COMPOUND_COUNT]
        once = [[a, b] for (a, b), n in compounds.items() if n < MIN_COMPOUND_COUNT]
        meta.update(
            body=body, char=chars, title=titles, frequent=frequent,
            pinyin=[_pinyin_key(term) for term in frequent],
            compounds_at=[out.write(blob := orjson.dumps(common)), len(blob)],
            single_pairs_at=[out.write(blob := orjson.dumps(once)), len(blob)],
        )
        out.finish(orjson.dumps(meta))


def _most_frequent(terms: list[str], dfs: list[int]) -> list[str]:
    """The FREQUENT_TERMS terms in most documents, most first (ties: in term order)."""
    counts = np.asarray(dfs, np.int64)
    if len(counts) > FREQUENT_TERMS:
        top = np.argpartition(-counts, FREQUENT_TERMS - 1)[:FREQUENT_TERMS]
    else:
        top = np.arange(len(counts))
    top = top[np.lexsort((top, -counts[top]))]
    return [terms[n] for n in top.tolist()]


@lru_cache(maxsize=1 << 20)
def _pinyin_key(term: str) -> str:
    """'full initials' for a Chinese term, '' for anything else (pypinyin is too slow to load
    at start-up, so keys are stored; cached, since every segment of an import asks again)."""
    keys = pinyin_keys(term) if is_cjk(term) else None
    return " ".join(keys) if keys else ""


def _bitmap(docs: np.ndarray, size: int) -> bytes:
    """Documents as a little-endian bitmap of size bits (store.bitsets reads it as an int)."""
    flags = np.zeros(size, np.uint8)
    flags[docs] = 1
    return np.packbits(flags, bitorder="little").tobytes()


def _write_field(out: _AtomicFile, sources: list[_Source], size: int, name: str) -> dict:
    """Merge the inputs' postings (input order is document order) into one field, vectorised.

    A field is three regions: every term's documents (uint32, term after term), the body's
    term frequencies (uint8, alike), and bitmaps of the common body terms and characters (not
    titles). A common character keeps only its bitmap: its documents would be most of the file.
    Terms are taken in ranges of about GROUP_POSTINGS postings, so memory stays bounded however
    big the merge.
    """
    bitmaps, docs_of_common, with_frequencies = name != "title", name != "char", name == "body"
    terms, ranks = _union([source.terms for source in sources])
    dfs = np.zeros(len(terms), np.int64)
    for source, source_ranks in zip(sources, ranks, strict=True):
        np.add.at(dfs, source_ranks, source.dfs)
    common = dfs * _BITMAP_DENSITY > size if bitmaps else np.zeros(len(terms), bool)
    stored = np.where(common & (not docs_of_common), 0, dfs)
    docs_at = out.size
    with tempfile.TemporaryFile() as frequencies, tempfile.TemporaryFile() as bitmap_file:
        for first, end in _term_groups(dfs):
            group_docs, group_frequencies, starts = _gather(sources, ranks, terms, dfs, first, end)
            for term in np.flatnonzero(common[first:end]).tolist():
                bitmap_file.write(_bitmap(group_docs[starts[term] : starts[term + 1]], size))
            if not docs_of_common:
                group_docs = group_docs[np.repeat(~common[first:end], dfs[first:end])]
            out.write(group_docs.tobytes())
            if with_frequencies and group_frequencies is not None:
                frequencies.write(group_frequencies.tobytes())
        frequencies_at = out.append(frequencies)
        bitmaps_at = out.append(bitmap_file)
    return {
        "terms": terms,
        "dfs": dfs.tolist(),
        "stored": stored.tolist() if not docs_of_common else None,
        "bitmaps": np.flatnonzero(common).tolist(),
        "docs_at": docs_at,
        "frequencies_at": frequencies_at if with_frequencies else None,
        "bitmaps_at": bitmaps_at,
    }


def _union(term_lists: list[list[str]]) -> tuple[list[str], list[np.ndarray]]:
    """The sorted union of sorted term lists, and where each list's terms are in it. The
    lists are sorted runs, which Python's sort merges rather than sorts: no term is hashed."""
    everything = list(chain.from_iterable(term_lists))
    order = sorted(range(len(everything)), key=everything.__getitem__)
    ordered = list(map(everything.__getitem__, order))
    new_term = np.ones(len(ordered), bool)
    new_term[1:] = np.fromiter(map(ne, ordered[1:], ordered[:-1]), bool, max(len(ordered) - 1, 0))
    ranks = np.empty(len(ordered), np.int64)
    ranks[order] = np.cumsum(new_term) - 1
    bounds = list(accumulate(map(len, term_lists), initial=0))
    terms = [ordered[i] for i in np.flatnonzero(new_term).tolist()]
    return terms, [ranks[a:b] for a, b in pairwise(bounds)]


def _term_groups(dfs: np.ndarray) -> Iterator[tuple[int, int]]:
    """Ranges of term numbers holding about GROUP_POSTINGS postings each."""
    ends = np.searchsorted(np.cumsum(dfs), np.arange(GROUP_POSTINGS, int(dfs.sum()), GROUP_POSTINGS))
    bounds = [0, *sorted(set(ends.tolist()) - {0}), len(dfs)]
    return ((a, b) for a, b in pairwise(bounds) if b > a)


def _gather(
    sources: list[_Source], ranks: list[np.ndarray], terms: list[str], dfs: np.ndarray, first: int, end: int
) -> tuple[np.ndarray, np.ndarray | None, np.ndarray]:
    """Postings of global terms first..end-1 from every input: (documents, frequencies, where
    each term's start), grouped by term. Each input's postings are scattered straight to their
    place (a counting sort: every term's size is known), so a term's documents stay ascending,
    inputs being in document order."""
    counts = dfs[first:end]
    starts = np.concatenate(([0], np.cumsum(counts)))
    filled = starts[:-1].copy()  # where each term's next postings go
    docs = np.empty(int(starts[-1]), np.uint32)
    frequencies: np.ndarray | None = None
    low, high = terms[first], terms[end - 1]
    for source, source_ranks in zip(sources, ranks, strict=True):
        a, b = bisect_left(source.terms, low), bisect_right(source.terms, high)
        if a == b:
            continue
        source_counts, source_docs, source_frequencies = source.flat(a, b)
        local = source_ranks[a:b] - first
        offsets = np.cumsum(source_counts) - source_counts
        within = np.arange(len(source_docs)) - np.repeat(offsets, source_counts)
        places = np.repeat(filled[local], source_counts) + within
        docs[places] = source_docs
        if source_frequencies is not None:
            if frequencies is None:
                frequencies = np.empty(len(docs), np.uint8)
            frequencies[places] = source_frequencies
        filled[local] += source_counts
    return docs, frequencies, starts


class _AtomicFile:
    """A segment file: header, postings, metadata; written under a temp name, then renamed."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")

    def __enter__(self) -> _AtomicFile:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.handle = open(self.tmp, "wb")
        self.handle.write(_HEADER.pack(MAGIC, FORMAT_VERSION, 0, 0))
        self.size = 0
        return self

    def write(self, data: bytes) -> int:
        """Append to the blob; returns the offset written at."""
        offset = self.size
        self.handle.write(data)
        self.size += len(data)
        return offset

    def append(self, part: IO[bytes]) -> int:
        """Append what was written to a temporary file; returns the offset written at."""
        offset = self.size
        part.seek(0)
        shutil.copyfileobj(part, self.handle)
        self.size = self.handle.tell() - _HEADER.size
        return offset

    def finish(self, meta: bytes) -> None:
        self.handle.write(meta)
        self.handle.seek(0)
        self.handle.write(_HEADER.pack(MAGIC, FORMAT_VERSION, _HEADER.size + self.size, len(meta)))
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()
        os.replace(self.tmp, self.path)

    def __exit__(self, *exc_info: object) -> None:
        self.handle.close()
        self.tmp.unlink(missing_ok=True)


# -- reading ----------------------------------------------------------------------------------


class FieldIndex:
    """One field of a segment: sorted terms, their document counts, where their postings are."""

    def __init__(self, meta: dict) -> None:
        self.terms: list[str] = meta["terms"]
        self.dfs: list[int] = meta["dfs"]
        # Common characters keep only their bitmap, so "stored" counts fewer documents.
        self.bitmaps_only = meta["stored"] is not None
        stored = meta["stored"] if self.bitmaps_only else self.dfs
        self.starts = array("q", accumulate(stored, initial=0))  # in the documents region
        self.bitmap_slots: dict[int, int] = {term: slot for slot, term in enumerate(meta["bitmaps"])}
        self.docs_at: int = meta["docs_at"]
        self.frequencies_at: int | None = meta["frequencies_at"]
        self.bitmaps_at: int = meta["bitmaps_at"]

    def number(self, term: str) -> int | None:
        """Where term is in the sorted terms (a binary search: no dict to build at load)."""
        position = bisect_left(self.terms, term)
        if position < len(self.terms) and self.terms[position] == term:
            return position
        return None

    def df(self, term: str) -> int:
        number = self.number(term)
        return 0 if number is None else self.dfs[number]


class Segment:
    """A segment file, mmapped; postings are sliced out of the map on demand."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            with open(path, "rb") as handle:
                self._map = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
            magic, version, meta_start, meta_length = _HEADER.unpack_from(self._map, 0)
            if magic != MAGIC or version != FORMAT_VERSION:
                raise IndexFormatError(f"{path.name}: index format {version}, expected {FORMAT_VERSION}")
            with paused_gc():  # millions of strings in lists: see store.db.paused_gc
                meta = orjson.loads(self._map[meta_start : meta_start + meta_length])
            self._blob_start = _HEADER.size
            self.ids: list[str] = meta["ids"]
            self.titles: list[str] = meta["titles"]
            self.dates: list[str] = meta["dates"]
            self.sources: list[str] = meta["sources"]
            self.lengths: list[int] = meta["lengths"]
            self.fields = {name: FieldIndex(meta[name]) for name in FIELDS}
            self._compounds_at: tuple[int, int] = tuple(meta["compounds_at"])
            self._single_pairs_at: tuple[int, int] = tuple(meta["single_pairs_at"])
            self.frequent: list[str] = meta["frequent"]  # body terms worth typo and pinyin matching
            self.pinyin: list[str] = meta["pinyin"]  # "full initials" of each frequent term
        except (OSError, ValueError, KeyError, TypeError, struct.error, orjson.JSONDecodeError) as exc:
            raise IndexFormatError(f"{path.name}: unreadable index segment ({exc})") from None

    def __len__(self) -> int:
        return len(self.ids)

    def _slice(self, offset: int, length: int) -> bytes:
        start = self._blob_start + offset
        return self._map[start : start + length]

    def _docs(self, field: FieldIndex, number: int) -> array:
        start, end = field.starts[number], field.starts[number + 1]
        docs = array("I")
        docs.frombytes(self._slice(field.docs_at + 4 * start, 4 * (end - start)))
        return docs

    def body_postings(self, term: str) -> tuple[array, bytes] | None:
        """Document numbers and term frequencies of a body term."""
        field = self.fields["body"]
        number = field.number(term)
        if number is None:
            return None
        assert field.frequencies_at is not None
        start, end = field.starts[number], field.starts[number + 1]
        return self._docs(field, number), self._slice(field.frequencies_at + start, end - start)

    def bits(self, field_name: str, term: str) -> int:
        """The documents containing a term in a field, as a bitset of segment numbers."""
        field = self.fields[field_name]
        number = field.number(term)
        if number is None:
            return 0
        slot = field.bitmap_slots.get(number)
        if slot is not None:
            width = (len(self) + 7) // 8
            return bitsets.from_bytes(self._slice(field.bitmaps_at + slot * width, width))
        return bitsets.from_docs(self._docs(field, number), len(self))

    def flat(self, field: FieldIndex, first: int, end: int) -> tuple[np.ndarray, np.ndarray | None]:
        """Documents and frequencies of terms first..end-1, one after another (for a merge)."""
        start, stop = field.starts[first], field.starts[end]
        docs = np.frombuffer(self._slice(field.docs_at + 4 * start, 4 * (stop - start)), np.uint32)
        frequencies = None
        if field.frequencies_at is not None:
            frequencies = np.frombuffer(self._slice(field.frequencies_at + start, stop - start), np.uint8)
        only_bitmaps = [n for n in range(first, end) if n in field.bitmap_slots] if field.bitmaps_only else []
        if not only_bitmaps:
            return docs, frequencies
        # Common characters keep only a bitmap: unpack each into its place among the others.
        pieces, at = [], start
        for number in only_bitmaps:
            pieces.append(docs[at - start : field.starts[number] - start])
            pieces.append(self._bitmap_docs(field, number))
            at = field.starts[number]
        pieces.append(docs[at - start :])
        return np.concatenate(pieces), frequencies

    def _bitmap_docs(self, field: FieldIndex, number: int) -> np.ndarray:
        width = (len(self) + 7) // 8
        at = field.bitmaps_at + field.bitmap_slots[number] * width
        bitmap = np.frombuffer(self._slice(at, width), np.uint8)
        return np.flatnonzero(np.unpackbits(bitmap, bitorder="little")[: len(self)]).astype(np.uint32)

    def compound_counts(self) -> list[tuple[str, str, int, str]]:
        """Pairs of adjacent title words seen in MIN_COMPOUND_COUNT titles or more: (first, second,
        titles, pinyin keys); parsed on demand, since only the typo and pinyin tables need them."""
        return [tuple(pair) for pair in self._blob(self._compounds_at)]

    def title_pairs(self) -> Counter[tuple[str, str]]:
        """Every pair of adjacent title words and its count (for a merge)."""
        pairs = Counter({(a, b): n for a, b, n, _ in self.compound_counts()})
        pairs.update((a, b) for a, b in self._blob(self._single_pairs_at))
        return pairs

    def _blob(self, at: tuple[int, int]) -> list:
        if self._map.closed:
            return []  # the index was closed before a background thread got to build its tables
        try:
            return orjson.loads(self._slice(*at))
        except orjson.JSONDecodeError as exc:
            raise IndexFormatError(f"{self.path.name}: unreadable title pairs ({exc})") from None

    def close(self) -> None:
        self._map.close()


# -- the manifest -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Manifest:
    segments: tuple[str, ...]  # file names, in document order

    @staticmethod
    def path(index_dir: Path) -> Path:
        return index_dir / "manifest.json"

    @classmethod
    def read(cls, index_dir: Path) -> Manifest | None:
        """The manifest, or None when there is no index yet; IndexFormatError when unusable."""
        try:
            data = orjson.loads(cls.path(index_dir).read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, orjson.JSONDecodeError) as exc:
            raise IndexFormatError(f"index manifest unreadable ({exc})") from None
        if not isinstance(data, dict) or data.get("version") != FORMAT_VERSION:
            raise IndexFormatError("index manifest is from another version")
        return cls(tuple(data["segments"]))

    def write(self, index_dir: Path) -> None:
        from store.db import write_atomic

        payload = {"version": FORMAT_VERSION, "segments": list(self.segments)}
        write_atomic(self.path(index_dir), orjson.dumps(payload))

    def stamp(self, index_dir: Path) -> tuple[int, int] | None:
        try:
            st = self.path(index_dir).stat()
        except FileNotFoundError:
            return None
        return st.st_ino, st.st_mtime_ns
