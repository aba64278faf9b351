"""Helpers shared by the browser's tests: a steady app, waiting without sleeping, screen text."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.geometry import Region
from textual.pilot import Pilot
from textual.strip import Strip
from textual.widget import Widget

from newstui.store.records.db import Store
from newstui.store.records.models import Article
from newstui.tui.app import NewsApp
from newstui.tui.config import Config


def news_app(store_path: Path, **settings) -> NewsApp:
    """The browser with nothing that varies between runs: no cursor blink, a clock that stands still."""
    config = Config(cursor_blink=False, **settings)
    return NewsApp(store_path, config, clock=lambda: 0.0)


async def settle(pilot: Pilot) -> None:
    """Wait until every worker (store, index, bodies, search, summaries) is done and painted."""
    # A refresh can start new workers (previews start after the list has painted), so repeat
    # until a pause leaves nothing running.
    while True:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if all(worker.is_finished for worker in pilot.app.workers):
            return


def widget_text(widget: Widget) -> str:
    """What a widget shows on screen, as plain text lines."""
    width, height = widget.outer_size
    strips = widget.render_lines(Region(0, 0, width, height))
    return "\n".join(strip.text.rstrip() for strip in strips)


def highlighted(widget: Widget, strips: list[Strip] | None = None) -> list[str]:
    """The runs of text a widget paints on another background than its own (search matches)."""
    if strips is None:
        width, height = widget.outer_size
        strips = widget.render_lines(Region(0, 0, width, height))
    own = widget.rich_style.bgcolor
    runs: list[str] = []
    run = ""  # a run that reaches the end of a line goes on at the start of the next
    for strip in strips:
        for segment in strip:
            if not segment.text.strip():
                continue
            if segment.style and segment.style.bgcolor not in (None, own):
                run += segment.text
            elif run:
                runs.append(run)
                run = ""
    return [*runs, run] if run else runs


def article(title: str, body: str = "正文。", **fields) -> Article:
    """An article for a test store, with an id as an import gives it."""
    from newstui.store.records.models import article_id

    fields.setdefault("date", "2020-01-01")
    return Article(id=article_id(title, body), title=title, body=body, **fields)


async def press(pilot: Pilot, *keys: str) -> None:
    """Press keys, then wait for what they started (searches, bodies, summaries) to finish."""
    await pilot.press(*keys)
    await settle(pilot)


def store_with(path: Path, articles: list[Article]) -> Path:
    store = Store(path)
    store.add(articles)
    store.close()
    return path


def async_test(test: Callable[..., Awaitable[None]]) -> Callable[..., None]:
    """Run an ``async def`` test in its own event loop (no asyncio plugin needed)."""

    @functools.wraps(test)
    def run(*args, **kwargs) -> None:
        asyncio.run(test(*args, **kwargs))

    return run
