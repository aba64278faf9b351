"""Chinese line breaking: closing punctuation never starts a line, opening never ends one, words
stay whole."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from newstui.tui.linebreak import (
    NOT_AT_LINE_END,
    NOT_AT_LINE_START,
    BrokenText,
    JoinedParts,
    break_lines,
    may_end_line,
)


def lines_of(text: str, width: int) -> list[str]:
    return [text[start:end] for start, end in break_lines(text, width)]


def render(renderable, width: int) -> list[str]:
    console = Console(width=width, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(renderable)
    return [line.rstrip() for line in console.export_text().splitlines()]


def test_a_comma_that_would_start_a_line_takes_the_character_before_with_it():
    text = "商汤科技与德勤签署战略合作协议，开启"
    assert lines_of(text, 30) == ["商汤科技与德勤签署战略合作协", "议，开启"]  # 议 would fit alone


def test_an_opening_quote_never_ends_a_line():
    text = "双方将共同打造“人工智能”平台"
    lines = lines_of(text, 16)
    assert all(line[-1] not in NOT_AT_LINE_END for line in lines)
    assert lines[1].startswith("“")


def test_closing_quote_and_full_stop_stay_with_the_last_character():
    text = "张文表示：“德勤是一家全球大型的专业服务机构。”德勤"
    for width in range(6, 50):
        for line in lines_of(text, width):
            assert line[0] not in NOT_AT_LINE_START, (width, line)


def test_english_words_move_to_the_next_line_whole():
    text = "教授表示商汤的文化更像羊的文化，“Be a black sheep. Dare to be different.”敢于不同"
    for width in range(14, 60):
        lines = break_lines(text, width)
        for (_, end), (start, _) in pairwise(lines):
            inside_a_word = start == end and text[end - 1].isascii() and text[end - 1].isalpha()
            assert not (inside_a_word and text[start].isalpha()), (width, text[:end], text[start:])


def test_a_word_longer_than_the_line_is_cut_where_it_overflows():
    url = "https://github.com/open-mmlab/mmdetection"
    lines = lines_of(url, 20)
    assert "".join(lines) == url
    assert all(cell_len(line) <= 20 for line in lines)


def test_spaces_at_a_break_are_dropped_and_nothing_else_is():
    text = "Dare to be different and 敢于不同，敢于创新。"
    lines = lines_of(text, 12)
    assert " ".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(line == line.strip() for line in lines)


CJK = st.sampled_from("商汤科技德勤人工智能平台合作协议视觉图像")
PUNCTUATION = st.sampled_from("，。、；：？！“”（）《》…—")
LATIN = st.text(alphabet="abcdefghij", min_size=1, max_size=8)
PIECES = st.lists(st.one_of(CJK, CJK, CJK, PUNCTUATION, LATIN, st.just(" ")), min_size=1, max_size=80)


@settings(max_examples=300, deadline=None)
@given(PIECES, st.integers(min_value=2, max_value=40))
def test_lines_fit_the_width_and_keep_every_character(pieces, width):
    text = "".join(pieces)
    lines = lines_of(text, width)
    assert all(cell_len(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


@settings(max_examples=300, deadline=None)
@given(PIECES, st.integers(min_value=8, max_value=40))
def test_punctuation_rules_hold_wherever_a_line_has_another_way_to_end(pieces, width):
    """A rule gives way only where a line has no other place to end (a run of punctuation or
    Latin letters as wide as the whole line)."""
    text = "".join(pieces)
    lines = lines_of(text, width)
    for before, after in pairwise(lines):
        forced = not any(may_end_line(before, 0, position) for position in range(1, len(before)))
        if not forced:
            assert after[0] not in NOT_AT_LINE_START, (width, lines)
            assert before[-1] not in NOT_AT_LINE_END, (width, lines)


def test_broken_text_renders_the_same_lines_with_styles_kept():
    text = Text("商汤科技与德勤签署战略合作协议，开启人工智能领域多项深度合作")
    text.stylize("bold", 5, 7)
    console = Console(width=30, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    lines = console.render_lines(BrokenText(text), console.options.update_width(30), pad=False)
    assert ["".join(s.text for s in line) for line in lines] == lines_of(text.plain, 30)
    assert any(segment.text == "德勤" and segment.style.bold for line in lines for segment in line)


def test_joined_parts_wrap_between_parts_only():
    parts = [Text(p) for p in ("2018-09-26 10:09", "sensetime-press-releases-2018-09", "1,008 chars")]
    assert render(JoinedParts(parts), 60) == [
        "2018-09-26 10:09 · sensetime-press-releases-2018-09",
        "1,008 chars",
    ]
