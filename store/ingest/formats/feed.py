"""RSS 2.0, RSS 1.0 and Atom feeds (via feedparser), from a file or an HTTP download.

We decode the bytes ourselves and hand feedparser UTF-8 it can trust: a feed that declares no
encoding may be GB18030, Big5 or UTF-16 without a byte-order mark, which feedparser would read
as Windows-1252 mojibake or refuse. Item bodies are HTML; they become plain paragraphs
(html_text). The feed's title names the source. Each item carries its guid (else its link) so
that distinct items with the same text stay distinct articles. Dates keep the publisher's
wall-clock time, like every other importer (see dates.py).
"""

from __future__ import annotations

import codecs
import re
import time
import warnings
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

import feedparser

from .dates import parse_date
from .decode import Data, decode_undeclared, open_data
from .html_text import html_to_text
from .records import ImportFailure, Parsed, RawRecord, RowError, fill_dates

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)  # UTF-32's start with these
_XML_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
# Labels that name a subset of what publishers really send: read them as the superset.
# Keyed by Python's codec names (codecs.lookup("GB2312").name == "gb2312").
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "big5": "cp950", "iso8859-1": "cp1252",
              "ascii": "cp1252"}
_WESTERN = ("cp1252", "iso8859-1", "iso8859-15")
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")


@dataclass(slots=True)
class FeedDocument:
    """A feed as read: its title and site link, and its items as records."""

    title: str
    link: str
    records: list[RawRecord | RowError]


MAX_FEED_BYTES = 50 * 1024 * 1024  # feedparser reads a document whole: a file is taken up to this


def parse(data: Data, *, origin: str, charset: str | None = None) -> Parsed:
    yield from read_feed(_whole(data, origin), origin=origin, charset=charset).records


def _whole(data: Data, origin: str) -> bytes:
    """A feed's bytes, at most MAX_FEED_BYTES of them (a download is capped by its fetch)."""
    if isinstance(data, bytes):
        return data
    with open_data(data) as stream:
        whole = stream.read(MAX_FEED_BYTES + 1)
    if len(whole) > MAX_FEED_BYTES:
        limit = MAX_FEED_BYTES >> 20
        raise ImportFailure(f"{origin}: larger than {limit} MB, not imported (a feed is read whole)")
    return whole


def read_feed(data: bytes, *, origin: str, charset: str | None = None, base_url: str = "") -> FeedDocument:
    """The feed's items; ``charset`` is what the server declared, ``base_url`` where relative
    links point from. ImportFailure for what is not a feed or cannot be decoded."""
    text = feed_text(data, origin=origin, charset=charset)
    headers = {"content-type": "application/xml; charset=utf-8"}
    if base_url:
        headers["content-location"] = base_url
    feed = feedparser.parse(text.encode("utf-8"), response_headers=headers)
    if not feed.get("version") and not feed.entries:
        problem = feed.get("bozo_exception")
        detail = f" ({one_line(str(problem))})" if problem else ""
        raise ImportFailure(f"{origin}: not an RSS or Atom feed{detail}")
    source = one_line(feed.feed.get("title", ""))
    with warnings.catch_warnings():
        # feedparser warns on every entry read by "published" that only has "updated"; we ask for
        # both on purpose, and users must not see library warnings.
        warnings.simplefilter("ignore", DeprecationWarning)
        records = _records(feed.entries, source)
    filled = list(fill_dates(lambda: iter(records), origin))
    return FeedDocument(source, _web_link(feed.feed.get("link", "")), filled)


def feed_text(data: bytes, *, origin: str, charset: str | None = None) -> str:
    """The feed as text: by its byte-order mark, else by the charset its server named, else by
    its XML declaration, each only if the whole feed decodes with it; else by decode_undeclared.

    A UTF-16/32 label readable in ASCII bytes is wrong on its face and ignored, and so is a
    Western single-byte label on bytes that are valid UTF-8 with non-ASCII characters (the
    commonest mislabelling there is).
    """
    declared = _XML_DECLARED.match(data[:1024])
    return labelled_text(data, [charset, declared.group(1).decode("ascii") if declared else None],
                         origin=origin)


def labelled_text(data: bytes, labels: list[str | None], *, origin: str) -> str:
    """Markup read by its byte-order mark, else by the first label (a server's charset, a
    declaration) the whole of it decodes with, else as decode_undeclared finds it."""
    if not data.startswith(_BOMS):
        for label in labels:
            text = _decoded_as(data, label)
            if text is not None:
                return text
    return decode_undeclared(data, origin=origin)


def _decoded_as(data: bytes, label: str | None) -> str | None:
    if not label:
        return None
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    name = _SUPERSETS.get(name, name)
    if name.startswith(("utf-16", "utf-32")):
        return None
    if name in _WESTERN and _UTF8_MULTIBYTE.search(data):
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode(name)
    except UnicodeDecodeError:
        return None


def one_line(text: str) -> str:
    return " ".join(text.split())


def _records(entries: list, source: str) -> list[RawRecord | RowError]:
    records: list[RawRecord | RowError] = []
    for number, (entry, key) in enumerate(zip(entries, _item_keys(entries), strict=True), start=1):
        title = _text(entry.get("title_detail") or {"value": entry.get("title", "")})
        title = one_line(title)
        body = _body(entry)
        if not title and not body:
            records.append(RowError(number, "feed item with no title and no text"))
            continue
        records.append(RawRecord(
            title=title,
            body=body,
            date=_date(entry),
            source=source,
            url=_web_link(entry.get("link", "")),
            line=number,
            guid=key,
        ))
    return records


def _item_keys(entries: list) -> list[str]:
    """What identifies each item within its feed: its guid (Atom id), else its link. Feeds that
    give several items one guid get the link added, so those items stay apart."""
    keys = [one_line(entry.get("id") or entry.get("link") or "") for entry in entries]
    repeated = Counter(keys)
    return [
        f"{key} {one_line(entry.get('link', ''))}".rstrip() if key and repeated[key] > 1 else key
        for key, entry in zip(keys, entries, strict=True)
    ]


def _web_link(link: str) -> str:
    # feedparser falls back to an entry's id, which is often a URN nobody can open.
    return link if link.lower().startswith(("http://", "https://")) else ""


def _body(entry: Mapping) -> str:
    """The fullest text of an item: its longest content, or its summary if that is longer."""
    candidates = [*entry.get("content", []), entry.get("summary_detail")]
    texts = [_text(detail) for detail in candidates if detail]
    return max(texts, key=len, default="")


def _text(detail: Mapping) -> str:
    value = detail.get("value", "")
    return html_to_text(value) if detail.get("type", "text/html") in _HTML_TYPES else value


def _date(entry: Mapping) -> str | None:
    for key in ("published", "updated", "created"):
        date = parse_date(entry.get(key))
        if date:
            return date
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        moment = entry.get(key)
        if moment:  # feedparser's own reading of a form we do not know, in UTC
            return time.strftime("%Y-%m-%dT%H:%M", moment)
    return None
