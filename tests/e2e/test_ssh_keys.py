"""Every action has a key that reaches the app through any terminal and SSH.

Alt/Meta combinations, function keys and Home/End/PageUp/PageDown are sent differently by
different terminals and TERM settings (or eaten by tmux/screen and flow control, like Ctrl+S/Q),
so each action also needs a plain key: a printable character, Enter, Esc, Tab or Space.
"""

from __future__ import annotations

import re

import pytest
from textual.binding import Binding

from newstui.tui.app import NewsApp
from newstui.tui.screens.help import HelpScreen
from newstui.tui.widgets.article_list import ArticleList
from newstui.tui.widgets.reader import Reader
from newstui.tui.widgets.search_bar import SearchBar

# Sent differently by different terminals and TERMs, or not at all by some keyboards.
TERMINAL_DEPENDENT = {"home", "end", "pageup", "pagedown", "insert", "delete", "up", "down", "left",
                      "right"}
OWNERS = {"app": NewsApp, "article list": ArticleList, "reader": Reader, "search bar": SearchBar,
          "help": HelpScreen}


def is_plain(key: str) -> bool:
    if key == "shift+tab":
        return True  # ESC [ Z in every terminal
    return "+" not in key and key not in TERMINAL_DEPENDENT and not re.fullmatch(r"f\d+", key)


def keys_by_action(bindings) -> dict[str, set[str]]:
    actions: dict[str, set[str]] = {}
    for binding in bindings:
        key, action = (binding.key, binding.action) if isinstance(binding, Binding) else binding[:2]
        actions.setdefault(action, set()).update(part.strip() for part in key.split(","))
    return actions


ACTIONS = [
    pytest.param(keys, id=f"{owner}: {action}")
    for owner, cls in OWNERS.items()
    for action, keys in keys_by_action(cls.BINDINGS).items()
]


@pytest.mark.parametrize("keys", ACTIONS)
def test_action_has_a_plain_key(keys):
    assert any(is_plain(key) for key in keys), f"only {sorted(keys)}"
