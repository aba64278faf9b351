"""The search bar: every keystroke becomes a ``SearchBar.QueryChanged``; the app searches in a worker."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Input

PLACEHOLDER = 'Search  (/)   words  "a phrase"  -exclude  source:name  is:unread  is:starred'


class SearchBar(Input):
    @dataclass
    class QueryChanged(Message):
        """The query text changed, on every keystroke (the app drops stale results)."""

        query: str

        def can_replace(self, message: Message) -> bool:
            # Keys typed faster than searches run: only the newest query is worth searching.
            return isinstance(message, SearchBar.QueryChanged)

    class QuerySubmitted(Message):
        """Enter or Esc in the search bar: move to the results."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "clear", "Clear search", id="search.clear"),
    ]

    def __init__(self, *, cursor_blink: bool = True, id: str | None = None) -> None:
        super().__init__(placeholder=PLACEHOLDER, id=id, select_on_focus=False)
        self.cursor_blink = cursor_blink

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.QueryChanged(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.QuerySubmitted())

    def action_clear(self) -> None:
        """Esc: empty the query (listing everything again) and go back to the list."""
        self.value = ""
        self.post_message(self.QuerySubmitted())
