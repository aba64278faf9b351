"""The browser's feed actions: the sources pane (S), refreshing (R), listing one source.

A part of NewsApp kept apart so the app module stays one screenful of concerns; it uses the
app's store, status line, list and search.
"""

from __future__ import annotations

from .app_part import AppPart
from .widgets.sources_pane import SourcesPane


class SourceActions(AppPart):
    def action_toggle_sources(self) -> None:
        self.screen.toggle_class("-sources")
        if self.screen.has_class("-sources"):
            self.sources_pane.recount()
            self._focus(self.sources_pane)
        else:
            self._focus(self.article_list)

    def action_refresh_feeds(self) -> None:
        if self.store is not None:
            self.sources_pane.refresh_feeds()

    def on_sources_pane_chosen(self, message: SourcesPane.Chosen) -> None:
        self._source = message.group
        self.status.set(source=message.group.name if message.group else "")
        if self.screen.has_class("-narrow"):  # the pane had the whole screen
            self.screen.remove_class("-sources")
        self._focus(self.article_list)
        self._search()

    def on_sources_pane_counted(self, message: SourcesPane.Counted) -> None:
        fresh = self.sources_pane.group_like(self._source) if self._source is not None else None
        if fresh is not None and fresh.ids != self._source.ids:  # type: ignore[union-attr]
            self._source = fresh
            self._search(reloaded=True)

    def on_sources_pane_progress(self, message: SourcesPane.Progress) -> None:
        self.status.set(activity=message.activity)

    def on_sources_pane_refreshed(self, message: SourcesPane.Refreshed) -> None:
        self.notify(message.summary, severity="warning" if message.failed else "information",
                    timeout=6 if message.failed else 3, markup=False)
