"""RSS 2.0 and Atom feeds (via feedparser), from a file or fetched from an http(s) URL.

Item bodies are HTML; they become plain paragraphs (html_text). The feed's title names the
source. Dates keep the publisher's wall-clock time, like every other importer (see dates.py).
"""

from __future__ import annotations

import http.client
import time
import urllib.error
import urllib.request
import warnings
from collections.abc import Iterator, Mapping

import feedparser

from store.importers.dates import parse_date
from store.importers.decode import Data, open_data, reject_binary
from store.importers.html_text import html_to_text
from store.importers.records import ImportFailure, Parsed, RawRecord, RowError, fill_dates

TIMEOUT_S = 20.0
MAX_DOWNLOAD_BYTES = 50 * 1024 * 1024
_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.8"
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def parse(data: Data, *, origin: str) -> Parsed:
    data = _whole(data, origin)
    reject_binary(data, origin=origin)  # feeds decode themselves (they declare their encoding)
    feed = feedparser.parse(data)
    if not feed.get("version") and not feed.entries:
        problem = feed.get("bozo_exception")
        detail = f" ({one_line(str(problem))})" if problem else ""
        raise ImportFailure(f"{origin}: not an RSS or Atom feed{detail}")
    source = one_line(feed.feed.get("title", ""))
    with warnings.catch_warnings():
        # feedparser warns on every entry read by "published" that only has "updated"; we ask for
        # both on purpose, and users must not see library warnings.
        warnings.simplefilter("ignore", DeprecationWarning)
        records = list(_records(feed.entries, source))
    yield from fill_dates(lambda: iter(records), origin)


def fetch(url: str, *, timeout: float = TIMEOUT_S, max_bytes: int = MAX_DOWNLOAD_BYTES) -> bytes:
    """The body of an http(s) URL; ImportFailure with a one-line reason when it cannot be had."""
    request = urllib.request.Request(url, headers={"User-Agent": "newstui", "Accept": _ACCEPT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read(max_bytes + 1)
    except urllib.error.HTTPError as error:
        raise ImportFailure(f"{url}: HTTP {error.code} {one_line(str(error.reason))}") from None
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise ImportFailure(f"{url}: no answer within {timeout:g} s") from None
        raise ImportFailure(f"{url}: cannot fetch: {one_line(str(error.reason))}") from None
    except TimeoutError:
        raise ImportFailure(f"{url}: no answer within {timeout:g} s") from None
    except (OSError, http.client.HTTPException) as error:
        raise ImportFailure(f"{url}: cannot fetch: {one_line(str(error))}") from None
    if len(data) > max_bytes:
        raise ImportFailure(f"{url}: larger than {_size(max_bytes)}, not imported")
    return data


def _whole(data: Data, origin: str) -> bytes:
    """A feed's bytes: feedparser reads a document whole, so one is taken up to the size of a
    download (MAX_DOWNLOAD_BYTES)."""
    if isinstance(data, bytes):
        return data
    with open_data(data) as stream:
        whole = stream.read(MAX_DOWNLOAD_BYTES + 1)
    if len(whole) > MAX_DOWNLOAD_BYTES:
        limit = _size(MAX_DOWNLOAD_BYTES)
        raise ImportFailure(f"{origin}: larger than {limit}, not imported (a feed is read whole)")
    return whole


def _size(count: int) -> str:
    for unit, scale in (("MB", 1 << 20), ("KB", 1 << 10)):
        if count >= scale:
            return f"{count / scale:g} {unit}"
    return f"{count} bytes"


def one_line(text: str) -> str:
    return " ".join(text.split())


def _records(entries: list, source: str) -> Iterator[RawRecord | RowError]:
    for number, entry in enumerate(entries, start=1):
        title = _text(entry.get("title_detail") or {"value": entry.get("title", "")})
        title = one_line(title)
        body = _body(entry)
        if not title and not body:
            yield RowError(number, "feed item with no title and no text")
            continue
        yield RawRecord(
            title=title,
            body=body,
            date=_date(entry),
            source=source,
            url=_web_link(entry.get("link", "")),
            line=number,
        )


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
