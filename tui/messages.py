"""Messages the browser's widgets post to each other (through the app), so none holds another."""

from __future__ import annotations

from textual.message import Message

from ..store.records.models import Entry


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


class HitsChanged(Message):
    """The reader found search matches in its article, or n/N moved to one (for the status line)."""

    def __init__(self, current: int, total: int, complete: bool) -> None:
        super().__init__()
        self.current = current  # -1 before n was pressed
        self.total = total
        self.complete = complete  # False: there are more than ``total`` (the count has a cap)
