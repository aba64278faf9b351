"""Which importer reads a source: by its extension, else by sniffing its first bytes.

Arguments (files, folders, URLs) become concrete sources first; a folder contributes every
non-hidden file under it, and one that is not a supported format fails on its own when
parsed, so the caller can report it and carry on. Only regular files are read: a FIFO would
wait forever and /dev/zero never ends, so those (named or met in a folder), links to folders
and sub-folders that cannot be listed become sources that fail with the reason:

    for source in expand_sources(arguments):
        try:
            for item in parse_source(source): ...
        except ImportFailure as failure: report(failure)
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..feeds.http import fetch
from . import feed, jsonl, table, tsv
from .decode import SAMPLE_BYTES, Data, head_text, open_data, sample_bytes
from .records import ImportFailure, Parsed, RawRecord, RowError

__all__ = [
    "ImportFailure",
    "RawRecord",
    "RowError",
    "Source",
    "expand_sources",
    "format_of",
    "parse_source",
]

Parser = Callable[..., Parsed]
PARSERS: dict[str, Parser] = {
    "tsv": tsv.parse,
    "csv": table.parse,
    "json": jsonl.parse,
    "feed": feed.parse,
}
EXTENSIONS = {
    ".tsv": "tsv", ".tab": "tsv",
    ".csv": "csv",
    ".json": "json", ".jsonl": "json", ".ndjson": "json",
    ".rss": "feed", ".atom": "feed", ".xml": "feed",
}
URL_SCHEMES = ("http://", "https://")
_FEED_ROOTS = ("<rss", "<feed", "<rdf:rdf")


@dataclass(frozen=True, slots=True)
class Source:
    """A file or URL to import: its origin (as given, for messages) and how to read it."""

    origin: str
    problem: str | None = None  # why it cannot be read, when known from listing its folder

    @property
    def is_url(self) -> bool:
        return self.origin.lower().startswith(URL_SCHEMES)

    def data(self) -> Data:
        """The file, to read in chunks (URLs are downloaded by parse_source, which also wants
        their charset); ImportFailure when it cannot be read."""
        if self.problem:
            raise ImportFailure(f"{self.origin}: {self.problem}")
        return RegularFile(self.origin)


class RegularFile:
    """A regular file, opened anew for each reading (check, sniff, parse), never held whole."""

    __slots__ = ("__weakref__", "path")

    def __init__(self, path: str) -> None:
        self.path = path

    def open(self) -> BinaryIO:
        """The file, checked to be regular once open (O_NONBLOCK: a FIFO must not block the open)."""
        flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
        try:
            descriptor = os.open(self.path, flags)
        except FileNotFoundError:
            raise ImportFailure(f"no such file: {self.path}") from None
        except OSError as error:
            raise ImportFailure(f"{self.path}: cannot read: {error.strerror}") from None
        problem = _not_regular(self.path, os.fstat(descriptor).st_mode)
        if problem:
            os.close(descriptor)
            raise ImportFailure(f"{self.path}: {problem}")
        return os.fdopen(descriptor, "rb")


def expand_sources(sources: list[str]) -> list[Source]:
    """Files, folders (walked recursively, hidden entries skipped) and URLs as concrete sources,
    each once, in the order given; ImportFailure for a path that does not exist."""
    expanded: dict[str, Source] = {}
    for given in sources:
        if given.lower().startswith(URL_SCHEMES):
            expanded.setdefault(given, Source(given))
            continue
        path = Path(given)
        if not path.exists():
            raise ImportFailure(f"no such file: {given}")
        for source in _sources_under(path) if path.is_dir() else [_file_source(str(path))]:
            key = source.origin if source.problem else os.path.realpath(source.origin)
            expanded.setdefault(key, source)
    return list(expanded.values())


def parse_source(source: Source) -> Parsed:
    """The records of a source, read by the importer its extension or content calls for;
    ImportFailure (one line naming the source) for binary, undecodable or unknown input."""
    charset = None
    data: Data
    if source.is_url:  # a feed reads the charset its server names; other formats find their own
        response = fetch(source.origin)
        data, charset = response.body, response.charset
    else:
        data = source.data()
    if _is_blank(data):
        return  # an empty file holds no articles, which is not an error
    kind = format_of(source.origin, data)
    if kind == "feed":
        yield from feed.parse(data, origin=source.origin, charset=charset)
        return
    yield from PARSERS[kind](data, origin=source.origin)


def format_of(origin: str, data: Data) -> str:
    """"tsv", "csv", "json" or "feed": by extension, else by the look of the first lines."""
    extension = Path(origin.split("?", 1)[0]).suffix.lower()
    if extension in EXTENSIONS:
        return EXTENSIONS[extension]
    # Feeds declare their own encoding (often one decode.py does not read), so look at raw bytes.
    if _looks_like_feed(sample_bytes(data)[:4096].decode("latin-1")):
        return "feed"
    head = head_text(data, origin=origin).lstrip("\ufeff \t\r\n")
    first_line = head.split("\n", 1)[0]
    if _looks_like_feed(head):
        return "feed"
    if head.startswith(("[", "{")):
        return "json"
    if "\t" in first_line:
        return "tsv"
    if table.is_header(first_line.split(table.sniff_delimiter(first_line))):
        return "csv"
    raise ImportFailure(
        f"{origin}: unrecognised format (expected TSV, CSV with a header, JSON, JSONL, RSS or Atom)"
    )


def _is_blank(data: Data) -> bool:
    with open_data(data) as stream:
        while chunk := stream.read(SAMPLE_BYTES):
            if not chunk.isspace():
                return False
    return True


def _looks_like_feed(head: str) -> bool:
    start = head[:4096].lstrip("\ufeff\xef\xbb\xbf \t\r\n").lower()
    return start.startswith("<") and any(root in start for root in _FEED_ROOTS)


def _sources_under(folder: Path) -> list[Source]:
    """Every non-hidden entry under folder, in name order; those that cannot be read carry why."""
    sources: list[Source] = []

    def unlistable(error: OSError) -> None:
        sources.append(Source(str(error.filename), f"cannot list the folder: {error.strerror}"))

    for root, directories, names in os.walk(folder, onerror=unlistable):
        visible = sorted(d for d in directories if not d.startswith("."))
        directories[:] = [d for d in visible if not os.path.islink(os.path.join(root, d))]
        for name in sorted({*names, *visible} - set(directories)):
            if not name.startswith("."):
                sources.append(_file_source(os.path.join(root, name)))
    return sources


def _file_source(path: str) -> Source:
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return Source(path, "skipped: a broken symbolic link")
    except OSError as error:
        return Source(path, f"cannot read: {error.strerror}")
    if os.path.islink(path) and stat.S_ISDIR(mode):
        return Source(path, "skipped: a link to a folder (links to folders are not followed)")
    return Source(path, _not_regular(path, mode))


_KINDS = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def _not_regular(path: str, mode: int) -> str | None:
    """Why a file of this mode is not read, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "cannot read: Is a directory"
    kind = next((name for test, name in _KINDS if test(mode)), "a special file")
    if os.path.islink(path):
        kind = f"a link to {os.path.realpath(path)}, {kind}"
    return f"skipped: not a regular file ({kind})"
