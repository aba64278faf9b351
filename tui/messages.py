"""Messages the browser's widgets post to each other (through the app), so none holds another."""

from __future__ import annotations

from textual.message import Message

from store.models import Entry


class ArticleHighlighted(Message):
    """The list cursor moved onto an article (the reader previews it)."""

    def __init__(self, entry: Entry) -> None:
        super().__init__()
        self.entry = entry


class ArticleOpened(Message):
    """The user chose an article: read it, mark it read, move focus to the reader."""

    def __init__(self, entry: Entry) -> None:
        super().__init__()
        self.entry = entry


class SearchChanged(Message):
    """The query text changed (sent on every keystroke; the app drops stale results)."""

    def __init__(self, query: str) -> None:
        super().__init__()
        self.query = query


class SearchSubmitted(Message):
    """Enter in the search bar: move to the results."""
