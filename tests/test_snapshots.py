"""SVG snapshots of the browser on the Chinese sample (update with ``pytest --snapshot-update``).

Nothing on these screens varies between runs: the cursor does not blink, the search clock stands
still, and the store is the imported sample.
"""

from __future__ import annotations

from tui_support import news_app, settle


def test_main_screen_wide(snap_compare, sample_store_path):
    assert snap_compare(news_app(sample_store_path), terminal_size=(120, 40), run_before=settle)


def test_main_screen_80x24_stacked(snap_compare, sample_store_path):
    assert snap_compare(news_app(sample_store_path), terminal_size=(80, 24), run_before=settle)


def test_search_highlights_in_list_and_reader(snap_compare, sample_store_path):
    async def search_and_open(pilot):
        await settle(pilot)
        await pilot.press("slash", *"德勤", "enter", "enter")
        await settle(pilot)

    app = news_app(sample_store_path)
    assert snap_compare(app, terminal_size=(120, 40), run_before=search_and_open)


def test_reader_full_height_at_80x24(snap_compare, sample_store_path):
    async def open_first(pilot):
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(news_app(sample_store_path), terminal_size=(80, 24), run_before=open_first)


def test_help_screen(snap_compare, sample_store_path):
    async def open_help(pilot):
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)

    assert snap_compare(news_app(sample_store_path), terminal_size=(120, 40), run_before=open_help)
