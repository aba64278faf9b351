"""``newstui`` in a real terminal: tmux runs the installed command, the test types and reads the screen.

Skipped, with the reason, when tmux is not installed (``.ci/run`` installs it when run as root).
"""

from __future__ import annotations

import re
import shlex
import shutil
import sys
from pathlib import Path

import pytest
from e2e.harness import Tmux

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None,
    reason="tmux is not installed (as root, .ci/run installs it; or: apt-get install tmux)",
)

FIRST_TITLE = "2018年商汤奖学金申报开始"
DELOITTE = "商汤科技与德勤签署战略合作协议"
STARTUP_TIMEOUT_S = 30  # a cold start imports Textual and opens the store


@pytest.fixture
def terminal(tmp_path):
    tmux = Tmux(tmp_path)
    yield tmux
    tmux.kill()


def start_newstui(terminal: Tmux, store: Path, *flags: str, **environment: str) -> None:
    newstui = Path(sys.executable).with_name("newstui")
    command = [str(newstui), "--db", str(store), *flags]
    settings = {"NEWSTUI_CURSOR_BLINK": "false", **environment}
    terminal.type_line(shlex.join(["env", *(f"{name}={value}" for name, value in settings.items()),
                                   *command]))
    terminal.wait_for(FIRST_TITLE, timeout=STARTUP_TIMEOUT_S)


def quit_newstui(terminal: Tmux) -> None:
    terminal.send_keys("q")
    terminal.wait_for(lambda screen: screen.rstrip().endswith(Tmux.PROMPT.strip()))
    assert terminal.modes()["alternate_on"] == 0


def test_search_for_deloitte_open_it_and_see_its_summary(terminal, sample_store_path):
    start_newstui(terminal, sample_store_path, TERM="xterm-256color")
    terminal.wait_for("10 of 10 articles")
    terminal.send_keys("/")
    terminal.wait_for("Clear search")  # the footer shows the search bar has focus
    terminal.type("德勤")
    screen = terminal.wait_for("1 of 10 articles")
    assert DELOITTE in screen
    terminal.send_keys("Enter")
    terminal.wait_for("⏎ Open")  # the footer shows the list has focus
    terminal.send_keys("Enter")

    def reader_fills_the_screen_with_the_summary_box(screen: str) -> bool:
        """The reader's title, then its summary box with keywords; the list is hidden."""
        above, _, below = screen.partition("Summary")
        return "●" not in screen and DELOITTE in above and "Keywords" in below

    terminal.wait_for(reader_fills_the_screen_with_the_summary_box)
    quit_newstui(terminal)


@pytest.mark.parametrize(
    ("environment", "forbidden"),
    [
        ({"TERM": "screen-256color"}, r"\x1b\[[0-9;]*[34]8;2;"),  # no 24-bit colour
        ({"TERM": "linux"}, r"\x1b\[[0-9;]*[34]8;[25];"),  # the 16 standard colours only
    ],
    ids=["screen-256color", "linux"],
)
def test_the_terminal_type_limits_the_colours_used(terminal, sample_store_path, environment, forbidden):
    start_newstui(terminal, sample_store_path, **environment)
    styled = terminal.capture(styles=True)
    assert not re.search(forbidden, styled), f"colours beyond {environment}: {styled[:300]!r}"
    quit_newstui(terminal)


def test_no_color_shows_only_shades_of_grey(terminal, sample_store_path):
    start_newstui(terminal, sample_store_path, TERM="xterm-256color", NO_COLOR="1")
    styled = terminal.capture(styles=True)
    assert re.search(r"\x1b\[", styled)  # still styled (bold, reverse, greys), just not coloured
    assert all(_is_grey(colour) for colour in _colours(styled)), sorted(set(_colours(styled)))
    quit_newstui(terminal)


def _colours(styled: str) -> list[str]:
    """Every colour set by an SGR sequence, as "5;N" (256 colours) or "2;R;G;B" (24-bit)."""
    found = []
    for sgr in re.findall(r"\x1b\[([0-9;]*)m", styled):
        found += [m.group(1) for m in re.finditer(r"(?:^|;)[34]8;(5;\d+|2;\d+;\d+;\d+)", sgr)]
        found += [f"16;{code}" for code in sgr.split(";") if code and (30 <= int(code) <= 37 or
                  40 <= int(code) <= 47 or 90 <= int(code) <= 107)]
    return found


def _is_grey(colour: str) -> bool:
    kind, *values = (int(part) for part in colour.split(";"))
    if kind == 5:
        return values[0] in (0, 7, 8, 15, 16, 231) or values[0] >= 232
    if kind == 2:
        return len(set(values)) == 1
    return values[0] in (30, 37, 40, 47, 90, 97, 100, 107)  # black, white and their bright forms


def test_no_mouse_leaves_mouse_reporting_off(terminal, sample_store_path):
    start_newstui(terminal, sample_store_path, "--no-mouse", TERM="xterm-256color")
    modes = terminal.modes()
    assert modes["alternate_on"] == 1
    assert not any(value for name, value in modes.items() if name.startswith("mouse"))
    quit_newstui(terminal)


# Chinese line breaking (the rules of W3C clreq / GB/T 15834): these never start a line...
NOT_AT_LINE_START = set("，。、；：？！）］｝〕〉》」』】〗〙〛”’…‥·・—～%,.;:?!)]}")
# ...and these never end one.
NOT_AT_LINE_END = set("（［｛〔〈《「『【〖〘〚“‘([{")
READER_ROWS_AT_80X24 = range(1, 22)  # between the search bar and the status line
SCROLLBAR = "▁▂▃▄▅▆▇█▔"


def _reader_lines(screen: str) -> list[str]:
    """The text of each reader row: padding, scrollbar, box borders and bullets taken off."""
    lines = []
    for row in screen.splitlines()[READER_ROWS_AT_80X24.start : READER_ROWS_AT_80X24.stop]:
        text = row.rstrip().rstrip(SCROLLBAR).strip()  # columns are cells, not characters
        if text[:1] in ("╭", "╰"):
            continue
        text = text.strip("│").strip().removeprefix("• ").strip()
        if text:
            lines.append(text)
    return lines


def _painted(terminal: Tmux) -> str:
    """The screen once a repaint has finished: the same in two captures in a row."""
    last = [terminal.capture()]

    def unchanged(screen: str) -> bool:
        same, last[0] = screen == last[0], screen
        return same

    return terminal.wait_for(unchanged)


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _line_break_faults(lines: list[str], body: str) -> list[str]:
    faults = []
    for number, line in enumerate(lines):
        if line[0] in NOT_AT_LINE_START:
            faults.append(f"starts with {line[0]}: {line}")
        if line[-1] in NOT_AT_LINE_END:
            faults.append(f"ends with {line[-1]}: {line}")
        if number:
            tail = re.search(r"[A-Za-z0-9]+$", lines[number - 1])
            head = re.match(r"[A-Za-z0-9]+", line)
            if tail and head and tail[0] + head[0] in body and f"{tail[0]} {head[0]}" not in body:
                faults.append(f"word broken: {lines[number - 1]} | {line}")
    return faults


def test_reader_lines_follow_chinese_line_breaking_rules(terminal, sample_store):
    """Every article of the sample, page by page at 80×24: title, summary box and body."""
    start_newstui(terminal, sample_store.path, TERM="xterm-256color")
    faults, lines_seen = [], 0
    entries = sample_store.entries()
    for number, entry in enumerate(entries):
        body = sample_store.get(entry.id).body
        terminal.send_keys("Enter")
        shown = f"{entry.chars:,} chars"
        terminal.wait_for(lambda screen, shown=shown: shown in screen and "Keywords" in screen)
        screen = _painted(terminal)
        seen: list[str] = []
        while True:
            seen += _reader_lines(screen)
            if _squeezed(body)[-6:] in _squeezed("".join(_reader_lines(screen))):
                break
            terminal.send_keys("space")
            terminal.wait_for(lambda now, before=screen: now != before)
            screen = _painted(terminal)
        unique = list(dict.fromkeys(seen))  # pages overlap by a line or two
        faults += _line_break_faults(unique, body)
        lines_seen += len(unique)
        terminal.send_keys("h")
        if number + 1 < len(entries):
            terminal.send_keys("j")
    assert lines_seen > 200
    assert not faults, f"{len(faults)} of {lines_seen} lines:\n" + "\n".join(faults)
    quit_newstui(terminal)


def test_the_pipe_key_hands_the_terminal_to_the_pager_and_takes_it_back(terminal, sample_store_path):
    start_newstui(terminal, sample_store_path, TERM="xterm-256color", PAGER="less")
    terminal.wait_for("Keywords")  # the first article is read from its shard
    terminal.send_keys("|")
    screen = terminal.wait_for("Keywords:")  # less shows the article as plain text
    assert FIRST_TITLE in screen and "Summary:" in screen and "10 of 10 articles" not in screen
    terminal.send_keys("q")
    terminal.wait_for("10 of 10 articles")  # back in the browser, which still takes keys
    terminal.send_keys("j")
    terminal.wait_for("科技部正式宣布 依托商汤建设智能视觉国家新一代人工智能开放创新平台")  # in the reader
    quit_newstui(terminal)
