"""The reading pane: title, metadata line, summary box and the body in paragraphs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from store.models import SUMMARY_SENTENCES, Article, Entry
from tui.config import MAX_SUMMARY_SENTENCES, MIN_SUMMARY_SENTENCES
from tui.rendering import block_text, highlight, plain_text
from tui.widgets.summary_box import SpanFinder, SummaryBox

MAX_PARAGRAPH_WIDGETS = 200  # later paragraphs share the last widget, so a huge body mounts fast


def _no_matches(text: str) -> list[tuple[int, int]]:
    return []


class Reader(VerticalScroll):
    """Shows one article. Widgets are reused; only the body paragraphs are remounted."""

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

    COMPONENT_CLASSES: ClassVar[set[str]] = {"reader--match", "reader--current-match"}

    def __init__(self, *, summary_sentences: int, id: str | None = None) -> None:
        super().__init__(id=id)
        self.summary_sentences = summary_sentences
        self.entry: Entry | None = None
        self.body: str | None = None
        self._find_matches: SpanFinder = _no_matches
        self._paragraphs: list[str] = []
        self._hits: list[tuple[int, int, int]] = []  # (paragraph, start, end)
        self._current_hit = -1
        self._summary: list[str] | None = None  # None until read or computed
        self._keywords: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static(id="reader-title")
        yield Static(id="reader-meta")
        yield SummaryBox(id="summary-box")
        yield Vertical(id="reader-body")

    # -- showing an article ----------------------------------------------------------------

    def show_entry(self, entry: Entry, find_matches: SpanFinder | None = None) -> None:
        """Show what the list already knows at once; the rest follows in ``show_article``."""
        self.entry, self.body = entry, None
        self._find_matches = find_matches or _no_matches
        title = plain_text(entry.title)
        highlight(title, self._find_matches(title.plain), self.get_component_rich_style("reader--match"))
        self.query_one("#reader-title", Static).update(title)
        self.query_one("#reader-meta", Static).update(plain_text(_meta_line(entry)))
        self._summary, self._keywords = None, []
        self._show_summary()
        # The previous body stays, dimmed, until this one is read: one layout per article, not two.
        self.set_class(True, "-stale")
        self.set_class(False, "-empty")
        self.scroll_home(animate=False)

    def show_article(self, article: Article) -> None:
        """Body, summary and keywords, once read from disk; ignored if the reader moved on."""
        if self.entry is None or self.entry.id != article.id:
            return
        self.body = article.body
        self._keywords = list(article.keywords)
        paragraphs = article.body.split("\n") if article.body else ["(no text)"]
        self._set_paragraphs(paragraphs)
        self.set_class(False, "-stale")
        # The summary stored at import has SUMMARY_SENTENCES sentences where the text has them;
        # one with fewer (a short text, or a store from before) is recomputed, which is cheap.
        if self.summary_sentences == SUMMARY_SENTENCES == len(article.summary):
            self._summary = list(article.summary)
            self._show_summary()
        else:
            self._summarize(article.id, article.body, self.summary_sentences)

    def clear(self, message: str) -> None:
        self.entry, self.body, self._summary, self._keywords = None, None, [], []
        self._find_matches = _no_matches
        self._show_summary()  # nothing of the last article stays in the box, hidden or not
        self.query_one("#reader-title", Static).update(plain_text(message))
        self.query_one("#reader-meta", Static).update("")
        self.set_class(True, "-empty")
        self._set_paragraphs([])

    def _show_summary(self) -> None:
        box = self.query_one(SummaryBox)
        box.show_summary(self._summary, self._keywords, self._find_matches)

    def _set_paragraphs(self, paragraphs: list[str]) -> None:
        if len(paragraphs) > MAX_PARAGRAPH_WIDGETS:
            tail = "\n\n".join(paragraphs[MAX_PARAGRAPH_WIDGETS - 1 :])
            paragraphs = [*paragraphs[: MAX_PARAGRAPH_WIDGETS - 1], tail]
        self._paragraphs = paragraphs
        self._hits = [
            (index, start, end)
            for index, paragraph in enumerate(paragraphs)
            for start, end in self._find_matches(paragraph)
        ]
        self._current_hit = -1
        # Paragraph widgets are reused from article to article; only the difference is mounted.
        container = self.query_one("#reader-body", Vertical)
        widgets = self._paragraph_widgets()
        for index, widget in enumerate(widgets[: len(paragraphs)]):
            widget.update(self._paragraph_text(index))
        if len(widgets) > len(paragraphs):
            container.remove_children(widgets[len(paragraphs) :])
        container.mount_all(
            Static(self._paragraph_text(index), classes="paragraph")
            for index in range(len(widgets), len(paragraphs))
        )

    def _paragraph_widgets(self) -> list[Static]:
        return list(self.query_one("#reader-body", Vertical).query_children(Static))

    def _paragraph_text(self, index: int) -> Text:
        text = block_text(self._paragraphs[index])
        match = self.get_component_rich_style("reader--match")
        current = self.get_component_rich_style("reader--current-match")
        for hit_number, (paragraph, start, end) in enumerate(self._hits):
            if paragraph == index:
                text.stylize(current if hit_number == self._current_hit else match, start, end)
        return text

    # -- search hits -----------------------------------------------------------------------

    @property
    def hit_count(self) -> int:
        return len(self._hits)

    @property
    def current_hit(self) -> int:
        """Which search match n/N last moved to (-1 before the first)."""
        return self._current_hit

    @property
    def summary(self) -> list[str] | None:
        """The summary sentences shown (None while still being read or computed)."""
        return self._summary

    def action_next_hit(self) -> None:
        self._move_hit(+1)

    def action_previous_hit(self) -> None:
        self._move_hit(-1)

    def _move_hit(self, step: int) -> None:
        if not self._hits:
            self.notify("No search matches in this article", timeout=2)
            return
        before = self._current_hit
        self._current_hit = (self._current_hit + step) % len(self._hits)
        widgets = self._paragraph_widgets()
        for hit in {before, self._current_hit} - {-1}:
            paragraph = self._hits[hit][0]
            widgets[paragraph].update(self._paragraph_text(paragraph))
        target = widgets[self._hits[self._current_hit][0]]
        self.scroll_to_center(target, animate=False)

    # -- summary ---------------------------------------------------------------------------

    def action_toggle_summary(self) -> None:
        if self.entry is None:
            return  # no article, no summary to show
        box = self.query_one(SummaryBox)
        box.display = not box.display

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
        if self.body is not None:
            self._summarize(self.entry.id, self.body, wanted)

    @work(thread=True, exclusive=True, group="summary")
    def _summarize(self, entry_id: str, body: str, sentences: int) -> None:
        from store.summarize import summarize  # it loads numpy: not on the way to the first paint

        self.app.call_from_thread(self._summary_ready, entry_id, summarize(body, max_sentences=sentences))

    def _summary_ready(self, entry_id: str, summary: Sequence[str]) -> None:
        if self.entry is not None and self.entry.id == entry_id:
            self._summary = list(summary)
            self._show_summary()


def _meta_line(entry: Entry) -> str:
    date = (entry.date or "undated").replace("T", " ")
    parts = [date, entry.source or "unknown source", f"{entry.chars:,} chars"]
    if entry.url:
        parts.append(entry.url)
    return " · ".join(parts)
