"""Untrusted text made safe and plain: escape sequences and invisible controls removed,
whitespace collapsed, one paragraph per line. Article text must never reach a terminal as
something it would execute."""

from __future__ import annotations

import re
import unicodedata

# ESC-introduced sequences: CSI (ESC [ … final), OSC/DCS/SOS/PM/APC (… BEL or ESC \), and
# two-character escapes. Their 8-bit C1 forms (\x9b CSI, \x9d OSC, …) are removed the same way.
_ESCAPE_SEQUENCE = re.compile(
    r"""
    (?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]                        # CSI
    | (?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f]).*?(?:\x07|\x1b\\|\x9c|$)  # OSC, DCS, SOS, PM, APC
    | \x1b[ -/]*[0-~]                                        # other two/three-byte escapes
    """,
    re.VERBOSE | re.DOTALL,
)
# C0 and C1 controls except tab/newline, DEL, bidi overrides/isolates, zero-width characters,
# BOMs, and the line/paragraph separators (those become newlines first).
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]"
)
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85]")
_SPACES = re.compile(r"[ \t\u00a0\u3000\u2000-\u200a\u202f\u205f]+")


def strip_controls(text: str) -> str:
    """Remove terminal escape sequences and invisible control characters.

    Article text must never reach a terminal as something it would execute.
    """
    text = _LINE_BREAKS.sub("\n", text)
    text = _ESCAPE_SEQUENCE.sub("", text)
    return _INVISIBLE.sub("", text)


def clean_line(text: str) -> str:
    """A single-line field (title, source): controls removed, whitespace collapsed."""
    text = unicodedata.normalize("NFC", strip_controls(text))
    return _SPACES.sub(" ", text.replace("\n", " ")).strip()


def clean_body(text: str) -> str:
    """A body: controls removed, whitespace collapsed, one paragraph per line, no blank lines."""
    text = unicodedata.normalize("NFC", strip_controls(text))
    paragraphs = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(p for p in paragraphs if p)
