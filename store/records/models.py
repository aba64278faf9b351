"""The records newstui keeps, as plain dataclasses."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urlsplit

SUMMARY_SENTENCES = 3  # in the summary stored with each article (and the reader's default)


@dataclass(slots=True, kw_only=True)
class Entry:
    """What the article list needs: everything about an article except its body.

    Entries for a whole archive are held in memory, so the body stays on disk until asked for.
    """

    id: str
    title: str
    date: str | None = None  # ISO 8601 ("2018-09-26" or "2018-09-26T10:09"); None when unknown
    source: str = ""
    url: str = ""
    lang: str = "und"
    chars: int = 0  # body length in characters, for the metadata line
    read: bool = False
    starred: bool = False
    imported_at: str = ""
    feed: str = ""  # the subscription's URL, for articles from a feed newstui follows


@dataclass(slots=True, kw_only=True)
class Article(Entry):
    """A whole article: an entry plus what the reading pane shows.

    The summary and keywords live with the body, not in the list's catalogue: the list never
    shows them, and leaving them out halves what a 100k-article store loads at start-up.
    """

    body: str = ""  # paragraphs separated by newlines
    summary: list[str] = field(default_factory=list)  # extractive summary sentences, in order
    keywords: list[str] = field(default_factory=list)

    @classmethod
    def from_entry(cls, entry: Entry, body: str, summary: list[str], keywords: list[str]) -> Article:
        return cls(**entry_fields(entry), body=body, summary=summary, keywords=keywords)

    def entry(self) -> Entry:
        return Entry(**entry_fields(self))


def entry_fields(entry: Entry) -> dict:
    """The fields an Entry has (not body, summary, keywords) as a dict, for JSON and copying."""
    return {name: getattr(entry, name) for name in ENTRY_FIELDS}


ENTRY_FIELDS: tuple[str, ...] = tuple(Entry.__dataclass_fields__)


@dataclass(slots=True)
class Subscription:
    """A feed newstui follows: what the user chose, and what its last refresh learnt."""

    url: str
    full_text: bool = False  # fetch each new item's page and keep its main text
    category: str = ""  # the OPML folder it came from
    added_at: str = ""
    title: str = ""  # the feed's own title, from its last download
    site: str = ""  # the feed's link to its web site
    etag: str = ""
    last_modified: str = ""
    body_hash: str = ""  # of the last download: the same bytes again are not parsed again
    last_fetched: str = ""  # when the last refresh succeeded (a 304 counts)
    last_error: str = ""  # why the last refresh failed; empty when it succeeded
    # The items of the last download: item key -> [stored article id, id of the feed's text]
    items: dict[str, list[str]] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.title or urlsplit(self.url).hostname or self.url


# Full-width ASCII and the ideographic space, which Chinese text is full of (，：！), decompose to
# one ASCII character each. Replacing them first leaves NFKC's result the same (it decomposes
# them to exactly that), but lets its quick check pass, so most articles are not rebuilt
# character by character: a third of the cost of cleaning an article.
_WIDE_FORMS = re.compile("[\uff01-\uff5e\u3000]+")
_NARROW_FORMS = {code: unicodedata.normalize("NFKC", chr(code)) for code in [*range(0xFF01, 0xFF5F), 0x3000]}


def _narrowed(text: str) -> str:
    return _WIDE_FORMS.sub(lambda run: run.group().translate(_NARROW_FORMS), text)


def article_id(title: str, body: str, identity: str = "") -> str:
    """A stable id from normalised content, so importing the same article twice adds nothing.

    Whitespace and case are ignored and width variants folded (NFKC), so the same text from a
    differently formatted dump gets the same id. ``identity`` (a feed item's guid or link) is
    hashed in as it is: five untitled items with the same text and five guids are five articles.
    """
    key = unicodedata.normalize("NFKC", _narrowed(f"{title}\x1f{body}"))
    key = "".join(key.casefold().split())
    if identity:
        key += "\x1e" + identity
    return hashlib.blake2b(key.encode("utf-8"), digest_size=8).hexdigest()
