"""OPML, the subscription lists every feed reader imports and exports.

Reading takes each outline with an ``xmlUrl`` at any depth; the outlines around it (folders)
become its category, joined with "/". Writing gives OPML 2.0 with one folder outline per
category. The file is decoded like a feed (it is XML from the same programs) and parsed by
expat, which expands no external entities and bounds internal ones.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime

from ...text.clean import clean_line
from ..formats.feed import feed_text
from ..formats.records import ImportFailure
from .subscriptions import Subscription


@dataclass(frozen=True, slots=True)
class Outline:
    url: str
    title: str
    category: str


def read_opml(data: bytes, *, origin: str) -> list[Outline]:
    """The feeds an OPML file lists, in document order; ImportFailure (one line, naming the file
    and line) for what is not OPML."""
    text = feed_text(data, origin=origin)
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as error:
        line, _ = error.position
        raise ImportFailure(f"{origin}:{line}: not an OPML file ({_reason(error)})") from None
    if root.tag.lower() != "opml":
        raise ImportFailure(f"{origin}: not an OPML file (its root is <{root.tag}>)")
    body = next((child for child in root if child.tag.lower() == "body"), None)
    if body is None:
        raise ImportFailure(f"{origin}: not an OPML file (it has no <body>)")
    outlines: list[Outline] = []
    _collect(body, [], outlines)
    return outlines


def _collect(element: ElementTree.Element, folders: list[str], found: list[Outline]) -> None:
    for child in element:
        if child.tag.lower() != "outline":
            continue
        attributes = {name.lower(): value for name, value in child.attrib.items()}
        name = clean_line(attributes.get("text") or attributes.get("title") or "")  # text is OPML's label
        url = attributes.get("xmlurl", "").strip()
        if url:
            found.append(Outline(url, name, "/".join(folders)))
        _collect(child, folders if url else [*folders, name] if name else folders, found)


def write_opml(subscriptions: Iterable[Subscription], *, title: str = "newstui subscriptions") -> str:
    """OPML 2.0 listing the subscriptions, folders for categories, in the order given."""
    root = ElementTree.Element("opml", version="2.0")
    head = ElementTree.SubElement(root, "head")
    ElementTree.SubElement(head, "title").text = title
    ElementTree.SubElement(head, "dateCreated").text = format_datetime(datetime.now(UTC))
    body = ElementTree.SubElement(root, "body")
    folders: dict[tuple[str, ...], ElementTree.Element] = {(): body}
    for subscription in subscriptions:
        path = tuple(part for part in subscription.category.split("/") if part.strip())
        for depth in range(1, len(path) + 1):
            if path[:depth] not in folders:
                label = clean_line(path[depth - 1])
                folders[path[:depth]] = ElementTree.SubElement(
                    folders[path[: depth - 1]], "outline", text=label, title=label
                )
        parent = folders[path]
        name = clean_line(subscription.name)  # XML 1.0 cannot hold control characters
        outline = ElementTree.SubElement(parent, "outline", type="rss", text=name, title=name,
                                         xmlUrl=subscription.url)
        if subscription.site:
            outline.set("htmlUrl", subscription.site)
    ElementTree.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, encoding="unicode") + "\n"


def _reason(error: ElementTree.ParseError) -> str:
    return str(error).split(":", 1)[0]
