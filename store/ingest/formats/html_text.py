"""HTML (feed items, CMS exports) reduced to plain paragraphs.

Bodies are stored as plain text, one paragraph per line, so block elements become paragraph
breaks, entities are decoded and anything that is not reading text (scripts, styles) is dropped.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCK_TAGS = frozenset((
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav",
    "ol", "p", "pre", "section", "table", "tbody", "thead", "tfoot", "tr", "ul",
))
_DROPPED_TAGS = frozenset(
    ("script", "style", "noscript", "template", "head", "iframe", "object", "svg")
)
_SPACE = re.compile(r"\s+")
_TAG = re.compile(
    r"</?(?:p|br|div|span|a|img|b|i|em|strong|h[1-6]|li|ul|ol|table|tr|td|blockquote|figure|"
    r"section|article|script|style|font|pre|hr)\b[^>]*>",
    re.IGNORECASE,
)


def looks_like_html(text: str) -> bool:
    """Whether text carries HTML tags (plain text may well contain a bare "<")."""
    return "<" in text and _TAG.search(text) is not None


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self._current: list[str] = []
        self._dropping = 0  # depth inside script/style, whose text is not content

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROPPED_TAGS:
            self._dropping += 1
        elif tag in _BLOCK_TAGS:
            self.break_paragraph()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.break_paragraph()

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROPPED_TAGS:
            self._dropping = max(0, self._dropping - 1)
        elif tag in _BLOCK_TAGS:
            self.break_paragraph()

    def handle_data(self, data: str) -> None:
        if not self._dropping:
            self._current.append(data)

    def break_paragraph(self) -> None:
        # HTML treats source line breaks as spaces; only elements make paragraphs.
        paragraph = _SPACE.sub(" ", "".join(self._current)).strip()
        if paragraph:
            self.paragraphs.append(paragraph)
        self._current.clear()


def html_to_text(html: str) -> str:
    """Paragraphs of the text in an HTML fragment, separated by "\\n"."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    collector.break_paragraph()
    return "\n".join(collector.paragraphs)
