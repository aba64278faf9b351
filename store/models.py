"""The records newstui keeps, as plain dataclasses."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


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
    keywords: list[str] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    chars: int = 0  # body length in characters, for the metadata line
    read: bool = False
    starred: bool = False
    imported_at: str = ""


@dataclass(slots=True, kw_only=True)
class Article(Entry):
    """A whole article: an entry plus its body (paragraphs separated by newlines)."""

    body: str = ""

    @classmethod
    def from_entry(cls, entry: Entry, body: str) -> Article:
        return cls(**entry_fields(entry), body=body)

    def entry(self) -> Entry:
        return Entry(**entry_fields(self))


def entry_fields(entry: Entry) -> dict:
    """The fields of an entry (not the body) as a dict, for JSON and copying."""
    data = asdict(entry)
    data.pop("body", None)
    return data


ENTRY_FIELDS: tuple[str, ...] = tuple(Entry.__dataclass_fields__)
