"""Reading a tmux capture (``capture-pane -e``) as a grid of cells with colours and attributes.

Columns are terminal cells as tmux lays them out: East Asian wide characters take two, so the
tests can check that columns line up in Chinese text the way a user sees them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace

SGR = re.compile(r"\x1b\[([0-9;:]*)m")

# The Linux console's 16 colours (what TERM=linux users see) and xterm's (most other terminals).
LINUX_PALETTE = (
    (0, 0, 0), (170, 0, 0), (0, 170, 0), (170, 85, 0), (0, 0, 170), (170, 0, 170), (0, 170, 170),
    (170, 170, 170), (85, 85, 85), (255, 85, 85), (85, 255, 85), (255, 255, 85), (85, 85, 255),
    (255, 85, 255), (85, 255, 255), (255, 255, 255),
)
XTERM_PALETTE = (
    (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205),
    (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255),
    (255, 0, 255), (0, 255, 255), (255, 255, 255),
)


@dataclass(frozen=True, slots=True)
class Style:
    """A colour is None (the terminal's default), ("ansi", 0..15), ("256", n) or ("rgb", r, g, b)."""

    fg: tuple | None = None
    bg: tuple | None = None
    bold: bool = False
    underline: bool = False
    reverse: bool = False

    def colours(self) -> tuple[tuple | None, tuple | None]:
        """(foreground, background) as painted: reverse video swaps them."""
        return (self.bg, self.fg) if self.reverse else (self.fg, self.bg)


@dataclass(frozen=True, slots=True)
class Cell:
    char: str
    style: Style


def cell_width(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _apply_sgr(style: Style, params: str) -> Style:
    codes = [int(part) if part.isdigit() else 0 for part in re.split("[;:]", params or "0")]
    index = 0
    while index < len(codes):
        code = codes[index]
        if code == 0:
            style = Style()
        elif code == 1:
            style = replace(style, bold=True)
        elif code == 22:
            style = replace(style, bold=False)
        elif code in (4, 21):
            style = replace(style, underline=True)
        elif code == 24:
            style = replace(style, underline=False)
        elif code == 7:
            style = replace(style, reverse=True)
        elif code == 27:
            style = replace(style, reverse=False)
        elif 30 <= code <= 37 or 90 <= code <= 97:
            style = replace(style, fg=("ansi", code - 30 if code < 90 else code - 82))
        elif 40 <= code <= 47 or 100 <= code <= 107:
            style = replace(style, bg=("ansi", code - 40 if code < 100 else code - 92))
        elif code == 39:
            style = replace(style, fg=None)
        elif code == 49:
            style = replace(style, bg=None)
        elif code in (38, 48) and index + 1 < len(codes):
            if codes[index + 1] == 5:
                colour: tuple = ("256", codes[index + 2])
                index += 2
            else:
                colour = ("rgb", *codes[index + 2 : index + 5])
                index += 4
            style = replace(style, **{"fg" if code == 38 else "bg": colour})
        index += 1
    return style


def parse_capture(captured: str) -> list[list[Cell]]:
    """Rows of cells; a wide character's second cell repeats it with char ''. tmux carries the
    style from one line to the next, so the whole capture is read as one stream."""
    rows: list[list[Cell]] = []
    style = Style()
    for line in captured.split("\n"):
        row: list[Cell] = []
        position = 0
        for match in SGR.finditer(line + "\x1b[m"):
            for char in line[position : match.start()]:
                row.append(Cell(char, style))
                if cell_width(char) == 2:
                    row.append(Cell("", style))
            if match.end() <= len(line):
                style = _apply_sgr(style, match.group(1))
            position = match.end()
        rows.append(row)
    return rows


class Screen:
    """One captured screen: text and styles by cell."""

    def __init__(self, captured: str) -> None:
        self.rows = parse_capture(captured)

    def text(self, row: int) -> str:
        return "".join(cell.char for cell in self.rows[row])

    @property
    def plain(self) -> str:
        return "\n".join(self.text(row) for row in range(len(self.rows)))

    def find(self, text: str, first_row: int = 0) -> tuple[int, int]:
        """(row, column in cells) of the first occurrence of ``text``; fails when it is not shown."""
        for number in range(first_row, len(self.rows)):
            line = self.text(number)
            if text in line:
                return number, sum(cell_width(c) for c in line[: line.index(text)])
        raise AssertionError(f"{text!r} is not on the screen:\n{self.plain}")

    def style_at(self, row: int, column: int) -> Style:
        return self.rows[row][column].style

    def style_of(self, text: str, first_row: int = 0) -> Style:
        """The style of the first character of ``text`` where it is first shown."""
        return self.style_at(*self.find(text, first_row))

    def text_cells(self):
        """Every cell that shows a visible character (not a space), with its row and column."""
        for number, row in enumerate(self.rows):
            for column, cell in enumerate(row):
                if cell.char.strip():
                    yield number, column, cell


def colour_rgb(colour: tuple | None, palette: tuple, default: tuple[int, int, int]) -> tuple[int, ...]:
    if colour is None:
        return default
    if colour[0] == "ansi":
        return palette[colour[1]]
    if colour[0] == "rgb":
        return tuple(colour[1:4])
    number = colour[1]
    if number < 16:
        return palette[number]
    if number >= 232:
        grey = 8 + 10 * (number - 232)
        return grey, grey, grey
    steps = (0, 95, 135, 175, 215, 255)
    number -= 16
    return steps[number // 36], steps[number // 6 % 6], steps[number % 6]


def contrast(one: tuple[int, ...], other: tuple[int, ...]) -> float:
    """WCAG contrast ratio of two sRGB colours: 1 (same) to 21 (black on white)."""

    def luminance(rgb: tuple[int, ...]) -> float:
        linear = [(c / 255 / 12.92) if c <= 10 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
