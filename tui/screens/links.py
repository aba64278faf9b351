"""The links of an article, numbered: a number opens its link, as newsboat's and lynx's do."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ..rendering import plain_text


class LinksScreen(ModalScreen[None]):
    """Type a link's number (Enter when a longer number could follow) or pick one and press Enter."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,L", "dismiss", "Close", id="links.close"),
        Binding("y", "copy", "Copy link", id="links.copy"),
    ]

    def __init__(self, links: list[str], open_link: Callable[[str], None]) -> None:
        super().__init__()
        self._links = links
        self._open_link = open_link
        self._typed = ""  # the digits of a number being typed

    def compose(self) -> ComposeResult:
        width = len(str(len(self._links)))
        options = [
            Option(Text.assemble((f"{number:>{width}}  ", "bold"), plain_text(url)), id=str(number))
            for number, url in enumerate(self._links, start=1)
        ]
        links = OptionList(*options, id="links-list")
        links.border_title = "Links"
        links.border_subtitle = "number or Enter opens · y copies · Esc closes"
        yield links

    def on_key(self, event: events.Key) -> None:
        if event.character is None or not event.character.isdigit():
            return
        event.stop()
        typed = (self._typed + event.character).lstrip("0")
        self._typed = ""
        if not typed or int(typed) > len(self._links):
            self.notify(f"No link {typed or 0}", timeout=2)
            return
        self._typed = typed
        self.query_one(OptionList).highlighted = int(typed) - 1
        if int(typed) * 10 > len(self._links):  # no longer number could follow: open it now
            self._open(int(typed) - 1)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self._open(event.option_index)

    def _open(self, index: int) -> None:
        self._typed = ""
        self.dismiss()
        self._open_link(self._links[index])

    def action_copy(self) -> None:
        highlighted = self.query_one(OptionList).highlighted
        if highlighted is not None:
            self.app.copy_to_clipboard(self._links[highlighted])  # OSC 52, over SSH too
            self.notify("Link copied", timeout=2)
