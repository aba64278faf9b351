"""The import pipeline: sources → records → clean articles → summaries → store → search index.

Articles are committed in batches, so an interrupted import keeps every batch it reported and a rerun
skips them (ids come from content). Worker processes clean each record and segment it once for its
summary, keywords and search index words; this process parses, commits each batch to the store and
then to the search index (see ``store.search.indexing``), so the browser never waits for any of it and no
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

from ..records.db import Store
from ..records.models import Article, article_id
from ..search.documents import IndexWords
from ..search.indexing import ImportIndex
from ..text.clean import clean_body, clean_line
from ..text.language import detect_lang
from ..workers import batches, worker_pool
from .formats.detect import ImportFailure, expand_sources, parse_source
from .formats.records import Parsed, RawRecord, RowError

BATCH_SIZE = 1000
# Each commit rewrites the catalogue, so batches grow with the store (a twentieth of it): the
# rewriting stays near linear, and a kill loses at most that twentieth of the work. They stop
# growing at MAX_BATCH_SIZE: the batches in flight are most of an import's memory (a 1 GB file
# into a 135k-article store held ~5,000-article batches: 1.5 GB over the process tree).
BATCH_GROWTH_DIVISOR = 20
MAX_BATCH_SIZE = 2000
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


OnImportProgress = Callable[[ImportProgress], None]


def import_sources(
    store: Store,
    sources: Iterable[str],
    *,
    on_progress: OnImportProgress | None = None,
    workers: int | None = None,
    batch_size: int = BATCH_SIZE,
    on_notice: Callable[[str], None] | None = None,
) -> ImportReport:
    """Import files, folders and URLs into the store; a bad file never stops the others.

    Records of every source go through one stream of batches, so a folder of small files is
    committed a batch at a time, not a file at a time; each file's report counts its own records.
    Raises ImportFailure only for a source that does not exist at all (a usage-level mistake).
    ``on_notice`` hears why the import waits (another process writing the search index).
    """
    expanded = expand_sources(list(sources))
    return _import(store, [(source.origin, parse_source(source)) for source in expanded],
                   on_progress, workers, batch_size, on_notice)


def import_records(
    store: Store, origin: str, records: Iterable[RawRecord], *, workers: int | None = None
) -> ImportReport:
    """Import records found elsewhere (feed items) as if they came from one file named origin."""
    return _import(store, [(origin, iter(records))], None, workers, BATCH_SIZE, None)


def _import(
    store: Store,
    inputs: list[tuple[str, Parsed]],
    on_progress: OnImportProgress | None,
    workers: int | None,
    batch_size: int,
    on_notice: Callable[[str], None] | None,
) -> ImportReport:
    store.create()
    workers = workers if workers is not None else min(2, os.cpu_count() or 1)
    stored = frozenset(store.ids())
    pool: Executor | None = None
    if workers > 1:  # each worker learns the stored ids once, not with every task
        # spawned, not forked: a fork would hand each worker this process's catalogue (and the
        # index writer's threads), and the pages it touches would be copied, hundreds of MB each
        spawn = get_context("spawn")
        pool = worker_pool(workers, mp_context=spawn, setup=_remember_stored, setup_args=(stored,))
    try:
        run = _Run(store, on_progress, len(inputs), ImportIndex(store, on_notice), None if pool else stored)
        try:
            _import_all(run, inputs, pool, max(workers, 1), batch_size)
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
    on_progress: OnImportProgress | None
    files_total: int
    index: ImportIndex
    stored: frozenset[str] | None  # for prepare() in this process; workers have their own
    reports: list[FileReport] = field(default_factory=list)
    fallbacks: list[str] = field(default_factory=list)  # each file's source name, for records without one
    started: float = field(default_factory=time.monotonic)
    files_parsed: int = 0
    seen: int = 0
    added: int = 0


Offered = tuple[int, RawRecord]  # a record and the number of the file it came from


def _import_all(
    run: _Run, inputs: list[tuple[str, Parsed]], pool: Executor | None, tasks: int, least: int
) -> None:
    """Parse in this process, clean and analyse in the workers, commit here: the next two
    batches are analysed while one is committed (and its postings written or merged), so the
    workers never wait for this process. Without workers, each batch is committed at once."""
    known_ids = run.store.ids()
    ahead = BATCHES_AHEAD if pool is not None else 0
    pending: deque[list[Future]] = deque()
    for offered in batches(_offered(run, inputs), _batch_sizes(least, known_ids)):
        shares = _split(offered, tasks)
        pending.append([
            _submit(pool, prepare, share, _fallbacks(run, share), run.stored) for share in shares
        ])
        if len(pending) > ahead:
            _commit(run, [f.result() for f in pending.popleft()], known_ids)
    while pending:
        _commit(run, [f.result() for f in pending.popleft()], known_ids)


def _offered(run: _Run, inputs: list[tuple[str, Parsed]]) -> Iterator[Offered]:
    """Every input's records in turn, each with its file's number; a file that cannot be read
    is reported and the next one read."""
    for number, (origin, parsed) in enumerate(inputs):
        report = FileReport(origin)
        run.reports.append(report)
        run.fallbacks.append(_source_name(origin))
        try:
            for item in parsed:
                if isinstance(item, RowError):
                    report.note_error(f"{origin}:{item.line}: {item.message}")
                else:
                    yield number, item
        except ImportFailure as failure:
            report.failure = str(failure)
        run.files_parsed += 1


def _fallbacks(run: _Run, share: list[Offered]) -> dict[int, str]:
    return {number: run.fallbacks[number] for number in {number for number, _ in share}}


def _commit(run: _Run, parts: list[Prepared], known_ids: set[str]) -> None:
    """Store a batch and index it in one step, skipping what is stored already; each article,
    duplicate and empty record is counted for the file it came from."""
    reports = run.reports
    for part in parts:
        for number, line in part.empty_lines:
            reports[number].note_error(f"{reports[number].origin}:{line}: no title and no text")
        for number in part.duplicate_files:
            reports[number].duplicates += 1
    owner: dict[str, int] = {}  # id → the part whose copy is committed
    for index, part in enumerate(parts):
        for article in part.articles:
            if article.id not in known_ids and article.id not in owner:
                owner[article.id] = index
    fresh: list[Article] = []
    fresh_words: list[IndexWords] = []
    for index, part in enumerate(parts):
        for article, words, number in zip(part.articles, part.words, part.files, strict=True):
            if owner.get(article.id) == index:
                fresh.append(article)
                fresh_words.append(words)
            else:
                reports[number].duplicates += 1
    committed: set[str] = set()
    if fresh:
        # Queued first, so tantivy indexes while the store writes; visible once both committed.
        run.index.add(fresh, fresh_words)
        result = run.store.add(fresh)
        run.index.commit()
        committed = set(result.ids)
        run.added += result.added
        known_ids.update(owner)
    last = 0
    for index, part in enumerate(parts):
        for article, number in zip(part.articles, part.files, strict=True):
            if owner.get(article.id) == index:
                if article.id in committed:
                    reports[number].added += 1
                else:  # another process stored it meanwhile
                    reports[number].duplicates += 1
            last = max(last, number)
    _apply_marks(run.store, parts)
    run.seen += sum(len(p.articles) + len(p.duplicate_files) for p in parts)
    if run.on_progress:
        elapsed = time.monotonic() - run.started
        run.on_progress(ImportProgress(reports[last].origin, run.files_parsed, run.files_total, run.seen,
                                       run.added, elapsed))


def _apply_marks(store: Store, parts: list[Prepared]) -> None:
    """Read and starred marks from the input (newstui's export carries them) are set, never
    cleared: importing an old export must not unread what was read since."""
    marked = {article_id: marks for part in parts for article_id, marks in part.marked.items()}
    store.mark([i for i, (read, _) in marked.items() if read], read=True)
    store.mark([i for i, (_, starred) in marked.items() if starred], starred=True)


@dataclass(slots=True)
class Prepared:
    """A worker's share of a batch: clean, summarised articles and their words for the index."""

    articles: list[Article]
    files: list[int]  # the number of the file each article came from
    words: list[IndexWords]
    duplicate_files: list[int]  # the file of each record stored already, or repeated within the share
    empty_lines: list[tuple[int, int]]  # (file, line) of each record with no title and no text
    marked: dict[str, tuple[bool, bool]] = field(default_factory=dict)  # id -> (read, starred) set


_stored_in_worker: frozenset[str] = frozenset()


def _remember_stored(ids: frozenset[str]) -> None:
    """Worker setup: the ids stored when the import began, so a rerun after an interrupted import
    skips what was committed before summarising it again."""
    global _stored_in_worker
    _stored_in_worker = ids


def prepare(
    offered: list[Offered], fallbacks: dict[int, str], stored: frozenset[str] | None = None
) -> Prepared:
    """Clean, summarise and index records (runs in a worker process): the text is segmented
    once, for the summary, the keywords and the index together. Articles in ``stored`` (by
    default, the worker's) are only counted. ``fallbacks`` names each file's source."""
    from ..summaries.summarize import analyse

    stored = _stored_in_worker if stored is None else stored
    articles: list[Article] = []
    files: list[int] = []
    duplicate_files: list[int] = []
    index_words: list[IndexWords] = []
    ids: set[str] = set()
    empty_lines: list[tuple[int, int]] = []
    marked: dict[str, tuple[bool, bool]] = {}
    for number, record in offered:
        article = article_from_record(record, fallbacks[number])
        if article is None:
            empty_lines.append((number, record.line))
            continue
        if record.read or record.starred:  # stored already or not, the marks are applied
            marked[article.id] = (record.read, record.starred)
        if article.id in ids or article.id in stored:
            duplicate_files.append(number)
            continue
        ids.add(article.id)
        analysis = analyse(article.body, title=article.title)
        article.summary, article.keywords = analysis.summary, analysis.keywords
        counts = analysis.words
        index_words.append(IndexWords.of(counts.words, counts.counts.tolist(), analysis.title_words))
        articles.append(article)
        files.append(number)
    return Prepared(articles, files, index_words, duplicate_files, empty_lines, marked)


def _submit(pool: Executor | None, function: Callable, *args: object) -> Future:
    if pool is not None:
        return pool.submit(function, *args)
    future: Future = Future()
    future.set_result(function(*args))
    return future


def _split(records: list[Offered], parts: int) -> list[list[Offered]]:
    """A batch in contiguous shares, one per worker (fewer for a small batch)."""
    if len(records) < PARALLEL_MIN_BATCH:
        return [records]
    size = -(-len(records) // parts)
    return [records[i : i + size] for i in range(0, len(records), size)]


def article_from_record(record: RawRecord, fallback_source: str = "") -> Article | None:
    """Clean one raw record into an Article (not yet summarised); None when it has no content."""
    body = clean_body(record.body)
    title = clean_line(record.title) or derive_title(body)
    if not title and not body:
        return None
    return Article(
        id=article_id(title, body, record.guid),
        title=title,
        body=body,
        date=record.date,
        source=clean_line(record.source) or fallback_source,
        url=clean_line(record.url),
        lang=detect_lang(title + "\n" + body),
        feed=record.feed,
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
        yield max(least, min(MAX_BATCH_SIZE, len(known_ids) // BATCH_GROWTH_DIVISOR))
