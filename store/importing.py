"""The import pipeline: sources → records → clean articles → summaries → store → search index.

Articles are committed in batches, so an interrupted import keeps every batch it reported and a rerun
skips them (ids come from content). Summaries and keywords are computed here, in worker processes
when a batch is big enough to pay for them, so the browser never waits for them.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path

from store.db import Store
from store.importers.detect import ImportFailure, Source, expand_sources, parse_source
from store.importers.records import RawRecord, RowError
from store.models import Article
from store.text import article_id, clean_body, clean_line, detect_lang
from store.workers import worker_pool

BATCH_SIZE = 1000
# Each commit rewrites the catalogue, so batches grow with the store (a twentieth of it): the
# total rewriting stays linear, and a kill loses at most that twentieth of the work.
BATCH_GROWTH_DIVISOR = 20
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
) -> ImportReport:
    """Import files, folders and URLs into the store; a bad file never stops the others.

    Raises ImportFailure only for a source that does not exist at all (a usage-level mistake).
    """
    expanded = expand_sources(list(sources))
    reports: list[FileReport] = []
    started = time.monotonic()
    seen = added = 0
    known_ids = store.ids()
    workers = workers if workers is not None else min(2, os.cpu_count() or 1)
    pool: Executor | None = worker_pool(workers) if workers > 1 else None
    try:
        for done, source in enumerate(expanded):
            report = FileReport(source.origin)
            reports.append(report)
            try:
                batch_sizes = _batch_sizes(batch_size, known_ids)
                for batch in _batches(_articles_from(source, report), batch_sizes):
                    seen += len(batch)
                    fresh = _drop_known(batch, known_ids, report)
                    if fresh:
                        _enrich_all(fresh, pool)
                        result = store.add(fresh)
                        report.added += result.added
                        report.duplicates += result.duplicates
                        added += result.added
                        known_ids.update(a.id for a in fresh)
                    if on_progress:
                        on_progress(
                            ImportProgress(
                                source.origin, done, len(expanded), seen, added,
                                time.monotonic() - started,
                            )
                        )
            except ImportFailure as failure:
                report.failure = str(failure)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    if added:
        from store.search import update_index

        update_index(store)
    return ImportReport(reports)


def _articles_from(source: Source, report: FileReport) -> Iterator[Article]:
    fallback_source = _source_name(source.origin)
    for item in parse_source(source):
        if isinstance(item, RowError):
            report.note_error(f"{source.origin}:{item.line}: {item.message}")
            continue
        article = article_from_record(item, fallback_source)
        if article is None:
            report.note_error(f"{source.origin}:{item.line}: no title and no text")
            continue
        yield article


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


def _batches(articles: Iterable[Article], sizes: Iterator[int]) -> Iterator[list[Article]]:
    batch: list[Article] = []
    size = next(sizes)
    for article in articles:
        batch.append(article)
        if len(batch) >= size:
            yield batch
            batch = []
            size = next(sizes)
    if batch:
        yield batch


def _drop_known(batch: list[Article], known_ids: set[str], report: FileReport) -> list[Article]:
    """Skip articles already stored (or seen earlier in this import) before paying to summarise them."""
    fresh: dict[str, Article] = {}
    for article in batch:
        if article.id in known_ids or article.id in fresh:
            report.duplicates += 1
        else:
            fresh[article.id] = article
    return list(fresh.values())


def enrich(title: str, body: str) -> tuple[list[str], list[str]]:
    """Summary sentences and keywords for one article (runs in a worker process)."""
    from store.summarize import summary_and_keywords

    return summary_and_keywords(body, title=title)


def _enrich_all(articles: list[Article], pool: Executor | None) -> None:
    args = ([a.title for a in articles], [a.body for a in articles])
    if pool is not None and len(articles) >= PARALLEL_MIN_BATCH:
        chunk = max(1, len(articles) // 16)
        results = list(pool.map(enrich, *args, chunksize=chunk))
    else:
        results = list(map(enrich, *args))
    for article, (summary, words) in zip(articles, results, strict=True):
        article.summary, article.keywords = summary, words
