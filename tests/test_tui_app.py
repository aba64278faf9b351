"""The browser driven with Pilot: every key binding, search as you type, saved state, layouts."""

from __future__ import annotations

from textual import events
from textual.widgets import Static
from tui_support import article, async_test, highlighted, news_app, press, settle, store_with, widget_text

from newstui.store.records.db import Store
from newstui.store.records.models import Article
from newstui.store.summaries.summarize import summarize
from newstui.tui.screens.help import HelpScreen
from newstui.tui.widgets.article_list import ArticleList
from newstui.tui.widgets.reader import Reader
from newstui.tui.widgets.search_bar import SearchBar
from newstui.tui.widgets.summary_box import SummaryBox

WIDE, NARROW = (120, 40), (80, 24)
DELOITTE_TITLE = "商汤科技与德勤签署战略合作协议 开启人工智能领域多项深度合作"


def titles(app) -> list[str]:
    return [entry.title for entry in app.article_list.entries]


# -- first screen --------------------------------------------------------------------------


@async_test
async def test_lists_every_sample_article_newest_first(sample_store_path):
    app = news_app(sample_store_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        assert len(titles(app)) == 10
        assert titles(app)[0] == "2018年商汤奖学金申报开始"
        assert "10 of 10 articles" in widget_text(app.status)
        assert app.focused is app.article_list


@async_test
async def test_reader_previews_the_highlighted_article_with_its_summary(sample_store_path):
    app = news_app(sample_store_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        assert app.reader.entry.title == titles(app)[0]
        assert "Summary" in widget_text(app.query_one(SummaryBox))
        assert app.reader.body


# -- list movement ---------------------------------------------------------------------------


@async_test
async def test_j_k_and_arrows_move_the_cursor(sample_store_path):
    app = news_app(sample_store_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await press(pilot, "j", "j", "down")
        assert app.article_list.cursor == 3
        await press(pilot, "k", "up")
        assert app.article_list.cursor == 1
        assert app.reader.entry is app.article_list.entries[1]


@async_test
async def test_g_shift_g_home_and_end_jump_to_first_and_last(sample_store_path):
    app = news_app(sample_store_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await press(pilot, "G")
        assert app.article_list.cursor == 9
        await press(pilot, "g")
        assert app.article_list.cursor == 0
        await press(pilot, "end")
        assert app.article_list.cursor == 9
        await press(pilot, "home")
        assert app.article_list.cursor == 0


@async_test
async def test_page_down_and_up_move_by_a_screenful(tmp_path):
    path = store_with(tmp_path / "news.json", [article(f"标题{i:03d}", date=f"2020-01-01T00:{i % 60:02d}")
                                               for i in range(100)])
    app = news_app(path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        listing = app.article_list
        height = listing.scrollable_content_region.height
        await press(pilot, "pagedown", "pagedown")
        assert listing.cursor == 2 * (height - 1)
        assert listing.scroll_y <= listing.cursor < listing.scroll_y + height  # still on screen
        await press(pilot, "pageup", "pageup")
        assert listing.cursor == 0


@async_test
async def test_clicking_a_row_selects_it(sample_store_path):
    app = news_app(sample_store_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.click(ArticleList, offset=(5, 3))
        await settle(pilot)
        assert app.article_list.cursor == 3


# -- opening and going back -------------------------------------------------------------------


@async_test
async def test_enter_or_l_opens_the_article_focuses_the_reader_and_marks_it_read(sample_store_path):
    app = news_app(sample_store_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await press(pilot, "j", "enter")
        first = app.article_list.entries[1]
        assert app.focused is app.reader
        assert app.reader.entry is first
        assert first.read
        await press(pilot, "h", "j", "l")
        second = app.article_list.entries[2]
        assert app.focused is app.reader and app.reader.entry is second
    saved = Store(sample_store_path)
    assert saved.entry(first.id).read and saved.entry(second.id).read


@async_test
async def test_h_or_escape_goes_back_to_the_list(sample_store_path):
    app = news_app(sample_store_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await press(pilot, "enter", "h")
        assert app.focused is app.article_list
        await press(pilot, "enter", "escape")
        assert app.focused is app.article_list


@async_test
async def test_tab_and_shift_tab_cycle_the_panes(sample_store_path):
    app = news_app(sample_store_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        order = []
        for _ in range(3):
            await press(pilot, "tab")
            order.append(type(app.focused))
        assert order == [Reader, SearchBar, ArticleList]
        await press(pilot, "shift+tab")
        assert isinstance(app.focused, SearchBar)


# -- search ---------------------------------------------------------------------------------


@async_test
async def test_slash_focuses_search_and_typing_filters_as_you_type(sample_store_path):
    app = news_app(sample_store_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await press(pilot, "slash")
        assert isinstance(app.focused, SearchBar)
        await press(pilot, "德")
        after_one_key = len(titles(app))
        await press(pilot, "勤")
        assert titles(app) == [DELOITTE_TITLE]
        assert after_one_key >= 1
        assert "1 of 10 articles" in widget_text(app.status)
        assert "search 0.0 ms" in widget_text(app.status)  # the test clock stands still


@async_test
async def test_matches_are_highlighted_in_list_title_body_and_summary(sample_store_path):
    app = news_app(sample_store_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await press(pilot, "slash", *"德勤")
        match = app.article_list.get_component_rich_style("article-list--match", partial=True)
        row = app.article_list.render_line(0)
        underlined = "".join(seg.text for seg in row if seg.style and seg.style.underline)
        assert "德勤" in underlined and match.underline
        assert app.reader.hit_count > 5  # every 德勤 in the body
        assert highlighted(app.reader.query_one("#reader-title", Static)) == ["德勤"]
        assert set(highlighted(app.query_one(SummaryBox))) == {"德勤"}


@async_test
async def test_highlights_cover_the_matched_characters_not_the_segmented_word(sample_store_path):
    """jieba cuts "而德勤" as one word in the Deloitte article; the highlight is still 德勤."""
    app = news_app(sample_store_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await press(pilot, "slash", *"德勤", "enter", "enter")
        body = app.reader.body_view
        assert "而德勤" in app.reader.body
        runs = highlighted(body, [body.render_line(y) for y in range(body.total_lines)])
        assert len(runs) == app.reader.hit_count == app.reader.body.count("德勤")
        assert set(runs) == {"德勤"}


@async_test
async def test_enter_in_search_moves_to_the_results(sample_store_path):
    app = news_app(sample_store_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await press(pilot, "slash", *"德勤", "enter")
        assert app.focused is app.article_list
        assert app.search_bar.value == "德勤"


@async_test
async def test_escape_in_search_clears_the_query(sample_store_path):
    app = news_app(sample_store_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await press(pilot, "slash", *"德勤", "escape")
        assert app.search_bar.value == ""
        assert len(titles(app)) == 10
        assert app.focused is app.article_list


@async_test
async def test_letters_typed_into_search_are_not_commands(sample_store_path):
    app = news_app(sample_store_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await press(pilot, "slash", *"qmfy")
        assert app.is_running
        assert app.search_bar.value == "qmfy"
        assert not any(entry.starred or entry.read for entry in app.all_entries)


@async_test
async def test_a_bad_query_is_reported_in_the_status_line(sample_store_path):
    app = news_app(sample_store_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await press(pilot, "slash", *"is:blue")
        assert "blue" in app.status.status.error
        assert "10 of 10 articles · is:blue: expected" in widget_text(app.status)


@async_test
async def test_results_of_a_superseded_search_are_dropped(sample_store_path):
    app = news_app(sample_store_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await press(pilot, "slash", *"德勤")
        stale_generation = app._generation
        await press(pilot, "backspace", "backspace")
        from newstui.tui.search_actions import Listing

        app._show(Listing(stale_generation, [app.all_entries[5]]))
        assert len(titles(app)) == 10


# -- reader -----------------------------------------------------------------------------------


@async_test
async def test_space_and_b_page_through_thearticle(sample_store_path):
    app = news_app(sample_store_path, summary_sentences=3)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await press(pilot, "enter", "space")
        assert app.reader.scroll_y > 0
        await press(pilot, "b")
        assert app.reader.scroll_y == 0


@async_test
async def test_n_and_shift_n_step_through_matches_in_thearticle(sample_store_path):
    app = news_app(sample_store_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await press(pilot, "slash", *"德勤", "enter", "enter")
        assert app.reader.current_hit == -1
        await press(pilot, "n", "n")
        assert app.reader.current_hit == 1
        await press(pilot, "N", "N")
        assert app.reader.current_hit == app.reader.hit_count - 1  # wraps around


@async_test
async def test_the_status_line_says_which_hit_of_how_many(sample_store_path):
    app = news_app(sample_store_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await press(pilot, "slash", *"德勤", "enter", "enter")
        count = app.reader.hit_count
        assert count == app.reader.body.count("德勤") > 3
        assert f"{count} hits" in widget_text(app.status)
        await press(pilot, "n", "n", "n")
        assert f"hit 3 of {count}" in widget_text(app.status)
        await press(pilot, "N")
        assert f"hit 2 of {count}" in widget_text(app.status)
        await press(pilot, "slash", "escape")  # the search cleared: nothing to count
        assert "hit" not in widget_text(app.status)


@async_test
async def test_n_scrolls_the_current_hit_into_view(sample_store_path):
    app = news_app(sample_store_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await press(pilot, "slash", *"德勤", "enter", "enter")
        await press(pilot, *["n"] * app.reader.hit_count)  # the last one, far down the body
        reader, body = app.reader, app.reader.body_view
        line = body.line_of_match(reader.current_hit) + body.virtual_region.y
        assert reader.scroll_y > 0
        assert reader.scroll_y <= line < reader.scroll_y + reader.scrollable_content_region.height


@async_test
async def test_s_toggles_the_summary_box(sample_store_path):
    app = news_app(sample_store_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        box = app.query_one(SummaryBox)
        await press(pilot, "enter", "s")
        assert not box.display
        await press(pilot, "s")
        assert box.display


@async_test
async def test_plus_and_minus_lengthen_and_shorten_the_summary(sample_store_path):
    app = news_app(sample_store_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await press(pilot, "enter", "minus", "minus")
        await settle(pilot)
        body = app.reader.body
        assert app.reader.summary_sentences == 1
        assert app.reader.summary == summarize(body, max_sentences=1)
        for expected in (2, 3, 4, 5):  # each + shows one sentence more than before
            await press(pilot, "plus")
            await settle(pilot)
            assert len(app.reader.summary) == app.reader.summary_sentences == expected
        assert app.reader.summary == summarize(body, max_sentences=5)


@async_test
async def test_the_summary_sentences_setting_gives_that_many(sample_store_path):
    for count in (3, 5):  # 5 gave the Deloitte article one sentence where 3 gave two
        app = news_app(sample_store_path, summary_sentences=count)
        async with app.run_test(size=WIDE) as pilot:
            await settle(pilot)
            await press(pilot, "slash", *"德勤", "enter")
            assert app.reader.entry.title == DELOITTE_TITLE
            assert len(app.reader.summary) == count
            box_text = widget_text(app.query_one(SummaryBox))
            assert f"{count} sentences" in box_text
            assert box_text.count("•") == count


@async_test
async def test_the_box_shows_long_sentences_whole_and_grows_to_fit(sample_store_path):
    app = news_app(sample_store_path, summary_sentences=5)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await press(pilot, "slash", *"德勤", "enter")
        box = app.query_one(SummaryBox)
        inside = [line.strip("│╭╮╰╯─ ") for line in widget_text(box).splitlines()]
        shown = "".join("".join(inside).split())
        for sentence in app.reader.summary:
            assert "".join(sentence.split()) in shown  # every character of every sentence
        assert box.outer_size.height > 5 + 2  # more lines than sentences: the box grew


@async_test
async def test_a_sentence_taller_than_the_reader_is_cut_at_a_clause(tmp_path):
    clause = "这条无人驾驶地铁线路连接机场和市中心以及沿线的十几个大型居住社区"
    long = "，".join([clause] * 40) + "。"  # ~1,300 characters: far more than 24 rows hold
    article = Article(id="a1", title="长句", body=long + "市民纷纷前来体验。")
    path = store_with(tmp_path / "news.json", [article])
    app = news_app(path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await press(pilot, "enter")
        box = app.query_one(SummaryBox)
        text = widget_text(box)
        assert "…" in text
        assert box.outer_size.height <= app.reader.scrollable_content_region.height
        first_line = next(line for line in text.splitlines() if "•" in line)
        assert "这条无人驾驶地铁线路" in first_line


@async_test
async def test_no_summary_of_the_last_article_after_a_search_that_matches_nothing(sample_store_path):
    app = news_app(sample_store_path)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await press(pilot, "slash", *"德勤")
        assert "德勤" in widget_text(app.query_one(SummaryBox))
        # Nothing matches (one word: no partial matches either); over to the reader.
        await press(pilot, "backspace", "backspace", *"zzq", "enter", "tab")
        assert app.focused is app.reader
        for key in ("s", "plus", "s", "minus"):  # showing or resizing the box shows nothing old
            await press(pilot, key)
            box = app.query_one(SummaryBox)
            assert "德勤" not in widget_text(box)
            assert not box.display


# -- flags, clipboard, url, quit ----------------------------------------------------------------


@async_test
async def test_m_and_f_toggle_read_and_star_and_survive_a_restart(sample_store_path):
    app = news_app(sample_store_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await press(pilot, "j", "m", "f")
        changed = app.article_list.highlighted.id
        assert "★" in app.article_list.render_line(1).text
    again = news_app(sample_store_path)
    async with again.run_test(size=NARROW) as pilot:
        await settle(pilot)
        entry = next(e for e in again.all_entries if e.id == changed)
        assert entry.read and entry.starred
        await press(pilot, "slash", *"is:starred")
        assert [e.id for e in again.article_list.entries] == [changed]


@async_test
async def test_m_toggles_read_back_to_unread(sample_store_path):
    app = news_app(sample_store_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await press(pilot, "m", "m")
        assert not app.article_list.highlighted.read
    assert not Store(sample_store_path).entries()[0].read


@async_test
async def test_y_copies_the_url(tmp_path):
    path = store_with(tmp_path / "news.json", [article("有链接", url="https://news.example/1")])
    app = news_app(path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await press(pilot, "y")
        assert app.clipboard == "https://news.example/1"


@async_test
async def test_o_opens_the_url_when_there_is_a_display(tmp_path, monkeypatch):
    path = store_with(tmp_path / "news.json", [article("有链接", url="https://news.example/1")])
    monkeypatch.setenv("DISPLAY", ":0")
    opened = []
    app = news_app(path)
    monkeypatch.setattr(app, "open_url", lambda url, **kw: opened.append(url))
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await press(pilot, "o")
    assert opened == ["https://news.example/1"]


@async_test
async def test_o_without_a_display_says_so_instead(tmp_path, monkeypatch):
    path = store_with(tmp_path / "news.json", [article("有链接", url="https://news.example/1")])
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    opened, notes = [], []
    app = news_app(path)
    monkeypatch.setattr(app, "open_url", lambda url, **kw: opened.append(url))
    monkeypatch.setattr(app, "notify", lambda message, **kw: notes.append(message))
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await press(pilot, "o")
    assert opened == []
    assert any("No display" in note for note in notes)


@async_test
async def test_q_quits(sample_store_path):
    app = news_app(sample_store_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


# -- help and palette ---------------------------------------------------------------------------


@async_test
async def test_question_mark_opens_help_listing_every_binding_its_id_and_the_search_syntax(sample_store_path):
    app = news_app(sample_store_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        shown = "\n".join(widget_text(part) for part in app.screen.query("#help-body Static"))
        for _, bindings in app.help_sections():
            for binding in bindings:
                assert binding.description in shown
                assert binding.id is None or binding.id in shown  # what [keymap] takes
        for syntax in ("shangtang", '"exact phrase"', "-word", "title:", "source:", "after:", "before:",
                       "is:unread", "is:starred", "[keymap]", "config.toml"):
            assert syntax in shown, syntax
        await press(pilot, "escape")
        assert not isinstance(app.screen, HelpScreen)


@async_test
async def test_keymap_overrides_rebind_keys(sample_store_path):
    app = news_app(sample_store_path, keymap={"list.down": "ctrl+n"})
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await press(pilot, "ctrl+n")
        assert app.article_list.cursor == 1


@async_test
async def test_unknown_keymap_ids_are_reported(sample_store_path, monkeypatch):
    notes = []
    app = news_app(sample_store_path, keymap={"list.dwn": "ctrl+n"})
    monkeypatch.setattr(app, "notify", lambda message, **kw: notes.append(message))
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
    assert any("list.dwn" in note for note in notes)


async def _palette(pilot, command: str) -> None:
    await press(pilot, "ctrl+p", *command)
    await press(pilot, "enter")


@async_test
async def test_palette_sorts_by_title(sample_store_path):
    app = news_app(sample_store_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await _palette(pilot, "by title")
        assert titles(app) == sorted(titles(app))
        assert app.status.status.sort == "title"


@async_test
async def test_palette_filters_unread_and_starred(sample_store_path):
    app = news_app(sample_store_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await press(pilot, "enter", "escape", "f")  # first article: read and starred
        await _palette(pilot, "filter unread")  # "unread" alone also finds "Next unread"
        assert len(titles(app)) == 9
        await _palette(pilot, "filter unread")
        await _palette(pilot, "filter starred")
        assert len(titles(app)) == 1
        assert app.search_bar.value == "is:starred"


@async_test
async def test_palette_filters_by_source(tmp_path):
    path = store_with(tmp_path / "news.json", [
        article("新华社的", source="新华社"), article("路透的", source="Reuters"),
    ])
    app = news_app(path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await _palette(pilot, "Reuters")
        assert titles(app) == ["路透的"]


# -- layout and untrusted text --------------------------------------------------------------


@async_test
async def test_panes_stack_below_100_columns(sample_store_path):
    app = news_app(sample_store_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        listing, reader = app.article_list.region, app.reader.region
        assert listing.width == reader.width == 80
        assert listing.bottom <= reader.y
        await press(pilot, "enter")
        assert not app.article_list.display or app.article_list.region.height == 0
        assert app.reader.region.height > reader.height  # the reader takes the whole height
        await press(pilot, "h")
        assert app.article_list.region.height > 0


@async_test
async def test_panes_sit_side_by_side_when_wide(sample_store_path):
    app = news_app(sample_store_path)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        assert app.article_list.region.right <= app.reader.region.x
        assert app.article_list.region.y == app.reader.region.y


@async_test
async def test_markup_looking_titles_are_shown_literally(tmp_path):
    title = "[bold red]x[/] and [link=https://evil.example]click[/link]"
    path = store_with(tmp_path / "news.json", [article(title, body="[i]not italic[/i]")])
    app = news_app(path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        row = app.article_list.render_line(0)
        assert "[bold red]x[/] and [link=https://ev" in row.text
        assert not any(segment.style and segment.style.link for segment in row)
        assert title in widget_text(app.reader.query_one("#reader-title"))
        assert "[i]not italic[/i]" in widget_text(app.reader.body_view)


@async_test
async def test_control_characters_never_reach_the_screen(tmp_path):
    path = store_with(tmp_path / "news.json", [article("标题\x1b[2J\x07清屏", body="正文\x1b]0;pwned\x07")])
    app = news_app(path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        shown = app.article_list.render_line(0).text + widget_text(app.reader.body_view)
        assert "\x1b" not in shown and "\x07" not in shown
        assert "标题" in shown and "清屏" in shown


@async_test
async def test_an_empty_store_says_how_to_import(tmp_path):
    app = news_app(tmp_path / "empty.json")
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        assert "newstui import" in app.article_list.render_line(0).text


@async_test
async def test_keys_typed_right_after_slash_reach_the_search_bar(sample_store_path):
    """Over SSH a fast typist's (or a paste's) keys arrive together; the q of "deqin" must not
    reach the list, where it would quit."""
    app = news_app(sample_store_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for char in "/deqin":
            app.post_message(events.Key("slash" if char == "/" else char, char))
        await settle(pilot)
        assert app.is_running
        assert app.focused is app.search_bar and app.search_bar.value == "deqin"


@async_test
async def test_slash_inside_the_search_bar_is_typed(sample_store_path):
    app = news_app(sample_store_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", "a", "slash", "b")
        await settle(pilot)
        assert app.search_bar.value == "a/b"


@async_test
async def test_the_palettes_screenshot_is_saved_without_a_downloads_folder(sample_store_path, isolated_home):
    assert not (isolated_home / "Downloads").exists()
    app = news_app(sample_store_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "Screenshot")
        command.callback()
        for _ in range(100):  # the palette waits 0.1 s, then a thread writes the file
            await pilot.pause(0.05)
            saved = [n for n in app._notifications if "Saved screenshot" in str(n.message)]
            if saved or any(n.severity == "error" for n in app._notifications):
                break
        messages = [str(n.message) for n in app._notifications]
        shots = list(isolated_home.rglob("*.svg"))
        assert len(shots) == 1, messages
        assert any(str(shots[0]) in message for message in messages), messages
        assert "<svg" in shots[0].read_text(encoding="utf-8")
