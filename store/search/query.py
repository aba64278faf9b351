"""The search box's query language, parsed into plain data.

``深度学习 "exact phrase" -exclude title:商汤 source:新华社 after:2018-09-01 before:2018-10
is:unread is:starred``. Words AND together; a leading ``-`` excludes; ``title:`` restricts a
word to titles. An incomplete query while typing (an open quote, a bare ``title:``) is not an
error; a filter that cannot mean anything (``after:notadate``, ``is:blue``) is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

SORTS = ("date", "relevance", "title")  # the orders a search or a listing can be in


class QueryError(ValueError):
    """A query that cannot be run, with a one-line message for the user."""


@dataclass(frozen=True, slots=True)
class Term:
    text: str  # as typed, not folded
    phrase: bool = False  # quoted: matched literally, no typo/pinyin/prefix expansion
    title_only: bool = False
    negated: bool = False


@dataclass(frozen=True, slots=True)
class Query:
    terms: tuple[Term, ...] = ()
    sources: tuple[str, ...] = ()  # any of these (substring of the source, case-insensitive)
    after: str | None = None  # ISO date, inclusive
    before: str | None = None  # ISO date, exclusive
    read: bool | None = None  # is:read / is:unread
    starred: bool | None = None  # is:starred / is:unstarred

    @property
    def positive(self) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if not t.negated)

    @property
    def negative(self) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if t.negated)


# A token: optional "-", optional "field:", then a quoted string (closed or still open) or a word.
_TOKEN = re.compile(r'(-?)(?:([A-Za-z]+):)?(?:"([^"]*)"?|(\S*))')
_DATE = re.compile(r"(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?$")
_FLAGS = ("unread", "read", "starred", "unstarred")


def parse_query(text: str) -> Query:
    """Parse a query string; raise QueryError for a filter that makes no sense."""
    terms: list[Term] = []
    sources: list[str] = []
    after = before = None
    flags: list[str] = []
    for match in _TOKEN.finditer(text):
        if not match.group():
            continue
        minus, name, quoted, bare = match.groups()
        value = quoted if quoted is not None else bare
        key = (name or "").lower()
        if key in ("after", "before"):
            if not value:
                continue
            iso = _parse_date(value, key)
            after, before = (iso, before) if key == "after" else (after, iso)
        elif key == "source":
            if value:
                sources.append(value.lower())
        elif key == "is":
            if not value:
                continue
            flag = value.lower()
            if flag not in _FLAGS:
                raise QueryError(
                    f"is:{value}: expected is:unread, is:read, is:starred or is:unstarred"
                )
            flags.append(flag)
        elif key == "title" or not name:
            if value:
                terms.append(
                    Term(value, phrase=quoted is not None, title_only=key == "title", negated=bool(minus))
                )
        else:
            # An unknown "word:" is just text (e.g. "AI:"), searched as typed.
            terms.append(Term(match.group().lstrip("-"), negated=bool(minus)))
    return Query(
        terms=tuple(terms),
        sources=tuple(sources),
        after=after,
        before=before,
        read=_last_flag(flags, "read", "unread"),
        starred=_last_flag(flags, "starred", "unstarred"),
    )


def _last_flag(flags: list[str], yes: str, no: str) -> bool | None:
    """The last of is:yes / is:no given wins; None when neither was."""
    for flag in reversed(flags):
        if flag in (yes, no):
            return flag == yes
    return None


def _parse_date(value: str, key: str) -> str:
    """'2018', '2018-09', '2018-9-1' or '2018/09/01' → ISO, checked to be a real date."""
    match = _DATE.match(value)
    if match is None:
        raise QueryError(f"{key}:{value}: expected a date like 2018-09-01")
    year, month, day = int(match[1]), int(match[2] or 1), int(match[3] or 1)
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        raise QueryError(f"{key}:{value}: no such date") from None
