"""Store files: TinyDB on an atomic, cached orjson storage, the locks, and the store's errors.

Every store file (catalogue, shards, reading state, subscriptions) is a TinyDB file written
through AtomicJSONStorage, so a crash leaves the old file or the new one, never half of either.
"""

from __future__ import annotations

import gc
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import orjson
from filelock import FileLock, Timeout
from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from .layout import StoreFiles

# Temp files of write_atomic: ".NAME.<pid>.<thread>.tmp".
_TEMP_FILE = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.\d+\.tmp$")


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic GC while building 100k objects that hold no cycles.

    Parsing the catalogue of a 100k-article store allocates millions of objects; the collector
    runs over and over during that and tripled the load time. Storing lists as joined strings
    (fewer containers) and pausing it brings the load well under a second.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class StoreError(Exception):
    """A problem with the store that the user must hear about in one line."""


@contextmanager
def holding(lock: FileLock, busy: str) -> Iterator[None]:
    """Hold a cross-process lock; StoreError(busy) when another process keeps it too long."""
    try:
        with lock:
            yield
    except Timeout:
        raise StoreError(busy) from None


class CorruptStoreError(StoreError):
    """A store file that is not valid JSON. It is never overwritten."""


class AtomicJSONStorage(Storage):
    """TinyDB storage: orjson (UTF-8, not ``\\uXXXX``), atomic replace, cached until changed.

    TinyDB reads the whole file on every operation; this keeps the parsed document and only
    re-reads when the file on disk changed (another process wrote it). Writes go to a temp file
    that is fsynced and renamed over the old one, so a crash leaves the old file or the new one,
    never half of either.
    """

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        self._data: dict | None = None
        self._stamp: tuple[int, int, int] | None = None

    def _disk_stamp(self) -> tuple[int, int, int] | None:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def read(self) -> dict | None:
        stamp = self._disk_stamp()
        if stamp is None:
            self._data, self._stamp = None, None
            return None
        if stamp != self._stamp or self._data is None:
            raw = self.path.read_bytes()
            try:
                with paused_gc():
                    data = orjson.loads(raw) if raw.strip() else {}
            except orjson.JSONDecodeError as exc:
                raise CorruptStoreError(
                    f"{self.path}: store file is corrupt ({exc}); it was left untouched — "
                    f"run 'newstui doctor' to salvage it"
                ) from None
            if not isinstance(data, dict):
                raise CorruptStoreError(f"{self.path}: store file is not a TinyDB document")
            self._data, self._stamp = data, stamp
        return self._data

    def write(self, data: dict) -> None:
        try:
            write_atomic(self.path, orjson.dumps(data))
        except BaseException:
            self._data, self._stamp = None, None  # TinyDB mutated our cached copy; forget it
            raise
        self._data, self._stamp = data, self._disk_stamp()


def write_atomic(path: Path, payload: bytes) -> None:
    """Write bytes to path so that readers see either the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        with open(tmp, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def dead_temp_files(path: Path) -> list[Path]:
    """Temp files of writers that no longer run (a live writer's temp file is still in use)."""
    bodies_dir = StoreFiles(path).bodies
    candidates = list(path.parent.glob(f".{path.name}*.tmp"))
    candidates += list(bodies_dir.glob(".*.tmp")) if bodies_dir.is_dir() else []
    temps = []
    for candidate in candidates:
        match = _TEMP_FILE.match(candidate.name)
        if match and not process_alive(int(match["pid"])):
            temps.append(candidate)
    return sorted(temps)


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


class KeyedTable(Table):
    """A TinyDB table keyed by our own string ids instead of TinyDB's counters."""

    document_id_class = str


class KeyedDB(TinyDB):
    table_class = KeyedTable


def open_tinydb(path: Path) -> TinyDB:
    return KeyedDB(path, storage=AtomicJSONStorage)
