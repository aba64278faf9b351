"""The base class of the app's parts kept in their own modules (search, links, sources, habits).

At run time a part is a plain mixin that NewsApp lists before App. To the type checker it is an
App with what the parts use of NewsApp, declared here rather than imported from tui/app.py, so
the parts and the app that assembles them import in one direction only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import threading
    from collections.abc import Callable, Sequence

    from textual.app import App
    from textual.widget import Widget

    from ..store.ingest.feeds.sources import SourceGroup
    from ..store.records.db import Store
    from ..store.records.models import Entry
    from ..store.search.searcher import Searcher
    from .config import Config
    from .widgets.article_list import ArticleList
    from .widgets.reader import Reader
    from .widgets.sources_pane import SourcesPane
    from .widgets.status_line import StatusLine

    class AppPart(App[None]):
        store: Store | None
        searcher: Searcher | None
        config: Config
        clock: Callable[[], float]
        index_ready: threading.Event
        sort: str
        search_sort: str
        _query: str
        _generation: int
        _terms: dict[str, tuple[str, ...]]
        _source: SourceGroup | None
        _zoomed: bool

        @property
        def article_list(self) -> ArticleList: ...
        @property
        def reader(self) -> Reader: ...
        @property
        def sources_pane(self) -> SourcesPane: ...
        @property
        def status(self) -> StatusLine: ...
        def current_entry(self) -> Entry | None: ...
        def _focus(self, widget: Widget) -> None: ...
        def _set_status(self, **changes: object) -> None: ...
        def _refresh_index(self) -> None: ...
        def _sorted(self, sort: str) -> Sequence[Entry]: ...
        def _search(self, *, reloaded: bool = False) -> None: ...
        def _show_zoom(self) -> None: ...
else:
    AppPart = object
