"""The habits of terminal news readers: next unread, mark all read, numbered links, $PAGER, zoom.

A mixin of ``NewsApp``: these actions use the app's store, list and reader.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain

from ..store.records.article_text import links, plain_text
from ..store.records.db import StoreError
from ..store.records.entry_list import EntryList
from ..store.records.models import Article, Entry
from .app_part import AppPart
from .external import open_link, page
from .screens.links import LinksScreen
from .widgets.article_list import ArticleList


class ReadingHabits(AppPart):
    def action_next_unread(self) -> None:
        """The next unread article after the cursor, wrapping: previewed, or opened when reading."""
        listing = self.article_list
        if self.store is None or not listing.entries:
            return
        read = self.store.flagged()[0]
        ids = _ids(listing.entries)
        after = listing.cursor + 1
        row = next((r for r in chain(range(after, len(ids)), range(after)) if ids[r] not in read), None)
        if row is None:
            self.notify("No unread articles in this list", timeout=3)
            return
        listing.cursor = row
        if self.reader.has_focus_within:
            self.post_message(ArticleList.Opened(listing.entries[row]))

    def action_mark_all_read(self) -> None:
        """Mark every article listed read: all the search or filter found, not only the screen."""
        if self.store is None:
            return
        try:
            changed = self.store.mark(_ids(self.article_list.entries), read=True)
        except StoreError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        self.article_list.refresh_rows()
        self._refresh_index()
        self.notify(f"Marked {changed:,} article{'' if changed == 1 else 's'} read", timeout=3)

    def action_zoom(self) -> None:
        """Give the focused pane the whole screen, or share it again (lazygit's habit)."""
        self._zoomed = not self._zoomed
        self._show_zoom()

    def on_descendant_focus(self) -> None:
        self._show_zoom()  # Tab while zoomed shows the pane it moves to

    def _show_zoom(self) -> None:
        reading = self.reader.has_focus_within
        screen = self.screen_stack[0]
        screen.set_class(self._zoomed and not reading, "-zoom-list")
        screen.set_class(self._zoomed and reading, "-zoom-reader")

    def action_links(self) -> None:
        article = self._shown_article()
        if article is None:
            return
        found = links(article)
        if not found:
            self.notify("No links in this article", timeout=2)
            return
        self.push_screen(LinksScreen(found, lambda url: open_link(self, url, self.config.browser)))

    def action_pager(self) -> None:
        article = self._shown_article()
        if article is not None:
            page(self, plain_text(article))

    def _shown_article(self) -> Article | None:
        article = self.reader.article
        if article is None:
            self.notify("No article is shown yet", timeout=2)
        return article


def _ids(entries: Sequence[Entry]) -> list[str]:
    """The ids of listed entries, without building an Entry per row where the list is lazy."""
    return entries.ids if isinstance(entries, EntryList) else [entry.id for entry in entries]
