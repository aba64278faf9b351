"""News-reader habits and small screens, driven with Pilot: zoom, next unread, mark all read,
numbered links, $PAGER, and room for titles, headers and the summary box."""

from __future__ import annotations

import contextlib

from textual.widgets import OptionList, Static
from tui_support import article, async_test, news_app, press, settle, store_with, widget_text

from newstui.store.records.db import Store
from newstui.tui import external
from newstui.tui.screens.links import LinksScreen
from newstui.tui.widgets.summary_box import SummaryBox

WIDE, NARROW = (120, 40), (80, 24)
DELOITTE_TITLE = "商汤科技与德勤签署战略合作协议 开启人工智能领域多项深度合作"


# -- small screens ---------------------------------------------------------------------------


@async_test
async def test_at_80x24_the_list_shows_ten_titles_above_the_preview(sample_store_path):
    app = news_app(sample_store_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        listing = app.article_list
        assert listing.row_height == 1
        assert listing.scrollable_content_region.height >= 10
        shown = [listing.render_line(y).text for y in range(10)]
        assert all(entry.title[:8] in line for entry, line in zip(listing.entries, shown, strict=True))
        assert app.reader.region.height >= 7  # the preview keeps the title and the summary's top


@async_test
async def test_at_120_columns_titles_get_two_lines_of_room_and_the_source_stays(sample_store_path):
    app = news_app(sample_store_path)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        listing = app.article_list
        row = next(r for r, e in enumerate(listing.entries) if e.title == DELOITTE_TITLE)
        listing.cursor = row
        await settle(pilot)
        title = listing.render_line(2 * row - round(listing.scroll_y)).text
        meta = listing.render_line(2 * row + 1 - round(listing.scroll_y)).text
        assert DELOITTE_TITLE[:26] in title  # was 19 characters, beside a date and no source
        assert "2018-09-03 · sensetime-press-releases-2018-09" in meta


@async_test
async def test_the_reader_header_wraps_between_its_parts_only(sample_store_path):
    app = news_app(sample_store_path)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        meta = widget_text(app.reader.query_one("#reader-meta", Static))
        assert "1,008 chars" in meta.splitlines()[-1]
        assert all(not line.rstrip().endswith(("1,008", " ")) for line in meta.splitlines())


@async_test
async def test_z_zooms_the_focused_pane_to_the_whole_screen(sample_store_path):
    app = news_app(sample_store_path)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        listing, reader = app.article_list, app.reader
        await press(pilot, "z")
        assert not reader.display and listing.region.width == WIDE[0]
        await press(pilot, "enter")  # reading: the reader takes the screen instead
        assert reader.display and not listing.display and reader.region.width == WIDE[0]
        await press(pilot, "h")
        assert listing.display and not reader.display
        await press(pilot, "z")
        assert listing.display and reader.display and listing.region.right <= reader.region.x


@async_test
async def test_s_plus_and_minus_bring_the_summary_box_into_view(sample_store_path):
    app = news_app(sample_store_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        reader, box = app.reader, app.query_one(SummaryBox)

        def box_in_view() -> bool:
            top, bottom = round(reader.scroll_y), reader.scroll_y + reader.scrollable_content_region.height
            return top <= box.virtual_region.y and box.virtual_region.bottom <= bottom

        for keys in (("plus",), ("minus",), ("s", "s")):
            await press(pilot, "enter", "space", "space")
            assert not box_in_view()
            await press(pilot, *keys)
            assert box.display and box_in_view(), keys
            await press(pilot, "h")


# -- unread ------------------------------------------------------------------------------------


@async_test
async def test_u_moves_to_the_next_unread_article_and_opens_it_when_reading(sample_store_path):
    app = news_app(sample_store_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        listing = app.article_list
        await press(pilot, "j", "m", "j", "m", "g")  # rows 1 and 2 read
        await press(pilot, "u")
        assert listing.cursor == 3 and app.focused is listing
        await press(pilot, "enter", "u")  # from the reader: the next unread is opened, and read
        assert listing.cursor == 4 and app.reader.entry is listing.entries[4]
        assert app.focused is app.reader and listing.entries[4].read
        await press(pilot, "h", "G", "u")  # past the last row it wraps to the top
        assert listing.cursor == 0


@async_test
async def test_u_says_so_when_nothing_is_unread(sample_store_path, monkeypatch):
    app = news_app(sample_store_path)
    notes = []
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        monkeypatch.setattr(app, "notify", lambda message, **kw: notes.append(message))
        await press(pilot, "A", "u")
        assert app.article_list.cursor == 0
    assert any("No unread" in note for note in notes)


@async_test
async def test_shift_a_marks_everything_listed_read_and_only_that(sample_store_path):
    app = news_app(sample_store_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await press(pilot, "slash", *"德勤", "enter", "A")
        assert [e.title for e in app.article_list.entries] == [DELOITTE_TITLE]
        assert "●" not in app.article_list.render_line(0).text
        await press(pilot, "slash", "escape", "slash", *"is:unread", "enter")
        assert len(app.article_list.entries) == 9  # the index knows too
        await press(pilot, "A")
    stored = Store(sample_store_path).entries()
    assert all(entry.read for entry in stored)


# -- links and the pager -----------------------------------------------------------------------


LINKS_BODY = ("详情见https://news.example/a。另见 http://other.example/b?x=1，"
              "以及（https://news.example/a）。")


@async_test
async def test_l_lists_the_links_by_number_and_a_number_opens_one_with_the_browser_command(
        tmp_path, monkeypatch):
    path = store_with(tmp_path / "news.json",
                      [article("有链接", LINKS_BODY, url="https://site.example/article")])
    opened = []
    monkeypatch.setattr(external, "run_in_terminal", lambda app, command, text=None: opened.append(command))
    app = news_app(path, browser="w3m -o confirm_qq=false %u")
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await press(pilot, "L")
        assert isinstance(app.screen, LinksScreen)
        options = app.screen.query_one(OptionList)
        assert [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)] == [
            "1  https://site.example/article", "2  https://news.example/a", "3  http://other.example/b?x=1"]
        await press(pilot, "2")
        assert not isinstance(app.screen, LinksScreen)
    assert opened == [["w3m", "-o", "confirm_qq=false", "https://news.example/a"]]


@async_test
async def test_an_article_without_links_says_so(tmp_path, monkeypatch):
    path = store_with(tmp_path / "news.json", [article("无链接", "正文。")])
    notes = []
    app = news_app(path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        monkeypatch.setattr(app, "notify", lambda message, **kw: notes.append(message))
        await press(pilot, "L")
        assert not isinstance(app.screen, LinksScreen)
    assert notes == ["No links in this article"]


@async_test
async def test_a_browser_command_ending_in_ampersand_starts_on_its_own(tmp_path, monkeypatch):
    path = store_with(tmp_path / "news.json", [article("有链接", "正文。", url="https://site.example/a")])
    started = []
    monkeypatch.setattr(external.subprocess, "Popen", lambda command, **kw: started.append(command))
    app = news_app(path, browser="firefox --new-tab %u &")
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await press(pilot, "o")
    assert started == [["firefox", "--new-tab", "https://site.example/a"]]


@async_test
async def test_the_pipe_key_shows_the_article_in_the_pager(tmp_path, monkeypatch):
    path = store_with(tmp_path / "news.json",
                      [article("有链接", LINKS_BODY, url="https://site.example/article", source="新华社")])
    paged = tmp_path / "paged.txt"
    monkeypatch.setenv("PAGER", f"cat > {paged}")
    app = news_app(path)
    monkeypatch.setattr(app, "suspend", contextlib.nullcontext)  # a headless app has no terminal
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await press(pilot, "vertical_line")
    text = paged.read_text(encoding="utf-8")
    assert text.startswith("有链接\n2020-01-01 · 新华社")
    assert LINKS_BODY in text
    assert text.endswith("Links:\n  [1] https://site.example/article\n  [2] https://news.example/a\n"
                         "  [3] http://other.example/b?x=1\n")


@async_test
async def test_the_palette_offers_the_reading_habits(sample_store_path):
    app = news_app(sample_store_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await press(pilot, "ctrl+p", *"mark all read")
        await press(pilot, "enter")
        assert all(entry.read for entry in app.article_list.entries)


@async_test
async def test_the_palette_is_built_from_the_live_bindings_with_the_keys_as_bound(sample_store_path):
    from newstui.tui.commands import NewsCommands

    app = news_app(sample_store_path, keymap={"app.toggle_read": "x"})
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        commands = {title: help_text for title, help_text, _ in NewsCommands(app.screen)._commands()}
        assert commands["Read/unread"].endswith("(x)")  # the user's key, not the default m
        assert "First article" in commands  # the focused list's own bindings are there too
        entry = app.current_entry()
        was_read = entry.read
        await press(pilot, "ctrl+p", *"read/unread")
        await press(pilot, "enter")
        await settle(pilot)
        assert entry.read is not was_read and app.store.entry(entry.id).read is not was_read
