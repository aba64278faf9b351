"""The help screen: every key with its binding id (for ``[keymap]`` in config.toml), grouped by
where it works, with the user's keymap applied; then the search syntax."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

Section = tuple[str, Iterable[BindingType]]

SEARCH_SYNTAX = (
    ("商汤 德勤", "every word must match, in the title or the body"),
    ("", "none has all: those with most, as partial"),
    ("shangtang  siling", "pinyin of a word or part of one"),
    ("stkj", "pinyin initials"),
    ("天进  商唐科技  czfe", "homophones, near misses"),
    ("ECCV2018  iPhone 14", "letters and digits, joined or apart"),
    ('"exact phrase"', "these words, in this order"),
    ("-word", "leave out articles with it"),
    ("title:word", "only in titles"),
    ("source:name", 'only from a source ("quote names" with spaces)'),
    ("after:2018-09-01", "on or after a date (2018-09 and 2018 work too)"),
    ("before:2018-10-01", "before a date"),
    ("is:unread  is:read", "by read mark"),
    ("is:starred", "starred articles only"),
)


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close help", id="help.close"),
        Binding("j,down", "scroll('down')", "Scroll down", id="help.down", show=False),
        Binding("k,up", "scroll('up')", "Scroll up", id="help.up", show=False),
    ]

    def __init__(self, sections: list[Section], keymap: Mapping[str, str], config_file: Path) -> None:
        super().__init__()
        self._sections = sections
        self._keymap = keymap
        self._config_file = config_file

    def compose(self) -> ComposeResult:
        # "Anywhere" and the search syntax on the left, the panes' own keys on the right.
        with VerticalScroll(id="help-body") as body:
            body.border_title = "newstui keys"
            body.border_subtitle = "Esc closes · j/k scroll"
            with Horizontal(id="help-columns"):
                left = Group(self._table(self._sections[:1]), Text(), self._search_syntax())
                yield Static(left, classes="help-column")
                yield Static(self._table(self._sections[1:]), classes="help-column")
            yield Static(self._rebinding(), id="help-keymap")

    def action_scroll(self, direction: str) -> None:
        body = self.query_one("#help-body", VerticalScroll)
        body.scroll_down() if direction == "down" else body.scroll_up()

    def _table(self, sections: list[Section]) -> Table:
        table = Table.grid(padding=(0, 1))
        table.add_column(style="bold", no_wrap=True)
        table.add_column(ratio=1)
        table.add_column(style="dim", no_wrap=True)
        for number, (title, bindings) in enumerate(sections):
            if number:
                table.add_row("", "", "")
            table.add_row(Text(title, style="underline"), "", Text("binding id", style="italic"))
            for binding in bindings:
                if isinstance(binding, Binding) and binding.description:
                    table.add_row(Text(self._keys(binding)), Text(binding.description), binding.id or "")
        return table

    def _keys(self, binding: Binding) -> str:
        keys = self._keymap.get(binding.id or "", binding.key)
        shown = [self.app.get_key_display(Binding(key.strip(), "")) for key in keys.split(",")]
        return " ".join(shown)

    def _rebinding(self) -> Text:
        text = Text("Rebind a key by its id in ", style="dim", end="")
        text.append(_home_relative(self._config_file), style="bold")
        text.append(':  [keymap]  "list.down" = "j,down,ctrl+n"', style="dim")
        return text

    def _search_syntax(self) -> Table:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        table.add_row(Text("Search syntax", style="underline"), "")
        for example, meaning in SEARCH_SYNTAX:
            table.add_row(Text(example), Text(meaning))
        return table


def _home_relative(path: Path) -> str:
    try:
        return "~/" + str(path.relative_to(Path.home()))
    except ValueError:
        return str(path)
