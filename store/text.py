"""Text normalisation, cleaning, language detection and word segmentation.

Everything that turns untrusted article text into something safe and comparable lives here,
so importers, search and summaries all see text the same way.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

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

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
_CJK_CHAR = re.compile(f"[{CJK}]")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")
# Runs the segmenter sees: CJK runs go to jieba; Latin words and numbers are kept whole.
_WORD_RUN = re.compile(f"[{CJK}]+|[A-Za-z0-9\u00c0-\u024f]+(?:[.'’][A-Za-z0-9]+)*")


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


def article_id(title: str, body: str) -> str:
    """A stable id from normalised content, so importing the same article twice adds nothing.

    Whitespace and case are ignored and width variants folded (NFKC), so the same text from a
    differently formatted dump gets the same id.
    """
    key = unicodedata.normalize("NFKC", f"{title}\x1f{body}").casefold()
    key = re.sub(r"\s+", "", key)
    return hashlib.blake2b(key.encode("utf-8"), digest_size=8).hexdigest()


def detect_lang(text: str, sample: int = 2000) -> str:
    """'zh' when Chinese characters make up a real share of the letters, 'en' for Latin text."""
    head = text[:sample]
    cjk = len(_CJK_CHAR.findall(head))
    latin = len(_LATIN_LETTER.findall(head))
    if cjk == 0 and latin == 0:
        return "und"
    # One Chinese character carries about as much as a short English word.
    return "zh" if cjk * 4 >= latin else "en"


def is_cjk(token: str) -> bool:
    return bool(token) and _CJK_CHAR.match(token[0]) is not None


@lru_cache(maxsize=1)
def _segmenter():
    # rjieba is jieba's dictionary and algorithm in Rust, about 11x faster. It only differs from
    # jieba on mixed ASCII runs ("MS-Celeb-1M"), which never reach it: words() splits those off.
    import rjieba

    return rjieba.cut


def words(text: str) -> list[str]:
    """Segment text into words: jieba for Chinese runs, whole lowercase words for the rest.

    Punctuation and spaces are dropped. Search and summaries share this, so a word found by one
    is a word to the other.
    """
    cut = _segmenter()
    out: list[str] = []
    for match in _WORD_RUN.finditer(text):
        run = match.group()
        if _CJK_CHAR.match(run):
            out.extend(cut(run))
        else:
            out.append(run.lower())
    return out
