"""Which importer reads a source: by its extension, else by sniffing its first bytes.

Arguments (files, folders, URLs) become concrete sources first; a folder contributes every
non-hidden file under it, and one that is not a supported format fails on its own when
parsed, so the caller can report it and carry on:

    for source in expand_sources(arguments):
        try:
            for item in parse_source(source): ...
        except ImportFailure as failure: report(failure)
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from store.feeds.http import fetch
from store.importers import feed, jsonl, table, tsv
from store.importers.decode import head_text
from store.importers.records import ImportFailure, Parsed, RawRecord, RowError

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

    @property
    def is_url(self) -> bool:
        return self.origin.lower().startswith(URL_SCHEMES)

    def read(self) -> bytes:
        """A file's bytes (URLs are downloaded by parse_source, which also wants their charset)."""
        try:
            return Path(self.origin).read_bytes()
        except FileNotFoundError:
            raise ImportFailure(f"no such file: {self.origin}") from None
        except OSError as error:
            raise ImportFailure(f"{self.origin}: cannot read: {error.strerror}") from None


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
        files = _files_under(path) if path.is_dir() else [path]
        for file in files:
            expanded.setdefault(os.path.realpath(file), Source(str(file)))
    return list(expanded.values())


def parse_source(source: Source) -> Parsed:
    """The records of a source, read by the importer its extension or content calls for;
    ImportFailure (one line naming the source) for binary, undecodable or unknown input."""
    charset = None
    if source.is_url:  # a feed reads the charset its server names; other formats find their own
        response = fetch(source.origin)
        data, charset = response.body, response.charset
    else:
        data = source.read()
    if not data or data.isspace():
        return  # an empty file holds no articles, which is not an error
    kind = format_of(source.origin, data)
    if kind == "feed":
        yield from feed.parse(data, origin=source.origin, charset=charset)
        return
    yield from PARSERS[kind](data, origin=source.origin)


def format_of(origin: str, data: bytes) -> str:
    """"tsv", "csv", "json" or "feed": by extension, else by the look of the first lines."""
    extension = Path(origin.split("?", 1)[0]).suffix.lower()
    if extension in EXTENSIONS:
        return EXTENSIONS[extension]
    # Feeds declare their own encoding (often one decode.py does not read), so look at raw bytes.
    if _looks_like_feed(data[:4096].decode("latin-1")):
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


def _looks_like_feed(head: str) -> bool:
    start = head[:4096].lstrip("\ufeff\xef\xbb\xbf \t\r\n").lower()
    return start.startswith("<") and any(root in start for root in _FEED_ROOTS)


def _files_under(folder: Path) -> list[Path]:
    files: list[Path] = []
    for root, directories, names in os.walk(folder):
        directories[:] = sorted(d for d in directories if not d.startswith("."))
        files.extend(Path(root, name) for name in sorted(names) if not name.startswith("."))
    return files
