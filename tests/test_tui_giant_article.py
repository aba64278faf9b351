"""A 17.5-million-character article (issue 19, finding 6): the reader lays out what is on screen.

Laying the body out whole cost minutes of CPU and over a gigabyte; the reader now wraps only the
blocks near the view, so the work done is counted here in blocks, against the article's size.
"""

from __future__ import annotations

from tui_support import article, async_test, news_app, settle, store_with

from newstui.store.records.models import Article
from newstui.store.search.searcher import highlight_spans
from newstui.tui.app import NewsApp
from newstui.tui.widgets import article_body
from newstui.tui.widgets.article_body import EAGER_CHARS, MAX_BLOCK_CHARS, find_matches, split_blocks

GIANT_CHARS = 17_500_000
SENTENCE = "商汤科技与德勤签署战略合作协议，双方将依托德勤中国全方位的专业服务能力，开启多项深度合作。"


def _article(title: str, body: str, date: str) -> Article:
    return article(title, body, date=date, summary=[SENTENCE], keywords=["商汤"])


@async_test
async def test_opening_and_paging_a_giant_article_lays_out_only_what_is_near_the_view(tmp_path, monkeypatch):
    # This store was not made by an import, so the browser would index the giant body first
    # (an import does that); the search index is not what is measured here.
    monkeypatch.setattr(NewsApp, "_load_index", lambda app: app.index_ready.set())
    giant = (SENTENCE * (GIANT_CHARS // len(SENTENCE) + 1))[:GIANT_CHARS]  # one paragraph
    path = store_with(tmp_path / "news.json", [
        _article("新的短文", SENTENCE * 3, "2020-01-03"),
        _article("巨大的文章", giant, "2020-01-02"),
        _article("旧的短文", SENTENCE * 5, "2020-01-01"),
    ])
    app = news_app(path)
    app.animation_level = "none"  # pages jump: the test measures work, not scrolling animations
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("j", "enter")
        await settle(pilot)
        reader, body = app.reader, app.reader.body_view
        assert reader.body is not None and len(reader.body) == GIANT_CHARS
        assert body.block_count >= GIANT_CHARS // MAX_BLOCK_CHARS
        for keys in (("space",) * 5, ("G",), ("b",) * 3, ("g",)):
            await pilot.press(*keys)
            await settle(pilot)
        # Each screenful (and one either side) touches a block or two of 4,000 characters.
        assert body.blocks_laid_out <= 20
        assert body.total_lines > 400_000  # as tall as the whole text would be
        await pilot.press("h", "j")  # and on past it
        await settle(pilot)
        assert reader.entry.title == "旧的短文"
        assert body.blocks_laid_out <= 2


def test_a_long_paragraph_is_cut_into_blocks_at_sentence_ends():
    paragraph = SENTENCE * 200
    blocks, ends = split_blocks(f"短段落。\n{paragraph}")
    assert blocks[0] == "短段落。" and ends[0]
    assert "".join(blocks[1:]) == paragraph
    assert all(len(block) <= MAX_BLOCK_CHARS and block.endswith("。") for block in blocks[1:])
    assert ends[1:] == [False] * (len(blocks) - 2) + [True]


def test_counting_matches_stops_at_the_cap(monkeypatch):
    monkeypatch.setattr(article_body, "MAX_MATCHES", 50)
    blocks, _ = split_blocks(SENTENCE * 100)
    matches, complete = find_matches(blocks, lambda text: highlight_spans(text, ["德勤"]))
    assert len(matches) == 50 and not complete
    matches, complete = find_matches([SENTENCE], lambda text: highlight_spans(text, ["德勤"]))
    assert complete and [SENTENCE[start:end] for _, start, end in matches] == ["德勤", "德勤"]


@async_test
async def test_scrolling_up_from_the_end_of_a_long_article_moves_one_line_at_a_time(tmp_path, monkeypatch):
    """Past EAGER_CHARS, heights above the end are estimates until laid out: the text in view
    must not jump when they turn out different."""
    monkeypatch.setattr(NewsApp, "_load_index", lambda app: app.index_ready.set())
    paragraphs = [SENTENCE * (1 + n % 7) + "Latin words make estimates wrong " * (n % 3) for n in range(900)]
    body = "\n".join(paragraphs)
    assert len(body) > EAGER_CHARS
    path = store_with(tmp_path / "news.json", [_article("长文", body, "2020-01-01")])
    app = news_app(path)
    app.animation_level = "none"
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "G")
        await settle(pilot)
        reader, view = app.reader, app.reader.body_view

        def top_line() -> int:
            return round(reader.scroll_y) - view.virtual_region.y

        assert view.render_line(view.total_lines - 2).text.strip()  # the end is in view
        for _ in range(30):
            shown = view.render_line(top_line()).text
            await pilot.press("k")
            await settle(pilot)
            assert view.render_line(top_line() + 1).text == shown


def test_a_body_of_many_short_paragraphs_is_a_few_blocks_of_whole_paragraphs():
    body = "\n".join(f"第{n}段。" for n in range(200_000))
    blocks, ends = split_blocks(body)
    assert len(blocks) <= 2 * len(body) // MAX_BLOCK_CHARS + 1
    assert "\n".join(blocks) == body and all(ends)


@async_test
async def test_paragraphs_inside_a_block_are_drawn_with_a_blank_line_between(tmp_path, monkeypatch):
    monkeypatch.setattr(NewsApp, "_load_index", lambda app: app.index_ready.set())
    body = "\n".join(f"第{n}段。" for n in range(50))
    path = store_with(tmp_path / "news.json", [_article("短段落", body, "2020-01-01")])
    app = news_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        view = app.reader.body_view
        assert view.block_count == 1
        lines = [view.render_line(y).text.strip() for y in range(view.total_lines)]
        assert lines == [line for n in range(50) for line in (f"第{n}段。", "")]
