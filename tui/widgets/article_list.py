"""The article list: a virtual, line-API list that renders only the rows on screen.

A widget per row (``ListView``) or a rebuild of every option (``OptionList``) costs seconds at
100,000 articles; here setting the rows is one list assignment and each paint renders the visible
rows only, cached by what they show (toolong's ``LogLines`` does the same for log files).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from store.models import Entry
from tui.messages import ArticleHighlighted, ArticleOpened
from tui.rendering import fit_cells, highlight, plain_text

Spans = tuple[tuple[int, int], ...]
DATE_CELLS = 10  # "2018-09-26"
SOURCE_CELLS = 14
MARK_CELLS = 3  # unread dot, star, space
# Titles come first: the date column needs this much title room left, the source column more.
MIN_TITLE_CELLS_WITH_DATE = 20
MIN_TITLE_CELLS_WITH_SOURCE = 36


class ArticleList(ScrollView, can_focus=True):
    """Rows of title, date and source with read/starred marks; one cursor row."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "Next", id="list.down", show=False),
        Binding("k,up", "cursor_up", "Previous", id="list.up", show=False),
        Binding("g,home", "first", "First article", id="list.first", show=False),
        Binding("G,end", "last", "Last article", id="list.last", show=False),
        # space/b as in the reader and in pagers: PageUp/PageDown don't reach every terminal.
        Binding("pagedown,space", "page_down", "Page down", id="list.page_down", show=False),
        Binding("pageup,b", "page_up", "Page up", id="list.page_up", show=False),
        Binding("enter,l", "open", "Open", id="list.open"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "article-list--cursor",
        "article-list--unread",
        "article-list--read",
        "article-list--star",
        "article-list--meta",
        "article-list--match",
        "article-list--placeholder",
    }

    cursor: reactive[int] = reactive(0, always_update=True, init=False)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._entries: Sequence[Entry] = ()
        self._title_spans: Mapping[str, Spans] = {}
        self._row_cache: LRUCache[tuple, Strip] = LRUCache(1024)
        self._announced: Entry | None = None  # the entry the last ArticleHighlighted carried
        self.placeholder = "Loading articles…"

    # -- data ------------------------------------------------------------------------------

    @property
    def entries(self) -> Sequence[Entry]:
        return self._entries

    @property
    def highlighted(self) -> Entry | None:
        return self._entries[self.cursor] if 0 <= self.cursor < len(self._entries) else None

    def set_entries(
        self, entries: Sequence[Entry], title_spans: Mapping[str, Spans] | None = None,
        *, announce: bool = True,
    ) -> None:
        """Show these rows. The cursor stays on the same article, on the same screen line, when
        it is still listed (new articles arriving above it do not move it); ``announce=False``
        (the same search again) does not make the reader show that article afresh."""
        previous = self.highlighted
        line = self.cursor - round(self.scroll_y)
        self._entries = entries
        self._title_spans = title_spans or {}
        self._row_cache.clear()
        self.virtual_size = Size(0, len(entries))
        row = _row_of(entries, previous.id) if previous is not None else None
        if announce or row is None:
            self._announced = None  # new rows (or new highlights): tell the reader again
        if row is not None:
            self.scroll_to(y=max(0, row - line), animate=False, immediate=True)
        self.cursor = row or 0
        self.refresh()

    def refresh_entry(self, entry: Entry) -> None:
        """Repaint one article's row after its read/starred flags changed."""
        row = _row_of(self._entries, entry.id)
        if row is not None:
            self.refresh_line(row)

    # -- cursor ----------------------------------------------------------------------------

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self._entries) - 1))

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh_line(old)
        self.refresh_line(new)
        self._scroll_cursor_into_view()
        entry = self.highlighted
        # k at the top or G at the bottom changes nothing: don't make the reader redraw (over
        # SSH every redraw is bytes on the wire).
        if entry is not None and entry is not self._announced:
            self._announced = entry
            self.post_message(ArticleHighlighted(entry))

    def _scroll_cursor_into_view(self) -> None:
        height = self.scrollable_content_region.height
        top = round(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif height and self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False)

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self._entries) - 1

    def action_page_down(self) -> None:
        self.cursor += self._page()

    def action_page_up(self) -> None:
        self.cursor -= self._page()

    def action_open(self) -> None:
        entry = self.highlighted
        if entry is not None:
            self.post_message(ArticleOpened(entry))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        row = offset.y + round(self.scroll_y)
        if row < len(self._entries):
            self.cursor = row
            if event.chain >= 2:
                self.action_open()

    def on_focus(self) -> None:
        self.refresh_line(self.cursor)

    def on_blur(self) -> None:
        self.refresh_line(self.cursor)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._row_cache.clear()

    # -- rendering -------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        row = y + round(self.scroll_y)
        width = self.scrollable_content_region.width
        base = self.rich_style  # every segment gets a style: NO_COLOR's filter needs one
        if row >= len(self._entries):
            if row == 0:
                style = base + self.get_component_rich_style("article-list--placeholder", partial=True)
                return Strip([Segment(f" {self.placeholder}", style)]).adjust_cell_length(width, base)
            return Strip.blank(width, base)
        entry = self._entries[row]
        is_cursor = row == self.cursor
        key = (entry.id, entry.read, entry.starred, width, is_cursor, is_cursor and self.has_focus)
        strip = self._row_cache.get(key)
        if strip is None:
            strip = self._render_row(entry, width, is_cursor)
            self._row_cache[key] = strip
        return strip

    def _render_row(self, entry: Entry, width: int, is_cursor: bool) -> Strip:
        def component(name: str) -> Style:
            return self.get_component_rich_style(f"article-list--{name}", partial=True)

        row = Text(end="")
        row.append(" " if entry.read else "●", component("unread"))
        row.append("★" if entry.starred else " ", component("star"))
        row.append(" ")
        title = plain_text(entry.title, component("read" if entry.read else "unread"))
        highlight(title, self._title_spans.get(entry.id, ()), component("match"))
        columns = _meta_columns(entry, width - MARK_CELLS, component("meta"))
        row.append_text(fit_cells(title, width - MARK_CELLS - columns.cell_len))
        row.append_text(columns)
        base = self.rich_style
        if is_cursor:
            # The cursor is painted over the row's own colours so it reads as one bar.
            cursor = self.get_component_rich_style("article-list--cursor")
            segments = [
                Segment(text, base + (style or Style()) + cursor)
                for text, style, _ in row.render(self.app.console)
            ]
        else:
            segments = [
                Segment(text, base + (style or Style()))
                for text, style, _ in row.render(self.app.console)
            ]
        return Strip(segments).adjust_cell_length(width, base)


def _row_of(entries: Sequence[Entry], article_id: str) -> int | None:
    """The row of an article: by the id list when the rows are lazy (store.db.EntryList)."""
    index_of = getattr(entries, "index_of", None)
    if index_of is not None:
        return index_of(article_id)
    return next((i for i, e in enumerate(entries) if e.id == article_id), None)


def _meta_columns(entry: Entry, room: int, style: Style) -> Text:
    """Date then source, right of the title; dropped when the title would get too narrow."""
    columns = Text(end="")
    if room - (DATE_CELLS + 1) < MIN_TITLE_CELLS_WITH_DATE:
        return columns
    columns.append(" ")
    columns.append((entry.date or "")[:DATE_CELLS].ljust(DATE_CELLS), style)
    if entry.source and room - (DATE_CELLS + SOURCE_CELLS + 2) >= MIN_TITLE_CELLS_WITH_SOURCE:
        columns.append(" ")
        columns.append_text(fit_cells(plain_text(entry.source, style), SOURCE_CELLS))
    return columns
