"""Keeping the index in step with the store: an import's batches, catch-up and rebuild.

An import (``ImportIndex``) holds the index's writer for its whole run, adds each batch's
documents from the words its workers already segmented, and commits them to tantivy right after
the store commits the batch. Catching up compares the index's ids with the store's: documents of
ids no longer stored are deleted (a removal, or a store replaced), ids stored but not indexed
(a kill between the two commits, a store written by something that does not index) are read
back, segmented and added. A rebuild adds everything again. Whoever finishes writing lets
tantivy merge and writes the vocabulary for the last commit.
"""

from __future__ import annotations

import os
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future
from itertools import repeat
from multiprocessing import get_context

from ..records.db import Store
from ..records.models import Article, Entry
from ..workers import batches, worker_pool
from .documents import IndexWords, document
from .engine import IndexProgress, Notice, OpenIndex, Writer, indexed_ids
from .lexicon import write_vocabulary

PARALLEL_MIN_ARTICLES = 4000  # below this a process pool costs more than it saves
CHUNK_ARTICLES = 1000  # per worker task when segmenting stored articles
COMMIT_ARTICLES = 20_000  # a long catch-up commits this often, so a kill keeps most of it
FEW_ARTICLES = 2000  # fewer missing articles than this are read one by one, not shard by shard


class ImportIndex:
    """What an import writes to the index: waits for the writer, catches up, then takes each
    batch as the store commits it."""

    def __init__(self, store: Store, on_notice: Notice | None = None) -> None:
        self.index = OpenIndex(store)
        writer = self.index.writer(wait=True, on_notice=on_notice)
        assert writer is not None
        self.writer = writer
        try:
            catch_up(self.index, writer, None)
        except BaseException:
            self.close()
            raise

    def add(self, articles: Sequence[Article], words: Sequence[IndexWords]) -> None:
        """Queue a batch's documents (call just before the store commits it: tantivy indexes
        them meanwhile; they become visible at ``commit``)."""
        # Added, not replaced: the store had none of them, and the index was caught up with the
        # store before the import began (and is checked again when it ends).
        for article, indexed in zip(articles, words, strict=True):
            self.writer.add(_document(article, indexed))

    def commit(self) -> None:
        self.writer.commit()

    def finish(self) -> None:
        """Check the index against the store once more (another process may have written the
        store meanwhile), record that they agree, merge, write the vocabulary."""
        catch_up(self.index, self.writer, None)
        finish(self.writer)

    def close(self) -> None:
        self.writer.close()
        self.index.close()


def _document(article: Article, indexed: IndexWords):
    return document(article.id, article.title, article.body, article.date, article.source, indexed)


def catch_up(index: OpenIndex, writer: Writer, progress: IndexProgress | None) -> bool:
    """Make the index hold exactly the store's articles; True if anything changed."""
    store = index.store
    version = store.version()
    stored = store.ids()
    counted = Counter(indexed_ids(index.searcher()))
    gone = [article_id for article_id in counted if article_id not in stored]
    missing = [article_id for article_id in stored if counted[article_id] != 1]  # absent, or twice
    if not gone and not missing:
        writer.record(version)
        return False
    for article_id in gone:
        writer.delete(article_id)
    _add_stored(writer, store, store.entry_list(missing), progress)
    writer.commit(version)
    return True


def rebuild(index: OpenIndex, writer: Writer, progress: IndexProgress | None) -> None:
    """Index every stored article again, from scratch."""
    store = index.store
    version = store.version()
    writer.delete_all()
    _add_stored(writer, store, store.entries(), progress, replace=False)
    writer.commit(version)


def finish(writer: Writer) -> None:
    writer.finish()
    write_vocabulary(writer.index)


def update_index(store: Store, on_progress: IndexProgress | None = None, *, wait: bool = True) -> bool:
    """Bring a store's index up to date (catching up only what is missing or gone); False
    when another process is writing it and ``wait`` is false."""
    index = OpenIndex(store)
    try:
        writer = index.writer(wait=wait)
        if writer is None:
            return False
        with writer:
            catch_up(index, writer, on_progress)
            finish(writer)
        return True
    finally:
        index.close()


def rebuild_index(
    store: Store, on_progress: IndexProgress | None = None, on_notice: Notice | None = None
) -> None:
    """Throw the index away and build it again from every article in the store (waiting, with
    a notice, while another process writes it)."""
    index = OpenIndex(store)
    try:
        writer = index.writer(wait=True, on_notice=on_notice)
        assert writer is not None
        with writer:
            rebuild(index, writer, on_progress)
            finish(writer)
    finally:
        index.close()


def _add_stored(
    writer: Writer,
    store: Store,
    entries: Sequence[Entry],
    progress: IndexProgress | None,
    replace: bool = True,
) -> None:
    """Index stored articles from their bodies (replacing any copy), committing now and then."""
    for done, (article, indexed) in enumerate(_segmented(_read(store, entries), len(entries)), 1):
        if replace:
            writer.put(article.id, _document(article, indexed))
        else:
            writer.add(_document(article, indexed))
        if done % COMMIT_ARTICLES == 0:
            writer.commit()
        if progress and done % 500 == 0:
            progress("Indexing articles", done / len(entries))
    if progress and entries:
        progress("Indexing articles", 1.0)


def _read(store: Store, entries: Sequence[Entry]) -> Iterator[Article]:
    """Articles with their bodies, in an order the shard cache likes: import order for a few,
    shard by shard for many."""
    if len(entries) <= FEW_ARTICLES:
        for entry in sorted(entries, key=lambda e: e.imported_at):
            article = store.get(entry.id)
            if article is not None:
                yield article
        return
    wanted = {entry.id for entry in entries}
    yield from (article for article in store.articles() if article.id in wanted)


def _words_of(texts: list[tuple[str, str]]) -> list[IndexWords]:
    """Segment (title, body) pairs: runs in a worker process for big catch-ups."""
    return [IndexWords.segmented(title, body) for title, body in texts]


def _segmented(articles: Iterable[Article], total: int) -> Iterator[tuple[Article, IndexWords]]:
    """Each article with its words, segmented in worker processes when there are many.

    Articles are read a chunk at a time while workers segment the previous ones, so the bodies of
    a whole archive are never in memory at once.
    """
    workers = os.cpu_count() or 1
    if total < PARALLEL_MIN_ARTICLES or workers < 2:
        for article in articles:
            yield article, IndexWords.segmented(article.title, article.body)
        return
    # spawn, not fork: the browser catches up from a worker thread, and a forked threaded
    # process can deadlock. Results are taken in submission order.
    with worker_pool(workers, mp_context=get_context("spawn")) as pool:
        pending: deque[tuple[list[Article], Future]] = deque()
        for chunk in batches(articles, repeat(CHUNK_ARTICLES)):
            pending.append((chunk, pool.submit(_words_of, [(a.title, a.body) for a in chunk])))
            if len(pending) > workers:
                yield from _results(*pending.popleft())
        while pending:
            yield from _results(*pending.popleft())


def _results(chunk: list[Article], future: Future) -> Iterator[tuple[Article, IndexWords]]:
    yield from zip(chunk, future.result(), strict=True)
