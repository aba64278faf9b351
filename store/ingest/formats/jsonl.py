"""JSON and JSON Lines: an array of articles, an object holding one under "articles", "items" or
"data", or one object per line.

JSON Lines is read a line at a time, so a bad line is one bad row and a large file is never
held as text; a JSON document has to be parsed whole.
"""

from __future__ import annotations

from collections.abc import Iterator

import orjson

from .decode import Data, decode_bytes, head_text, text_lines
from .records import (
    ImportFailure,
    Parsed,
    RawRecord,
    RowError,
    fill_dates,
    pick_fields,
    record_from_fields,
)

LIST_KEYS = ("articles", "items", "data", "entries", "posts", "results", "records", "news")


def parse(data: Data, *, origin: str) -> Parsed:
    if is_json_lines(head_text(data, origin=origin)):
        yield from fill_dates(lambda: _lines(data, origin), origin)
        return
    document = _load_document(data, origin)
    items = _article_list(document)
    if items is None:
        if not (isinstance(document, dict) and _names_article_fields(document)):
            raise ImportFailure(
                f"{origin}: no articles found (expected an array of objects, or one under "
                f'"{LIST_KEYS[0]}", "{LIST_KEYS[1]}" or "{LIST_KEYS[2]}")'
            )
        items = [document]
    yield from fill_dates(lambda: _records(items, first_number=1, step=1), origin)


def is_json_lines(head: str) -> bool:
    """One complete JSON object on either of the first two lines: JSON Lines, not a document."""
    lines = [line for line in head.lstrip().split("\n") if line.strip()][:2]
    if not lines or not lines[0].lstrip().startswith("{"):
        return False
    for line in lines:
        try:
            if isinstance(orjson.loads(line), dict):
                return True
        except orjson.JSONDecodeError:
            continue
    return False


def _lines(data: Data, origin: str) -> Parsed:
    for number, line in enumerate(text_lines(data, origin=origin), start=1):
        if not line.strip():
            continue
        try:
            value = orjson.loads(line)
        except orjson.JSONDecodeError as error:
            yield RowError(number, f"invalid JSON: {error.msg} (column {error.colno})")
            continue
        items = _article_list(value)
        yield from _records([value] if items is None else items, first_number=number, step=0)


def _load_document(data: Data, origin: str) -> object:
    try:
        return orjson.loads(decode_bytes(data, origin=origin))
    except orjson.JSONDecodeError as error:
        raise ImportFailure(f"{origin}:{error.lineno}: invalid JSON: {error.msg}") from None


def _article_list(value: object) -> list | None:
    """The articles in a JSON value: the value itself if a list, else its first list under a
    LIST_KEYS name."""
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        for key in LIST_KEYS:
            if isinstance(value.get(key), list):
                return value[key]
    return None


def _names_article_fields(value: dict) -> bool:
    columns = pick_fields(list(value))
    return "title" in columns or "body" in columns


def _records(items: list, *, first_number: int, step: int) -> Iterator[RawRecord | RowError]:
    """Records from JSON values; each is numbered first_number + step * index (its record number
    in a document, or the line it came from in JSON Lines)."""
    for index, item in enumerate(items):
        number = first_number + step * index
        if isinstance(item, dict):
            yield record_from_fields(item, pick_fields(list(item)), line=number)
        else:
            yield RowError(number, "not a JSON object")
