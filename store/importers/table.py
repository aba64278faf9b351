"""Tables with a header row (CSV, or tab/semicolon separated): one article per row.

Columns are matched to fields by name (records.FIELD_NAMES), so exports from different tools
import without configuration. Cells may be quoted and span lines, as spreadsheets write them.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable

from store.importers.decode import head_text, text_lines
from store.importers.records import (
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


def is_header(cells: Iterable[str]) -> bool:
    """Whether a row names columns: every cell a known field name, one of them title or body."""
    named = [cell.strip() for cell in cells if cell.strip()]
    fields = [field_for_key(cell) for cell in named]
    return bool(named) and None not in fields and bool({"title", "body"} & set(fields))


def sniff_delimiter(header_line: str) -> str:
    """The delimiter used most in the header line (comma when there is none)."""
    return max(DELIMITERS, key=header_line.count) if header_line.strip() else ","


def parse(data: bytes, *, origin: str, delimiter: str | None = None) -> Parsed:
    """Records from a table whose first row is a header."""
    if delimiter is None:
        delimiter = sniff_delimiter(head_text(data, origin=origin).split("\n", 1)[0])
    yield from fill_dates(lambda: _rows(data, origin, delimiter), origin)


def _rows(data: bytes, origin: str, delimiter: str) -> Parsed:
    reader = csv.reader(text_lines(data, origin=origin), delimiter=delimiter)
    header = [cell.strip() for cell in next(reader, [])]
    columns = pick_fields(header)
    if "title" not in columns and "body" not in columns:
        found = ", ".join(cell for cell in header if cell) or "nothing"
        raise ImportFailure(f"{origin}:1: no title or text column in the header (found: {found})")
    row_start = reader.line_num + 1
    for row in reader:
        if any(cell.strip() for cell in row):
            yield _record(row, header, columns, row_start)
        row_start = reader.line_num + 1


def _record(
    row: list[str], header: list[str], columns: dict[str, str], line: int
) -> RawRecord | RowError:
    extra = [cell for cell in row[len(header) :] if cell.strip()]
    if extra:
        return RowError(line, f"{len(row)} cells, but the header names {len(header)}")
    return record_from_fields(dict(zip(header, row, strict=False)), columns, line=line)
