"""Article dates: parsed from a date field, or read from the dateline at the start of the text.

Dates are kept as the source wrote them, in its own wall-clock time ("2018-09-26T10:09"), with
any UTC offset dropped: news is read by the day it was published where it was published, and
converting "2018-09-26 07:00 +08:00" to UTC would move it to the day before. Only epoch
timestamps, which have no zone, are read as UTC.

A date is never invented: a dateline without a year ("9月3日，") gets one only from context the
caller passes in (see records.fill_dates), and otherwise the date stays unknown.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.utils import parsedate_tz
from pathlib import PurePosixPath

from ...text.clean import clean_body

_YMD_NUMERIC = r"(?P<year>\d{4})[-/.](?P<month>\d{1,2})[-/.](?P<day>\d{1,2})"
_YMD_CJK = r"(?P<year>\d{4})\s*年\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*[日号]"
_MONTH_DAY = r"(?:(?P<year>\d{4})\s*年\s*)?(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*[日号]"
_TIME = (
    r"(?P<hour>\d{1,2})[:：](?P<minute>\d{2})(?:[:：]\d{2}(?:\.\d+)?)?"
    r"(?:\s*(?:Z|[+-]\d{2}:?\d{2}|UTC|GMT|CST))?"
)
_NUMERIC_DATE = re.compile(_YMD_NUMERIC + r"(?:[T\s]+" + _TIME + r")?\s*$")
_CJK_DATE = re.compile(_YMD_CJK + r"(?:\s*" + _TIME + r")?\s*$")
_COMPACT_DATE = re.compile(r"(?P<year>\d{4})(?P<month>\d{2})(?P<day>\d{2})$")
_EPOCH = re.compile(r"-?\d{9,13}(?:\.\d+)?$")
_ENGLISH_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%b. %d, %Y", "%d %B %Y", "%d %b %Y")
_FIRST_YEAR, _LAST_YEAR = 1900, 2100
_MILLISECONDS_FROM = 10**11  # larger "epoch seconds" are milliseconds (JavaScript timestamps)
_EARLIEST_EPOCH = 10**8  # smaller numbers are years, counts or ids (1973), not timestamps

# Datelines: "（2018年9月13日，北京）", "（9月19日 上海）", "9月3日，…", "2018年9月13日…",
# "2018-09-13 …", "新华社北京9月13日电". Only the start of the text is read: a date further in
# is as likely to be an event ("将于2019年1月1日实施") as the day of publication.
_LEADING_BRACKET = re.compile(r"\s*[（(【\[]([^）)】\]\n]{1,40})[）)】\]]")
_LEADING_DATE = re.compile(r"\s*" + _MONTH_DAY)
_LEADING_NUMERIC = re.compile(r"\s*" + _YMD_NUMERIC + r"(?!\d)")
_WIRE_DATELINE = re.compile(r"\s*[^\W\d_]{2,16}?" + _MONTH_DAY + "电")
_IN_BRACKET = (re.compile(_MONTH_DAY), re.compile(_YMD_NUMERIC + r"(?!\d)"))
# "年" first: a pattern that opens with a literal is found by a fast scan, one opening with \d
# is tried at every position of a long body.
_AFTER_YEAR = re.compile(r"年\s*\d{1,2}\s*月\s*\d{1,2}\s*[日号]")
_YEAR_BEFORE = re.compile(r"(?<!\d)(\d{4})\s*$")
# The remaining forms all name the month in English; without one, skip trying them.
_MONTH_NAME = re.compile(r"(?<![a-z])(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)", re.I)
_LONGEST_DATE = 64  # longer field values are not dates; skip the work of trying
_YEAR_IN_NAME = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")


def parse_date(value: str | int | float | None) -> str | None:
    """An ISO date ("YYYY-MM-DD" or "YYYY-MM-DDTHH:MM") from a date field, or None.

    Accepts ISO 8601, "2018/9/26 10:09", "2018年9月13日", RFC 822 ("Wed, 26 Sep 2018 10:09:00
    +0800"), "September 26, 2018", "20180926" and epoch seconds (or milliseconds).
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return _from_epoch(float(value))
    text = value.strip()
    if len(text) > _LONGEST_DATE:
        return None
    if _EPOCH.match(text):
        return _from_epoch(float(text))
    for pattern in (_NUMERIC_DATE, _CJK_DATE, _COMPACT_DATE):
        match = pattern.match(text)
        if match:
            parts = match.groupdict()
            return _iso(
                int(parts["year"]), int(parts["month"]), int(parts["day"]),
                _int_or_none(parts.get("hour")), _int_or_none(parts.get("minute")),
            )
    if not _MONTH_NAME.search(text):
        return None
    rfc822 = parsedate_tz(text)
    if rfc822 is not None:
        year, month, day, hour, minute = rfc822[:5]
        return _iso(year, month, day, hour, minute)
    for layout in _ENGLISH_FORMATS:
        try:
            parsed = datetime.strptime(text, layout)
        except ValueError:
            continue
        return _iso(parsed.year, parsed.month, parsed.day)
    return None


DATELINE_HEAD_CHARS = 400  # a dateline opens the text; the rest is never looked at


def find_dateline(text: str) -> tuple[int | None, int, int] | None:
    """(year or None, month, day) of the date the text opens with, or None."""
    # Judge the text as it will be stored: an escape sequence or a zero-width space in front of
    # the dateline is removed at import, so it must not hide the date.
    text = clean_body(text[:DATELINE_HEAD_CHARS])
    bracket = _LEADING_BRACKET.match(text)
    if bracket:
        for pattern in _IN_BRACKET:
            match = pattern.search(bracket.group(1))
            if match:
                return _parts(match)
    match = _LEADING_DATE.match(text) or _LEADING_NUMERIC.match(text) or _WIRE_DATELINE.match(text)
    return _parts(match) if match else None


def date_from_text(text: str, context_year: int | None) -> str | None:
    """The date of an article's dateline, "YYYY-MM-DD", or None.

    A dateline without a year takes the year of the first full date ("2018年9月13日") elsewhere in
    the same text, else context_year; with neither, the date is unknown.
    """
    found = find_dateline(text)
    if found is None:
        return None
    year, month, day = found
    if year is None:
        year = _year_of_first_full_date(text) or context_year
    return _iso(year, month, day) if year is not None else None


def year_in_name(origin: str) -> int | None:
    """The year a file or URL name states ("press-2018-09.tsv" → 2018), if it states one."""
    years = set(_YEAR_IN_NAME.findall(PurePosixPath(origin.replace("\\", "/")).name))
    return int(years.pop()) if len(years) == 1 else None


def _year_of_first_full_date(text: str) -> int | None:
    for match in _AFTER_YEAR.finditer(text):
        year = _YEAR_BEFORE.search(text, max(0, match.start() - 8), match.start())
        if year:
            return int(year.group(1))
    return None


def _parts(match: re.Match[str]) -> tuple[int | None, int, int]:
    year = match.group("year")
    return (int(year) if year else None, int(match.group("month")), int(match.group("day")))


def _from_epoch(seconds: float) -> str | None:
    if abs(seconds) < _EARLIEST_EPOCH:
        return None
    if abs(seconds) >= _MILLISECONDS_FROM:
        seconds /= 1000
    try:
        moment = datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return _iso(moment.year, moment.month, moment.day, moment.hour, moment.minute)


def _iso(
    year: int, month: int, day: int, hour: int | None = None, minute: int | None = None
) -> str | None:
    """The ISO form of a real calendar date (time only when one was given), else None."""
    if not _FIRST_YEAR <= year <= _LAST_YEAR:
        return None
    try:
        moment = datetime(year, month, day, hour or 0, minute or 0)
    except ValueError:
        return None
    if hour is None:
        return moment.strftime("%Y-%m-%d")
    return moment.strftime("%Y-%m-%dT%H:%M")


def _int_or_none(text: str | None) -> int | None:
    return int(text) if text else None
