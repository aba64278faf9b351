"""The newstui browser: a search bar, the article list, the reader and a status line.

The app paints before anything slow has happened: the store, the search index and article bodies
are loaded by thread workers that hand their results back with ``call_from_thread``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Footer, Input

from ..store.ingest.feeds.sources import SourceGroup
from ..store.ingest.feeds.subscriptions import Subscriptions
from ..store.records.db import Store, StoreError
from ..store.records.models import Article, Entry
from .commands import NewsCommands
from .config import Config, config_path, screenshot_folder
from .habits import ReadingHabits
from .link_actions import LinkActions
from .screens.help import HelpScreen
from .search_actions import Listing, SearchActions
from .source_actions import SourceActions
from .widgets.article_list import ArticleList
from .widgets.reader import Reader
from .widgets.search_bar import SearchBar
from .widgets.sources_pane import SourcesPane
from .widgets.status_line import StatusLine

if TYPE_CHECKING:  # imported for real in a worker: it loads rjieba and the pinyin tables
    from ..store.search.searcher import Searcher

FIRST_SCREEN_ROWS = 100  # rows built by the load worker, more than any terminal shows
STORE_POLL_S = 1.0  # how often to look for articles another process (newstui import) added


class NewsApp(SearchActions, SourceActions, LinkActions, ReadingHabits, App[None]):
    """Browse a store: ``NewsApp(store_path, config)``; ``clock`` is swappable for snapshot tests."""

    TITLE = "newstui"
    CSS_PATH = Path(__file__).with_name("newstui.tcss")  # absolute, so subclasses elsewhere work
    COMMANDS = App.COMMANDS | {NewsCommands}
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (100, "-wide")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("ctrl+q", "quit", "Quit", id="app.force_quit", show=False, priority=True),
        Binding("question_mark", "help", "Help", id="app.help"),
        # Priority: keys typed right after it (pasted, or batched by SSH) are already queued for
        # the widget that had focus; only a priority binding moves focus before they are sent on.
        Binding("slash", "focus_search", "Search", id="app.search", priority=True),
        # Declaring a palette binding replaces Textual's own ctrl+p, so it is declared here too.
        # ':' is the plain key for terminals where ctrl combos are taken; not priority, so the
        # search bar still types the colon of "title:".
        Binding("ctrl+p", "command_palette", "Commands", id="app.commands", show=False,
                priority=True),
        Binding("colon", "command_palette", "Commands", id="app.commands_plain", show=False),
        Binding("tab", "focus_next", "Next pane", id="app.next_pane", show=False),
        Binding("shift+tab", "focus_previous", "Previous pane", id="app.previous_pane", show=False),
        Binding("m", "toggle_read", "Read/unread", id="app.toggle_read", show=False),
        Binding("f", "toggle_star", "Star", id="app.toggle_star"),
        Binding("y", "copy_url", "Copy URL", id="app.copy_url", show=False),
        Binding("o", "open_url", "Open URL", id="app.open_url", show=False),
        Binding("S", "toggle_sources", "Sources", id="app.sources", show=False),
        Binding("R", "refresh_feeds", "Refresh feeds", id="app.refresh_feeds", show=False),
        Binding("L", "links", "Links, by number", id="app.links", show=False),
        Binding("vertical_line", "pager", "Pipe to $PAGER", id="app.pager", show=False),
        Binding("u", "next_unread", "Next unread", id="app.next_unread", show=False),
        Binding("A", "mark_all_read", "Mark all listed read", id="app.mark_all_read", show=False),
        Binding("z", "zoom", "Zoom pane", id="app.zoom", show=False),
        Binding("d", "toggle_search_order", "Date/relevance order", id="app.search_order",
                show=False),
    ]

    def __init__(
        self,
        store_path: Path,
        config: Config,
        *,
        clock: Callable[[], float] = time.perf_counter,
        opened: Store | None = None,
    ) -> None:
        super().__init__()
        self.store_path = Path(store_path)
        self._opened = opened  # a Store the caller has open already: not parsed a second time
        self.config = config
        self.clock = clock
        self.sort = config.sort  # the list's order without a query
        self.search_sort = "relevance"  # and while a query is active ("d" switches to date)
        self.store: Store | None = None
        self.searcher: Searcher | None = None  # set once the index has loaded
        self.index_ready = threading.Event()
        self.all_entries: Sequence[Entry] = ()  # newest first, built row by row (EntryList)
        self._listed_version: object = None  # the catalogue on disk that all_entries came from
        self._searched_version: object = None  # the search index commit the results came from
        self._query = ""
        self._generation = 0  # bumped per search; results from older ones are dropped
        self._terms: dict[str, tuple[str, ...]] = {}  # article id -> the query words it matched
        self._source: SourceGroup | None = None  # the sources pane's choice: list only these
        self._zoomed = False  # the focused pane has the whole screen (z)

    def compose(self) -> ComposeResult:
        yield SearchBar(cursor_blink=self.config.cursor_blink, id="search")
        with Horizontal(id="panes"):
            yield SourcesPane(refresh_minutes=self.config.refresh_minutes, id="sources")
            yield ArticleList(id="articles")
            yield Reader(summary_sentences=self.config.summary_sentences, id="reader")
        yield StatusLine(id="status")
        yield Footer()

    def on_unmount(self) -> None:
        if self.searcher is not None:
            self.searcher.close()
        if self.store is not None:
            self.store.close()

    def on_mount(self) -> None:
        if self.config.theme in self.available_themes:
            self.theme = self._theme_for_terminal(self.config.theme)
        else:
            self.notify(f"Unknown theme {self.config.theme!r}; using {self.theme}", severity="warning",
                        markup=False)
        if self.config.keymap:
            self._apply_keymap(self.config.keymap)
        self.status.set(sort=self.sort, activity="loading articles…")
        self.article_list.focus()
        self._load_store()

    def _theme_for_terminal(self, theme: str) -> str:
        """On a 16-colour terminal (TERM=linux) the default theme's colours collapse into pairs
        too close to read; the ANSI theme is built from those 16 colours."""
        if theme == Config().theme and not self.is_headless and self.console.color_system == "standard":
            return "ansi-dark"
        return theme

    def _apply_keymap(self, keymap: dict[str, str]) -> None:
        known = {binding.id for _, bindings in self.help_sections() for binding in bindings}
        unknown = sorted(set(keymap) - known)
        if unknown:
            self.notify(f"Unknown binding ids in the keymap: {', '.join(unknown)}", severity="warning",
                        markup=False)
        self.set_keymap(keymap)

    # -- widgets ---------------------------------------------------------------------------

    @property
    def article_list(self) -> ArticleList:
        return self.query_one(ArticleList)

    @property
    def reader(self) -> Reader:
        return self.query_one(Reader)

    @property
    def status(self) -> StatusLine:
        return self.query_one(StatusLine)

    @property
    def search_bar(self) -> SearchBar:
        return self.query_one(SearchBar)

    @property
    def sources_pane(self) -> SourcesPane:
        return self.query_one(SourcesPane)

    def help_sections(self) -> list[tuple[str, Sequence[Binding]]]:
        return [
            ("Anywhere", self.BINDINGS),
            ("Article list", ArticleList.BINDINGS),
            ("Reader", Reader.BINDINGS),
            ("Sources", SourcesPane.BINDINGS),
            ("Search bar", [Binding("enter", "", "Go to the results"), *SearchBar.BINDINGS]),
        ]

    # -- loading ---------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="load")
    def _load_store(self) -> None:
        """Open the store and list it; the search index follows once the list is on screen."""
        try:
            store = self._opened or Store(self.store_path)
            self._listed_version = store.version()
            entries = store.entry_list(store.ordered_ids())
            has_feeds = bool(Subscriptions(store).all())
        except StoreError as error:
            self.call_from_thread(self._store_failed, str(error))
            return
        entries[:FIRST_SCREEN_ROWS]  # build the first screenful here, not while painting
        if entries.damage:
            self.call_from_thread(self.notify, entries.damage, severity="error", timeout=10,
                                  markup=False)
        self.call_from_thread(self._store_loaded, store, entries, has_feeds)

    @work(thread=True, exclusive=True, group="index")
    def _load_index(self) -> None:
        """Import the search code (rjieba, pinyin tables) and load the index, showing progress.

        Started after the first paint: importing and loading hold the GIL for a while, and the
        list should be on screen before that.
        """
        assert self.store is not None
        from ..store.search.searcher import Searcher

        searcher = Searcher(self.store)
        last_shown = ""

        def progress(stage: str, fraction: float) -> None:
            nonlocal last_shown
            shown = f"{stage.lower()} {fraction:.0%}"
            if shown != last_shown:  # index builds report often; repaint only on change
                last_shown = shown
                self.call_from_thread(self._set_status, activity=shown)

        try:
            searcher.load(on_progress=progress)
        except Exception as error:  # a broken index must not take the list and reader down
            self.call_from_thread(self._set_status, activity="", error=f"search unavailable: {error}")
        else:
            self._searched_version = searcher.version()
            self.searcher = searcher
            self.index_ready.set()  # a search waiting for the index runs now, not after a repaint
            self.call_from_thread(self._set_status, activity="")
        finally:
            self.index_ready.set()

    def _store_failed(self, message: str) -> None:
        self.status.set(activity="", error=message)
        self.article_list.placeholder = "Could not open the store"
        self.article_list.refresh()
        self.notify(message, severity="error", timeout=10, markup=False)  # names files and ids

    def _store_loaded(self, store: Store, entries: Sequence[Entry], has_feeds: bool) -> None:
        if not self.is_running:
            return  # quit while loading: the widgets are being taken down
        self.store = store
        self.all_entries = entries
        self.sources_pane.attach(store)
        if has_feeds:  # a news reader starts on its feeds; an archive on its list
            self.screen.add_class("-sources")
            self._focus(self.sources_pane)
        self.status.set(total=len(entries), activity="indexing…")
        if self._query:
            self._search()
        else:
            self._show(Listing(self._generation, self._sorted(self.sort)))
        self.call_after_refresh(self._load_index)
        self.set_interval(STORE_POLL_S, self._check_store)

    def _check_store(self) -> None:
        if self.store is None:
            return
        # The index commits a batch just after the store does: search again when it has.
        index_version = self.searcher.version() if self.searcher is not None else None
        if self.store.version() != self._listed_version or index_version != self._searched_version:
            self._reload_store()

    @work(thread=True, exclusive=True, group="reload")
    def _reload_store(self) -> None:
        """Another process imported articles: list them, and let the search index catch up."""
        assert self.store is not None
        try:
            version = self.store.version()
            entries = self.store.entry_list(self.store.ordered_ids())
        except StoreError as error:
            self.call_from_thread(self._store_failed, str(error))
            return
        self._listed_version = version
        if self.index_ready.is_set() and self.searcher is not None:
            self.searcher.refresh()
            self._searched_version = self.searcher.version()
        self.call_from_thread(self._store_reloaded, entries)

    def _store_reloaded(self, entries: Sequence[Entry]) -> None:
        added = len(entries) - len(self.all_entries)
        self.all_entries = entries
        self.status.set(total=len(entries))
        self._search(reloaded=True)
        self.sources_pane.recount()
        if added > 0:
            self.notify(f"{added:,} new articles", timeout=3)

    # -- search ----------------------------------------------------------------------------
    @on(SearchBar.QueryChanged)
    def _query_changed(self, message: SearchBar.QueryChanged) -> None:
        self._query = message.query
        self._search()

    @on(SearchBar.QuerySubmitted)
    def _query_submitted(self) -> None:
        self.action_back()

    @on(Reader.HitsChanged)
    def _hits_changed(self, message: Reader.HitsChanged) -> None:
        self.status.set(hit=message.current, hits=message.total, all_hits=message.complete)

    def match_finder(self, entry: Entry) -> Callable[[str], list[tuple[int, int]]] | None:
        """Where the words this article matched occur in a text (for the reader's highlights)."""
        terms = self._terms.get(entry.id)
        if not terms:
            return None
        from ..store.search.searcher import highlight_spans

        return lambda text: highlight_spans(text, terms)

    # -- articles --------------------------------------------------------------------------

    @on(ArticleList.Highlighted)
    def _article_highlighted(self, message: ArticleList.Highlighted) -> None:
        # After the list has painted: the cursor row shows at once, and a cursor that moved on
        # in the meantime (a held key) skips previews nobody would see.
        self.call_after_refresh(self._preview, message.entry)

    def _preview(self, entry: Entry) -> None:
        if entry is self.article_list.highlighted:
            self._show_in_reader(entry)

    def _show_in_reader(self, entry: Entry) -> None:
        self.reader.show_entry(entry, self.match_finder(entry))
        self._load_body(entry.id)

    @on(ArticleList.Opened)
    def _article_opened(self, message: ArticleList.Opened) -> None:
        if self.reader.entry is not message.entry:
            self._show_in_reader(message.entry)
        self.screen.add_class("-reading")
        self._focus(self.reader)
        if not message.entry.read:
            self._set_flags(message.entry, read=True)

    @work(thread=True, exclusive=True, group="body")
    def _load_body(self, entry_id: str) -> None:
        """Bodies live in shard files; the first read of a big shard takes a while."""
        if self.store is None:
            return
        article = self.store.get(entry_id)
        if article is not None:
            self.call_from_thread(self._show_article, article)

    # Workers report through these, which find their widget on the app's thread: a worker still
    # running while the app closes must not look for widgets that are already gone.

    def _set_status(self, **changes: object) -> None:
        if self.is_running:
            self.status.set(**changes)

    def _show_article(self, article: Article) -> None:
        if self.is_running:
            self.reader.show_article(article)

    def current_entry(self) -> Entry | None:
        """The article the keys act on: the one in the reader, which previews the list cursor."""
        return self.reader.entry or self.article_list.highlighted

    def _set_flags(
        self, entry: Entry, *, read: bool | None = None, starred: bool | None = None
    ) -> None:
        """Save a flag at once, so a crash or another process never loses it."""
        if self.store is None:
            return
        try:
            self.store.set_flags(entry.id, read=read, starred=starred)
        except StoreError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        if read is not None:
            entry.read = read
        if starred is not None:
            entry.starred = starred
        self.article_list.refresh_entry(entry)
        self._refresh_index()
        if self.screen.has_class("-sources"):
            self.sources_pane.recount()

    @work(thread=True, exclusive=True, group="refresh")
    def _refresh_index(self) -> None:
        if self.searcher is not None:
            self.searcher.refresh()  # keeps is:unread / is:starred filters true

    # -- actions ---------------------------------------------------------------------------

    def _focus(self, widget: Widget) -> None:
        """Move focus now, not after the events already queued: keys typed right after `/` or
        Enter (pasted, or batched by SSH) must reach the widget they were typed for."""
        self.screen.set_focus(widget)

    def action_back(self) -> None:
        self.screen.remove_class("-reading")
        self._focus(self.article_list)

    def action_focus_search(self) -> None:
        if isinstance(self.focused, Input):  # in the search bar or the palette it is just a slash
            self.focused.insert_text_at_cursor("/")
            return
        if self.screen is not self.screen_stack[0]:
            return  # help or another screen on top: the search bar is not there
        self.screen.remove_class("-reading")
        self._focus(self.search_bar)

    def deliver_screenshot(
        self, filename: str | None = None, path: str | None = None, time_format: str | None = None
    ) -> str | None:
        """The palette's Screenshot; its notice says where the file went."""
        return super().deliver_screenshot(filename, path or str(screenshot_folder()), time_format)

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.help_sections(), self.config.keymap,
                                    self.config.source or config_path()))

    def action_toggle_read(self) -> None:
        entry = self.current_entry()
        if entry is not None:
            self._set_flags(entry, read=not entry.read)

    def action_toggle_star(self) -> None:
        entry = self.current_entry()
        if entry is not None:
            self._set_flags(entry, starred=not entry.starred)

    def action_toggle_filter(self, token: str) -> None:
        """Filters are query words (is:unread, source:x), so the search bar shows what is active."""
        query = self.search_bar.value
        query = query.replace(token, " ") if token in query else f"{query} {token}"
        self.search_bar.value = " ".join(query.split())

    def sources(self) -> list[str]:
        """Source names, most articles first (for the palette's source filters)."""
        return list(self.store.sources()) if self.store is not None else []

    def _sorted(self, sort: str) -> Sequence[Entry]:
        # Without a query "relevance" has nothing to rank by, so it lists newest first too.
        if sort == "title" and self.store is not None:
            return self.store.entry_list(self.store.ordered_ids("title"))
        return self.all_entries

    @staticmethod
    def source_filter(source: str) -> str:
        return f'source:"{source}"' if " " in source else f"source:{source}"


def run_app(store: Store, config: Config) -> int:
    """Run the browser on an open store; the exit status is non-zero when it ended on an error."""
    app = NewsApp(store.path, config, opened=store)
    app.run(mouse=config.mouse)
    return app.return_code or 0
