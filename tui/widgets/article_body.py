"""The article body: paragraphs laid out line by line, only where the reader is looking.

Laying out a 17.5-million-character article whole took the browser minutes of CPU and a gigabyte
(issue 19). Here the body is cut into blocks (paragraphs, and pieces of very long ones); a block
is wrapped when it comes near the viewport, and until then its height is an estimate from its
length. Bodies up to ``EAGER_CHARS`` are wrapped whole when shown, so ordinary articles have
exact heights and scrollbars from the start. Lines are drawn with the line API, from caches.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from itertools import accumulate
from math import ceil
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.cache import LRUCache
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget

from ...store.text.clean import strip_controls
from ..linebreak import Line, break_lines, cells
from ..rendering import SpanFinder

MAX_BLOCK_CHARS = 4000  # longer paragraphs are laid out in pieces that end at a sentence end
EAGER_CHARS = 100_000  # bodies up to this long are laid out whole when shown
MAX_MATCHES = 10_000  # search matches kept per article; beyond this the count says "10,000+"
SAMPLE_CHARS = 64  # characters measured to estimate a block's width in cells
_SENTENCE_ENDS = "。！？；.!?;"

Match = tuple[int, int, int]  # (block, start, end) in the block's cleaned text


def split_blocks(body: str) -> tuple[list[str], list[bool]]:
    """The body in blocks of about MAX_BLOCK_CHARS: whole paragraphs ("\n" between them), or
    a piece of a longer one ending at a sentence end; and for each whether it ends a paragraph.

    Found with ``rfind`` from window to window, never by splitting the body into paragraphs: a
    body of millions of one-line paragraphs is still a few thousand blocks.
    """
    blocks: list[str] = []
    ends: list[bool] = []
    start, length = 0, len(body)
    while start < length:
        limit = start + MAX_BLOCK_CHARS
        if limit >= length:
            blocks.append(body[start:])
            ends.append(True)
            break
        cut = body.rfind("\n", start, limit)
        if cut >= start:  # whole paragraphs
            blocks.append(body[start:cut])
            ends.append(True)
            start = cut + 1
            continue
        half = start + MAX_BLOCK_CHARS // 2
        cut = max(body.rfind(mark, half, limit) for mark in _SENTENCE_ENDS)
        if cut < 0:
            cut = body.rfind(" ", half, limit)
        end = cut + 1 if cut >= 0 else limit
        blocks.append(body[start:end])
        ends.append(False)
        start = end
    return blocks, ends


def find_matches(
    blocks: list[str], find: SpanFinder, cancelled: Callable[[], bool] = lambda: False
) -> tuple[list[Match], bool]:
    """Every match in the blocks, up to MAX_MATCHES; False when that cap cut the list short."""
    matches: list[Match] = []
    for number, block in enumerate(blocks):
        if cancelled():
            break
        matches.extend((number, start, end) for start, end in find(clean(block)))
        if len(matches) > MAX_MATCHES:
            return matches[:MAX_MATCHES], False
    return matches, True


def clean(block: str) -> str:
    """What is shown of a block: no control characters, tabs as spaces."""
    return strip_controls(block).replace("\t", " ")


class ArticleBody(Widget):
    """The body of the article in the reader; as tall as its text, drawn a line at a time."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"article-body--match", "article-body--current-match"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._blocks: list[str] = []
        self._paragraph_ends: list[bool] = []
        self._heights: list[int] = []  # lines per block, the blank lines after paragraphs included
        self._exact = bytearray()  # 1 where the height is a block's real layout, not an estimate
        self._tops: list[int] | None = None  # first line of each block; None after a change
        self._width = 0
        self._layouts: LRUCache[int, tuple[str, list[Line]]] = LRUCache(256)
        self._strips: LRUCache[tuple[int, int], Strip] = LRUCache(512)
        self._matches: list[Match] = []
        self._current = -1
        self.blocks_laid_out = 0  # since the text was set: what the work done is measured by

    # -- content ---------------------------------------------------------------------------

    def set_text(self, body: str) -> None:
        """Show this body from its first line; nothing is laid out until it is needed."""
        self._blocks, self._paragraph_ends = split_blocks(body) if body else ([], [])
        self._matches, self._current = [], -1
        self.blocks_laid_out = 0
        self._estimate_all()
        self.refresh(layout=True)

    @property
    def block_count(self) -> int:
        return len(self._blocks)

    @property
    def blocks(self) -> list[str]:
        return self._blocks

    def set_matches(self, matches: list[Match]) -> None:
        self._matches, self._current = matches, -1
        self._strips.clear()
        self.refresh()

    @property
    def matches(self) -> list[Match]:
        return self._matches

    def select_match(self, number: int) -> int:
        """Highlight match ``number`` as the current one; the body line it is on."""
        self._current = number
        self._strips.clear()
        self.refresh()
        return self.line_of_match(number)

    def line_of_match(self, number: int) -> int:
        block, start, _ = self._matches[number]
        _, lines = self._layout(block)
        return self._top_of(block) + max(0, bisect_right([s for s, _ in lines], start) - 1)

    # -- heights ---------------------------------------------------------------------------

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if width != self._width:
            self._width = width
            self._estimate_all()
        return self.total_lines

    @property
    def total_lines(self) -> int:
        tops = self._line_tops()
        return tops[-1] + self._heights[-1] if tops else 0

    def _estimate_all(self) -> None:
        self._layouts.clear()
        self._strips.clear()
        self._heights = [self._estimate(number) for number in range(len(self._blocks))]
        self._exact = bytearray(len(self._blocks))
        self._tops = None
        if self._width and sum(map(len, self._blocks)) <= EAGER_CHARS:
            for number in range(len(self._blocks)):
                self._layout(number)

    def _estimate(self, number: int) -> int:
        block = self._blocks[number]
        sample = block[:SAMPLE_CHARS]
        per_char = sum(map(cells, sample)) / len(sample) if sample else 1
        breaks = block.count("\n")  # each paragraph ends in a part line and a blank one
        lines = max(1, ceil(len(block) * per_char / max(self._width, 2)))
        return lines + breaks + breaks // 2 + self._paragraph_ends[number]

    def _line_tops(self) -> list[int]:
        if self._tops is None:
            self._tops = [0, *accumulate(self._heights)][:-1] if self._heights else []
        return self._tops

    def _top_of(self, block: int) -> int:
        return self._line_tops()[block]

    def _block_at(self, line: int) -> int:
        return max(0, bisect_right(self._line_tops(), line) - 1)

    def _layout(self, number: int) -> tuple[str, list[Line]]:
        """The block's text and lines, wrapped now if need be (its height becomes exact)."""
        cached = self._layouts.get(number)
        if cached is not None:
            return cached
        text = clean(self._blocks[number])
        lines: list[Line] = []
        offset = 0
        paragraphs = text.split("\n")
        for index, paragraph in enumerate(paragraphs):
            lines += [(offset + start, offset + end) for start, end in break_lines(paragraph, self._width)]
            offset += len(paragraph)
            if index < len(paragraphs) - 1 or self._paragraph_ends[number]:
                lines.append((offset, offset))  # the blank line after a paragraph
            offset += 1
        laid_out = (text, lines)
        self._layouts[number] = laid_out
        self.blocks_laid_out += 1
        height = len(lines)
        if height != self._heights[number]:
            self._heights[number] = height
            self._tops = None
        self._exact[number] = 1
        return laid_out

    def prepare(self, first: int, last: int) -> int:
        """Lay out the blocks that lines ``first``..``last`` fall in, and a screenful either side.

        Returns how many lines the text above ``first`` grew by (negative: shrank), so the
        reader can scroll by as much and keep the same text in view.
        """
        if not self._blocks or not self._width:
            return 0
        laid_out = self.blocks_laid_out
        margin = max(1, last - first)
        shift = 0
        changed = True
        while changed:
            changed = False
            tops = self._line_tops()
            grown_so_far = 0  # by blocks laid out in this pass, all of them above ``number``
            low, high = self._block_at(max(0, first - margin)), self._block_at(last + margin)
            for number in range(low, high + 1):
                if self._exact[number]:
                    continue
                before = self._heights[number]
                self._layout(number)
                grown = self._heights[number] - before
                if grown:
                    changed = True
                    if tops[number] + grown_so_far + before <= first:  # wholly above the view
                        shift += grown
                        first, last = first + grown, last + grown
                    grown_so_far += grown
        if self.blocks_laid_out != laid_out:
            self.refresh(layout=True)
        return shift

    # -- drawing ---------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style  # every segment gets a style: NO_COLOR's filter needs one
        if not self._blocks or y >= self.total_lines:
            return Strip.blank(width, base)
        number = self._block_at(y)
        row = y - self._top_of(number)
        key = (number, row)
        strip = self._strips.get(key)
        if strip is None:
            laid_out = self.blocks_laid_out
            strip = self._render_row(number, row, width, base)
            self._strips[key] = strip
            if self.blocks_laid_out != laid_out:  # not prepared (a jump): heights may have moved
                self.refresh(layout=True)
        return strip

    def _render_row(self, number: int, row: int, width: int, base: Style) -> Strip:
        text, lines = self._layout(number)
        if row >= len(lines):  # drawn before the layout caught up with a new height
            return Strip.blank(width, base)
        start, end = lines[row]
        if start == end:
            return Strip.blank(width, base)  # the blank line after a paragraph, or an empty one
        line = Text(text[start:end], end="")
        match_style = self.get_component_rich_style("article-body--match")
        current_style = self.get_component_rich_style("article-body--current-match")
        first = bisect_left(self._matches, (number, 0, 0))
        for index in range(first, len(self._matches)):
            block, match_start, match_end = self._matches[index]
            if block != number or match_start >= end:
                break
            if match_end > start:
                style = current_style if index == self._current else match_style
                line.stylize(style, max(0, match_start - start), match_end - start)
        segments = [
            Segment(piece, base + (style or Style())) for piece, style, _ in line.render(self.app.console)
        ]
        return Strip(segments).adjust_cell_length(width, base)
