"""The README's Keys table names every key the app binds, where the app binds it."""

from __future__ import annotations

import re
from pathlib import Path

from textual.binding import Binding

from newstui.tui.app import NewsApp
from newstui.tui.widgets.article_list import ArticleList
from newstui.tui.widgets.reader import Reader
from newstui.tui.widgets.search_bar import SearchBar
from newstui.tui.widgets.sources_pane import SourcesPane

README = Path(__file__).resolve().parent.parent / "README.md"
# Textual's key names as the README writes them.
SHOWN = {"question_mark": "?", "slash": "/", "colon": ":", "vertical_line": "|", "plus": "+",
         "minus": "-", "enter": "Enter", "escape": "Esc", "tab": "Tab", "shift+tab": "Shift+Tab",
         "down": "arrows", "up": "arrows", "home": "Home", "end": "End", "pagedown": "PgDn",
         "pageup": "PgUp", "space": "space", "equals_sign": "+"}
NOT_IN_THE_TABLE = {"app.force_quit"}  # ctrl+q: Textual's own quit, kept for muscle memory


def keys_table() -> dict[str, set[str]]:
    """Per row of the table, the keys it names: `j`/`k`/arrows gives {"j", "k", "arrows"}."""
    text = README.read_text(encoding="utf-8")
    table = text[text.index("### Keys") : text.index("### Configuration")]
    rows = re.findall(r"^\| (anywhere|list|reader|search bar|sources pane) \| (.*) \|$", table, re.MULTILINE)
    return {
        where: {quoted or plain for quoted, plain in re.findall(r"`([^`]+)`|/([A-Za-z]+)",
                                                               cells.replace("\\|", "|"))}
        for where, cells in rows
    }


def test_every_binding_is_in_the_readme_keys_table():
    table = keys_table()
    places = {"anywhere": NewsApp.BINDINGS, "list": ArticleList.BINDINGS, "reader": Reader.BINDINGS,
              "search bar": SearchBar.BINDINGS, "sources pane": SourcesPane.BINDINGS}
    missing = []
    for where, bindings in places.items():
        for binding in bindings:
            assert isinstance(binding, Binding)
            if binding.id in NOT_IN_THE_TABLE:
                continue
            for key in binding.key.split(","):
                shown = SHOWN.get(key, key)
                if shown not in table[where]:
                    missing.append(f"{where}: {key} ({binding.id})")
    assert not missing, missing
