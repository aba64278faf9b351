"""The search index on disk: an embedded tantivy index next to the store, a derived cache.

The index lives in ``store.index_dir/tantivy-<FORMAT>/``, beside our own ``synced.json`` (the
store version and tantivy commit it was last brought up to date with) and the vocabulary (see
``store.search.lexicon``). An import writes each batch it commits to tantivy and commits it there too;
whoever opens the index checks ``synced.json`` in a few microseconds and, when the store moved
without the index (a kill between the two commits, a store written by something that does not
index, articles removed from the store), catches up from the store: documents of ids gone from
the store are deleted, missing ones added, duplicates replaced. tantivy's writer lock makes one
process the writer at a time; an import waits for it, a reader that finds it busy searches what
is committed. A store on a read-only file system is opened through a private shadow directory
of links to its files, so tantivy's lock files (and any catch-up) go there, not into the store.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import suppress
from pathlib import Path

import orjson
import tantivy

from ..records.db import Store, StoreError
from ..records.files import process_alive, write_atomic
from .documents import NO_KEY

FORMAT = 1  # bump when the schema or our files change: older indexes are rebuilt
WRITER_HEAP = 64_000_000  # bytes of tantivy's indexing arena, flushed as a segment when full
WRITER_THREADS = 1  # the import's workers have the other core
WAIT_POLL_S = 0.25
_SHADOW_PREFIX = "newstui-index-"
_OLD_ENGINE_FILES = re.compile(r"(segment-\d+\.idx|manifest\.json|lock|\..*\.tmp|tantivy-\d+)")

IndexProgress = Callable[[str, float], None]  # a stage and how far it got
Notice = Callable[[str], None]


class SearchIndexError(StoreError):
    """The index cannot be opened or written (its directory unusable)."""


def schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_unsigned_field("key", fast=True)
    builder.add_integer_field("when", fast=True)
    builder.add_float_field("recency", fast=True)
    builder.add_text_field("title_sort", fast=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("source", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("words", tokenizer_name="whitespace", index_option="freq")
    builder.add_text_field("chars", tokenizer_name="whitespace", index_option="position")
    builder.add_text_field("title", tokenizer_name="whitespace", index_option="position")
    builder.add_text_field("title_words", tokenizer_name="whitespace", index_option="basic")
    builder.add_text_field("pairs", tokenizer_name="whitespace", index_option="basic")
    return builder.build()


class OpenIndex:
    """A store's tantivy index, opened for searching (and for writing, through ``writer()``)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.home = store.index_dir / f"tantivy-{FORMAT}"
        self.path = self.home if _writable(store.index_dir) else _shadow(self.home)
        try:
            self.index = self._opened()
        except ValueError:  # damaged: it is a derived cache, so start again (catch-up refills it)
            _discard(self.path)
            try:
                self.index = self._opened()
            except ValueError as error:
                raise SearchIndexError(f"{self.home}: cannot open the search index ({error})") from None
        self.schema = self.index.schema

    def _opened(self) -> tantivy.Index:
        self.path.mkdir(parents=True, exist_ok=True)
        index = tantivy.Index(schema(), path=str(self.path), reuse=True)
        index.searcher()  # opens every segment: a damaged file fails here, not in a search
        return index

    @property
    def read_only(self) -> bool:
        return self.path != self.home

    def searcher(self) -> tantivy.Searcher:
        return self.index.searcher()

    def reload(self) -> None:
        self.index.reload()

    def opstamp(self) -> int | None:
        """tantivy's count of operations at its last commit (changes with every commit)."""
        try:
            return int(orjson.loads((self.path / "meta.json").read_bytes())["opstamp"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def synced(self) -> bool:
        """Is the index known to hold exactly the store's articles? (No: catch up.)"""
        try:
            record = orjson.loads((self.path / "synced.json").read_bytes())
        except (OSError, orjson.JSONDecodeError):
            return False
        version = self.store.version()
        return (
            isinstance(record, dict)
            and record.get("opstamp") == self.opstamp()
            and record.get("store") == (list(version) if version else None)
        )

    def writer(self, *, wait: bool, on_notice: Notice | None = None) -> Writer | None:
        """The index's one writer; None when another process has it and ``wait`` is false.

        An import waits (saying so once); a reader goes on with what is committed.
        """
        noticed = False
        while True:
            try:
                handle = self.index.writer(heap_size=WRITER_HEAP, num_threads=WRITER_THREADS)
            except ValueError as error:
                if "LockBusy" not in str(error):
                    raise SearchIndexError(f"{self.home}: cannot write the search index ({error})") from None
                if not wait:
                    return None
                if on_notice and not noticed:
                    on_notice("waiting for another newstui process to finish writing the search index…")
                    noticed = True
                time.sleep(WAIT_POLL_S)
                continue
            if not self.read_only:
                _remove_old_files(self.store.index_dir, keep=self.home.name)
            return Writer(self, handle)

    def close(self) -> None:
        if self.read_only:
            shutil.rmtree(self.path, ignore_errors=True)


class Writer:
    """Adds, replaces and deletes documents; ``commit`` makes them visible and records how far
    the index has followed the store."""

    def __init__(self, index: OpenIndex, handle: tantivy.IndexWriter) -> None:
        self.index = index
        self._handle: tantivy.IndexWriter | None = handle

    @property
    def handle(self) -> tantivy.IndexWriter:
        assert self._handle is not None, "the writer was closed"
        return self._handle

    def __enter__(self) -> Writer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def put(self, article_id: str, document: tantivy.Document) -> None:
        """Add a document, replacing any of the same id (so nothing is ever indexed twice)."""
        self.handle.delete_documents_by_term("id", article_id)
        self.handle.add_document(document)

    def add(self, document: tantivy.Document) -> None:
        """Add a document whose id is in no other (into an index just emptied)."""
        self.handle.add_document(document)

    def delete(self, article_id: str) -> None:
        self.handle.delete_documents_by_term("id", article_id)

    def delete_all(self) -> None:
        self.handle.delete_all_documents()

    def commit(self, version: tuple[int, int, int] | None = None) -> None:
        """Commit; when ``version`` is the store's version that the index now matches exactly,
        record it (see ``record``)."""
        self.handle.commit()
        self.index.reload()
        if version is not None:
            self.record(version)

    def record(self, version: tuple[int, int, int] | None) -> None:
        """Note that the index holds exactly the store's articles at ``version`` (unless the
        store has moved on since), so the next open knows there is nothing to catch up."""
        if self.index.store.version() == version:
            payload = {"store": list(version) if version else None, "opstamp": self.index.opstamp()}
            write_atomic(self.index.path / "synced.json", orjson.dumps(payload))

    def finish(self) -> None:
        """Let tantivy finish merging segments (the writer is done after this)."""
        handle, self._handle = self._handle, None
        if handle is not None:
            handle.wait_merging_threads()
        self.index.reload()

    def close(self) -> None:
        """Let the writer go; anything not committed is dropped."""
        handle, self._handle = self._handle, None
        if handle is not None:
            handle.rollback()
            del handle


def ids_of(searcher: tantivy.Searcher, addresses: list[tantivy.DocAddress]) -> list[str]:
    """Article ids of documents, from the ``key`` fast field (stored ids only for odd ones)."""
    keys = searcher.fast_field_values("key", addresses)
    return [
        f"{key:016x}" if key != NO_KEY else searcher.doc(address)["id"][0]
        for key, address in zip(keys, addresses, strict=True)
    ]


def indexed_ids(searcher: tantivy.Searcher) -> list[str]:
    """Every id in the index, once per document (an id twice is a duplicate to fix)."""
    if searcher.num_docs == 0:
        return []
    everything = searcher.search(tantivy.Query.all_query(), searcher.num_docs, count=False)
    return ids_of(searcher, [address for _, address in everything.hits])


# -- where the index lives ---------------------------------------------------------------------


def _writable(folder: Path) -> bool:
    """Can we create and change files in folder (or create it)?"""
    while not folder.exists():
        folder = folder.parent
    return os.access(folder, os.W_OK)


def _remove_old_files(index_dir: Path, keep: str) -> None:
    """Files of the engine before tantivy, and indexes of other formats: never read again."""
    for path in index_dir.iterdir():
        if path.name != keep and _OLD_ENGINE_FILES.fullmatch(path.name):
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)


def _discard(path: Path) -> None:
    """Throw a damaged index away (moved aside first, so a process still reading it keeps its
    files while a new one is made)."""
    aside = path.with_name(f".{path.name}.damaged-{os.getpid()}")
    with suppress(OSError):
        path.rename(aside)
    shutil.rmtree(aside, ignore_errors=True)


def _shadow(home: Path) -> Path:
    """A private directory of links to the index's files, for a store we may not write: tantivy
    takes its locks (and a catch-up writes its segments) there. Removed when we are done, or by
    the next one made after a process that made one was killed."""
    _remove_dead_shadows()
    shadow = Path(tempfile.mkdtemp(prefix=f"{_SHADOW_PREFIX}{os.getpid()}-"))
    atexit.register(shutil.rmtree, shadow, True)
    for name in _files(home):
        if not name.startswith(".tantivy-"):  # lock files: ours are made in the shadow
            (shadow / name).symlink_to(home / name)
    return shadow


def _files(folder: Path) -> Iterator[str]:
    with suppress(FileNotFoundError, NotADirectoryError):
        yield from (entry.name for entry in os.scandir(folder) if entry.is_file())


def _remove_dead_shadows() -> None:
    for path in Path(tempfile.gettempdir()).glob(f"{_SHADOW_PREFIX}*"):
        pid = path.name[len(_SHADOW_PREFIX) :].split("-", 1)[0]
        if pid.isdigit() and not process_alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)

