"""The summary box: the extractive summary sentences and the article's keywords."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from tui.linebreak import BrokenText
from tui.rendering import highlight, plain_text

SpanFinder = Callable[[str], list[tuple[int, int]]]


class SummaryBox(Static):
    """Bulleted summary sentences and a keyword line, search matches highlighted."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"summary-box--match", "summary-box--keywords"}

    def show_summary(
        self, sentences: Sequence[str] | None, keywords: Sequence[str], find_matches: SpanFinder
    ) -> None:
        """``sentences`` is None while the summary is still being read or computed."""
        match_style = self.get_component_rich_style("summary-box--match", partial=True)
        # A grid gives each bullet a hanging indent (Chinese sentences have no spaces to wrap at).
        grid = Table.grid(padding=(0, 1), expand=True)
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1, overflow="fold")
        for sentence in sentences or ():
            line = plain_text(sentence)
            grid.add_row("•", BrokenText(highlight(line, find_matches(line.plain), match_style)))
        if sentences is None:
            grid.add_row("", Text("…", style="italic"))
        elif not sentences:
            grid.add_row("", Text("(no summary)", style="italic"))
        if keywords:
            style = self.get_component_rich_style("summary-box--keywords", partial=True)
            line = Text("Keywords  ", style=style, end="")
            grid.add_row("", BrokenText(line.append_text(plain_text(" · ".join(keywords), style))))
        count = len(sentences or ())
        self.border_title = "Summary"
        self.border_subtitle = f"{count} sentence{'' if count == 1 else 's'}  +/-"
        self.update(grid)
