"""Tables with a header row (CSV, or tab/semicolon separated): one article per row.

Columns are matched to fields by name (records.FIELD_NAMES), so exports from different tools
import without configuration. Cells may be quoted and span lines, as spreadsheets write them.

A quote that never closes would take every row after it into one cell (up to the end of the file,
or to the next stray quote): rows are read strictly, and a row whose quoting breaks is read again
from its first line alone. That line is reported when its quote does not close on it, and kept
when it only has text after a closing quote ("a" b); the lines after it are read again as rows.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from itertools import chain

from .decode import Data, head_text, text_lines
from .records import (
    ImportFailure,
    Parsed,
    RawRecord,
    RowError,
    field_for_key,
    fill_dates,
    pick_fields,
    record_from_fields,
)

DELIMITERS = ",\t;"
# A whole article is one cell; the csv module's default cap (128 KiB) is far below long reads.
csv.field_size_limit(1 << 30)
# A row longer than this is a quote that never closed (the longest article met: 17.5M characters).
MAX_ROW_CHARS = 32 << 20
UNCLOSED_QUOTE = "a quote opens here and never closes; the rows after it are read without it"


def is_header(cells: Iterable[str]) -> bool:
    """Whether a row names columns: every cell a known field name, one of them title or body."""
    named = [cell.strip() for cell in cells if cell.strip()]
    fields = [field_for_key(cell) for cell in named]
    return bool(named) and None not in fields and bool({"title", "body"} & set(fields))


def sniff_delimiter(header_line: str) -> str:
    """The delimiter used most in the header line (comma when there is none)."""
    return max(DELIMITERS, key=header_line.count) if header_line.strip() else ","


def parse(data: Data, *, origin: str, delimiter: str | None = None) -> Parsed:
    """Records from a table whose first row is a header."""
    if delimiter is None:
        delimiter = sniff_delimiter(head_text(data, origin=origin).split("\n", 1)[0])
    yield from fill_dates(lambda: _rows(data, origin, delimiter), origin)


def _rows(data: Data, origin: str, delimiter: str) -> Parsed:
    lines = _RowLines(text_lines(data, origin=origin))
    header = [cell.strip() for cell in next(csv.reader(lines, delimiter=delimiter), [])]
    columns = pick_fields(header)
    if "title" not in columns and "body" not in columns:
        found = ", ".join(cell for cell in header if cell) or "nothing"
        raise ImportFailure(f"{origin}:1: no title or text column in the header (found: {found})")
    line = len(lines.row) + 1  # where the next row starts
    lines.next_row()
    while True:
        try:
            for row in csv.reader(lines, delimiter=delimiter, strict=True):
                if any(cell.strip() for cell in row):
                    yield _record(row, header, columns, line)
                line += len(lines.row)
                lines.next_row()
            return
        except (csv.Error, _RowTooLong):
            alone = _line_alone(lines.row[0], delimiter) if lines.row else None
            if alone is None:
                yield RowError(line, UNCLOSED_QUOTE)
            elif any(cell.strip() for cell in alone):
                yield _record(alone, header, columns, line)
            line += 1
            lines.read_again_after_first()


class _RowTooLong(Exception):
    pass


class _RowLines:
    """The lines given to a csv reader, keeping those of the row being read so that they can be
    read again when its quoting breaks (never more than MAX_ROW_CHARS of them)."""

    def __init__(self, lines: Iterator[str]) -> None:
        self._rest = lines
        self.row: list[str] = []
        self._chars = 0

    def __iter__(self) -> _RowLines:
        return self

    def __next__(self) -> str:
        line = next(self._rest)
        self.row.append(line)
        self._chars += len(line)
        if self._chars > MAX_ROW_CHARS and len(self.row) > 1:
            raise _RowTooLong
        return line

    def next_row(self) -> None:
        self.row, self._chars = [], 0

    def read_again_after_first(self) -> None:
        self._rest = chain(self.row[1:], self._rest)
        self.next_row()


def _line_alone(line: str, delimiter: str) -> list[str] | None:
    """The cells of one line read on its own; None when a quote opened on it does not close."""
    try:
        return next(csv.reader([line], delimiter=delimiter, strict=True))
    except csv.Error as error:
        if "end of data" in str(error):
            return None
        return next(csv.reader([line], delimiter=delimiter))  # text after a closing quote


def _record(
    row: list[str], header: list[str], columns: dict[str, str], line: int
) -> RawRecord | RowError:
    extra = [cell for cell in row[len(header) :] if cell.strip()]
    if extra:
        return RowError(line, f"{len(row)} cells, but the header names {len(header)}")
    return record_from_fields(dict(zip(header, row, strict=False)), columns, line=line)
