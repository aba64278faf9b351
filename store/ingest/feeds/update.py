"""Refreshing subscriptions: download every feed a few at a time, import what is new or changed.

A refresh sends each feed's validators back (a 304, or the same bytes as last time, is nothing
new), parses what came, and tells its items apart by guid (else link, else content). An item
seen before with the same text is skipped; one whose text changed is imported again and its old
version removed (its read and starred marks move to the new one); full-text feeds fetch the
page of each new item. Articles are committed first and the feeds' state after, so a refresh
killed at any point loses nothing: the next one at worst downloads a feed in full again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from filelock import Timeout

from ...records.db import Store, StoreError
from ...search.searcher import update_index
from ..formats.feed import read_feed
from ..formats.records import ImportFailure, RawRecord
from ..pipeline import PARALLEL_MIN_BATCH, article_from_record, import_records
from .fulltext import page_text
from .http import FEED_LIMITS, PAGE_LIMITS, Limits, fetch
from .subscriptions import Subscription, Subscriptions

CONNECTIONS = 6  # downloads at once, as browsers open per host


@dataclass(slots=True)
class FeedResult:
    """What one feed's refresh did, as `newstui update` reports it."""

    url: str
    name: str
    status: str = "updated"  # or "not modified", "failed"
    added: int = 0
    changed: int = 0
    error: str = ""  # one line naming the URL, when the feed failed
    pages_failed: int = 0  # full-text pages not had (their items keep the feed's excerpt)
    page_error: str = ""  # the first of those failures


@dataclass(slots=True)
class UpdateReport:
    feeds: list[FeedResult]

    @property
    def added(self) -> int:
        return sum(result.added for result in self.feeds)

    @property
    def changed(self) -> int:
        return sum(result.changed for result in self.feeds)

    @property
    def failed(self) -> list[FeedResult]:
        return [result for result in self.feeds if result.status == "failed"]


@dataclass(frozen=True, slots=True)
class UpdateProgress:
    stage: str  # "feeds", "pages", then "importing"
    done: int
    total: int


OnUpdateProgress = Callable[[UpdateProgress], None]


@dataclass(slots=True)
class _Pending:
    """A new or changed item on its way into the store."""

    record: RawRecord
    key: str  # its key in Subscription.items
    feed_id: str  # the id of the feed's own text (the stored one differs with full text)
    previous: str  # the stored id of its earlier version, if any


@dataclass(slots=True)
class _Refresh:
    subscription: Subscription  # a copy, updated as the refresh learns things
    result: FeedResult
    pending: list[_Pending] = field(default_factory=list)
    replaced: dict[str, str] = field(default_factory=dict)  # old stored id -> new


def update_feeds(
    store: Store,
    *,
    limits: Limits = FEED_LIMITS,
    page_limits: Limits = PAGE_LIMITS,
    connections: int = CONNECTIONS,
    workers: int | None = None,
    on_progress: OnUpdateProgress | None = None,
) -> UpdateReport:
    """Refresh every subscription; one feed failing never stops the others. StoreError when
    another refresh of this store is running."""
    progress = on_progress or (lambda _: None)
    subscriptions = Subscriptions(store)
    with _only_refresh(store):
        refreshes = [_Refresh(replace(s, items=dict(s.items)), FeedResult(s.url, s.name))
                     for s in subscriptions.all()]
        stored = store.ids()
        with ThreadPoolExecutor(max(1, connections)) as pool:
            _download(pool, refreshes, limits, stored, progress)
            _fetch_pages(pool, refreshes, page_limits, progress)
        _settle(refreshes, stored)
        records = [pending.record for refresh in refreshes for pending in refresh.pending]
        if records:
            progress(UpdateProgress("importing", 0, len(records)))
            # Worker processes start in about a second each: worth it for a big first refresh only.
            few = len(records) < PARALLEL_MIN_BATCH
            import_records(store, "feeds", records, workers=1 if few else workers)
        _drop_old_versions(store, refreshes, subscriptions)
        subscriptions.save_fetched(refresh.subscription for refresh in refreshes)
    return UpdateReport([refresh.result for refresh in refreshes])


@contextmanager
def _only_refresh(store: Store) -> Iterator[None]:
    """One refresh of a store at a time (cron and the browser's R may meet): a second is told
    so at once rather than downloading everything twice."""
    lock = store.files.update_lock()
    try:
        lock.acquire()
    except Timeout:
        raise StoreError(f"{store.path}: another newstui update of this store is running") from None
    try:
        yield
    finally:
        lock.release()


def _download(
    pool: ThreadPoolExecutor,
    refreshes: list[_Refresh],
    limits: Limits,
    stored: set[str],
    progress: OnUpdateProgress,
) -> None:
    futures = [pool.submit(_check, refresh, limits, stored) for refresh in refreshes]
    for done, future in enumerate(as_completed(futures), start=1):
        future.result()
        progress(UpdateProgress("feeds", done, len(futures)))


def _check(refresh: _Refresh, limits: Limits, stored: set[str]) -> None:
    """Download one feed and find its new and changed items (runs in a download thread)."""
    subscription, result = refresh.subscription, refresh.result
    try:
        response = fetch(subscription.url, etag=subscription.etag,
                         last_modified=subscription.last_modified, limits=limits)
        digest = hashlib.blake2b(response.body, digest_size=16).hexdigest()
        if response.not_modified or (digest == subscription.body_hash and subscription.items):
            result.status = "not modified"
        else:
            document = read_feed(response.body, origin=subscription.url, charset=response.charset,
                                 base_url=response.url)
            subscription.title = document.title or subscription.title
            subscription.site = document.link or subscription.site
            result.name = subscription.name
            _plan(refresh, [r for r in document.records if isinstance(r, RawRecord)], stored)
            subscription.etag, subscription.last_modified = response.etag, response.last_modified
            subscription.body_hash = digest
    except Exception as failure:  # one feed, whatever breaks in it, never stops the others
        result.status, result.error = "failed", _one_line(subscription.url, failure)
        subscription.last_error = result.error
        return
    subscription.last_fetched = datetime.now(UTC).isoformat(timespec="seconds")
    subscription.last_error = ""


def _plan(refresh: _Refresh, records: list[RawRecord], stored: set[str]) -> None:
    """Sort a download's items into known, new and changed; remember the items it holds."""
    subscription = refresh.subscription
    items: dict[str, list[str]] = {}
    for record in records:
        record.feed, record.source = subscription.url, record.source or subscription.name
        article = article_from_record(record)
        if article is None:
            continue
        key = record.guid or article.id  # an item with neither guid nor link is its text
        previous = subscription.items.get(key)
        if previous and previous[1] == article.id and previous[0] in stored:
            items[key] = previous
        elif not subscription.full_text and article.id in stored:  # a killed refresh's, or another feed's
            items[key] = [article.id, article.id]
            if previous and previous[0] != article.id:
                refresh.replaced[previous[0]] = article.id
        else:
            refresh.pending.append(_Pending(record, key, article.id, previous[0] if previous else ""))
    for pending in refresh.pending:
        items[pending.key] = [pending.feed_id, pending.feed_id]
    subscription.items = items


def _fetch_pages(
    pool: ThreadPoolExecutor, refreshes: list[_Refresh], limits: Limits, progress: OnUpdateProgress
) -> None:
    """Full-text feeds: each new item's page replaces its excerpt when it says more."""
    wanted = [(refresh, pending) for refresh in refreshes if refresh.subscription.full_text
              for pending in refresh.pending if pending.record.url]
    futures = {pool.submit(page_text, pending.record.url, limits=limits): (refresh, pending)
               for refresh, pending in wanted}
    for done, future in enumerate(as_completed(futures), start=1):
        refresh, pending = futures[future]
        try:
            text = future.result()
        except Exception as failure:  # a page, whatever breaks in it, keeps its excerpt
            refresh.result.pages_failed += 1
            refresh.result.page_error = refresh.result.page_error or _one_line(pending.record.url, failure)
        else:
            if len(text) > len(pending.record.body):
                pending.record.body = text
        progress(UpdateProgress("pages", done, len(futures)))


def _settle(refreshes: list[_Refresh], stored: set[str]) -> None:
    """The stored id of each new or changed item (with full text, that of the page's text), and
    the counts the report gives: an article two feeds bring is new once, as it is stored once."""
    known = set(stored)
    for refresh in refreshes:
        for pending in refresh.pending:
            stored_id = pending.feed_id
            if refresh.subscription.full_text:
                article = article_from_record(pending.record)
                stored_id = article.id if article is not None else stored_id
            refresh.subscription.items[pending.key] = [stored_id, pending.feed_id]
            if pending.previous and pending.previous != stored_id:
                refresh.replaced[pending.previous] = stored_id
                refresh.result.changed += 1
            elif not pending.previous and stored_id not in known:
                refresh.result.added += 1
            known.add(stored_id)


def _one_line(url: str, failure: Exception) -> str:
    """ImportFailure names its URL already; anything else (a parser's bug) is named for it."""
    if isinstance(failure, ImportFailure):  # FetchError is one
        return str(failure)
    return f"{url}: cannot read it ({type(failure).__name__}: {' '.join(str(failure).split())})"


def _drop_old_versions(store: Store, refreshes: list[_Refresh], subscriptions: Subscriptions) -> None:
    """Remove the old versions of changed items that no feed lists any more, then let the
    search index catch up."""
    replaced = {old: new for refresh in refreshes for old, new in refresh.replaced.items()}
    if not replaced:
        return
    refreshed = {refresh.subscription.url: refresh.subscription for refresh in refreshes}
    current = [refreshed.get(s.url, s) for s in subscriptions.all()]
    listed = {ids[0] for subscription in current for ids in subscription.items.values()}
    gone = [old for old in replaced if old not in listed]
    if gone and store.remove(gone, flags_to=replaced):
        update_index(store)

