"""Turning untrusted article text into Rich ``Text``: no markup, no control characters, cell widths.

Titles and bodies are data. They are never parsed as markup and escape sequences are removed
before anything reaches the terminal; widths are measured in terminal cells (a Chinese character
takes two), so truncation never splits a character.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rich.cells import get_character_cell_size
from rich.style import Style
from rich.text import Text

from ..store.text.clean import strip_controls
from ..store.text.sentences import ELLIPSIS

SpanFinder = Callable[[str], list[tuple[int, int]]]  # where a search's words occur in a text


def no_matches(text: str) -> list[tuple[int, int]]:
    return []


def plain_text(raw: str, style: Style | str = "") -> Text:
    """A ``Text`` holding ``raw`` literally (``[bold]`` stays ``[bold]``), controls removed."""
    return Text(strip_controls(raw).replace("\n", " "), style=style, end="")


def block_text(raw: str, style: Style | str = "") -> Text:
    """Like ``plain_text`` but keeps line breaks (a run of paragraphs)."""
    return Text(strip_controls(raw), style=style, end="")


def highlight(text: Text, spans: Iterable[tuple[int, int]], style: Style | str) -> Text:
    """Style character ranges of ``text`` in place (search matches) and return it."""
    for start, end in spans:
        text.stylize(style, start, end)
    return text


def fit_cells(text: Text, width: int) -> Text:
    """Cut ``text`` to at most ``width`` cells, ending in an ellipsis, padding to exactly ``width``.

    Characters are kept whole: a two-cell character that does not fit is dropped, not split.
    """
    if width <= 0:
        return Text("", end="")
    cells = [get_character_cell_size(char) for char in text.plain]
    if sum(cells) <= width:
        fitted = text.copy()
        fitted.pad_right(width - sum(cells))
        return fitted
    keep = used = 0
    for size in cells:
        if used + size > width - 1:  # one cell is kept for the ellipsis
            break
        used += size
        keep += 1
    fitted = text[:keep]
    fitted.append(ELLIPSIS)
    fitted.pad_right(width - used - 1)
    return fitted
