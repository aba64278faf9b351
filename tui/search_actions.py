"""The browser's search: a worker per query (the newest wins), its listing shown in the list and
counted in the status line, and the search's order (relevance while a query is active; ``d``
switches to date order and back).

A part of NewsApp kept apart so the app module stays one screenful of concerns; it uses the
app's store, searcher, list, reader and status line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from textual import work
from textual.worker import get_current_worker

from ..store.ingest.feeds.sources import SourceGroup
from ..store.records.models import Entry
from .app_part import AppPart

INDEX_WAIT_POLL_S = 0.1  # how often a waiting search checks whether it was superseded
SEARCH_LIMIT = 2000  # hits listed per query: ranking 100k Hit objects per keystroke is wasted work


@dataclass(frozen=True, slots=True)
class Listing:
    """What one search produced for the list: rows, title highlights, matched words per article."""

    generation: int
    entries: Sequence[Entry]
    title_spans: dict[str, tuple[tuple[int, int], ...]] = field(default_factory=dict)
    terms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    elapsed_ms: float | None = None
    reloaded: bool = False  # the same search over a store that changed: the reader stays as it is
    matches: int | None = None  # a search's true number of matches (entries holds the best ones)
    partial: bool = False  # no article has every word: these match some of them


class SearchActions(AppPart):
    def _search(self, *, reloaded: bool = False) -> None:
        """List the current query with the current sort; any search still running is stale."""
        self._generation += 1
        self.status.set(sort=self._active_sort())
        self._run_search(self._query, self._active_sort(), self._generation, self._source, reloaded)

    def _active_sort(self) -> str:
        return self.search_sort if self._query.strip() else self.sort

    @work(thread=True, exclusive=True, group="search")
    def _run_search(
        self, query: str, sort: str, generation: int, source: SourceGroup | None, reloaded: bool
    ) -> None:
        worker = get_current_worker()
        if self.store is None:
            return  # _store_loaded searches again with the latest query
        if not query.strip():
            started = self.clock()
            entries = self._sorted(sort)
            if source is not None:
                entries = self.store.entry_list([i for i in entries.ids if i in source.ids])
            elapsed_ms = (self.clock() - started) * 1000
            self.call_from_thread(self._show, Listing(generation, entries, elapsed_ms=elapsed_ms,
                                                      reloaded=reloaded))
            return
        if not self.index_ready.is_set():
            self.call_from_thread(self._set_status, error="", activity="indexing… search waits")
        while not self.index_ready.wait(INDEX_WAIT_POLL_S):
            if worker.is_cancelled:
                return
        if self.searcher is None:
            return  # the index failed to load; the status line says why
        from ..store.search.searcher import QueryError

        started = self.clock()
        try:
            result = self.searcher.search(query, limit=SEARCH_LIMIT, sort=sort)
        except QueryError as error:
            self.call_from_thread(self._query_failed, generation, str(error))
            return
        elapsed_ms = (self.clock() - started) * 1000
        ids = self.store.present(hit.id for hit in result.hits if source is None or hit.id in source.ids)
        listing = Listing(
            generation,
            self.store.entry_list(ids),
            title_spans={hit.id: hit.title_spans for hit in result.hits},
            terms={hit.id: hit.terms for hit in result.hits},
            elapsed_ms=elapsed_ms,
            reloaded=reloaded,
            # The hits are the best SEARCH_LIMIT; a source chosen in the pane is counted in them.
            matches=result.total if source is None else len(ids),
            partial=result.partial,
        )
        self.call_from_thread(self._show, listing)

    def _query_failed(self, generation: int, message: str) -> None:
        if generation == self._generation:
            self.status.set(error=message)

    def _show(self, listing: Listing) -> None:
        if listing.generation != self._generation:
            return  # typed over: a newer search is on its way
        self._terms = listing.terms
        self.status.set(shown=len(listing.entries), matches=listing.matches, partial=listing.partial,
                        search_ms=listing.elapsed_ms, error="")
        searching = bool(self._query.strip())
        if searching:
            self.article_list.placeholder = "No articles match the search"
        else:
            self.article_list.placeholder = "No articles yet: run 'newstui import FILE'"
        self.article_list.set_entries(listing.entries, listing.title_spans, announce=not listing.reloaded,
                                      partial=listing.partial)
        if not listing.entries:
            self.reader.clear("No articles match." if searching else "No articles.")

    def action_sort(self, sort: str) -> None:
        """Sort the list: the search's order while a query is active, else the plain list's."""
        if self._query.strip():
            self.search_sort = sort
        else:
            self.sort = sort
        self._search()

    def action_toggle_search_order(self) -> None:
        self.search_sort = "date" if self.search_sort == "relevance" else "relevance"
        if self._query.strip():
            self._search()
        else:
            self.notify(f"Searches are listed by {self.search_sort}", timeout=3)
