"""Article text that tries to drive the terminal or the UI: markup, escape sequences, invisible text.

Every place that shows article text — `list`, `search`, `show` (plain and JSON), `stats`, exports
and the browser — must show it literally or strip it, never act on it. Two stores are tried: one
filled by `newstui import` (cleaned on the way in) and one written directly, as if the store file
had been tampered with, since output must be safe on its own.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import orjson
import pytest
from test_hostile_text import UNSAFE

from newstui.store.records.db import Store
from newstui.store.records.models import Article
from newstui.tui.cli import main
from newstui.tui.config import Config

MARKUP = ["[bold red]x[/]", "[@click=app.quit]click me[/]", "[link=file:///etc/passwd]link[/link]"]
ESCAPES = [
    "clear\x1b[2Jscreen", "title\x1b]0;pwned\x07set", "clip\x1b]52;c;ZXZpbA==\x07board",
    "c1\x9b31mred", "nul\x00bell\x07back\x08space", "bidi\u202eevil\u202cend", "zero\u200bwidth\ufeffbom",
    "link\x1b]8;;file:///etc/passwd\x1b\\here\x1b]8;;\x1b\\",
]
HOSTILE = MARKUP + ESCAPES


def hostile_rows() -> list[dict]:
    return [
        {"title": text, "body": f"第一段 {text}。\n第二段 {text} 结束。", "source": f"来源{text}",
         "url": f"https://example.com/{i}", "date": f"2030-01-{i + 1:02d}"}
        for i, text in enumerate(HOSTILE)
    ]


@pytest.fixture(scope="module")
def imported_store(tmp_path_factory) -> Path:
    from newstui.store.ingest.pipeline import import_sources

    folder = tmp_path_factory.mktemp("hostile-imported")
    (folder / "hostile.jsonl").write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in hostile_rows()))
    import_sources(Store(folder / "news.json"), [str(folder / "hostile.jsonl")], workers=1)
    return folder / "news.json"


@pytest.fixture(scope="module")
def tampered_store(tmp_path_factory) -> Path:
    """Hostile text written straight into the store, skipping the importer's cleaning."""
    from newstui.store.search.searcher import rebuild_index

    path = tmp_path_factory.mktemp("hostile-tampered") / "news.json"
    store = Store(path)
    store.add([
        Article(id=f"{i:016x}", title=row["title"], body=row["body"], source=row["source"], url=row["url"],
                date=row["date"], summary=[row["title"]], keywords=[row["title"]])
        for i, row in enumerate(hostile_rows())
    ])
    rebuild_index(store)
    return path


STORES = ["imported_store", "tampered_store"]


def assert_terminal_safe(output: bytes) -> str:
    text = output.decode("utf-8")
    found = UNSAFE.search(text)
    if found is not None:
        context = text[max(0, found.start() - 30) : found.end() + 30]
        pytest.fail(f"{found.group()!r} reaches the terminal in {context!r}")
    return text


@pytest.fixture(params=STORES)
def store_path(request) -> Path:
    return request.getfixturevalue(request.param)


def newstui(capsysbinary, *args: str) -> bytes:
    """Run the command in-process; its stdout, after checking it succeeded with a safe stderr."""
    status = main(list(args))
    captured = capsysbinary.readouterr()
    assert status == 0, captured.err.decode(errors="replace")
    assert_terminal_safe(captured.err)
    return captured.out


# -- the command line ----------------------------------------------------------------------------


def test_import_cleans_escapes_and_invisible_characters_but_keeps_markup_as_text(imported_store):
    store = Store(imported_store)
    titles = {e.title for e in store.entries()}
    assert set(MARKUP) <= titles
    assert {"clearscreen", "titleset", "clipboard", "c1red", "nulbellbackspace", "bidievilend",
            "zerowidthbom", "linkhere"} <= titles


def test_list_shows_markup_literally_and_no_escapes(capsysbinary, store_path):
    text = assert_terminal_safe(newstui(capsysbinary, "list", "--db", str(store_path)))
    for markup in MARKUP:
        assert markup in text


@pytest.mark.parametrize("command", [["list", "--json"], ["search", "第一段", "--json"]])
def test_json_listings_carry_no_raw_control_characters(capsysbinary, store_path, command):
    output = newstui(capsysbinary, *command, "--db", str(store_path))
    assert_terminal_safe(output)
    titles = {row["title"] for row in orjson.loads(output)}
    assert set(MARKUP) <= titles


def test_search_results_are_safe(capsysbinary, store_path):
    text = assert_terminal_safe(newstui(capsysbinary, "search", "第二段", "--db", str(store_path)))
    assert "[bold red]x[/]" in text


@pytest.mark.parametrize("as_json", [False, True])
def test_show_prints_every_hostile_article_safely(capsysbinary, store_path, as_json):
    for entry in Store(store_path).entries():
        output = newstui(capsysbinary, "show", entry.id, *(["--json"] if as_json else []),
                         "--db", str(store_path))
        assert_terminal_safe(output)


def test_stats_names_hostile_sources_safely(capsysbinary, store_path):
    assert_terminal_safe(newstui(capsysbinary, "stats", "--db", str(store_path)))


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_exports_carry_no_control_characters(capsysbinary, store_path, fmt, tmp_path):
    target = tmp_path / f"out.{fmt}"
    newstui(capsysbinary, "export", "--format", fmt, "-o", str(target), "--db", str(store_path))
    text = assert_terminal_safe(target.read_bytes().replace(b"\r\n", b"\n"))
    assert "[bold red]x[/]" in text


# -- the browser ---------------------------------------------------------------------------------


def screen_text(app) -> str:
    """What the terminal would show: the text of every rendered line of the screen."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def wait_for(pilot, condition, deadline_s: float = 15.0) -> None:
    deadline = time.monotonic() + deadline_s
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.05)


def run_browser(store_path: Path, scenario) -> None:
    from newstui.tui.app import NewsApp

    async def main() -> None:
        app = NewsApp(store_path, Config(cursor_blink=False, mouse=True))
        async with app.run_test(size=(140, 40)) as pilot:
            await wait_for(pilot, lambda: len(app.article_list.entries) == len(HOSTILE))
            await pilot.pause()
            await scenario(app, pilot)

    asyncio.run(main())


@pytest.mark.parametrize("store_name", STORES)
def test_the_article_list_shows_markup_literally_and_no_escapes(request, store_name):
    async def scenario(app, pilot) -> None:
        text = screen_text(app)
        assert UNSAFE.search(text) is None
        for markup in ("[bold red]x[/]", "[@click=app.quit]click me[/]"):
            assert markup in text

    run_browser(request.getfixturevalue(store_name), scenario)


@pytest.mark.parametrize("store_name", STORES)
def test_clicking_a_title_that_looks_like_an_action_does_not_run_it(request, store_name):
    async def scenario(app, pilot) -> None:
        row = next(i for i, e in enumerate(app.article_list.entries) if e.title.startswith("[@click"))
        await pilot.click(app.article_list, offset=(6, row))
        await pilot.click(app.article_list, offset=(12, row))
        await pilot.pause()
        assert app.is_running and app.return_code is None

    run_browser(request.getfixturevalue(store_name), scenario)


@pytest.mark.parametrize("store_name", STORES)
def test_the_reader_shows_every_hostile_article_safely(request, store_name):
    async def scenario(app, pilot) -> None:
        for row in range(len(HOSTILE)):
            app.article_list.cursor = row
            await pilot.press("enter")
            expected = app.article_list.entries[row].id
            await wait_for(pilot, lambda expected=expected: app.reader.body is not None
                           and app.reader.entry is not None and app.reader.entry.id == expected)
            await pilot.pause()
            text = screen_text(app)
            assert UNSAFE.search(text) is None, repr(text)
        assert app.is_running

    run_browser(request.getfixturevalue(store_name), scenario)


@pytest.mark.parametrize("article_id", ["[/]", "[@click=app.quit]x[/]", "[link=file:///etc/passwd]x"])
def test_an_error_naming_a_hostile_article_id_is_shown_literally(tmp_path, article_id):
    from textual.content import Content

    from newstui.tui.app import NewsApp

    path = tmp_path / "news.json"  # a tampered catalogue: the store refuses it, naming the id
    bad_entry = {"title": "x", "shard": "000001", "chars": "many"}
    path.write_bytes(orjson.dumps({"articles": {article_id: bad_entry}}))

    def shown(notification) -> str:
        """The text a notification puts on screen."""
        message = notification.message
        return Content.from_markup(message).plain if notification.markup else message

    async def main() -> None:
        app = NewsApp(path, Config(cursor_blink=False))
        async with app.run_test(size=(140, 40)) as pilot:
            await wait_for(pilot, lambda: list(app._notifications))  # the store's error
            assert all(article_id in shown(n) for n in app._notifications)
            assert app.is_running

    asyncio.run(main())
