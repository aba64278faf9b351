"""Command palette (ctrl+p): the browser's actions, sorting and filters, found by fuzzy match."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content
from textual.markup import escape

from .config import SORTS

if TYPE_CHECKING:
    from .app import NewsApp

MAX_SOURCE_COMMANDS = 50


class NewsCommands(Provider):
    def _commands(self) -> Iterator[tuple[str, str, Callable[[], object]]]:
        app: NewsApp = self.app  # type: ignore[assignment]
        yield "Toggle read", "Mark the current article read or unread (m)", app.action_toggle_read
        yield "Toggle star", "Star or unstar the current article (f)", app.action_toggle_star
        yield "Copy URL", "Copy the article's URL to the clipboard (y)", app.action_copy_url
        yield "Open URL", "Open the article's URL in a browser (o)", app.action_open_url
        yield "Next unread", "Move to the next unread article (u)", app.action_next_unread
        yield "Mark all read", "Mark every article listed read (A)", app.action_mark_all_read
        yield "Links", "The article's links by number (L)", app.action_links
        yield "Open in pager", "Pipe the article to $PAGER (|)", app.action_pager
        yield "Zoom pane", "Give the focused pane the whole screen (z)", app.action_zoom
        yield "Search", "Focus the search bar (/)", app.action_focus_search
        yield "Keys", "Show every key binding (?)", app.action_help
        for sort in SORTS:
            yield f"Sort by {sort}", f"List articles by {sort}", partial(app.action_sort, sort)
        yield "Filter: unread", "Only unread articles (is:unread)", partial(
            app.action_toggle_filter, "is:unread"
        )
        yield "Filter: starred", "Only starred articles (is:starred)", partial(
            app.action_toggle_filter, "is:starred"
        )
        for source in app.sources()[:MAX_SOURCE_COMMANDS]:
            token = app.source_filter(source)
            yield f"Filter: source {source}", f"Only articles from {source} ({token})", partial(
                app.action_toggle_filter, token
            )

    # Source names are article data: titles and help are shown as literal text, never markup.

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands():
            yield DiscoveryHit(Content(title), callback, text=title, help=escape(help_text))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            score, offsets = matcher.fuzzy_search.match(matcher.query, title)
            if score > 0:
                display = _literal_highlight(matcher, title, offsets)
                yield Hit(score, display, callback, text=title, help=escape(help_text))


def _literal_highlight(matcher: Matcher, title: str, offsets: tuple[int, ...]) -> Content:
    """``Matcher.highlight`` parses its input as markup; this styles the plain title instead."""
    content = Content(title)
    for offset in offsets:
        content = content.stylize(matcher.match_style, offset, offset + 1)
    return content
