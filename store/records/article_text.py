"""An article as plain text (``newstui show``, the browser's pipe to $PAGER) and the links in it.

Every string is sanitised again on the way out: a tampered store file still cannot drive the
terminal or the pager it is piped to.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..text.clean import strip_controls
from .models import Article

MAX_LINKS = 500  # links listed per article; a scraped page of links needs no more
# A URL ends at whitespace, quotes and brackets, and where Chinese text (or its punctuation,
# full-width forms included) goes on right after it: "申请http://st.example/shenqing/。点击".
_URL = re.compile(r"""https?://[^\s<>"'“”‘’…\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+""", re.IGNORECASE)
_URL_TAIL = ".,;:!?)]}'"  # punctuation that ends the sentence, not the URL


def links(article: Article) -> list[str]:
    """The article's own URL, then every other URL in its text, in order, each once."""
    found = dict.fromkeys(url for url in (strip_controls(article.url),) if url)
    for url in _urls_in(article.title + "\n" + article.body):
        found.setdefault(url)
        if len(found) >= MAX_LINKS:
            break
    return list(found)


def _urls_in(text: str) -> Iterator[str]:
    for match in _URL.finditer(text):
        url = match.group()
        while url[-1] in _URL_TAIL and not (url[-1] == ")" and "(" in url):
            url = url[:-1]
        if "://" in url and len(url) > url.index("://") + 3:
            yield url


def meta_line(article: Article) -> str:
    parts = (article.date, article.source, f"{article.chars} chars", article.url)
    return strip_controls(" · ".join(part for part in parts if part))


def plain_text(article: Article) -> str:
    """Title, metadata, summary and keywords, the body, and its links numbered as in the browser."""
    lines = [strip_controls(article.title), meta_line(article)]
    if article.summary:
        lines += ["", "Summary:", *(f"  {strip_controls(s)}" for s in article.summary)]
    if article.keywords:
        lines.append("Keywords: " + strip_controls(", ".join(article.keywords)))
    lines.append("")
    lines += strip_controls(article.body).split("\n")
    found = links(article)
    if found:
        lines += ["", "Links:", *(f"  [{number}] {url}" for number, url in enumerate(found, start=1))]
    return "\n".join(lines) + "\n"
