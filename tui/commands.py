"""Command palette (ctrl+p): every key binding live where the palette was opened (with the key
as the user has it, keymap applied), then sorting and filters, found by fuzzy match."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from functools import partial
from typing import Protocol

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content
from textual.markup import escape

from ..store.search.query import SORTS

MAX_SOURCE_COMMANDS = 50
NOT_COMMANDS = frozenset({"command_palette", "focus_next", "focus_previous"})  # moving about


class PaletteHost(Protocol):
    """What the palette asks of the app beyond its bindings."""

    def action_sort(self, sort: str) -> None: ...
    def action_toggle_filter(self, token: str) -> None: ...
    def sources(self) -> Sequence[str]: ...
    def source_filter(self, source: str) -> str: ...


class NewsCommands(Provider):
    def _commands(self) -> Iterator[tuple[str, str, Callable[[], object]]]:
        yield from self._binding_commands()
        app: PaletteHost = self.app  # type: ignore[assignment]
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

    def _binding_commands(self) -> Iterator[tuple[str, str, Callable[[], object]]]:
        """One command per action bound where the palette was opened, titled by its description
        and helped by its tooltip and its keys as they are bound now."""
        keys: dict[tuple[int, str], list[str]] = {}
        found: dict[tuple[int, str], tuple[str, str, Callable[[], object]]] = {}
        # The app's own first, then the focused pane's; only ours (they have ids, which the
        # keymap uses): the scrolling Textual's widgets inherit is no command.
        bindings = sorted(self.screen.active_bindings.values(),
                          key=lambda active: active.node is not self.app)
        for active in bindings:
            binding = active.binding
            if not active.enabled or not binding.id or binding.action in NOT_COMMANDS:
                continue
            action = (id(active.node), binding.action)
            keys.setdefault(action, []).append(self.app.get_key_display(binding))
            found.setdefault(action, (binding.description, binding.tooltip,
                                      partial(self.app.run_action, binding.action, active.node)))
        for action, (title, tooltip, run) in found.items():
            shown = " or ".join(dict.fromkeys(keys[action]))
            yield title, f"{tooltip} ({shown})".lstrip(), run

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
