"""The TinyDB store: a small catalogue of entries, bodies in shards, reading state apart.

Its files (``layout.py`` names them) are TinyDB files in UTF-8 JSON, written atomically; every
record read is checked against ``schema.py``. The search index next to them is a derived cache
(see ``store.search``) that can always be rebuilt from these.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import orjson
from tinydb.table import Document, Table

from .entry_list import EntryList
from .files import (
    AtomicJSONStorage,
    CorruptStoreError,
    StoreError,
    dead_temp_files,
    holding,
    open_tinydb,
    paused_gc,
    write_atomic,
)
from .layout import StoreFiles
from .models import Article, Entry, entry_fields
from .schema import (
    CATALOGUE_TYPES,
    FLAG_TYPES,
    SHARD_NAME,
    SHARD_TYPES,
    checked,
    checked_table,
    malformed,
)

# Re-exported: store.records.files is how the store writes; callers know them as the store's.
__all__ = [
    "CorruptStoreError", "Store", "StoreError", "dead_temp_files", "holding",
    "open_tinydb", "paused_gc", "write_atomic",
]

BODY_CACHE_SHARDS = 8
# Bodies per shard file: opening an article parses its whole shard, and 500 bodies of ~2,500
# Chinese characters parse in ~10 ms (5,000 took ~100 ms).
SHARD_ARTICLES = 500
LIST_SEPARATOR = "\n"  # summary sentences and keywords are kept as one string each: see paused_gc


@dataclass(slots=True)
class CommitResult:
    added: int
    duplicates: int
    ids: list[str] = field(default_factory=list)  # of the articles added, in order


class Store:
    """Open a store at ``path``; every method is safe to call from several processes."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path).expanduser()
        if self.path.is_dir():
            raise StoreError(f"{self.path}: is a directory, expected a store file")
        self.files = StoreFiles(self.path)
        self.bodies_dir = self.files.bodies
        self.index_dir = self.files.index
        self._lock = self.files.write_lock()
        self._catalogue = open_tinydb(self.path)
        self._state = open_tinydb(self.files.state)
        self._body_shards: OrderedDict[str, dict] = OrderedDict()
        self._entry_cache: dict[str, Entry] = {}  # one Entry per id, so flags set on it stick
        self._body_lock = threading.Lock()
        self._catalogue_docs()  # fail now, not later, on a corrupt catalogue
        self._flag_docs()

    @property
    def _articles(self) -> Table:
        return self._catalogue.table("articles")

    @property
    def _flags(self) -> Table:
        return self._state.table("state")

    def _catalogue_docs(self) -> dict:
        return checked_table(self._articles._read_table(), self.path, "articles")

    def _flag_docs(self) -> dict:
        return checked_table(self._flags._read_table(), self._state.storage.path, "state")

    # -- reading ---------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._catalogue_docs())

    def __contains__(self, article_id: str) -> bool:
        return article_id in self._catalogue_docs()

    def ids(self) -> set[str]:
        return set(self._catalogue_docs())

    def ordered_ids(self, sort: str = "date") -> list[str]:
        """Every id, newest first (undated last) or by title, without building an Entry each.

        The list of a 100k-article store needs only the order at start-up; it asks for
        ``entry(id)`` for the rows it actually draws (see EntryList).
        """
        table = self._catalogue_docs()
        with paused_gc():
            if sort == "title":
                return sorted(table, key=lambda i: self._title_key(i, table[i]))
            return sorted(table, key=lambda i: self._date_key(i, table[i]), reverse=True)

    def _title_key(self, article_id: str, doc: object) -> str:
        if not isinstance(doc, dict) or not isinstance(doc.get("title", ""), str):
            raise malformed(self.path, article_id, "title")
        return doc.get("title", "")

    def entry_list(self, ids: list[str]) -> EntryList:
        return EntryList(self, ids)

    def remember(self, entry: Entry) -> None:
        """Keep this entry as the one for its id (a damaged row's placeholder): flags set on it stick."""
        self._entry_cache[entry.id] = entry

    def present(self, ids: Iterable[str]) -> list[str]:
        """The ids still in the store, in order, from one read of the catalogue (a search's hits
        may name articles removed since the index was written)."""
        table = self._catalogue_docs()
        return [article_id for article_id in ids if article_id in table]

    def sources(self) -> dict[str, int]:
        """Article count per source name, most first."""
        counts = {source: len(ids) for source, ids in self.ids_by("source").items()}
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    def ids_by(self, field: str) -> dict[str, list[str]]:
        """Article ids per value of a catalogue field ("source", "feed"), where it has one."""
        groups: dict[str, list[str]] = {}
        for article_id, doc in self._catalogue_docs().items():
            value = doc.get(field) if isinstance(doc, dict) else None
            if isinstance(value, str) and value:
                groups.setdefault(value, []).append(article_id)
        return groups

    def _date_key(self, article_id: str, doc: object) -> str:
        """Dated before undated, then by date, then by import time, as one string: comparing
        strings sorts 100,000 ids about twice as fast as comparing tuples. Dates and times hold
        no control characters (they are cleaned), so NUL ends the date before any of its own."""
        if not isinstance(doc, dict) or not isinstance(doc.get("date") or "", str):
            raise malformed(self.path, article_id, "date")
        date = doc.get("date")
        return f"{'0' if date is None else '1'}{date or ''}\0{doc.get('imported_at', '')}"

    def entries(self) -> list[Entry]:
        """Every entry, newest first (undated last), with its read/starred flags."""
        table, flags = self._catalogue_docs(), self._flag_docs()
        with paused_gc():
            return [self._entry(i, table[i], flags.get(i)) for i in self.ordered_ids()]

    def entry(self, article_id: str) -> Entry | None:
        """The entry for one id, built once and then shared (the browser marks it read in place)."""
        cached = self._entry_cache.get(article_id)
        if cached is not None:
            return cached
        doc = self._catalogue_docs().get(article_id)
        if doc is None:
            return None
        built = self._entry(article_id, doc, self._flag_docs().get(article_id))
        return self._entry_cache.setdefault(article_id, built)

    def _entry(self, article_id: str, doc: object, flags: object) -> Entry:
        """An Entry from stored JSON, checked field by field: the file may have been edited."""
        doc = checked(doc, CATALOGUE_TYPES, self.path, article_id)
        flags = checked(flags or {}, FLAG_TYPES, self._state.storage.path, article_id)
        return Entry(
            id=article_id,
            title=doc.get("title", ""),
            date=doc.get("date"),
            source=doc.get("source", ""),
            url=doc.get("url", ""),
            lang=doc.get("lang", "und"),
            chars=doc.get("chars", 0),
            read=flags.get("read", False),
            starred=flags.get("starred", False),
            imported_at=doc.get("imported_at", ""),
            feed=doc.get("feed", ""),
        )

    def flagged(self) -> tuple[set[str], set[str]]:
        """(read ids, starred ids), from the small state file alone: the search filters need
        these on every read/star toggle, and building every Entry for them costs a second at 100k."""
        read, starred = set(), set()
        for article_id, flags in self._flag_docs().items():
            flags = checked(flags, FLAG_TYPES, self._state.storage.path, article_id)
            if flags.get("read"):
                read.add(article_id)
            if flags.get("starred"):
                starred.add(article_id)
        return read, starred

    def get(self, article_id: str) -> Article | None:
        """The whole article: entry, body, summary and keywords (read from its shard)."""
        entry = self.entry(article_id)
        if entry is None:
            return None
        shard = self._body_shard(self._shard_of(article_id))
        return self._article(entry, shard.get(article_id))

    def _shard_of(self, article_id: str) -> str:
        shard = self._catalogue_docs()[article_id].get("shard")
        if not isinstance(shard, str) or not SHARD_NAME.fullmatch(shard):
            raise malformed(self.path, article_id, "shard")
        return shard

    def _article(self, entry: Entry, record: object) -> Article:
        record = checked(record or {}, SHARD_TYPES, self.bodies_dir, entry.id)
        return Article.from_entry(
            entry,
            body=record.get("body", ""),
            summary=_split(record.get("summary")),
            keywords=_split(record.get("keywords")),
        )

    def body(self, article_id: str) -> str:
        article = self.get(article_id)
        if article is None:
            raise KeyError(article_id)
        return article.body

    def articles(self) -> Iterator[Article]:
        """Every article with its body, shard by shard (for export and reindexing)."""
        by_shard: dict[str, list[str]] = {}
        for article_id, doc in self._catalogue_docs().items():
            checked(doc, CATALOGUE_TYPES, self.path, article_id)
            by_shard.setdefault(self._shard_of(article_id), []).append(article_id)
        for shard_name, ids in sorted(by_shard.items()):
            shard = self._body_shard(shard_name)
            for article_id in ids:
                entry = self.entry(article_id)
                if entry is not None:
                    yield self._article(entry, shard.get(article_id))

    def _body_shard(self, name: str) -> dict:
        with self._body_lock:
            if name in self._body_shards:
                self._body_shards.move_to_end(name)
                return self._body_shards[name]
        storage = AtomicJSONStorage(self.files.shard(name))
        data = checked_table((storage.read() or {}).get("bodies", {}), storage.path, "bodies")
        with self._body_lock:
            self._body_shards[name] = data
            while len(self._body_shards) > BODY_CACHE_SHARDS:
                self._body_shards.popitem(last=False)
        return data

    def version(self) -> tuple[int, int, int] | None:
        """Changes whenever any process writes the catalogue (compare two calls to see)."""
        return self._catalogue.storage._disk_stamp()

    def changed_on_disk(self) -> bool:
        """True when another process has written the catalogue since we last read it."""
        storage = self._catalogue.storage
        return storage._disk_stamp() != storage._stamp

    # -- writing ---------------------------------------------------------------------------

    def add(self, articles: Iterable[Article]) -> CommitResult:
        """Add one batch of articles in a single commit; ones already stored are skipped.

        Bodies go to new shard files first, then the catalogue is replaced in one atomic write.
        A crash between the two leaves unreferenced shards, never a half-added article.
        """
        with self._locked():
            # A writer killed mid-write left its temp file (as big as what it wrote); we hold
            # the lock, so no live writer of this store is using one.
            for temp in dead_temp_files(self.path):
                temp.unlink(missing_ok=True)
            existing = self._catalogue_docs()
            fresh: dict[str, Article] = {}
            offered = 0
            for article in articles:
                offered += 1
                if article.id not in existing and article.id not in fresh:
                    fresh[article.id] = article
            duplicates = offered - len(fresh)
            if not fresh:
                return CommitResult(0, duplicates)
            now = datetime.now(UTC).isoformat(timespec="seconds")
            docs = []
            articles_in_order = list(fresh.values())
            first_shard = self._next_shard_number()
            for offset in range(0, len(articles_in_order), SHARD_ARTICLES):
                shard_name = f"{first_shard + offset // SHARD_ARTICLES:06d}"
                part = articles_in_order[offset : offset + SHARD_ARTICLES]
                bodies = {a.id: _reader_doc(a) for a in part}
                write_atomic(self.files.shard(shard_name), orjson.dumps({"bodies": bodies}))
                docs += [Document(_doc_from_article(a, shard_name, now), doc_id=a.id) for a in part]
            self._articles.insert_multiple(docs)
            return CommitResult(len(fresh), duplicates, list(fresh))

    def _locked(self) -> AbstractContextManager[None]:
        """The cross-process write lock; every read-modify-write of a store file happens inside."""
        return holding(self._lock, f"{self.path}: another newstui process holds the store lock")

    def create(self) -> None:
        """Make the catalogue file of a new store (empty), so the store exists before its first
        article: an import that adds nothing still leaves the store it was asked to fill."""
        with self._locked():
            if not self.path.exists():
                write_atomic(self.path, b"{}")

    def set_flags(self, article_id: str, *, read: bool | None = None, starred: bool | None = None) -> None:
        """Save read/starred for one article immediately."""
        self.mark([article_id], read=read, starred=starred)

    def mark(self, article_ids: Iterable[str], *, read: bool | None = None,
             starred: bool | None = None) -> int:
        """Set read/starred on many articles in one write ("mark all read", an import's marks);
        ids not in the store are ignored. Returns how many articles changed."""
        changes = {name: value for name, value in (("read", read), ("starred", starred))
                   if value is not None}
        article_ids = list(dict.fromkeys(article_ids))
        if not changes or not article_ids:
            return 0
        with self._locked():
            known, current = self._catalogue_docs(), self._flag_docs()
            changed = [
                article_id for article_id in article_ids
                if article_id in known
                and any((current.get(article_id) or {}).get(name, False) != value
                        for name, value in changes.items())
            ]
            if changed:
                self._flags._update_table(lambda table: table.update(
                    {article_id: {**(table.get(article_id) or {}), **changes} for article_id in changed}
                ))
        for article_id in changed:
            cached = self._entry_cache.get(article_id)
            if cached is not None:
                cached.read = changes.get("read", cached.read)
                cached.starred = changes.get("starred", cached.starred)
        return len(changed)

    def remove(self, ids: Iterable[str], *, flags_to: Mapping[str, str] | None = None) -> int:
        """Take articles out of the store (a feed item that changed leaves its old version);
        returns how many were stored. ``flags_to`` maps a removed id to the article replacing
        it, which takes over its read/starred marks.

        Marks move first, then the catalogue drops the entries in one write, then their shards
        are rewritten without the bodies: a crash at any point leaves every article whole. The
        search index learns of it when it is next brought up to date (it compares ids).
        """
        with self._locked():
            catalogue = self._catalogue_docs()
            gone = [i for i in dict.fromkeys(ids) if i in catalogue]
            if not gone:
                return 0
            flags = self._flag_docs()
            moved = {new: flags[old] for old, new in (flags_to or {}).items()
                     if old in flags and new in catalogue and new not in flags}

            def move_flags(table: dict) -> None:
                table.update(moved)
                for article_id in gone:
                    table.pop(article_id, None)

            if moved or any(i in flags for i in gone):
                self._flags._update_table(move_flags)
            shards: dict[str, list[str]] = {}
            for article_id in gone:
                shards.setdefault(self._shard_of(article_id), []).append(article_id)
            self._articles.remove(doc_ids=gone)
            for name, removed in shards.items():
                self._drop_bodies(name, removed)
        for article_id in gone:
            self._entry_cache.pop(article_id, None)
        return len(gone)

    def _drop_bodies(self, name: str, ids: list[str]) -> None:
        path = self.files.shard(name)
        bodies = dict(self._body_shard(name))
        for article_id in ids:
            bodies.pop(article_id, None)
        # Kept even when empty: a shard number is never reused, so a copy another process
        # has cached can only hold more bodies than the catalogue names, never other ones.
        write_atomic(path, orjson.dumps({"bodies": bodies}))
        with self._body_lock:
            self._body_shards.pop(name, None)

    def _next_shard_number(self) -> int:
        self.bodies_dir.mkdir(parents=True, exist_ok=True)
        numbers = [int(p.stem) for p in self.bodies_dir.glob("*.json") if p.stem.isdigit()]
        return max(numbers, default=0) + 1

    def stats(self) -> dict:
        entries = self.entries()
        dates = sorted(e.date for e in entries if e.date)
        sources: dict[str, int] = {}
        for e in entries:
            sources[e.source] = sources.get(e.source, 0) + 1
        return {
            "path": str(self.path),
            "articles": len(entries),
            "unread": sum(not e.read for e in entries),
            "starred": sum(e.starred for e in entries),
            "first_date": dates[0] if dates else None,
            "last_date": dates[-1] if dates else None,
            "languages": _count(e.lang for e in entries),
            "sources": dict(sorted(sources.items(), key=lambda kv: -kv[1])),
            "bytes": sum(p.stat().st_size for p in self._files()),
        }

    def _files(self) -> list[Path]:
        files = [self.path, self.files.state]
        files += list(self.bodies_dir.glob("*.json")) if self.bodies_dir.exists() else []
        return [f for f in files if f.exists()]

    def close(self) -> None:
        self._catalogue.close()
        self._state.close()


def _reader_doc(article: Article) -> dict:
    """What a body shard keeps per article. Lists are joined into one string: see paused_gc."""
    return {
        "body": article.body,
        "summary": LIST_SEPARATOR.join(article.summary),
        "keywords": LIST_SEPARATOR.join(article.keywords),
    }


def _split(joined: str | None) -> list[str]:
    return joined.split(LIST_SEPARATOR) if joined else []


def _count(values: Iterable[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


def _doc_from_article(article: Article, shard: str, now: str) -> dict:
    doc = entry_fields(article)
    for transient in ("id", "read", "starred"):
        doc.pop(transient)
    if not doc["feed"]:
        del doc["feed"]  # most articles come from no subscription: keep the catalogue small
    doc["imported_at"] = article.imported_at or now
    doc["chars"] = len(article.body)
    doc["shard"] = shard
    return doc
