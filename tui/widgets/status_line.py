"""The status line: how many articles are listed, how long the last search took, what is loading."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import ClassVar

from rich.text import Text
from textual.widgets import Static


@dataclass(frozen=True, slots=True)
class Status:
    shown: int = 0
    total: int = 0
    matches: int | None = None  # a search's true number of matches (shown: the best of them listed)
    partial: bool = False  # no article has every word of the search: these match some
    search_ms: float | None = None
    sort: str = "date"
    activity: str = ""  # "loading articles…", "indexing 40%"; empty when idle
    error: str = ""  # the last query's problem, e.g. an unclosed quote
    source: str = ""  # the one source listed (chosen in the sources pane); empty for all
    hit: int = -1  # the search match in the reader that n/N moved to, from 0
    hits: int = 0  # search matches in the reader's article
    all_hits: bool = True  # False: the count stopped at its cap, there are more


class StatusLine(Static):
    COMPONENT_CLASSES: ClassVar[set[str]] = {"status-line--activity", "status-line--error"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.status = Status()

    def set(self, **changes: object) -> None:
        """Change some fields and repaint."""
        self.status = replace(self.status, **changes)  # type: ignore[arg-type]
        self.refresh()

    def render(self) -> Text:
        """Built when painted, not when set: a worker may report (a store that failed to load)
        before the widget's component styles exist."""
        # Most important first: an 80-column status line cuts off the end.
        status = self.status
        found = status.shown if status.matches is None else status.matches
        text = Text(f"{found:,} of {status.total:,} articles", end="")
        if found > status.shown:
            text.append(f" ({status.shown:,} best listed)")
        if status.partial:
            text.append(" · partial matches: no article has every word")
        if status.source:
            text.append(" from ")
            text.append(status.source)  # a feed's title: data, never markup
        if status.hits:
            total = f"{status.hits:,}{'' if status.all_hits else '+'}"
            if status.hit >= 0:
                text.append(f" · hit {status.hit + 1:,} of {total}")
            else:
                text.append(f" · {total} {'hit' if total == '1' else 'hits'}")
        if status.error:
            text.append(" · ")
            text.append(status.error, self.get_component_rich_style("status-line--error"))
        if status.activity:
            text.append(" · ")
            text.append(status.activity, self.get_component_rich_style("status-line--activity"))
        if status.search_ms is not None:
            precision = 1 if status.search_ms < 10 else 0
            text.append(f" · search {status.search_ms:.{precision}f} ms")
        text.append(f" · sort: {status.sort}")
        return text
