"""Line breaking for Chinese and mixed text, in terminal cells.

Chinese may break between any two characters, except that closing punctuation (，。、”）》…) never
starts a line and opening punctuation (“（《) never ends one: the character before is pulled onto
the next line with it, as W3C's "Requirements for Chinese Text Layout" (clreq) and JIS X 4051
describe. Latin words, numbers and URLs break only at spaces or where they meet Chinese; a word
wider than the whole line is the one thing cut where it overflows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from rich.cells import get_character_cell_size
from rich.console import Console, ConsoleOptions
from rich.measure import Measurement
from rich.segment import Segment
from rich.text import Text

# clreq 3.1.7 (and JIS X 4051's 行頭禁則 / 行末禁則), with their ASCII and half-width forms.
NOT_AT_LINE_START = frozenset(
    "，。、；：？！）］｝〕〉》」』】〗〙〛”’…‥·・—～々〻ー゛゜ゝゞヽヾ"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ"
    "％．，：；？！）］｝｠｡､"
    ",.;:?!)]}%‰℃°′″"
)
NOT_AT_LINE_END = frozenset("（［｛〔〈《「『【〖〘〚“‘｟([{＄￥$£¥€#")

Line = tuple[int, int]  # [start, end) of a line in the text, trailing spaces left out

_cells: dict[str, int] = {}


def cells(char: str) -> int:
    """Terminal cells of one character (two for Chinese), memoised: wrapping asks per character."""
    size = _cells.get(char)
    if size is None:
        size = _cells[char] = get_character_cell_size(char)
    return size


def may_break(before: str, after: str) -> bool:
    """Whether a line may end between these two characters."""
    if after == " ":
        return False  # spaces stay at the end of the line they follow, and are dropped there
    if after in NOT_AT_LINE_START or before in NOT_AT_LINE_END:
        return False
    return before == " " or cells(before) == 2 or cells(after) == 2


def break_lines(text: str, width: int) -> list[Line]:
    """Where to end each line of one paragraph (no newlines) so that it fits ``width`` cells."""
    width = max(width, 2)  # a Chinese character must fit somewhere
    lines: list[Line] = []
    length = len(text)
    start = 0
    while start < length:
        used, position, last_chance = 0, start, 0
        while position < length:
            char = text[position]
            size = cells(char)
            if used + size > width and char != " ":
                break
            if position > start and may_end_line(text, start, position):
                last_chance = position
            used += size
            position += 1
        if position >= length:
            lines.append((start, _end_of_words(text, start, length)))
            break
        if may_end_line(text, start, position):
            cut = position
        elif last_chance:
            cut = last_chance
        else:
            cut = max(position, start + 1)  # one word wider than the line: cut where it overflows
        lines.append((start, _end_of_words(text, start, cut)))
        start = cut
        while start < length and text[start] == " ":
            start += 1
    return lines or [(0, 0)]


def may_end_line(text: str, start: int, position: int) -> bool:
    """Whether the line from ``start`` may end before ``position`` (spaces there are dropped)."""
    if not may_break(text[position - 1], text[position]):
        return False
    if text[position - 1] == " ":
        end = _end_of_words(text, start, position)
        return end > start and text[end - 1] not in NOT_AT_LINE_END
    return True


def _end_of_words(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] == " ":
        end -= 1
    return end


def broken_lines(text: Text, width: int) -> Iterator[Text]:
    """``text`` as lines of at most ``width`` cells, styles kept; newlines start new lines."""
    offset = 0
    for paragraph in text.plain.split("\n"):
        for start, end in break_lines(paragraph, width):
            yield text[offset + start : offset + end]
        offset += len(paragraph) + 1


class BrokenText:
    """A Rich renderable that wraps its text by these rules at whatever width it is given.

    Titles, the metadata line and summary sentences use it, so every line of the reader follows
    the same rules as the body.
    """

    def __init__(self, text: Text) -> None:
        self.text = text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterable[Segment]:
        for line in broken_lines(self.text, options.max_width):
            yield from line.render(console)
            yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        widest = max((sum(map(cells, line)) for line in self.text.plain.split("\n")), default=0)
        return Measurement(min(2, widest), widest)


class JoinedParts:
    """Short parts joined by a separator, wrapped only between parts ("1,008 chars" stays whole);
    a part wider than the line is broken by the rules above."""

    def __init__(self, parts: list[Text], separator: str = " · ") -> None:
        self.parts = parts
        self.separator = separator

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterable[Segment]:
        width = options.max_width
        line = Text(end="")
        for part in self.parts:
            joined = line + Text(self.separator) + part if line.plain else part
            if line.plain and joined.cell_len > width:
                yield from line.render(console)
                yield Segment.line()
                joined = part
            pieces = list(broken_lines(joined, width))
            for piece in pieces[:-1]:
                yield from piece.render(console)
                yield Segment.line()
            line = pieces[-1]
        yield from line.render(console)
        yield Segment.line()
