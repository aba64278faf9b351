"""What every importer produces, and how a record with named fields (JSON, CSV) becomes one.

Importers only find articles in their input; cleaning, titles for untitled bodies, ids and
enrichment are the pipeline's job (store/importing.py), so each format stays small.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from .dates import date_from_text, find_dateline, parse_date, year_in_name
from .html_text import html_to_text, looks_like_html


@dataclass(slots=True)
class RawRecord:
    """One article as found in the input, before cleaning and enrichment."""

    title: str
    body: str  # paragraphs separated by "\n"; may still be dirty (the pipeline cleans it)
    date: str | None  # ISO "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM"; None if unknown
    source: str = ""
    url: str = ""
    line: int = 0  # 1-based line (or record number) in the input, for messages
    guid: str = ""  # what identifies a feed item within its feed (see store.text.article_id)
    feed: str = ""  # the subscription it came from, if any
    read: bool = False  # marks carried by newstui's own export (and other readers' exports)
    starred: bool = False


@dataclass(slots=True)
class RowError:
    """A bad row: counted and reported, while the rest of the file still imports."""

    line: int
    message: str  # without the origin or line: the pipeline prefixes "origin:line: "


class ImportFailure(Exception):
    """The whole input is unusable; the message is one line naming the file (and line)."""


Parsed = Iterator[RawRecord | RowError]


def fill_dates(parse: Callable[[], Parsed], origin: str) -> Parsed:
    """parse()'s items, with dates read from the text of records whose input gave none.

    A dateline without a year ("9月3日，") takes it from a full date in its own text, else from
    the file: the one year all its dated articles share, or, when none is dated, the year its
    name states. Articles from several years leave such a date unknown rather than guessed.
    Finding the file's year takes a second parse, done only when a record needs it.
    """
    context: list[int | None] = []  # the file's year, once worked out
    for item in parse():
        if isinstance(item, RawRecord) and item.date is None:
            item.date = date_from_text(item.body, None)
            if item.date is None and find_dateline(item.body) is not None:
                if not context:
                    context.append(_file_year(parse(), origin))
                item.date = date_from_text(item.body, context[0])
        yield item


def _file_year(items: Parsed, origin: str) -> int | None:
    years = set()
    for item in items:
        if isinstance(item, RawRecord):
            date = item.date or date_from_text(item.body, None)
            if date:
                years.add(int(date[:4]))
    if not years:
        return year_in_name(origin)
    return years.pop() if len(years) == 1 else None


# Field names seen in real exports (news APIs, scrapers, CMS dumps), most specific first.
# Keys are compared folded: lowercase, without "_", "-", " " (so pubDate == pub_date).
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline", "heading", "name", "subject", "标题", "题目", "新闻标题"),
    "body": ("content", "article", "body", "text", "maintext", "fulltext", "description",
             "summary", "abstract", "内容", "正文", "全文", "新闻内容", "摘要"),
    "date": ("date", "published", "publishedat", "pubdate", "publishdate", "publishtime",
             "publishedtime", "datetime", "time", "createdat", "created", "updated",
             "updatedat", "timestamp", "日期", "时间", "发布时间", "发布日期", "发表时间"),
    "url": ("url", "link", "href", "permalink", "sourceurl", "链接", "网址", "原文链接"),
    "source": ("source", "sourcename", "publisher", "site", "sitename", "media", "outlet",
               "feed", "author", "byline", "creator", "来源", "媒体", "出处", "作者"),
    # "text" marks bodies that are plain text even where they look like HTML (newstui's own export)
    "format": ("format", "bodyformat", "contenttype"),
    "read": ("read", "isread", "seen", "unread"),  # "unread" holds the opposite
    "starred": ("starred", "isstarred", "star", "favorite", "favourite", "flagged"),
}
_TRUE = frozenset({"true", "1", "yes", "y", "on"})
PLAIN_TEXT_FORMATS = ("text", "text/plain")
_FOLD = re.compile(r"[\s_\-]+")
_NESTED_TEXT_KEYS = ("rendered", "text", "value", "#text", "name", "title", "content")


def fold_key(name: str) -> str:
    return _FOLD.sub("", name).casefold()


def field_for_key(name: str) -> str | None:
    """The record field a column or JSON key holds ("pubDate" → "date"), or None."""
    folded = fold_key(name)
    for field, names in FIELD_NAMES.items():
        if folded in names:
            return field
    return None


def pick_fields(keys: list[str]) -> dict[str, str]:
    """For each record field, the input key that fills it (the best-ranked name present)."""
    by_folded = {fold_key(key): key for key in reversed(keys)}  # first occurrence wins
    chosen: dict[str, str] = {}
    for field, names in FIELD_NAMES.items():
        for name in names:
            key = by_folded.get(name)
            if key is not None and key not in chosen.values():
                chosen[field] = key
                break
    return chosen


def text_of(value: object) -> str:
    """Plain text from a JSON value: strings as they are, lists as paragraphs, objects by their
    text-like key (WordPress' {"rendered": …}, NewsAPI's {"name": …})."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        return "\n".join(part for part in map(text_of, value) if part)
    if isinstance(value, Mapping):
        for key in _NESTED_TEXT_KEYS:
            if key in value:
                return text_of(value[key])
    return ""


def body_text(value: str) -> str:
    """A body as paragraphs: HTML (from CMS exports and feeds) is reduced to its text."""
    return html_to_text(value) if looks_like_html(value) else value


def record_from_fields(
    fields: Mapping[str, object], columns: Mapping[str, str], *, line: int
) -> RawRecord | RowError:
    """A record from named values, with columns from pick_fields; dates are parsed here and
    filled from the text later (see fill_dates)."""

    def value(field: str) -> object:
        key = columns.get(field)
        return fields.get(key) if key is not None else None

    title = text_of(value("title"))
    plain = text_of(value("format")).strip().casefold() in PLAIN_TEXT_FORMATS
    body = text_of(value("body")) if plain else body_text(text_of(value("body")))
    if not title.strip() and not body.strip():
        return RowError(line, "no title and no text")
    raw_date = value("date")
    return RawRecord(
        title=html_to_text(title).replace("\n", " ") if looks_like_html(title) and not plain else title,
        body=body,
        date=parse_date(raw_date) if isinstance(raw_date, str | int | float) else None,
        source=text_of(value("source")).replace("\n", ", "),
        url=text_of(value("url")),
        line=line,
        read=_is_set(value("read")) != (columns.get("read", "").casefold() == "unread"),
        starred=_is_set(value("starred")),
    )


def _is_set(value: object) -> bool:
    """A mark as JSON (true, 1) or CSV ("True", "1", "yes") writes it."""
    if isinstance(value, bool | int | float):
        return bool(value)
    return isinstance(value, str) and value.strip().casefold() in _TRUE
