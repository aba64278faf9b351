"""The sources pane: every subscription and source with its unread count; it also refreshes feeds.

Enter posts ``SourcesPane.Chosen`` and the app lists only that source. Refreshing (R, or every
``refresh_minutes``) runs in a thread worker that posts ``Progress`` and ``Refreshed``; the new
articles reach the list the way any other process's imports do (the app watches the store).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import work
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ...store.ingest.feeds.sources import SourceGroup, source_groups
from ...store.ingest.feeds.subscriptions import Subscriptions
from ...store.records.db import Store, StoreError

ALL = "All sources"


class SourcesPane(OptionList):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Next source", id="sources.down", show=False),
        Binding("k", "cursor_up", "Previous source", id="sources.up", show=False),
        Binding("g", "first", "First source", id="sources.first", show=False),
        Binding("G", "last", "Last source", id="sources.last", show=False),
        Binding("enter,l", "select", "List this source", id="sources.choose"),
    ]

    @dataclass
    class Chosen(Message):
        group: SourceGroup | None  # None: every source

    class Counted(Message):
        """The groups were counted again (their articles may have changed)."""

    @dataclass
    class Progress(Message):
        activity: str  # "" when the refresh is over

    @dataclass
    class Refreshed(Message):
        summary: str
        failed: bool

    def __init__(self, *, refresh_minutes: int = 0, id: str | None = None) -> None:
        super().__init__(id=id)
        self.refresh_minutes = refresh_minutes
        self.store: Store | None = None
        self.groups: list[SourceGroup] = []
        self.has_feeds = False

    def attach(self, store: Store) -> None:
        """Start counting (and, with refresh_minutes, refreshing) once the store is open."""
        self.store = store
        self.recount()
        if self.refresh_minutes > 0:
            self.set_interval(self.refresh_minutes * 60, self.refresh_feeds)
            self._refresh_if_due()

    # -- counting ----------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="sources")
    def recount(self) -> None:
        """Group the store's articles by source again (new articles, marks that changed)."""
        if self.store is None:
            return
        try:
            subscriptions = Subscriptions(self.store).all()
            groups = source_groups(self.store, subscriptions)
        except StoreError as error:
            self.app.call_from_thread(self.post_message, self.Refreshed(str(error), failed=True))
            return
        self.app.call_from_thread(self._show, groups, bool(subscriptions))

    def _show(self, groups: list[SourceGroup], has_feeds: bool) -> None:
        chosen = self.groups[self.highlighted - 1] if self.highlighted and self.groups else None
        self.groups, self.has_feeds = groups, has_feeds
        unread = sum(group.unread for group in groups)
        self.clear_options()
        self.add_options([Option(_row(ALL, unread)), *(Option(_row(g.name, g.unread)) for g in groups)])
        same = self.group_like(chosen) if chosen is not None else None
        self.highlighted = self.groups.index(same) + 1 if same is not None else 0
        self.post_message(self.Counted())

    def group_like(self, group: SourceGroup) -> SourceGroup | None:
        """The group now counted for the same feed or source."""
        return next((g for g in self.groups if (g.feed, g.name) == (group.feed, group.name)), None)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        index = event.option_index
        self.post_message(self.Chosen(self.groups[index - 1] if index else None))

    # -- refreshing --------------------------------------------------------------------------

    def _refresh_if_due(self) -> None:
        assert self.store is not None
        fetched = [s.last_fetched for s in Subscriptions(self.store).all()]
        cutoff = (datetime.now(UTC) - timedelta(minutes=self.refresh_minutes)).isoformat(timespec="seconds")
        if fetched and min(fetched) < cutoff:  # never fetched ("") counts as due
            self.refresh_feeds()

    @work(thread=True, exclusive=True, group="feeds", exit_on_error=False)
    def refresh_feeds(self) -> None:
        from ...store.ingest.feeds.update import UpdateProgress, update_feeds

        if self.store is None:
            return

        def progress(step: UpdateProgress) -> None:
            label = {"feeds": "updating feeds", "pages": "fetching pages", "importing": "importing"}
            done = f" {step.done}/{step.total}" if step.stage != "importing" else f" {step.total} articles"
            self.app.call_from_thread(self.post_message, self.Progress(label[step.stage] + done))

        try:
            report = update_feeds(self.store, workers=1, on_progress=progress)
        except (StoreError, OSError) as error:  # another refresh running, a full disk
            self.app.call_from_thread(self.post_message, self.Refreshed(str(error), failed=True))
            return
        finally:
            self.app.call_from_thread(self.post_message, self.Progress(""))
        if not report.feeds:
            message = self.Refreshed("No feeds yet: add one with 'newstui feeds add URL'", failed=True)
            self.app.call_from_thread(self.post_message, message)
            return
        summary = f"{report.added:,} new articles from {len(report.feeds)} feeds"
        if report.changed:
            summary += f", {report.changed} changed"
        if report.failed:
            summary += f"; {len(report.failed)} failed: {report.failed[0].error}"
        self.app.call_from_thread(self.post_message, self.Refreshed(summary, failed=bool(report.failed)))
        self.app.call_from_thread(self.recount)  # errors and titles changed even with nothing new


def _row(name: str, unread: int) -> Table:
    """A source's name (cut to fit, never wrapped) with its unread count on the right."""
    row = Table.grid(expand=True)
    row.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    row.add_column(justify="right", no_wrap=True)
    row.add_row(Text(name), Text(f" {unread:,}" if unread else ""))
    return row
