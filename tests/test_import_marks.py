"""export → import keeps read and starred: the export carries them, the importers read them back."""

from __future__ import annotations

import pytest

from newstui.store.ingest.formats import jsonl, table
from newstui.store.ingest.formats.records import RawRecord
from newstui.store.ingest.pipeline import import_sources
from newstui.store.records.db import Store
from newstui.tui.cli import main


@pytest.fixture
def marked_store(sample_store_path):
    store = Store(sample_store_path)
    ids = [entry.id for entry in store.entries()]
    store.set_flags(ids[0], read=True)
    store.set_flags(ids[1], starred=True)
    store.set_flags(ids[2], read=True, starred=True)
    store.close()
    return sample_store_path, ids


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_export_then_import_keeps_read_and_starred(marked_store, tmp_path, fmt):
    path, ids = marked_store
    exported = tmp_path / f"all.{fmt}"
    assert main(["export", "--format", fmt, "-o", str(exported), "--db", str(path)]) == 0
    copy = Store(tmp_path / "copy.json")
    import_sources(copy, [str(exported)], workers=1)
    assert len(copy) == 10
    assert copy.flagged() == ({ids[0], ids[2]}, {ids[1], ids[2]})


def test_marks_are_set_on_articles_already_stored_and_never_cleared(marked_store, tmp_path):
    path, ids = marked_store
    exported = tmp_path / "all.jsonl"
    assert main(["export", "-o", str(exported), "--db", str(path)]) == 0
    store = Store(path)
    store.set_flags(ids[0], read=False)  # unread since the export: the export's mark comes back
    store.set_flags(ids[5], read=True)  # read since: an old export does not unread it
    import_sources(store, [str(exported)], workers=1)
    read, starred = store.flagged()
    assert read == {ids[0], ids[2], ids[5]} and starred == {ids[1], ids[2]}


def _records(parsed) -> list[RawRecord]:
    return [item for item in parsed if isinstance(item, RawRecord)]


def test_the_importers_read_marks_as_json_and_spreadsheets_write_them():
    lines = b'{"title": "a", "body": "x", "read": true, "starred": 1}\n{"title": "b", "body": "y"}\n'
    first, second = _records(jsonl.parse(lines, origin="m.jsonl"))
    assert (first.read, first.starred, second.read, second.starred) == (True, True, False, False)
    rows = b"title,body,is_read,favorite\na,x,TRUE,no\nb,y,False,yes\n"
    first, second = _records(table.parse(rows, origin="m.csv"))
    assert (first.read, first.starred, second.read, second.starred) == (True, False, False, True)


def test_an_unread_column_means_the_opposite():
    rows = b"title,body,unread\na,x,true\nb,y,false\n"
    first, second = _records(table.parse(rows, origin="m.csv"))
    assert (first.read, second.read) == (False, True)
