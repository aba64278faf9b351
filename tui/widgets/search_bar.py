"""The search bar: every keystroke becomes a ``SearchChanged``; the app searches in a worker."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import Input

from ..messages import SearchChanged, SearchSubmitted

PLACEHOLDER = 'Search  (/)   words  "a phrase"  -exclude  source:name  is:unread  is:starred'


class SearchBar(Input):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "clear", "Clear search", id="search.clear"),
    ]

    def __init__(self, *, cursor_blink: bool = True, id: str | None = None) -> None:
        super().__init__(placeholder=PLACEHOLDER, id=id, select_on_focus=False)
        self.cursor_blink = cursor_blink

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(SearchChanged(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(SearchSubmitted())

    def action_clear(self) -> None:
        """Esc: empty the query (listing everything again) and go back to the list."""
        self.value = ""
        self.post_message(SearchSubmitted())
