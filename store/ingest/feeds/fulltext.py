"""The main text of an article's web page, for feeds that carry only an excerpt.

Pages are downloaded within PAGE_LIMITS (the same watchdog, caps and redirect limit as feeds),
decoded like feeds (the server's charset, else the page's <meta> charset, else our detector),
and reduced to their main text by trafilatura, which drops navigation, comments and ads.
"""

from __future__ import annotations

import re

from ..formats.feed import labelled_text
from .http import PAGE_ACCEPT, PAGE_LIMITS, Limits, fetch

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.IGNORECASE)
META_SNIFF_BYTES = 4096


def page_text(url: str, *, limits: Limits = PAGE_LIMITS) -> str:
    """The page's main text, paragraphs one per line ("" when trafilatura finds none);
    FetchError when the page cannot be had, ImportFailure when it cannot be decoded."""
    response = fetch(url, accept=PAGE_ACCEPT, limits=limits)
    meta = _META_CHARSET.search(response.body[:META_SNIFF_BYTES])
    labels = [response.charset, meta.group(1).decode("ascii") if meta else None]
    html = labelled_text(response.body, labels, origin=response.url)
    return main_text(html, response.url)


def main_text(html: str, url: str = "") -> str:
    import trafilatura  # loads lxml and friends: only for feeds that ask for full text

    text = trafilatura.extract(
        html, url=url or None, include_comments=False, include_tables=True, favor_precision=True,
        output_format="txt",
    )
    return text or ""
