"""The help screen: every key binding, grouped by where it works, with the user's keymap applied."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

Section = tuple[str, Iterable[BindingType]]


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close help", id="help.close"),
        Binding("j,down", "scroll('down')", "Scroll down", id="help.down", show=False),
        Binding("k,up", "scroll('up')", "Scroll up", id="help.up", show=False),
    ]

    def __init__(self, sections: list[Section], keymap: Mapping[str, str]) -> None:
        super().__init__()
        self._sections = sections
        self._keymap = keymap

    def compose(self) -> ComposeResult:
        # "Anywhere" on the left, the panes' own keys on the right.
        columns = (self._sections[:1], self._sections[1:])
        with VerticalScroll(id="help-body") as body:
            body.border_title = "newstui keys"
            body.border_subtitle = "Esc closes"
            with Horizontal(id="help-columns"):
                for column in columns:
                    yield Static(self._table(column), classes="help-column")

    def action_scroll(self, direction: str) -> None:
        body = self.query_one("#help-body", VerticalScroll)
        body.scroll_down() if direction == "down" else body.scroll_up()

    def _table(self, sections: list[Section]) -> Table:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for number, (title, bindings) in enumerate(sections):
            if number:
                table.add_row("", "")
            table.add_row(Text(title, style="underline"), "")
            for binding in bindings:
                if isinstance(binding, Binding) and binding.description:
                    table.add_row(Text(self._keys(binding)), Text(binding.description))
        return table

    def _keys(self, binding: Binding) -> str:
        keys = self._keymap.get(binding.id or "", binding.key)
        shown = [self.app.get_key_display(Binding(key.strip(), "")) for key in keys.split(",")]
        return " ".join(shown)
