"""The reading pane: title, metadata line, summary box and the body, laid out where it is read."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static
from textual.worker import get_current_worker

from ...store.records.models import SUMMARY_SENTENCES, Article, Entry
from ..config import MAX_SUMMARY_SENTENCES, MIN_SUMMARY_SENTENCES
from ..linebreak import BrokenText, JoinedParts
from ..rendering import SpanFinder, highlight, no_matches, plain_text
from .article_body import EAGER_CHARS, ArticleBody, Match, find_matches
from .summary_box import SummaryBox

# Summaries asked for with +/- are computed from the start of a long body: a summary of a whole
# 17-million-character body would hold a core for minutes after the reader has moved on.
MAX_SUMMARY_INPUT_CHARS = 100_000


class Reader(VerticalScroll):
    """Shows one article. The widgets are reused from article to article."""

    @dataclass
    class HitsChanged(Message):
        """It found search matches in its article, or n/N moved to one (for the status line)."""

        current: int  # -1 before n was pressed
        total: int
        complete: bool  # False: there are more than ``total`` (the count has a cap)

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("h,escape", "app.back", "Back", id="reader.back"),
        Binding("j,down", "scroll_down", "Scroll down", id="reader.down", show=False),
        Binding("k,up", "scroll_up", "Scroll up", id="reader.up", show=False),
        Binding("g,home", "scroll_home", "Top", id="reader.top", show=False),
        Binding("G,end", "scroll_end", "Bottom", id="reader.bottom", show=False),
        Binding("space,pagedown", "page_down", "Page down", id="reader.page_down", show=False),
        Binding("b,pageup", "page_up", "Page up", id="reader.page_up", show=False),
        Binding("n", "next_hit", "Next hit", id="reader.next_hit"),
        Binding("N", "previous_hit", "Previous hit", id="reader.previous_hit", show=False),
        Binding("s", "toggle_summary", "Summary", id="reader.toggle_summary"),
        Binding("plus,equals_sign", "longer_summary", "Longer summary", id="reader.longer",
                show=False),
        Binding("minus", "shorter_summary", "Shorter summary", id="reader.shorter", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {"reader--match"}

    def __init__(self, *, summary_sentences: int, id: str | None = None) -> None:
        super().__init__(id=id)
        self.summary_sentences = summary_sentences
        self.entry: Entry | None = None
        self.body: str | None = None
        self.article: Article | None = None  # the whole article once read (None while loading)
        self._find_matches: SpanFinder = no_matches
        self._current_hit = -1
        self._all_hits_found = True  # False when the count stopped at its cap
        self._summary: list[str] | None = None  # None until read or computed
        self._keywords: list[str] = []
        self._reveal_summary = False  # +/- was pressed: scroll the new summary into view

    def compose(self) -> ComposeResult:
        yield Static(id="reader-title")
        yield Static(id="reader-meta")
        yield SummaryBox(id="summary-box")
        yield ArticleBody(id="reader-body")

    @property
    def body_view(self) -> ArticleBody:
        return self.query_one(ArticleBody)

    # -- showing an article ----------------------------------------------------------------

    def show_entry(self, entry: Entry, find_matches: SpanFinder | None = None) -> None:
        """Show what the list already knows at once; the rest follows in ``show_article``."""
        self.entry, self.body, self.article = entry, None, None
        self._find_matches = find_matches or no_matches
        title = plain_text(entry.title)
        highlight(title, self._find_matches(title.plain), self.get_component_rich_style("reader--match"))
        self.query_one("#reader-title", Static).update(BrokenText(title))
        self.query_one("#reader-meta", Static).update(JoinedParts(_meta_parts(entry)))
        self._summary, self._keywords = None, []
        self._reveal_summary = False
        self._show_summary()
        self._set_hits([], True)
        # The previous body stays, dimmed, until this one is read: one layout per article, not two.
        self.set_class(True, "-stale")
        self.set_class(False, "-empty")
        self.scroll_home(animate=False)

    def show_article(self, article: Article) -> None:
        """Body, summary and keywords, once read from disk; ignored if the reader moved on."""
        if self.entry is None or self.entry.id != article.id:
            return
        self.body, self.article = article.body, article
        self._keywords = list(article.keywords)
        self.body_view.set_text(article.body or "(no text)")
        self.call_after_refresh(self._prepare_body)
        self._find_body_hits(article.id)
        self.set_class(False, "-stale")
        # The summary stored at import has SUMMARY_SENTENCES sentences where the text has them;
        # one with fewer (a short text, or a store from before) is recomputed, which is cheap.
        if self.summary_sentences == SUMMARY_SENTENCES == len(article.summary):
            self._summary = list(article.summary)
            self._show_summary()
        else:
            self._summarize(article.id, article.body, self.summary_sentences)

    def clear(self, message: str) -> None:
        self.entry, self.body, self.article, self._summary, self._keywords = None, None, None, [], []
        self._find_matches = no_matches
        self._show_summary()  # nothing of the last article stays in the box, hidden or not
        self.query_one("#reader-title", Static).update(plain_text(message))
        self.query_one("#reader-meta", Static).update("")
        self.set_class(True, "-empty")
        self.body_view.set_text("")
        self._set_hits([], True)

    def _show_summary(self) -> None:
        box = self.query_one(SummaryBox)
        box.show_summary(self._summary, self._keywords, self._find_matches)

    # -- laying out the body where it is read ------------------------------------------------

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._prepare_body()

    def on_resize(self) -> None:
        self.call_after_refresh(self._prepare_body)

    def _prepare_body(self) -> None:
        """Lay out the body's lines in and around the view; keep the text in view in place
        when the lines above it turn out taller or shorter than estimated."""
        view = self.body_view
        if not view.block_count or not view.size.width:
            return
        top = view.virtual_region.y
        scroll, height = round(self.scroll_y), self.scrollable_content_region.height
        at_end = scroll > 0 and scroll >= self.max_scroll_y
        laid_out = view.blocks_laid_out
        shift = view.prepare(max(0, scroll - top), max(0, scroll - top + height))
        if at_end and view.blocks_laid_out != laid_out:  # G into estimated text: stay at the end
            self.call_after_refresh(self.scroll_end, animate=False)
        elif shift and scroll > top:
            # Not from inside this watcher: a scroll animation may be what is calling it.
            self.call_later(self._shift_view, shift)

    def _shift_view(self, shift: int) -> None:
        self.scroll_to(y=self.scroll_target_y + shift, animate=False)

    # -- search hits -----------------------------------------------------------------------

    @property
    def hit_count(self) -> int:
        return len(self.body_view.matches)

    @property
    def current_hit(self) -> int:
        """Which search match n/N last moved to (-1 before the first)."""
        return self._current_hit

    @property
    def summary(self) -> list[str] | None:
        """The summary sentences shown (None while still being read or computed)."""
        return self._summary

    def _find_body_hits(self, entry_id: str) -> None:
        blocks = self.body_view.blocks
        if self._find_matches is no_matches:
            self._set_hits([], True)
        elif self.body is not None and len(self.body) <= EAGER_CHARS:
            self._set_hits(*find_matches(blocks, self._find_matches))
        else:
            self._set_hits([], True)
            self._find_hits_in_background(entry_id, blocks, self._find_matches)

    @work(thread=True, exclusive=True, group="hits")
    def _find_hits_in_background(self, entry_id: str, blocks: list[str], find: SpanFinder) -> None:
        """A long body is searched off the UI thread, and given up as soon as the reader moves on."""
        worker = get_current_worker()
        matches, complete = find_matches(blocks, find, lambda: worker.is_cancelled)
        if not worker.is_cancelled:
            self.app.call_from_thread(self._hits_found, entry_id, matches, complete)

    def _hits_found(self, entry_id: str, matches: list[Match], complete: bool) -> None:
        if self.entry is not None and self.entry.id == entry_id:
            self._set_hits(matches, complete)

    def _set_hits(self, matches: list[Match], complete: bool) -> None:
        self.body_view.set_matches(matches)
        self._current_hit, self._all_hits_found = -1, complete
        self._announce_hits()

    def _announce_hits(self) -> None:
        self.post_message(self.HitsChanged(self._current_hit, self.hit_count, self._all_hits_found))

    def action_next_hit(self) -> None:
        self._move_hit(+1)

    def action_previous_hit(self) -> None:
        self._move_hit(-1)

    def _move_hit(self, step: int) -> None:
        if not self.hit_count:
            self.notify("No search matches in this article", timeout=2)
            return
        self._current_hit = (self._current_hit + step) % self.hit_count
        view = self.body_view
        height = self.scrollable_content_region.height
        line = view.select_match(self._current_hit)
        view.prepare(max(0, line - height), line + height)  # may move the lines above it
        line = view.line_of_match(self._current_hit)
        self.scroll_to(y=view.virtual_region.y + line - height // 2, animate=False)
        self._announce_hits()

    # -- summary ---------------------------------------------------------------------------

    def action_toggle_summary(self) -> None:
        if self.entry is None:
            return  # no article, no summary to show
        box = self.query_one(SummaryBox)
        box.display = not box.display
        if box.display:
            self._scroll_to_summary()

    def action_longer_summary(self) -> None:
        self._resummarize(+1)

    def action_shorter_summary(self) -> None:
        self._resummarize(-1)

    def _resummarize(self, step: int) -> None:
        if self.entry is None:
            return
        # Step from what is shown: a text of two sentences shows two when three are asked for,
        # and - must then give one.
        shown = len(self._summary) if self._summary else self.summary_sentences
        wanted = max(MIN_SUMMARY_SENTENCES, min(MAX_SUMMARY_SENTENCES, shown + step))
        self.summary_sentences = wanted
        self.query_one(SummaryBox).display = True
        self._reveal_summary = True
        self._scroll_to_summary()
        if self.body is not None:
            self._summarize(self.entry.id, self.body, wanted)

    def _scroll_to_summary(self) -> None:
        """After the box has its new size: a box changed out of sight is a change not seen."""
        self.call_after_refresh(self.scroll_to_widget, self.query_one(SummaryBox), animate=False)

    @work(thread=True, exclusive=True, group="summary")
    def _summarize(self, entry_id: str, body: str, sentences: int) -> None:
        from ...store.summaries.summarize import (
            summarize,  # it loads numpy: not on the way to the first paint
        )

        summary = summarize(body[:MAX_SUMMARY_INPUT_CHARS], max_sentences=sentences)
        self.app.call_from_thread(self._summary_ready, entry_id, summary)

    def _summary_ready(self, entry_id: str, summary: Sequence[str]) -> None:
        if self.entry is not None and self.entry.id == entry_id:
            self._summary = list(summary)
            self._show_summary()
            if self._reveal_summary:
                self._reveal_summary = False
                self._scroll_to_summary()


def _meta_parts(entry: Entry) -> list[Text]:
    """Date, source, length and URL: each is kept whole on a line where it fits."""
    date = (entry.date or "undated").replace("T", " ")
    parts = [date, entry.source or "unknown source", f"{entry.chars:,} chars"]
    if entry.url:
        parts.append(entry.url)
    return [plain_text(part) for part in parts]
