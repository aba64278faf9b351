"""Articles for the known-item evaluation: each with the human-written text its queries come from.

``load_articles(paths)`` reads every ``--data PATH`` of ``relevance_eval.py``. A path may be:

- JSON Lines, or a JSON array, of objects: the text in ``article`` (or ``content``, ``text``,
  ``body``, ``document``, ``short_text``), the human summary in ``summary`` (or ``summarization``,
  ``highlights``, ``abstract``, ``reference``), an optional ``title`` or ``headline``;
- CSV or TSV with a header row naming the same fields;
- a folder: every ``.txt`` file under it is one article with its headline on the first line
  (the BBC News layout, ``business/001.txt``; a ``Summaries`` folder beside ``News Articles``
  holds machine-extracted sentences, not human summaries, and is skipped, as are README and
  LICENSE files); other files in it are read by their own format;
- anything else newstui imports (its TSV dump, feeds): headline and body, via newstui's importer.

An article with a summary has its queries made from the summary and is imported with its own
title, or none (newstui then derives one from the first sentence). An article with only a
headline has its queries made from the headline, and keeps it as its title, as an archive would.
Text is cleaned as ``newstui import`` cleans it, so the text queries are checked against is the
text that is indexed, and each article's key is the id newstui gives it. Duplicates (same id, or
the same body) are dropped: a known item must be one article.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from newstui.store.ingest.formats.decode import decode_bytes
from newstui.store.ingest.formats.detect import Source, parse_source
from newstui.store.ingest.formats.records import ImportFailure, RawRecord
from newstui.store.ingest.pipeline import article_from_record

ARTICLE_FIELDS = ("article", "content", "text", "body", "document", "short_text")
SUMMARY_FIELDS = ("summary", "summarization", "highlights", "abstract", "reference")
TITLE_FIELDS = ("title", "headline")
SKIPPED_FOLDERS = {"summaries", "summary"}
NOT_ARTICLES = ("readme", "license", "licence")  # notes kept beside the data


@dataclass(frozen=True, slots=True)
class EvalArticle:
    key: str  # the id newstui gives the article
    dataset: str  # the --data path it came from
    title: str  # as imported and indexed (derived from the body when the data has none)
    body: str
    reference: str  # the human-written summary or headline its queries are made from
    reference_kind: str  # "summary" | "headline"
    lang: str  # "zh" | "en" | "und", as newstui detects it

    @property
    def text(self) -> str:
        return self.title + "\n" + self.body


@dataclass(slots=True)
class LoadReport:
    """How many records each path gave, and how many were dropped and why."""

    read: Counter = field(default_factory=Counter)
    dropped: Counter = field(default_factory=Counter)


@dataclass(frozen=True, slots=True)
class _Record:
    title: str
    body: str
    summary: str


def load_articles(paths: list[Path], report: LoadReport | None = None) -> list[EvalArticle]:
    """Every usable article under the paths, in order, without duplicates."""
    report = report if report is not None else LoadReport()
    articles: list[EvalArticle] = []
    seen: set[str] = set()
    for path in paths:
        if not path.exists():
            raise ImportFailure(f"{path}: no such file or folder")
        for record in _records(path):
            report.read[str(path)] += 1
            article = _article(record, str(path))
            if article is None:
                report.dropped["no text or no summary"] += 1
                continue
            body_key = "".join(unicodedata.normalize("NFKC", article.body).casefold().split())
            if article.key in seen or body_key in seen:
                report.dropped["duplicate"] += 1
                continue
            seen.update((article.key, body_key))
            articles.append(article)
    return articles


def _article(record: _Record, dataset: str) -> EvalArticle | None:
    raw = RawRecord(title=record.title, body=record.body, date=None)
    article = article_from_record(raw)
    if article is None or not article.body:
        return None
    if record.summary.strip():
        reference, kind = record.summary.strip(), "summary"
    elif record.title.strip():
        reference, kind = article.title, "headline"
    else:
        return None
    return EvalArticle(article.id, dataset, article.title, article.body, reference, kind, article.lang)


def _records(path: Path) -> Iterator[_Record]:
    if path.is_dir():
        yield from _folder(path)
        return
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        yield from _json(path)
    elif suffix in (".csv", ".tsv") and (rows := _table(path)) is not None:
        yield from rows
    elif suffix == ".txt":
        yield _headline_file(path)
    else:
        yield from _newstui_records(path)


def _folder(folder: Path) -> Iterator[_Record]:
    for child in sorted(folder.iterdir()):
        if child.name.startswith("."):
            continue
        if child.is_dir():
            if child.name.lower() not in SKIPPED_FOLDERS:
                yield from _folder(child)
        elif child.name.lower().startswith(NOT_ARTICLES):
            continue
        elif child.suffix.lower() in (".txt", ".json", ".jsonl", ".ndjson", ".csv", ".tsv"):
            yield from _records(child)


def _text(path: Path) -> str:
    """UTF-8, GB18030 or Big5 as newstui reads them; else Windows-1252, which older English
    dumps use (the BBC set has a stray Latin-1 £)."""
    data = path.read_bytes()
    try:
        return decode_bytes(data, origin=str(path))
    except ImportFailure:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            raise ImportFailure(f"{path}: cannot decode: not UTF-8, GB18030, Big5 or Windows-1252") from None


def _headline_file(path: Path) -> _Record:
    """The BBC layout: the headline, then the body."""
    headline, _, body = _text(path).strip().partition("\n")
    return _Record(headline.strip(), body, "")


def _pick(row: dict, names: tuple[str, ...]) -> str:
    lowered = {str(key).strip().lower(): value for key, value in row.items()}
    for name in names:
        value = lowered.get(name)
        if isinstance(value, list):  # highlights as a list of sentences
            value = "\n".join(map(str, value))
        if isinstance(value, str) and value.strip():
            return value
    return ""


def _from_row(row: dict) -> _Record:
    return _Record(_pick(row, TITLE_FIELDS), _pick(row, ARTICLE_FIELDS), _pick(row, SUMMARY_FIELDS))


def _json(path: Path) -> Iterator[_Record]:
    text = _text(path).lstrip("\ufeff")
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            rows = json.loads(stripped)
        except json.JSONDecodeError as error:
            raise ImportFailure(f"{path}:{error.lineno}: not JSON ({error.msg})") from None
    else:
        rows = []
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as error:
                    raise ImportFailure(f"{path}:{number}: not JSON ({error.msg})") from None
    for row in rows:
        if isinstance(row, dict):
            yield _from_row(row)


def _table(path: Path) -> list[_Record] | None:
    """Rows of a CSV/TSV whose header names an article field; None for one without such a header."""
    text = _text(path).lstrip("\ufeff")
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if path.suffix.lower() == ".tsv" or "\t" in first_line else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = {name.strip().lower() for name in reader.fieldnames or ()}
    if not header & set(ARTICLE_FIELDS):
        return None
    return [_from_row(row) for row in reader]


def _newstui_records(path: Path) -> Iterator[_Record]:
    for item in parse_source(Source(str(path))):
        if isinstance(item, RawRecord):
            yield _Record(item.title, item.body, "")
