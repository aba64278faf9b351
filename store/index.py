"""The search index on disk: segments of postings, built in parallel, mmapped to load.

An index is a manifest plus segments; a rebuild writes one segment, each import adds one. A
segment holds three inverted indexes over folded text (see ``store.fold``):

- ``body``:  jieba words and Latin words of title + body → document numbers (uint32), term
             frequencies (uint8) and, for common terms, a bitmap; for BM25;
- ``char``:  single characters of title + body → documents (a bitmap when common), so one typed
             character, or text jieba cut differently, still matches;
- ``title``: title words, Chinese characters and character bigrams → documents, for title hits.

A segment is one file: a header, the postings, then orjson metadata (ids, folded titles, dates,
sources, lengths, each index's sorted terms with offsets and document counts, the frequent terms
with their pinyin). Postings are sliced out of an mmap on demand, so loading reads only the
metadata. Files are written under a temp name, fsynced and renamed, and the manifest is
replaced last, so a crash leaves the previous index intact.
"""

from __future__ import annotations

import gc
import heapq
import mmap
import os
import re
import struct
from array import array
from bisect import bisect_left
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from itertools import accumulate, chain, count, pairwise, repeat
from multiprocessing import get_context
from operator import and_, rshift
from pathlib import Path

import orjson

from store import bitsets
from store.db import paused_gc
from store.fold import fold, pinyin_keys
from store.text import CJK, is_cjk, words
from store.workers import worker_pool

FORMAT_VERSION = 3
MAGIC = b"NEWSIDX\0"
_HEADER = struct.Struct("<8sIQQ")  # magic, format version, metadata offset and length
FIELDS = ("body", "char", "title")
# A character posting list is stored as a bitmap once that is smaller than 4-byte numbers.
_BITMAP_DENSITY = 32
# Below this many articles a process pool costs more than it saves.
PARALLEL_MIN_ARTICLES = 4000
CHUNK_ARTICLES = 5000  # at most, per worker task (its postings are held until the merge)
MIN_CHUNK_ARTICLES = 1000  # at least: each chunk adds a pass over the vocabulary to the merge
FREQUENT_TERMS = 60_000  # the most frequent terms get typo and pinyin matching
MAX_COMPOUND = 8  # characters in a title compound
MIN_COMPOUND_COUNT = 2  # titles a compound must appear in to be kept

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


def title_keys(folded_title: str) -> set[str]:
    """Title index keys: words, Chinese characters and Chinese character bigrams."""
    keys = set(words(folded_title))
    for run in _CJK_RUN.findall(folded_title):
        keys.update(run)
        keys.update(run[i : i + 2] for i in range(len(run) - 1))
    return keys


def title_compounds(folded_title: str) -> list[tuple[str, str]]:
    """Adjacent pairs of Chinese title words (商汤 + 科技): names that typos and pinyin target."""
    tokens = words(folded_title)
    return [
        (first, second)
        for first, second in pairwise(tokens)
        if is_cjk(first) and is_cjk(second) and 3 <= len(first) + len(second) <= MAX_COMPOUND
    ]


# -- building ---------------------------------------------------------------------------------

_DOC_SHIFT = 20  # postings with frequencies are packed as document << 20 | frequency
_FREQUENCY_BITS = (1 << _DOC_SHIFT) - 1


@dataclass(slots=True)
class _Postings:
    """One field's postings for a run of documents: sorted terms, each one's documents in order."""

    terms: list[str]
    starts: list[int]  # postings of terms[i] are docs[starts[i]:starts[i + 1]]
    docs: array  # "I": document numbers within the segment
    frequencies: bytes  # one per document number (empty for presence-only fields)


class _Inverter:
    """Collects postings a document at a time; one dict lookup and one append per posting,
    which measured faster than any clever packing with map() and sort()."""

    def __init__(self, with_frequencies: bool) -> None:
        self.lists: defaultdict[str, list[int]] = defaultdict(list)
        self.with_frequencies = with_frequencies

    def add(self, doc: int, terms: Iterable[str]) -> None:
        lists = self.lists
        for term in terms:
            lists[term].append(doc)

    def add_counts(self, doc: int, counts: Counter[str]) -> None:
        lists = self.lists
        packed = doc << _DOC_SHIFT
        for term, frequency in counts.items():
            lists[term].append(packed | frequency)

    def postings(self) -> _Postings:
        terms = sorted(self.lists)
        lists = [self.lists[term] for term in terms]
        self.lists.clear()
        starts = list(accumulate(map(len, lists), initial=0))
        flat = list(chain.from_iterable(lists))
        del lists
        if not self.with_frequencies:
            return _Postings(terms, starts, array("I", flat), b"")
        return _Postings(
            terms,
            starts,
            array("I", map(rshift, flat, repeat(_DOC_SHIFT))),
            bytes(map(min, map(and_, flat, repeat(_FREQUENCY_BITS)), repeat(255))),
        )


@dataclass(slots=True)
class _Chunk:
    """What a worker sends back for a run of articles."""

    body: _Postings
    chars: _Postings
    titles: _Postings
    lengths: array
    compounds: Counter


def _index_chunk(base: int, articles: Sequence[tuple[str, str]]) -> _Chunk:
    """Postings for (title, body) pairs numbered from base: runs in a worker process."""
    # Millions of small lists and no cycles: the cyclic collector would only rescan them.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _index_articles(base, articles)
    finally:
        if collecting:
            gc.enable()


def _index_articles(base: int, articles: Sequence[tuple[str, str]]) -> _Chunk:
    body, chars, titles = _Inverter(True), _Inverter(False), _Inverter(False)
    lengths = array("I")
    compounds: Counter[tuple[str, str]] = Counter()
    for number, (title, text) in enumerate(articles, base):
        folded_title = fold(title)
        compounds.update(title_compounds(folded_title))
        tokens = words(folded_title + "\n" + fold(text))
        lengths.append(len(tokens))
        frequencies = Counter(tokens)
        body.add_counts(number, frequencies)
        chars.add(number, set("".join(frequencies)))
        titles.add(number, title_keys(folded_title))
    return _Chunk(body.postings(), chars.postings(), titles.postings(), lengths, compounds)


def _chunks(articles: Iterable[tuple[Doc, str, str]], size: int) -> Iterator[list]:
    chunk: list[tuple[Doc, str, str]] = []
    for article in articles:
        chunk.append(article)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _indexed_chunks(
    articles: Iterable[tuple[Doc, str, str]], total: int, docs: list[Doc], progress: Progress | None
) -> Iterator[_Chunk]:
    """Chunks of postings in document order, indexed in worker processes for big builds.

    Articles are read a chunk at a time while workers index the previous ones, so the bodies
    of a whole archive are never in memory at once.
    """
    workers = os.cpu_count() or 1
    size = max(MIN_CHUNK_ARTICLES, min(CHUNK_ARTICLES, total // (2 * workers) + 1))

    def done(chunk: _Chunk) -> _Chunk:
        if progress:
            progress("Indexing articles", min(1.0, (len(docs) + 1) / max(total, 1)))
        return chunk

    if total < PARALLEL_MIN_ARTICLES or workers < 2:
        for chunk in _chunks(articles, size):
            base = len(docs)
            docs.extend(c[0] for c in chunk)
            yield done(_index_chunk(base, [c[1:] for c in chunk]))
        return
    # spawn, not fork: the TUI builds from a worker thread, and a forked threaded process can
    # deadlock. Results are taken in submission order, which keeps postings ascending.
    with worker_pool(workers, mp_context=get_context("spawn")) as pool:
        pending: deque[Future] = deque()
        for chunk in _chunks(articles, size):
            pending.append(pool.submit(_index_chunk, len(docs), [c[1:] for c in chunk]))
            docs.extend(c[0] for c in chunk)
            if len(pending) > workers:
                yield done(pending.popleft().result())
        while pending:
            yield done(pending.popleft().result())


def write_segment(
    path: Path,
    articles: Iterable[tuple[Doc, str, str]],
    total: int,
    progress: Progress | None = None,
) -> None:
    """Index (doc, title, body) triples and write them as one segment file, atomically."""
    docs: list[Doc] = []
    chunks = list(_indexed_chunks(articles, total, docs, progress))
    if progress:
        progress("Writing the search index", 1.0)
    compounds: Counter[tuple[str, str]] = Counter()
    for chunk in chunks:
        compounds.update(chunk.compounds)
    lengths = array("I")
    for chunk in chunks:
        lengths.extend(chunk.lengths)
    with _AtomicFile(path) as out:
        body = _write_field(out, [c.body for c in chunks], _body_encoder(len(docs)))
        chars = _write_field(out, [c.chars for c in chunks], _char_encoder(len(docs)))
        titles = _write_field(out, [c.titles for c in chunks], _encode_documents)
        frequent = [
            term
            for _, term in heapq.nlargest(FREQUENT_TERMS, zip(body["dfs"], body["terms"], strict=True))
        ]
        kept = [(a, b, n) for (a, b), n in compounds.items() if n >= MIN_COMPOUND_COUNT]
        meta = {
            "ids": [d.id for d in docs],
            "titles": [d.title for d in docs],
            "dates": [d.date for d in docs],
            "sources": [d.source for d in docs],
            "lengths": lengths.tolist(),
            "body": body,
            "char": chars,
            "title": titles,
            "frequent": frequent,
            "pinyin": [_pinyin_key(term) for term in frequent],
            "compounds": [[a, b, n, _pinyin_key(a + b)] for a, b, n in kept],
        }
        out.finish(orjson.dumps(meta))


def _pinyin_key(term: str) -> str:
    """'full initials' for a Chinese term, '' for anything else (pypinyin is too slow to load
    at start-up, so keys are stored)."""
    keys = pinyin_keys(term) if is_cjk(term) else None
    return " ".join(keys) if keys else ""


def _body_encoder(size: int) -> Callable:
    """Body terms: numbers, then frequencies, then for a common term also a bitmap, so that
    matching it costs a copy instead of a loop over its documents."""

    def encode(pieces: list[tuple[_Postings, int, int]]) -> tuple[bytes, int]:
        docs, df = _encode_documents(pieces)
        frequencies = b"".join(p.frequencies[s:e] for p, s, e in pieces)
        if df * _BITMAP_DENSITY <= size:
            return docs + frequencies, df
        numbers = array("I")
        numbers.frombytes(docs)
        bitmap = bitsets.to_bytes(bitsets.from_docs(numbers, size), size)
        return docs + frequencies + bitmap, df

    return encode


def _encode_documents(pieces: list[tuple[_Postings, int, int]]) -> tuple[bytes, int]:
    docs = b"".join(p.docs[s:e].tobytes() for p, s, e in pieces)
    return docs, len(docs) // 4


def _char_encoder(size: int) -> Callable:
    """Characters: a bitmap when common (smaller than numbers, and ORs in C), else numbers."""

    def encode(pieces: list[tuple[_Postings, int, int]]) -> tuple[bytes, int]:
        docs, df = _encode_documents(pieces)
        if df * _BITMAP_DENSITY > size:
            numbers = array("I")
            numbers.frombytes(docs)
            return bitsets.to_bytes(bitsets.from_docs(numbers, size), size), df
        return docs, df

    return encode


def _write_field(out: _AtomicFile, parts: list[_Postings], encode: Callable) -> dict:
    """Merge the chunks' postings term by term (chunk order is document order) and write them."""
    terms = sorted(set().union(*(p.terms for p in parts)))
    rank = dict(zip(terms, count()))
    # where[k][g]: index of global term g in chunk k's terms, or -1.
    where = []
    for part in parts:
        positions = array("q", [-1]) * len(terms)
        deque(map(positions.__setitem__, map(rank.__getitem__, part.terms), count()), maxlen=0)
        where.append(positions)
    offsets, dfs = array("Q"), array("I")
    for number in range(len(terms)):
        pieces = []
        for part, positions in zip(parts, where, strict=True):
            local = positions[number]
            if local >= 0:
                pieces.append((part, part.starts[local], part.starts[local + 1]))
        data, df = encode(pieces)
        offsets.append(out.write(data))
        dfs.append(df)
    return {"terms": terms, "offsets": offsets.tolist(), "dfs": dfs.tolist()}


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
        """Append postings; returns their offset in the blob."""
        offset = self.size
        self.handle.write(data)
        self.size += len(data)
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
    """One field of a segment: sorted terms, their document counts and postings offsets."""

    def __init__(self, meta: dict) -> None:
        self.terms: list[str] = meta["terms"]
        self.offsets: list[int] = meta["offsets"]
        self.dfs: list[int] = meta["dfs"]

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
            self.compounds: list[tuple[str, str, int, str]] = [tuple(c) for c in meta["compounds"]]
            self.frequent: list[str] = meta["frequent"]  # body terms worth typo and pinyin matching
            self.pinyin: list[str] = meta["pinyin"]  # "full initials" of each frequent term
        except (OSError, ValueError, KeyError, TypeError, struct.error, orjson.JSONDecodeError) as exc:
            raise IndexFormatError(f"{path.name}: unreadable index segment ({exc})") from None

    def __len__(self) -> int:
        return len(self.ids)

    def _slice(self, offset: int, length: int) -> bytes:
        start = self._blob_start + offset
        return self._map[start : start + length]

    def body_postings(self, term: str) -> tuple[array, bytes] | None:
        """Document numbers and term frequencies of a body term."""
        field = self.fields["body"]
        number = field.number(term)
        if number is None:
            return None
        df = field.dfs[number]
        data = self._slice(field.offsets[number], 5 * df)
        docs = array("I")
        docs.frombytes(data[: 4 * df])
        return docs, data[4 * df :]

    def bits(self, field_name: str, term: str) -> int:
        """The documents containing a term in a field, as a bitset of segment numbers."""
        field = self.fields[field_name]
        number = field.number(term)
        if number is None:
            return 0
        df, offset = field.dfs[number], field.offsets[number]
        if field_name != "title" and df * _BITMAP_DENSITY > len(self):
            bitmap_at = offset + (5 * df if field_name == "body" else 0)
            return bitsets.from_bytes(self._slice(bitmap_at, (len(self) + 7) // 8))
        docs = array("I")
        docs.frombytes(self._slice(offset, 4 * df))
        return bitsets.from_docs(docs, len(self))

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
