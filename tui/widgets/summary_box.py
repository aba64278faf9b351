"""The summary box: the article's keywords and its extractive summary sentences."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import events
from textual.widgets import Static

from ...store.text.sentences import shorten_at_clause
from ..linebreak import BrokenText, broken_lines
from ..rendering import SpanFinder, highlight, no_matches, plain_text

BULLET_CELLS = 2  # "•" and the gap after it
FRAME_LINES = 2  # the top and bottom border


class SummaryBox(Static):
    """A keyword line and bulleted summary sentences, search matches highlighted.

    The box is as tall as its sentences (the reader scrolls), each shown whole; only a sentence
    that alone would be taller than the reader is cut, at a clause boundary.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"summary-box--match", "summary-box--keywords"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._sentences: Sequence[str] | None = ()
        self._keywords: Sequence[str] = ()
        self._find_matches: SpanFinder = no_matches
        self._laid_out_for: tuple[int, int] = (0, 0)  # (text width, lines a sentence may take)

    def show_summary(
        self, sentences: Sequence[str] | None, keywords: Sequence[str], find_matches: SpanFinder
    ) -> None:
        """``sentences`` is None while the summary is still being read or computed."""
        self._sentences, self._keywords, self._find_matches = sentences, keywords, find_matches
        self._render_summary()

    def on_resize(self, event: events.Resize) -> None:
        if self._layout() != self._laid_out_for:
            self._render_summary()

    def _layout(self) -> tuple[int, int]:
        """The width the sentences wrap at, and the lines one sentence may take: what is left
        of the reader's height beside the frame and the keyword line."""
        width = self.content_region.width - BULLET_CELLS
        parent = self.parent
        height = parent.scrollable_content_region.height if parent is not None else 0
        keyword_lines = 1 if self._keywords else 0
        return width, height - FRAME_LINES - keyword_lines - self.styles.margin.bottom

    def _render_summary(self) -> None:
        sentences, keywords = self._sentences, self._keywords
        self._laid_out_for = width, lines = self._layout()
        match_style = self.get_component_rich_style("summary-box--match", partial=True)
        # A grid gives each bullet a hanging indent (Chinese sentences have no spaces to wrap at).
        grid = Table.grid(padding=(0, 1), expand=True)
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1, overflow="fold")
        if keywords:  # first: a long summary may run past the bottom of the reader
            style = self.get_component_rich_style("summary-box--keywords", partial=True)
            line = Text("Keywords  ", style=style, end="")
            grid.add_row("", BrokenText(line.append_text(plain_text(" · ".join(keywords), style))))
        for sentence in sentences or ():
            line = plain_text(_fitted(sentence, width, lines))
            grid.add_row("•", BrokenText(highlight(line, self._find_matches(line.plain), match_style)))
        if sentences is None:
            grid.add_row("", Text("…", style="italic"))
        elif not sentences:
            grid.add_row("", Text("(no summary)", style="italic"))
        count = len(sentences or ())
        self.border_title = "Summary"
        self.border_subtitle = f"{count} sentence{'' if count == 1 else 's'}  +/-"
        self.update(grid)


def _fitted(sentence: str, width: int, lines: int) -> str:
    """The sentence, cut at a clause boundary if it would break into more than ``lines`` lines
    at ``width`` cells (by the reader's line-breaking rules); whole while the box has not been
    laid out yet."""
    if width <= 0 or lines <= 0:
        return sentence

    def fits(text: str) -> bool:
        return sum(1 for _ in broken_lines(plain_text(text), width)) <= lines

    return shorten_at_clause(sentence, fits)
