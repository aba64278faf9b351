r"""Tab-separated dumps without a header: each row holds one or more articles.

An article is an optional date field, a title and a body ("2018/9/26 10:09\ttitle\tbody"), and
a row may hold several ("t1\tb1\tt2\tb2"). Empty fields at the end of a row, and rows of
nothing but tabs, are padding. A row with a single field is a body without a title. A first
row of column names ("title\tbody") makes the file a table, read by table.py.
"""

from __future__ import annotations

from collections.abc import Iterator

from . import table
from .dates import parse_date
from .decode import Data, head_text, text_lines
from .records import Parsed, RawRecord, RowError, body_text, fill_dates


def parse(data: Data, *, origin: str) -> Parsed:
    first_line = head_text(data, origin=origin).split("\n", 1)[0]
    if table.is_header(first_line.split("\t")):
        yield from table.parse(data, origin=origin, delimiter="\t")
    else:
        yield from fill_dates(lambda: _rows(data, origin), origin)


def _rows(data: Data, origin: str) -> Parsed:
    for number, line in enumerate(text_lines(data, origin=origin), start=1):
        fields = line.rstrip("\n").split("\t")
        while fields and not fields[-1].strip():
            fields.pop()
        if fields:
            yield from _articles_in_row(fields, number)


def _articles_in_row(fields: list[str], line: int) -> Iterator[RawRecord | RowError]:
    """The articles of one row (trailing empty fields already removed)."""
    if len(fields) == 1:
        yield RawRecord(title="", body=body_text(fields[0]), date=None, line=line)
        return
    position = 0
    while position < len(fields):
        remaining = len(fields) - position
        # A group of three or more fields starts with a date field when one parses there, or
        # when it starts with an empty field followed by title/body pairs (an empty date column).
        date = parse_date(fields[position]) if remaining >= 3 else None
        if date is not None or (remaining >= 3 and remaining % 2 and not fields[position].strip()):
            position += 1
        if position + 1 >= len(fields):
            yield RowError(line, f"field {position + 1} is a title without a body")
            return
        title, body = fields[position], fields[position + 1]
        position += 2
        if title.strip() or body.strip():
            yield RawRecord(title=title, body=body_text(body), date=date, line=line)
