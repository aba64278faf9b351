"""Checking a store's files and salvaging what is readable from damaged ones.

A damaged file is never overwritten: ``repair`` keeps it as ``NAME.corrupt-<UTC time>`` and writes
the articles it could still read into a new file under the old name. Salvage does not need the file
to be valid JSON: every ``"key": {…}`` entry of a TinyDB table is decoded on its own, so a truncated
file or one with garbage in the middle gives back every entry before and after the damage.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import orjson
from filelock import Timeout

from .files import StoreError, dead_temp_files, write_atomic
from .layout import StoreFiles
from .schema import is_article_doc, is_body, is_flags, is_subscription_doc

REPAIR_LOCK_TIMEOUT_S = 10.0
MAX_KEY_CHARS = 256

# A JSON object member whose value is an object: the shape of every entry of a TinyDB table.
# Keys (article ids) are short; bounding them keeps a scan from re-reading a long body string
# from each of its escaped quotes.
_ENTRY_START = re.compile(rf'"((?:[^"\\\x00-\x1f]|\\.){{0,{MAX_KEY_CHARS}}})"\s*:\s*\{{')
# Temp files of store.records.db.write_atomic: ".NAME.<pid>.<thread>.tmp".
_TEMP_FILE = re.compile(r"^\..+\.(?P<pid>\d+)\.\d+\.tmp$")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with one file; ``str()`` is the line to print."""

    path: Path
    message: str
    repairable: bool = True  # False: nothing left to salvage (a missing body stays missing)

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass(slots=True)
class RepairReport:
    articles: int = 0  # in the catalogue after repair
    salvaged: list[tuple[Path, Path, int]] = field(default_factory=list)  # (file, kept copy, entries)
    removed_temp_files: list[Path] = field(default_factory=list)
    bodies_missing: int = 0  # articles whose body is gone for good

    def lines(self) -> list[str]:
        """One line per action, then the outcome, for the CLI to print."""
        out = [
            f"{path}: salvaged {count} entries into a new file; the damaged file is kept as {kept.name}"
            for path, kept, count in self.salvaged
        ]
        out += [f"{path}: removed a temporary file left by an interrupted write"
                for path in self.removed_temp_files]
        if self.bodies_missing:
            out.append(f"{self.bodies_missing} articles have lost their text (their titles are kept)")
        if not out:
            out.append("nothing to repair")
        out.append(f"store has {self.articles} articles")
        return out


@dataclass(slots=True)
class _TableFile:
    """A TinyDB file holding one table, and what makes one of its entries valid."""

    path: Path
    table: str
    is_valid: Callable[[object], bool]
    noun: str  # "articles", "bodies", "flags"


@dataclass(slots=True)
class _Reading:
    entries: dict[str, dict]
    damage: str | None  # why the file needs repair; None when it is sound


def check(store_path: str | os.PathLike) -> list[Problem]:
    """Everything wrong with the store at ``store_path``, without changing anything."""
    path = Path(store_path).expanduser()
    if not path.is_file():
        return [Problem(path, "no store file here", repairable=False)]
    readings = _read_all(path)
    problems = [Problem(file, reading.damage) for file, reading in readings.items() if reading.damage]
    catalogue = readings[path].entries
    for shard, count in _missing_bodies(path, catalogue, readings).items():
        where = "missing" if not shard.exists() else "incomplete"
        problems.append(Problem(shard, f"{where}: {count} articles have lost their text", repairable=False))
    for temp in dead_temp_files(path):
        problems.append(Problem(temp, "temporary file left by an interrupted write"))
    return problems


def repair(store_path: str | os.PathLike) -> RepairReport:
    """Salvage every readable entry of every damaged file into a new file; keep the damaged ones.

    Holds the store's write lock, so no import or browser writes while files are replaced.
    """
    path = Path(store_path).expanduser()
    if not path.is_file():
        raise StoreError(f"{path}: no store file here")
    try:
        with StoreFiles(path).write_lock(REPAIR_LOCK_TIMEOUT_S):
            return _repair_locked(path)
    except Timeout:
        raise StoreError(f"{path}: another newstui process holds the store lock; try again") from None


def _repair_locked(path: Path) -> RepairReport:
    report = RepairReport()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    readings = _read_all(path)
    _drop_mangled_keys(path, readings)
    for table_file in _table_files(path):
        reading = readings[table_file.path]
        if reading.damage:
            kept = _keep_copy(table_file.path, stamp)
            write_atomic(table_file.path, orjson.dumps({table_file.table: reading.entries}))
            report.salvaged.append((table_file.path, kept, len(reading.entries)))
    for temp in dead_temp_files(path):
        temp.unlink(missing_ok=True)
        report.removed_temp_files.append(temp)
    catalogue = readings[path].entries
    report.articles = len(catalogue)
    report.bodies_missing = sum(_missing_bodies(path, catalogue, readings).values())
    return report


def _table_files(path: Path) -> list[_TableFile]:
    """The catalogue, the reading state, the subscriptions and every body shard of the store."""
    files = [
        _TableFile(path, "articles", is_article_doc, "articles"),
        _TableFile(StoreFiles(path).state, "state", is_flags, "flags"),
        _TableFile(StoreFiles(path).feeds, "feeds", is_subscription_doc, "feeds"),
    ]
    bodies_dir = StoreFiles(path).bodies
    if bodies_dir.is_dir():
        shards = sorted(bodies_dir.glob("*.json"))
        files += [_TableFile(shard, "bodies", is_body, "bodies") for shard in shards]
    return [f for f in files if f.path.is_file()]


def _read_all(path: Path) -> dict[Path, _Reading]:
    return {table_file.path: _read(table_file) for table_file in _table_files(path)}


def _read(table_file: _TableFile) -> _Reading:
    raw = table_file.path.read_bytes()
    if not raw.strip():
        return _Reading({}, None)  # the store treats an empty file as an empty table
    try:
        document = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        entries = salvage_entries(raw, table_file.is_valid)
        return _Reading(entries, f"not valid JSON ({exc}); {len(entries)} {table_file.noun} readable")
    table = document.get(table_file.table, {}) if isinstance(document, dict) else None
    if not isinstance(table, dict):
        entries = salvage_entries(raw, table_file.is_valid)
        found = f"{len(entries)} {table_file.noun} readable"
        return _Reading(entries, f"not a TinyDB '{table_file.table}' table; {found}")
    entries = {key: value for key, value in table.items() if table_file.is_valid(value)}
    bad = len(table) - len(entries)
    return _Reading(entries, f"{bad} entries are not valid {table_file.noun}" if bad else None)


def salvage_entries(raw: bytes, is_valid: Callable[[object], bool]) -> dict[str, dict]:
    """Every ``"key": {…}`` entry in ``raw`` that decodes on its own and passes ``is_valid``.

    Scanning resumes after each entry, or one character further after damage, so a file cut
    short or overwritten in the middle still yields the entries around the damage. Inside JSON
    strings every quote is escaped, so a match is (almost always) a real entry; ``is_valid``
    rejects the rest. The first copy of a key wins.
    """
    text = raw.decode("utf-8", errors="replace")
    decoder = json.JSONDecoder()
    found: dict[str, dict] = {}
    position = 0
    while (match := _ENTRY_START.search(text, position)) is not None:
        try:
            key = json.loads(f'"{match.group(1)}"')
            value, end = decoder.raw_decode(text, match.end() - 1)
        except ValueError:
            position = match.start() + 1
            continue
        if is_valid(value):
            found.setdefault(key, value)
            position = end
        else:
            position = match.start() + 1  # maybe a table holding entries: look inside it
    return found


def _drop_mangled_keys(path: Path, readings: dict[Path, _Reading]) -> None:
    """Drop catalogue entries salvaged under a damaged key: garbage that ends just before the
    tail of a real id ("…\x8bcj000015": {…}) still reads as a key. An entry whose shard is sound
    but has no body under that key is one of those; with its shard damaged too, it is kept."""
    catalogue = readings[path]
    if catalogue.damage is None:
        return
    bodies_dir = StoreFiles(path).bodies
    for article_id, doc in list(catalogue.entries.items()):
        shard = readings.get(bodies_dir / f"{doc['shard']}.json")
        if shard is not None and shard.damage is None and article_id not in shard.entries:
            del catalogue.entries[article_id]


def _missing_bodies(
    path: Path, catalogue: dict[str, dict], readings: dict[Path, _Reading]
) -> dict[Path, int]:
    """Per shard, how many catalogued articles have no body in it."""
    bodies_dir = StoreFiles(path).bodies
    missing: dict[Path, int] = {}
    for article_id, doc in catalogue.items():
        shard = bodies_dir / f"{doc['shard']}.json"
        reading = readings.get(shard)
        if reading is None or article_id not in reading.entries:
            missing[shard] = missing.get(shard, 0) + 1
    return missing


def _keep_copy(path: Path, stamp: str) -> Path:
    """Give the damaged file a second name (never overwriting an earlier copy).

    A hard link, not a rename: the store file exists at every moment, so a crash during repair
    can't make the store look new and empty.
    """
    kept = path.with_name(f"{path.name}.corrupt-{stamp}")
    number = 1
    while kept.exists():
        number += 1
        kept = path.with_name(f"{path.name}.corrupt-{stamp}-{number}")
    try:
        os.link(path, kept)
    except OSError:  # a filesystem without hard links
        shutil.copy2(path, kept)
    return kept
