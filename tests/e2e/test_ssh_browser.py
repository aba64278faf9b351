"""The browser over ``ssh -t`` in a real terminal (tmux): keys in, screens out, terminal left clean.

Each test starts ``newstui`` on a copy of the sample store from the shell in a tmux pane, as a
user on a server would, and reads the pane after every key.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from .harness import RemoteBrowser, Tmux
from .screen import LINUX_PALETTE, XTERM_PALETTE, Screen, cell_width, colour_rgb, contrast

pytestmark = pytest.mark.e2e

# The sample's titles, newest first (the list's order), by a prefix no other title starts with.
TITLES = ("2018年商汤奖", "科技部正式宣布", "商汤科技首发S", "商汤科技集全球", "商汤科技亮相世",
          "深化AI人才战", "商汤及联合实验", "商汤科技与德勤", "商汤科技大秀实", "不止美颜，更能")
SECOND_TITLE = "科技部正式宣布 依托商汤建设智能视觉国家新一代人工智能开放创新平台"  # too long for the list
DELOITTE = "商汤科技与德勤"
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 50), id="160x50")]
LIST_TOP = 1  # row 0 is the search bar
MIN_CONTRAST = 3.0  # WCAG's floor for large text and UI parts; below it text is hard to read
DECORATION = range(0x2500, 0x25A0)  # box drawing and block elements: borders, scrollbars
PANE_BORDER = "▕"  # the article list's right edge in the wide layout


def start(open_browser, width: int = 80, height: int = 24, **options) -> RemoteBrowser:
    """Open the browser and wait for a steady screen: the list shown and the search index loaded."""
    browser = open_browser(width, height, **options)
    browser.wait_for(lambda text: TITLES[0] in text and "of 10 articles" in text and "index" not in text,
                     timeout=30)
    return browser


def highlighted(screen: Screen) -> str | None:
    """The listed title painted on a background that no other listed title has: the cursor row."""
    backgrounds = {}
    for title in TITLES:
        if title in screen.plain:
            backgrounds[title] = screen.style_of(title, LIST_TOP).colours()[1]
    counts = Counter(backgrounds.values())
    odd = [title for title, background in backgrounds.items() if counts[background] == 1]
    return odd[0] if len(odd) == 1 and len(backgrounds) > 2 else None


def cell_columns(text: str, mark: str) -> set[int]:
    """The terminal columns where ``mark`` first appears on each line that has it."""
    return {sum(cell_width(char) for char in line[: line.index(mark)])
            for line in text.split("\n") if mark in line}


def articles_listed(text: str) -> int:
    """The status line's "N of 10 articles"."""
    return int(re.search(r"(\d+) of 10 articles", text).group(1))


def list_row(text: str, number: int) -> str:
    return text.split("\n")[LIST_TOP + number]


def assert_quits_cleanly(browser: RemoteBrowser, tmux: Tmux) -> None:
    """q ends the app with status 0 and leaves the shell's terminal as it was before."""
    assert browser.quit() == 0
    assert tmux.modes() == {**dict.fromkeys(Tmux.MODES, 0), "cursor_flag": 1, "wrap_flag": 1}
    after_command = tmux.capture(joined=True).split("echo e2e-exit:$?", 1)[1]
    assert [line.strip() for line in after_command.split("\n") if line.strip()] == ["e2e-exit:0", "e2e$"]
    tmux.type_line("echo typed-$((6*7))")  # the shell reads and echoes keys again
    tmux.wait_for(lambda text: re.search(r"^typed-42$", text, re.MULTILINE))


@pytest.mark.parametrize("size", SIZES)
def test_j_and_k_move_the_highlight_and_the_reader_follows(open_browser, tmux, size):
    browser = start(open_browser, *size)
    tmux.wait_for_styled(lambda screen: highlighted(screen) == TITLES[0])
    browser.press("j")
    # The cursor moves to the second row and the reader shows that article's whole title.
    tmux.wait_for_styled(lambda screen: highlighted(screen) == TITLES[1] and SECOND_TITLE in screen.plain)
    browser.press("k")
    tmux.wait_for_styled(lambda screen: highlighted(screen) == TITLES[0])
    assert_quits_cleanly(browser, tmux)


@pytest.mark.parametrize("size", SIZES)
def test_search_in_chinese_and_pinyin_lists_and_marks_the_hit(open_browser, tmux, size):
    browser = start(open_browser, *size)
    for keys, query in ((["/"], "德勤"), (["Escape", "/"], "deqin")):
        browser.press(*keys)
        browser.wait_for("Clear search")  # the footer shows the search bar's keys: it has focus
        browser.type(query)
        # The hit heads the list, and the status line counts fewer than all ten articles.
        browser.wait_for(lambda text: DELOITTE in list_row(text, 0) and articles_listed(text) < 10)
        screen = Screen(tmux.capture(styles=True))
        row, column = screen.find("德勤", LIST_TOP)
        assert row == LIST_TOP
        assert screen.style_at(row, column) != screen.style_at(row, column - 2)  # the hit is marked
        browser.press("Enter")  # back to the list, the query kept
        browser.wait_for(lambda text: "Clear search" not in text and DELOITTE in list_row(text, 0))
    assert_quits_cleanly(browser, tmux)


def test_a_query_typed_right_after_slash_reaches_the_search_bar(open_browser, tmux):
    """Over SSH, keys typed quickly (or pasted) arrive in one read; none may go to the list,
    where the q of "deqin" would quit."""
    browser = start(open_browser)
    browser.type("/deqin")
    browser.wait_for(lambda text: "deqin" in text.split("\n")[0] and DELOITTE in list_row(text, 0))
    browser.press("Enter")
    browser.wait_for(lambda text: "Clear search" not in text)
    assert_quits_cleanly(browser, tmux)


@pytest.mark.parametrize("size", SIZES)
def test_enter_opens_the_article_and_s_toggles_its_summary(open_browser, tmux, size):
    browser = start(open_browser, *size)
    browser.press("Enter")
    # The reader has focus (its keys are in the footer) and shows a summary sentence in the box.
    text = browser.wait_for(lambda text: "s Summary" in text and "•" in text)
    summary_row = next(line for line in text.split("\n") if "─ Summary" in line)
    assert summary_row.lstrip().startswith("╭─ Summary") or "▕ ╭─ Summary" in summary_row
    browser.press("s")
    browser.wait_for(lambda text: "Summary" not in text.replace("s Summary", ""))
    browser.press("s")
    browser.wait_for("╭─ Summary")
    assert_quits_cleanly(browser, tmux)


TERMINALS = [
    pytest.param("xterm-256color", {}, id="xterm-256color"),
    pytest.param("screen-256color", {}, id="screen-256color"),
    pytest.param("linux", {}, id="linux"),
    pytest.param("xterm-256color", {"NO_COLOR": "1"}, id="NO_COLOR"),
]


def colours_used(screen: Screen) -> set[tuple]:
    return {colour for row in screen.rows for cell in row for colour in cell.style.colours() if colour}


def hard_to_read(screen: Screen, palette: tuple) -> dict[tuple, str]:
    """Text drawn with too little contrast: {(foreground, background, ratio): the characters}."""
    found: dict[tuple, str] = {}
    for _, _, cell in screen.text_cells():
        if ord(cell.char) in DECORATION:
            continue
        foreground, background = cell.style.colours()
        ratio = contrast(colour_rgb(foreground, palette, palette[7]),
                         colour_rgb(background, palette, palette[0]))
        if ratio < MIN_CONTRAST:
            key = (foreground, background, round(ratio, 2))
            found[key] = found.get(key, "") + cell.char
    return found


def is_grey(colour: tuple) -> bool:
    red, green, blue = colour_rgb(colour, XTERM_PALETTE, (0, 0, 0))
    return red == green == blue


@pytest.mark.parametrize(("term", "env"), TERMINALS)
def test_browser_is_readable_in_the_terminals_colours(open_browser, tmux, term, env):
    browser = start(open_browser, term=term, **env)
    # Every part drawn: list with its cursor, reader, summary box with its keywords, footer.
    screen = tmux.wait_for_styled(
        lambda screen: highlighted(screen) == TITLES[0] and "Keywords" in screen.plain)
    colours = colours_used(screen)
    if term == "linux":
        assert {colour[0] for colour in colours} == {"ansi"}, "more than the 16 colours"
    elif env.get("NO_COLOR"):
        assert all(is_grey(colour) for colour in colours), sorted(c for c in colours if not is_grey(c))
    else:
        assert "rgb" not in {colour[0] for colour in colours}, "24-bit colour sent to a 256-colour TERM"
    assert hard_to_read(screen, LINUX_PALETTE if term == "linux" else XTERM_PALETTE) == {}
    browser.press("j")
    tmux.wait_for_styled(lambda screen: highlighted(screen) == TITLES[1])
    assert_quits_cleanly(browser, tmux)


def test_layout_follows_the_terminal_when_it_is_resized(open_browser, tmux):
    browser = start(open_browser, 80, 24)

    def footer_on_last_row(text: str) -> bool:
        return "q Quit" in text.rstrip("\n").split("\n")[-1]

    def side_by_side(text: str) -> bool:
        """Wide layout: the list's right border runs down the middle of the panes."""
        return footer_on_last_row(text) and sum(PANE_BORDER in line for line in text.split("\n")) > 10

    assert footer_on_last_row(browser.wait_for(footer_on_last_row)) and not side_by_side(tmux.capture())
    tmux.resize(160, 50)
    # One straight border beside Chinese titles, once the repaint is done (a capture taken while
    # the terminal is still drawing can hold half of the frame before the breakpoint applied).
    browser.wait_for(lambda text: side_by_side(text) and len(cell_columns(text, PANE_BORDER)) == 1)
    tmux.resize(80, 24)
    browser.wait_for(lambda text: footer_on_last_row(text) and not side_by_side(text))
    assert_quits_cleanly(browser, tmux)


@pytest.mark.parametrize("size", SIZES)
def test_list_columns_line_up_with_chinese_titles(open_browser, tmux, size):
    start(open_browser, *size)
    text = tmux.capture()
    list_rows = "\n".join(line for line in text.split("\n") if line.startswith("●"))
    assert len(cell_columns(list_rows, " 2018-09-")) == 1, text  # the date column is straight
