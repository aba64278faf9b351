"""Which sentences of an article may stand in its summary, and which part of each.

News text carries lines that are about the article, not of it: a source tag on its own
(（凤凰财经）, 新民网), a byline (By Jane Smith, 记者 张三), a dateline (LONDON (Reuters) -,
新华社北京9月20日电), a time stamp (14:11 EST, 25 October 2013), a link, a caption label. They
share no words with the story, so coverage cannot tell them apart from a sentence that says
something new; these rules can, and they leave out asides in brackets (（原题为《……》）) too.
They look at the shape of a sentence, never at the name of an outlet, so they hold for sources
nobody listed.
"""

from __future__ import annotations

import re
import string

import numpy as np

from ..text.segment import CJK, CJK_CHAR, WORD_CHAR_CLASS
from ..text.sentences import LONGEST_HEADLINE, MIN_SENTENCE_CHARS
from .wordcounts import code_point_table


def _bmp_flags(characters: str) -> np.ndarray:
    """A flag per BMP code point: is it one of these characters?"""
    table = np.zeros(0x10000, bool)
    table[[ord(char) for char in characters]] = True
    return table


# A Latin sentence of fewer words than this that are all capitalised is a name ("Associated
# Press.", "Getty Images"), not a sentence ("He resigned." is one).
MIN_LATIN_WORDS = 3
# A short line that is dates and times but for fewer letters than this is a time stamp
# (2018年9月20日 10:09, 发布时间：…); more, and the dates belong to a sentence (1月27日，A股再度大跌。).
MIN_LETTERS_BESIDE_STAMP = 5
# A sentence with a link is the link (详情请访问 www.…) unless this many letters stand beside it:
# then the link is a credit inside a real sentence (澎湃新闻（www.thepaper.cn）获悉，……).
MIN_LETTERS_BESIDE_LINK = 20

_NOT_CONTENT = re.compile(f"[^{WORD_CHAR_CLASS}]+")
# Bylines, label lines and time stamps are short; longer text is spared those checks.
_LONGEST_BOILERPLATE = 60
_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+(?:['’][A-Za-z]+)?")
_URL = re.compile(r"https?://|www\.|[\w-]\.(?:com|net|org|cn|co\.uk|gov|edu|info|io)\b", re.IGNORECASE)
_URL_CHARS = r"[A-Za-z0-9._~:/?#@!$&'*+=%-]"
_WHOLE_URL = re.compile(
    rf"(?:https?://|www\.){_URL_CHARS}*"
    rf"|[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:com|net|org|cn|co\.uk|gov|edu|info|io)\b(?:/{_URL_CHARS}*)?",
    re.IGNORECASE,
)
_OPENERS, _CLOSERS = "（(【[〔", "）)】]〕"
_OPEN, _CLOSE = re.escape(_OPENERS), re.escape(_CLOSERS)
_BRACKETED = rf"[{_OPEN}][^{_OPEN}{_CLOSE}]{{1,20}}[{_CLOSE}]"  # a short bracketed tag
# A bracketed tag opening a sentence, with a dash after it: （凤凰财经） (CNN) -- 【新华社】
_LEADING_TAG = re.compile(rf"{_BRACKETED}\s*(?:--|[—–-]+)?\s*")
# A sentence all in brackets is an aside to the reader: （原题为《……》） (Photo: ……)
_ASIDE = re.compile(rf"[{_OPEN}][^{_OPEN}{_CLOSE}]*[{_CLOSE}]\s*[。.]?")
_HEADLINE = re.compile(r"【([^【】]+)】")
# An English dateline: LONDON - , WASHINGTON (Reuters) -- , NEW YORK, N.Y. —
_LEADING_PLACE = re.compile(
    r"[A-Z][A-Z.'’]{2,20}(?: [A-Z.'’]{2,20}){0,2}(?:,\s*[A-Z][A-Za-z.]{1,15})?"
    rf"\s*(?:{_BRACKETED})?\s*(?:--|[—–-]+)\s+"
)
# A Chinese dateline: 新华社北京9月20日电（记者 张三） 中新网3月5日电 本报讯（记者 李四）
# 1月13日消息， 至诚新闻网1月8日讯
_LEADING_WIRE = re.compile(
    rf"(?:[^，。,\s]{{0,20}}?\d{{1,2}}月\d{{1,2}}日(?:电|讯|消息)|本报讯)[，,：:]?\s*(?:{_BRACKETED})?\s*"
)
# A short bracketed source closing a sentence with nothing after it: ……难起实际效果(中新网)
_TRAILING_TAG = re.compile(rf"\s*[{_OPEN}][^{_OPEN}{_CLOSE}]{{1,12}}[{_CLOSE}]$")
# A line of its own that is a label and a short value, with no full stop: 来源：新民网 ·
# 原标题：…… · Photo: Getty Images · PUBLISHED: 14:11 EST. (Inside a paragraph the same shape
# is speech: 他表示：明年上市)
_LABEL_LINE = re.compile(r"[^：:，,。.！!？?\s]{1,12}\s*[：:]\s*[^。！？!?.]{0,30}")
_BYLINE_STARTS = "BbRrEeWwAaPpTt"
_CHINESE_BYLINE_STARTS = "记通实编责作撰摄文图" + _OPENERS + " "
_NAME = r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}"
_CREDIT = (
    r"(?:(?:[Rr]eporting|[Ee]diting|[Ww]ritten|[Aa]dditional reporting|[Pp]hotos?|[Pp]ictures?|[Tt]ext) )?"
    rf"[Bb][Yy]\s+{_NAME}"
)
_BYLINE = re.compile(rf"{_CREDIT}(?:\s*(?:,|;|and|in|for)\s+(?:{_CREDIT}|{_NAME}))*\s*[.;]?")
# What sends a sentence to a closer look (summary_parts): a first character a tag, byline or
# dateline may start with, a closer a trailing tag ends with, the marks of labels, links and
# list numbers, digits in a short sentence, and a wire dateline (……9月20日电).
_SUSPECT_STARTS = _bmp_flags(_BYLINE_STARTS + _CHINESE_BYLINE_STARTS + "本" + string.ascii_uppercase)
_CLOSER_ENDS = _bmp_flags(_CLOSERS)
_MARKS = _bmp_flags("：:./")
_DIGITS = _bmp_flags(string.digits)
_WIRE = re.compile(r"\d日(?:电|讯|消息)|本报讯")
_CHINESE_BYLINE = re.compile(
    rf"[{_OPEN}]?\s*(?:记者|通讯员|实习生|编辑|责编|作者|撰文|摄影|文|图)\s*[\s：:/|]\s*"
    rf"[{CJK}A-Za-z·\s、]{{1,30}}?(?:摄|报道)?\s*[{_CLOSE}]?\s*[。.]?"
)
# What only a time stamp has (a clock time, a month, a date, a weekday, a label), and the dates
# and times it consists of.
_STAMP = re.compile(
    r"\d{1,2}:\d{2}|\d{1,4}\s*[年月日]|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b"
    r"|\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*day\b|\b(?:published|updated|posted)\b|星期|周[一二三四五六日天]",
    re.IGNORECASE,
)
_DATE_OR_TIME = re.compile(
    r"\d{1,4}\s*[年月日号时点分秒]|\d{1,2}:\d{2}(?::\d{2})?|\d{1,4}[-/.]\d{1,2}(?:[-/.]\d{1,4})?|\b\d{1,4}\b"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
    r"|\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*day\b|\b(?:[ap]\.?m\.?|gmt|utc|bst|[ecmp][sd]?t|cet|est)\b"
    r"|\b(?:published|updated|posted|last updated|modified)\b|星期.|周[一二三四五六日天]|[上下]午",
    re.IGNORECASE,
)


def summary_parts(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int] | None]:
    """summary_part of each sentence text[start:end], relative to the sentence; if no sentence
    has one (a text of one short line), each that is not boilerplate stands whole.

    Most sentences of Chinese news are plain: ten letters or more, Chinese among them, and
    nothing a tag, byline, label, dateline, time stamp or link starts, ends or is marked with.
    numpy finds those for all sentences at once; only the others get a closer look.
    """
    if not spans:
        return []
    starts = np.fromiter((start for start, _ in spans), np.int64, len(spans))
    ends = np.fromiter((end for _, end in spans), np.int64, len(spans))
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32)
    bmp = np.minimum(points, 0xFFFF)  # the small tables below flag nothing beyond the BMP
    letters = _counts_in(code_point_table(WORD_CHAR_CLASS)[points], starts, ends)
    plain = (
        (letters >= MIN_SENTENCE_CHARS)
        & (_counts_in(code_point_table(CJK)[points], starts, ends) > 0)
        & (_counts_in(_MARKS[bmp], starts, ends) == 0)
        & ((ends - starts > _LONGEST_BOILERPLATE) | (_counts_in(_DIGITS[bmp], starts, ends) == 0))
        & ~_SUSPECT_STARTS[bmp[starts]]
        & ~_CLOSER_ENDS[bmp[ends - 1]]
    )
    for wire in _WIRE.finditer(text):
        plain[np.searchsorted(ends, wire.start(), side="right") :][:1] = False
    parts: list[tuple[int, int] | None] = []
    for (start, end), is_plain, count in zip(spans, plain.tolist(), letters.tolist(), strict=True):
        if is_plain:
            parts.append((0, end - start))
        elif count < MIN_SENTENCE_CHARS:
            parts.append(None)
        else:
            opens_line = start == 0 or text[start - 1] == "\n"
            whole_line = opens_line and (end == len(text) or text[end] == "\n")
            parts.append(summary_part(text[start:end], whole_line=whole_line, opens_line=opens_line))
    if any(parts):
        return parts
    return [None if is_boilerplate(text[start:end]) else (0, end - start) for start, end in spans]


def _counts_in(flags: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """How many flags are set in each [start, end)."""
    running = np.concatenate(([0], np.cumsum(flags)))
    return running[ends] - running[starts]


def summary_part(
    sentence: str, *, whole_line: bool = False, opens_line: bool = False
) -> tuple[int, int] | None:
    """The [start, end) of the sentence that may stand in a summary, a leading dateline or
    source tag and a trailing source tag left out; None for a sentence that is not one to
    summarise with: a tag, byline, dateline, time stamp, link, label line or fragment.
    ``whole_line`` says the sentence is a paragraph of its own, as label lines are;
    ``opens_line`` that it starts one, as a bracketed headline does (its brackets left out)."""
    if opens_line and (headline := headline_part(sentence)) is not None:
        return headline
    start, end = _leading_tag_end(sentence), len(sentence)
    if sentence[-1:] in _CLOSERS:
        trailing = _TRAILING_TAG.search(sentence, start)
        if trailing is not None and _content(sentence[start : trailing.start()]) >= MIN_SENTENCE_CHARS:
            end = trailing.start()
    part = sentence[start:end]
    if is_fragment(part) or _is_boilerplate(part, whole_line):
        return None
    return start, end


def headline_part(sentence: str) -> tuple[int, int] | None:
    """The words of a bracketed headline (【……】 of ten letters or more, short as headlines
    are), else None."""
    match = _HEADLINE.fullmatch(sentence)
    words = match.group(1) if match else ""
    if not MIN_SENTENCE_CHARS <= _content(words) <= len(words) <= LONGEST_HEADLINE:
        return None
    return match.start(1), match.end(1)


def is_fragment(text: str) -> bool:
    """Too little to be a sentence: under ten letters, or a Latin name of one or two words."""
    if _content(text) < MIN_SENTENCE_CHARS:
        return True
    if CJK_CHAR.search(text) is not None:
        return False
    latin = _LATIN_WORD.findall(text)
    return len(latin) < MIN_LATIN_WORDS and all(word[0].isupper() for word in latin)


def is_boilerplate(sentence: str, *, whole_line: bool = False) -> bool:
    """A link, byline, label line or time stamp: never a summary sentence, however long."""
    return _is_boilerplate(sentence[_leading_tag_end(sentence) :], whole_line)


def _is_boilerplate(text: str, whole_line: bool) -> bool:
    if (
        ("." in text or "/" in text)
        and _URL.search(text)
        and _content(_WHOLE_URL.sub("", text)) < MIN_LETTERS_BESIDE_LINK
    ):
        return True
    if text[:1] in _OPENERS and _ASIDE.fullmatch(text):
        return True
    if len(text) > _LONGEST_BOILERPLATE:
        return False
    first = text[:1]
    if (first in _BYLINE_STARTS and _BYLINE.fullmatch(text)) or (
        first in _CHINESE_BYLINE_STARTS and _CHINESE_BYLINE.fullmatch(text)
    ):
        return True
    if whole_line and ("：" in text or ":" in text) and _LABEL_LINE.fullmatch(text):
        return True
    if _STAMP.search(text) is None:
        return False
    return _content(_DATE_OR_TIME.sub("", text)) < MIN_LETTERS_BESIDE_STAMP


def _leading_tag_end(sentence: str) -> int:
    """Where the sentence proper starts after a dateline or a bracketed source tag, if what
    follows them is still a sentence; else 0. (Each pattern is tried only where it may begin.)"""
    end = 0
    if sentence[:2].isupper() and (place := _LEADING_PLACE.match(sentence)):
        end = place.end()
    if _WIRE.search(sentence, end, end + 40) and (
        wire := _LEADING_WIRE.match(sentence, end)
    ):
        end = wire.end()
    if sentence[end : end + 1] in _OPENERS and (tag := _LEADING_TAG.match(sentence, end)):
        end = tag.end()
    if end and _content(sentence[end:]) < MIN_SENTENCE_CHARS:
        return 0
    return end


def _content(text: str) -> int:
    return len(_NOT_CONTENT.sub("", text))
