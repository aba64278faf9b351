"""The virtual article list on its own: rows by cell width, and a cost that does not grow with rows."""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import App, ComposeResult
from tui_support import async_test

from newstui.store.records.models import Entry
from newstui.tui.rendering import fit_cells, plain_text
from newstui.tui.widgets.article_list import ArticleList

LONG_TITLE = "商汤科技与德勤签署战略合作协议 开启人工智能领域多项深度合作"


class ListOnly(App[None]):
    CSS_PATH = "../tui/newstui.tcss"

    def compose(self) -> ComposeResult:
        yield ArticleList()


def entries(count: int, title: str = LONG_TITLE) -> list[Entry]:
    return [Entry(id=f"{n:06d}", title=f"{title}{n}", date="2018-09-03", source="新华社")
            for n in range(count)]


def test_fit_cells_never_splits_a_wide_character():
    for width in range(1, 20):
        fitted = fit_cells(plain_text("商汤科技与德勤abc"), width).plain
        assert cell_len(fitted) == width
        assert fitted.rstrip().endswith("…") or "abc" in fitted


def test_fit_cells_pads_short_text_to_the_width():
    assert fit_cells(plain_text("德勤"), 8).plain == "德勤    "


def test_plain_text_keeps_markup_literally_and_drops_escapes():
    text = plain_text("[bold]x[/bold]\x1b[31m红\x07")
    assert text.plain == "[bold]x[/bold]红"
    assert not text.spans


@async_test
async def test_rows_fill_the_width_in_cells_and_end_in_an_ellipsis():
    app = ListOnly()
    async with app.run_test(size=(160, 10)) as pilot:  # the list is 80 cells wide: one-line rows
        listing = app.query_one(ArticleList)
        listing.set_entries(entries(3))
        await pilot.pause()
        assert listing.row_height == 1
        width = listing.scrollable_content_region.width
        for y in range(3):
            row = listing.render_line(y).text
            assert cell_len(row) == width
            assert "…" in row and "2018-09-03" in row and "新华社" in row


@async_test
async def test_a_narrow_list_gives_the_title_a_line_of_its_own_and_keeps_the_source():
    app = ListOnly()
    async with app.run_test(size=(120, 10)) as pilot:  # 60 cells: too narrow for one line
        listing = app.query_one(ArticleList)
        listing.set_entries(entries(3))
        await pilot.pause()
        assert listing.row_height == 2
        assert listing.virtual_size.height == 6
        title, meta = listing.render_line(0).text, listing.render_line(1).text
        assert LONG_TITLE[:24] in title  # 24 of its 30 characters, where one line had room for 11
        assert "2018-09-03 · 新华社" in meta
        await pilot.press("j")
        await pilot.pause()
        assert listing.cursor == 1
        await pilot.click(ArticleList, offset=(5, 5))  # the second line of the third row
        await pilot.pause()
        assert listing.cursor == 2


@async_test
async def test_a_hundred_thousand_rows_render_only_what_is_on_screen():
    app = ListOnly()
    async with app.run_test(size=(80, 20)) as pilot:
        listing = app.query_one(ArticleList)
        rendered: list[str] = []
        render_row = listing._render_row

        def counting(entry, width, is_cursor):
            rendered.append(entry.id)
            return render_row(entry, width, is_cursor)

        listing._render_row = counting
        listing.set_entries(entries(100_000))
        await pilot.pause()
        assert listing.virtual_size.height == 100_000 * listing.row_height
        assert 0 < len(set(rendered)) <= listing.size.height
        rendered.clear()
        await pilot.press("G")
        await pilot.pause()
        assert listing.cursor == 99_999
        assert "099999" in rendered
        assert len(set(rendered)) <= listing.size.height + 1


@async_test
async def test_the_cursor_stays_on_the_same_article_when_rows_change():
    app = ListOnly()
    async with app.run_test(size=(80, 20)) as pilot:
        listing = app.query_one(ArticleList)
        rows = entries(10)
        listing.set_entries(rows)
        listing.cursor = 4
        await pilot.pause()
        listing.set_entries(rows[2:])
        assert listing.highlighted is rows[4]
        listing.set_entries(rows[5:])
        assert listing.cursor == 0
