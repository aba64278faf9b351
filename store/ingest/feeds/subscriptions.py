"""The feeds newstui follows and what it knows of each: a TinyDB file beside the catalogue.

``PATH.feeds.json`` holds one document per subscription, keyed by its URL: what the user chose
(full text, category) and what the last refresh learnt (validators, title, when, what failed,
and the items it saw). It is written atomically like every store file, after the articles of a
refresh are committed: a refresh killed at any point loses no article, and the next one at worst
downloads a feed unconditionally again.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import asdict, replace
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from tinydb.table import Document

from ...records.db import CorruptStoreError, Store, holding, open_tinydb
from ...records.models import Subscription
from ...records.schema import FEED_TYPES, valid_feed_field

# Fields a refresh writes; the others are the user's and survive a refresh running meanwhile.
FETCHED_FIELDS = ("title", "site", "etag", "last_modified", "body_hash", "last_fetched", "last_error",
                  "items")


class Subscriptions:
    """Read and change a store's subscriptions; safe to use from several processes at once."""

    def __init__(self, store: Store) -> None:
        self.path = store.files.feeds
        self._db = open_tinydb(self.path)
        self._lock = store.files.feeds_lock()

    def _docs(self) -> dict:
        table = self._db.table("feeds")._read_table()
        if not isinstance(table, dict):
            raise CorruptStoreError(f"{self.path}: table 'feeds' is not an object")
        return table

    def all(self) -> list[Subscription]:
        """Every subscription, in the order they were added."""
        return [_subscription(self.path, url, doc) for url, doc in self._docs().items()]

    def get(self, url: str) -> Subscription | None:
        doc = self._docs().get(url)
        return None if doc is None else _subscription(self.path, url, doc)

    def __contains__(self, url: str) -> bool:
        return url in self._docs()

    def add(self, candidates: Iterable[Subscription], *, set_full_text: bool = False) -> list[bool]:
        """Subscribe to each candidate's URL (normalised by the caller), with its title and
        category; per candidate, True if it was new. An existing subscription is left as it is,
        except that ``set_full_text`` gives it the candidate's full_text."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        added = []
        with self._locked():
            table = self._db.table("feeds")
            for candidate in candidates:
                current = self.get(candidate.url)
                added.append(current is None)
                if current is None:
                    current = replace(candidate, added_at=now)
                elif set_full_text:
                    current.full_text = candidate.full_text
                table.upsert(Document(_doc(current), doc_id=current.url))
        return added

    def remove(self, url: str) -> bool:
        with self._locked():
            if url not in self:
                return False
            self._db.table("feeds").remove(doc_ids=[url])
            return True

    def save_fetched(self, updated: Iterable[Subscription]) -> None:
        """Write what a refresh learnt, in one write, for the feeds still subscribed (one may have
        been removed, or its options changed, while the refresh ran)."""
        updated = list(updated)

        def write(table: dict) -> None:
            for subscription in updated:
                current = table.get(subscription.url)
                if current is not None:
                    doc = _doc(subscription)
                    table[subscription.url] = {**current, **{k: doc[k] for k in FETCHED_FIELDS}}

        with self._locked():
            self._db.table("feeds")._update_table(write)

    def _locked(self) -> AbstractContextManager[None]:
        return holding(self._lock, f"{self.path}: another newstui process holds the feeds lock")

    def close(self) -> None:
        self._db.close()


def normalise_url(text: str) -> str:
    """A subscription URL as stored: feed:// and feed:https:// schemes unwrapped, scheme and host
    lower-cased, the fragment dropped; ValueError for what is not an http(s) URL."""
    text = text.strip()
    lowered = text.lower()
    if lowered.startswith("feed:"):
        text = text[5:].lstrip("/") if lowered.startswith(("feed:http://", "feed:https://")) else (
            "http://" + text[5:].lstrip("/")
        )
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {text}")
    netloc = parts.netloc.rsplit("@", 1)
    netloc[-1] = netloc[-1].lower()
    return urlunsplit((parts.scheme.lower(), "@".join(netloc), parts.path or "/", parts.query, ""))


def _doc(subscription: Subscription) -> dict:
    doc = asdict(subscription)
    del doc["url"]  # the document's key
    return doc


def _subscription(path: Path, url: str, doc: object) -> Subscription:
    """A subscription from stored JSON, checked field by field: the file may have been edited.
    Fields a newer newstui wrote are left alone."""
    if not isinstance(doc, dict):
        raise CorruptStoreError(f"{path}: feed {url!r} is not an object; run 'newstui doctor'")
    known = {name: value for name, value in doc.items() if name in FEED_TYPES}
    for name, value in known.items():
        if not valid_feed_field(name, value):
            raise CorruptStoreError(f"{path}: feed {url!r} has a malformed {name!r}; run 'newstui doctor'")
    return Subscription(url, **known)
