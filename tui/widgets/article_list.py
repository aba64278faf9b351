"""The article list: a virtual, line-API list that renders only the rows on screen.

A widget per row (``ListView``) or a rebuild of every option (``OptionList``) costs seconds at
100,000 articles; here setting the rows is one list assignment and each paint renders the visible
rows only, cached by what they show (toolong's ``LogLines`` does the same for log files).

A row is one line (title, date, source) where that leaves the title room; in a narrower list it
takes two, the title on its own line above the date and source, so no column is dropped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ...store.records.models import Entry
from ..rendering import fit_cells, highlight, plain_text

Spans = tuple[tuple[int, int], ...]
DATE_CELLS = 10  # "2018-09-26"
SOURCE_CELLS = 14
MARK_CELLS = 3  # unread dot, star, space
PARTIAL_LABEL = "partial · "  # before the title of a search's partial match (some words, not all)
META_SEPARATOR = " · "
# A one-line row needs this much room for its title beside the date and source columns.
MIN_TITLE_CELLS = 40


class ArticleList(ScrollView, can_focus=True):
    """Rows of title, date and source with read/starred marks; one cursor row."""

    @dataclass
    class Highlighted(Message):
        """The cursor moved onto an article (the reader previews it)."""

        entry: Entry

    @dataclass
    class Opened(Message):
        """The user chose an article: read it, mark it read, move focus to the reader."""

        entry: Entry

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
        "article-list--partial",
        "article-list--placeholder",
    }

    cursor: reactive[int] = reactive(0, always_update=True, init=False)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._entries: Sequence[Entry] = ()
        self._title_spans: Mapping[str, Spans] = {}
        self._partial = False  # the rows are a search's partial matches: each says so
        self._row_cache: LRUCache[tuple, list[Strip]] = LRUCache(1024)
        self._announced: Entry | None = None  # the entry the last Highlighted carried
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
        *, announce: bool = True, partial: bool = False,
    ) -> None:
        """Show these rows. The cursor stays on the same article, on the same screen line, when
        it is still listed (new articles arriving above it do not move it); ``announce=False``
        (the same search again) does not make the reader show that article afresh."""
        previous = self.highlighted
        line = self.cursor * self.row_height - round(self.scroll_y)  # the cursor's screen line
        self._entries = entries
        self._title_spans = title_spans or {}
        self._partial = partial
        self._size_rows()
        row = _row_of(entries, previous.id) if previous is not None else None
        if announce or row is None:
            self._announced = None  # new rows (or new highlights): tell the reader again
        if row is not None:
            self.scroll_to(y=max(0, row * self.row_height - line), animate=False, immediate=True)
        self.cursor = row or 0
        self.refresh()

    def refresh_entry(self, entry: Entry) -> None:
        """Repaint one article's row after its read/starred flags changed."""
        row = _row_of(self._entries, entry.id)
        if row is not None:
            self._refresh_row(row)

    def refresh_rows(self) -> None:
        """Repaint every row: flags changed on many articles at once (mark all read)."""
        self._row_cache.clear()
        self.refresh()

    # -- row layout ------------------------------------------------------------------------

    @property
    def row_height(self) -> int:
        """Lines per row: 2 when one line would leave the title less than MIN_TITLE_CELLS."""
        room = self.scrollable_content_region.width - MARK_CELLS - DATE_CELLS - SOURCE_CELLS - 2
        return 1 if room >= MIN_TITLE_CELLS or not self.size.width else 2

    def _size_rows(self) -> None:
        self._row_cache.clear()
        self.virtual_size = Size(0, len(self._entries) * self.row_height)

    def on_resize(self) -> None:
        self._size_rows()
        self._scroll_cursor_into_view()

    def _refresh_row(self, row: int) -> None:
        self.refresh_lines(row * self.row_height, self.row_height)

    # -- cursor ----------------------------------------------------------------------------

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self._entries) - 1))

    def watch_cursor(self, old: int, new: int) -> None:
        self._refresh_row(old)
        self._refresh_row(new)
        self._scroll_cursor_into_view()
        entry = self.highlighted
        # k at the top or G at the bottom changes nothing: don't make the reader redraw (over
        # SSH every redraw is bytes on the wire).
        if entry is not None and entry is not self._announced:
            self._announced = entry
            self.post_message(self.Highlighted(entry))

    def _scroll_cursor_into_view(self) -> None:
        height, lines = self.scrollable_content_region.height, self.row_height
        top, first = round(self.scroll_y), self.cursor * lines
        if first < top:
            self.scroll_to(y=first, animate=False)
        elif height and first + lines > top + height:
            self.scroll_to(y=first + lines - height, animate=False)

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height // self.row_height - 1)

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
            self.post_message(self.Opened(entry))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        row = (offset.y + round(self.scroll_y)) // self.row_height
        if row < len(self._entries):
            self.cursor = row
            if event.chain >= 2:
                self.action_open()

    def on_focus(self) -> None:
        self._refresh_row(self.cursor)

    def on_blur(self) -> None:
        self._refresh_row(self.cursor)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._row_cache.clear()

    # -- rendering -------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        lines = self.row_height
        row, part = divmod(y + round(self.scroll_y), lines)
        width = self.scrollable_content_region.width
        base = self.rich_style  # every segment gets a style: NO_COLOR's filter needs one
        if row >= len(self._entries):
            if row == 0 and part == 0:
                style = base + self.get_component_rich_style("article-list--placeholder", partial=True)
                return Strip([Segment(f" {self.placeholder}", style)]).adjust_cell_length(width, base)
            return Strip.blank(width, base)
        entry = self._entries[row]
        is_cursor = row == self.cursor
        key = (entry.id, entry.read, entry.starred, width, lines, is_cursor, is_cursor and self.has_focus)
        strips = self._row_cache.get(key)
        if strips is None:
            strips = self._render_row(entry, width, is_cursor)
            self._row_cache[key] = strips
        return strips[part]

    def _render_row(self, entry: Entry, width: int, is_cursor: bool) -> list[Strip]:
        """The row's lines: one, or two when the list is too narrow for title and columns."""

        def component(name: str) -> Style:
            return self.get_component_rich_style(f"article-list--{name}", partial=True)

        marks = Text(end="")
        marks.append(" " if entry.read else "●", component("unread"))
        marks.append("★" if entry.starred else " ", component("star"))
        marks.append(" ")
        title = plain_text(entry.title, component("read" if entry.read else "unread"))
        highlight(title, self._title_spans.get(entry.id, ()), component("match"))
        if self._partial:
            title = Text(PARTIAL_LABEL, component("partial"), end="") + title
        room = width - MARK_CELLS
        date = (entry.date or "")[:DATE_CELLS]
        if self.row_height == 1:
            columns = Text(" ", end="")
            columns.append(date.ljust(DATE_CELLS), component("meta"))
            columns.append(" ")
            columns.append_text(fit_cells(plain_text(entry.source, component("meta")), SOURCE_CELLS))
            lines = [marks + fit_cells(title, room - columns.cell_len) + columns]
        else:
            meta = plain_text(META_SEPARATOR.join(part for part in (date, entry.source) if part),
                              component("meta"))
            lines = [marks + fit_cells(title, room), Text(" " * MARK_CELLS) + fit_cells(meta, room)]
        return [self._line_strip(line, width, is_cursor) for line in lines]

    def _line_strip(self, row: Text, width: int, is_cursor: bool) -> Strip:
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
    """The row of an article: by the id list when the rows are lazy (store.records.db.EntryList)."""
    index_of = getattr(entries, "index_of", None)
    if index_of is not None:
        return index_of(article_id)
    return next((i for i, e in enumerate(entries) if e.id == article_id), None)
