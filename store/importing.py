"""The import pipeline: sources → records → clean articles → summaries → store → search index.

Articles are committed in batches, so an interrupted import keeps every batch it reported and a rerun
skips them (ids come from content). Worker processes clean each record and segment it once for its
summary, keywords and search index words; this process parses, commits each batch to the store and
then to the search index (see ``store.indexing``), so the browser never waits for any of it and no
body is read back to index it.
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from store.db import Store
from store.documents import IndexWords
from store.importers.detect import ImportFailure, Source, expand_sources, parse_source
from store.importers.records import RawRecord, RowError
from store.indexing import ImportIndex
from store.models import Article
from store.text import article_id, clean_body, clean_line, detect_lang
from store.workers import batches, worker_pool

BATCH_SIZE = 1000
# Each commit rewrites the catalogue, so batches grow with the store (a twentieth of it): the
# total rewriting stays linear, and a kill loses at most that twentieth of the work.
BATCH_GROWTH_DIVISOR = 20
BATCHES_AHEAD = 2  # analysed by the workers while this process commits
PARALLEL_MIN_BATCH = 200  # below this, starting worker processes costs more than it saves
MAX_ERRORS_KEPT = 20
DERIVED_TITLE_CHARS = 40


@dataclass(slots=True)
class FileReport:
    """What one file or URL contributed: the counts the CLI prints per file."""

    origin: str
    added: int = 0
    duplicates: int = 0
    bad_rows: int = 0
    errors: list[str] = field(default_factory=list)  # first few "origin:line: message"
    failure: str | None = None  # the whole file could not be read

    def note_error(self, message: str) -> None:
        self.bad_rows += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(message)


@dataclass(slots=True)
class ImportProgress:
    origin: str
    files_done: int
    files_total: int
    articles_seen: int
    articles_added: int
    elapsed_s: float

    @property
    def rate(self) -> float:
        return self.articles_seen / self.elapsed_s if self.elapsed_s > 0 else 0.0


@dataclass(slots=True)
class ImportReport:
    files: list[FileReport]

    @property
    def added(self) -> int:
        return sum(f.added for f in self.files)

    @property
    def duplicates(self) -> int:
        return sum(f.duplicates for f in self.files)

    @property
    def bad_rows(self) -> int:
        return sum(f.bad_rows for f in self.files)

    @property
    def failures(self) -> list[FileReport]:
        return [f for f in self.files if f.failure]


ProgressCallback = Callable[[ImportProgress], None]


def import_sources(
    store: Store,
    sources: Iterable[str],
    *,
    on_progress: ProgressCallback | None = None,
    workers: int | None = None,
    batch_size: int = BATCH_SIZE,
    on_notice: Callable[[str], None] | None = None,
) -> ImportReport:
    """Import files, folders and URLs into the store; a bad file never stops the others.

    Raises ImportFailure only for a source that does not exist at all (a usage-level mistake).
    ``on_notice`` hears why the import waits (another process writing the search index).
    """
    expanded = expand_sources(list(sources))
    workers = workers if workers is not None else min(2, os.cpu_count() or 1)
    stored = frozenset(store.ids())
    pool: Executor | None = None
    if workers > 1:  # each worker learns the stored ids once, not with every task
        # spawned, not forked: a fork would hand each worker this process's catalogue (and the
        # index writer's threads), and the pages it touches would be copied, hundreds of MB each
        spawn = get_context("spawn")
        pool = worker_pool(workers, mp_context=spawn, setup=_remember_stored, setup_args=(stored,))
    try:
        run = _Run(store, on_progress, len(expanded), ImportIndex(store, on_notice), None if pool else stored)
        try:
            for done, source in enumerate(expanded):
                report = FileReport(source.origin)
                run.reports.append(report)
                try:
                    _import_source(run, source, report, done, pool, max(workers, 1), batch_size)
                except ImportFailure as failure:
                    report.failure = str(failure)
            # Not on an interrupt: every committed batch is in the index already, and the next
            # writer checks it, merges and writes the vocabulary.
            run.index.finish()
        finally:
            run.index.close()
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    return ImportReport(run.reports)


@dataclass(slots=True)
class _Run:
    """One import's state across its sources."""

    store: Store
    on_progress: ProgressCallback | None
    files_total: int
    index: ImportIndex
    stored: frozenset[str] | None  # for prepare() in this process; workers have their own
    reports: list[FileReport] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)
    seen: int = 0
    added: int = 0


def _import_source(
    run: _Run, source: Source, report: FileReport, done: int, pool: Executor | None, tasks: int, least: int
) -> None:
    """Parse in this process, clean and analyse in the workers, commit here: the next two
    batches are analysed while one is committed (and indexed), so the workers never wait for
    this process. Without workers, each batch is committed at once."""
    known_ids = run.store.ids()
    fallback = _source_name(source.origin)
    ahead = BATCHES_AHEAD if pool is not None else 0
    pending: deque[list[Future]] = deque()
    for records in batches(_records_from(source, report), _batch_sizes(least, known_ids)):
        shares = _split(records, tasks)
        pending.append([_submit(pool, prepare, share, fallback, run.stored) for share in shares])
        if len(pending) > ahead:
            _commit(run, [f.result() for f in pending.popleft()], known_ids, report, done)
    while pending:
        _commit(run, [f.result() for f in pending.popleft()], known_ids, report, done)


def _commit(run: _Run, parts: list[Prepared], known_ids: set[str], report: FileReport, done: int) -> None:
    """Store a batch and index it in one step, skipping what is stored already."""
    for part in parts:
        for line in part.empty_lines:
            report.note_error(f"{report.origin}:{line}: no title and no text")
    owner: dict[str, int] = {}  # id → the part whose copy is committed
    for number, part in enumerate(parts):
        for article in part.articles:
            if article.id not in known_ids and article.id not in owner:
                owner[article.id] = number
    fresh = [
        (a, words)
        for number, part in enumerate(parts)
        for a, words in zip(part.articles, part.words, strict=True)
        if owner.get(a.id) == number
    ]
    seen = sum(len(p.articles) + p.duplicates for p in parts)
    report.duplicates += seen - len(fresh)
    if fresh:
        # Queued first, so tantivy indexes while the store writes; visible once both committed.
        run.index.add([a for a, _ in fresh], [words for _, words in fresh])
        result = run.store.add(a for a, _ in fresh)
        run.index.commit()
        report.added += result.added
        report.duplicates += result.duplicates
        run.added += result.added
        known_ids.update(owner)
    run.seen += seen
    if run.on_progress:
        elapsed = time.monotonic() - run.started
        run.on_progress(ImportProgress(report.origin, done, run.files_total, run.seen, run.added, elapsed))


@dataclass(slots=True)
class Prepared:
    """A worker's share of a batch: clean, summarised articles and their words for the index."""

    articles: list[Article]
    words: list[IndexWords]
    duplicates: int  # stored already, or repeated within the share
    empty_lines: list[int]  # records with no title and no text


_stored_in_worker: frozenset[str] = frozenset()


def _remember_stored(ids: frozenset[str]) -> None:
    """Worker setup: the ids stored when the import began, so a rerun after an interrupted import
    skips what was committed before summarising it again."""
    global _stored_in_worker
    _stored_in_worker = ids


def prepare(records: list[RawRecord], fallback_source: str, stored: frozenset[str] | None = None) -> Prepared:
    """Clean, summarise and index records (runs in a worker process): the text is segmented
    once, for the summary, the keywords and the index together. Articles in ``stored`` (by
    default, the worker's) are only counted."""
    from store.summarize import analyse

    stored = _stored_in_worker if stored is None else stored
    articles: list[Article] = []
    index_words: list[IndexWords] = []
    ids: set[str] = set()
    empty_lines: list[int] = []
    for record in records:
        article = article_from_record(record, fallback_source)
        if article is None:
            empty_lines.append(record.line)
            continue
        if article.id in ids or article.id in stored:
            continue
        ids.add(article.id)
        analysis = analyse(article.body, title=article.title)
        article.summary, article.keywords = analysis.summary, analysis.keywords
        counts = analysis.words
        index_words.append(IndexWords.of(counts.words, counts.counts.tolist(), analysis.title_words))
        articles.append(article)
    duplicates = len(records) - len(empty_lines) - len(articles)
    return Prepared(articles, index_words, duplicates, empty_lines)


def _submit(pool: Executor | None, function: Callable, *args: object) -> Future:
    if pool is not None:
        return pool.submit(function, *args)
    future: Future = Future()
    future.set_result(function(*args))
    return future


def _split(records: list[RawRecord], parts: int) -> list[list[RawRecord]]:
    """A batch in contiguous shares, one per worker (fewer for a small batch)."""
    if len(records) < PARALLEL_MIN_BATCH:
        return [records]
    size = -(-len(records) // parts)
    return [records[i : i + size] for i in range(0, len(records), size)]


def _records_from(source: Source, report: FileReport) -> Iterator[RawRecord]:
    for item in parse_source(source):
        if isinstance(item, RowError):
            report.note_error(f"{source.origin}:{item.line}: {item.message}")
            continue
        yield item


def article_from_record(record: RawRecord, fallback_source: str = "") -> Article | None:
    """Clean one raw record into an Article (not yet summarised); None when it has no content."""
    body = clean_body(record.body)
    title = clean_line(record.title) or derive_title(body)
    if not title and not body:
        return None
    return Article(
        id=article_id(title, body),
        title=title,
        body=body,
        date=record.date,
        source=clean_line(record.source) or fallback_source,
        url=clean_line(record.url),
        lang=detect_lang(title + "\n" + body),
    )


def derive_title(body: str) -> str:
    """A title for a record that has none: its first line, cut at a sentence end or a length."""
    first = body.split("\n", 1)[0]
    for mark in "。！？!?":
        cut = first.find(mark)
        if 0 < cut < DERIVED_TITLE_CHARS:
            return first[: cut + 1]
    return first if len(first) <= DERIVED_TITLE_CHARS else first[:DERIVED_TITLE_CHARS] + "…"


def _source_name(origin: str) -> str:
    if "://" in origin:
        return origin.split("://", 1)[1].split("/", 1)[0]
    return Path(origin).stem


def _batch_sizes(least: int, known_ids: set[str]) -> Iterator[int]:
    while True:
        yield max(least, len(known_ids) // BATCH_GROWTH_DIVISOR)
