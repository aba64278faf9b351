"""Store files that are valid JSON but not what newstui wrote: reported, never a traceback.

A store may be edited by hand, synced half-way or written by an older version; opening and
reading it must fail with CorruptStoreError (one line, the file named) or give well-typed articles.
"""

from __future__ import annotations

import contextlib

import orjson
import pytest

from newstui.store.records import doctor
from newstui.store.records.db import CorruptStoreError, Store
from newstui.store.records.entry_list import EntryList

GOOD_DOC = {"title": "标题", "date": "2018-09-26", "shard": "000001", "chars": 2}

WRONG_SHAPES = {
    "articles is a list": {"articles": []},
    "articles is a string": {"articles": "x"},
    "an article is a number": {"articles": {"a": 5}},
    "an article is a list": {"articles": {"a": ["title"]}},
    "a title is a number": {"articles": {"a": {**GOOD_DOC, "title": 7}}},
    "a date is a list": {"articles": {"a": {**GOOD_DOC, "date": ["2018"]}}},
    "a summary is a number": {"articles": {"a": {**GOOD_DOC, "summary": 3}}},
    "chars is a string": {"articles": {"a": {**GOOD_DOC, "chars": "many"}}},
    "shard is missing": {"articles": {"a": {"title": "标题"}}},
}


def read_everything(path) -> None:
    """Read the store as the commands and the browser do: CorruptStoreError, or well-typed articles."""
    try:
        store = Store(path)
        store.stats()
        articles = [store.get(entry.id) for entry in store.entries()] + list(store.articles())
    except CorruptStoreError as error:
        assert str(error).startswith(str(path.parent)) and "\n" not in str(error)
        return
    for article in articles:
        assert isinstance(article.title, str) and isinstance(article.body, str)
        assert isinstance(article.source, str) and isinstance(article.url, str)
        assert article.date is None or isinstance(article.date, str)
        assert all(isinstance(s, str) for s in [*article.summary, *article.keywords])
        assert type(article.chars) is int and type(article.read) is bool and type(article.starred) is bool


@pytest.mark.parametrize("document", WRONG_SHAPES.values(), ids=WRONG_SHAPES.keys())
def test_a_catalogue_of_the_wrong_shape_is_corrupt_not_a_crash(tmp_path, document):
    path = tmp_path / "news.json"
    path.write_bytes(orjson.dumps(document))
    read_everything(path)
    assert path.read_bytes() == orjson.dumps(document)


@pytest.mark.parametrize("document", WRONG_SHAPES.values(), ids=WRONG_SHAPES.keys())
def test_the_doctor_reports_what_the_store_rejects_and_repairs_it(tmp_path, document):
    path = tmp_path / "news.json"
    path.write_bytes(orjson.dumps(document))
    try:
        list(Store(path).articles())
        rejected = False
    except CorruptStoreError:
        rejected = True
    assert bool([p for p in doctor.check(path) if p.repairable]) == rejected
    doctor.repair(path)
    list(Store(path).articles())
    assert [p for p in doctor.check(path) if p.repairable] == []  # a missing body stays missing


def assert_well_typed_entry(entry) -> None:
    assert isinstance(entry.id, str) and isinstance(entry.title, str) and isinstance(entry.source, str)
    assert entry.date is None or isinstance(entry.date, str)
    assert type(entry.chars) is int and type(entry.read) is bool and type(entry.starred) is bool


@pytest.mark.parametrize("document", WRONG_SHAPES.values(), ids=WRONG_SHAPES.keys())
@pytest.mark.parametrize("reader", ["entries", "stats", "ordered_ids", "articles"])
def test_each_way_of_reading_a_wrong_shape_refuses_it_in_one_line_or_gives_typed_values(
    tmp_path, document, reader
):
    """A reader either refuses the malformed record with one line naming the file, or gives
    values of the types it promises (what it does not read, it need not check: the list's ids
    need no title). The list shows a malformed record as a damaged row and keeps the error."""
    path = tmp_path / "news.json"
    path.write_bytes(orjson.dumps(document))
    ids = set(document["articles"]) if isinstance(document["articles"], dict) else set()
    try:
        result = getattr(Store(path), reader)()
        if reader == "ordered_ids":
            assert sorted(result) == sorted(ids) and all(isinstance(i, str) for i in result)
        elif reader == "stats":
            assert result["articles"] == len(ids) and all(type(result[k]) is int for k in ("unread", "bytes"))
        else:
            for entry in result:
                assert_well_typed_entry(entry)
                assert reader != "articles" or isinstance(entry.body, str)
                if entry.title == EntryList.DAMAGED_TITLE:
                    assert result.damage.startswith(str(path)) and "\n" not in result.damage
    except CorruptStoreError as error:
        assert str(error).startswith(str(path)) and "\n" not in str(error)
    assert path.read_bytes() == orjson.dumps(document)  # read, never rewritten


@pytest.mark.parametrize(
    "state",
    [{"state": []}, {"state": {"a": 1}}, {"state": {"a": {"read": "yes"}}}],
    ids=["list", "number", "string flag"],
)
def test_a_state_file_of_the_wrong_shape_is_corrupt_not_a_crash(tmp_path, state):
    path = tmp_path / "news.json"
    path.write_bytes(orjson.dumps({"articles": {"a": GOOD_DOC}}))
    path.with_name("news.json.state.json").write_bytes(orjson.dumps(state))
    read_everything(path)


@pytest.mark.parametrize("shard", [{"bodies": []}, {"bodies": {"a": "text"}}, {"bodies": {"a": {"body": 5}}}],
                         ids=["list", "string", "number body"])
def test_a_body_shard_of_the_wrong_shape_is_corrupt_not_a_crash(tmp_path, shard):
    path = tmp_path / "news.json"
    path.write_bytes(orjson.dumps({"articles": {"a": GOOD_DOC}}))
    (tmp_path / "news.json.bodies").mkdir()
    (tmp_path / "news.json.bodies" / "000001.json").write_bytes(orjson.dumps(shard))
    read_everything(path)


def test_a_shard_name_that_escapes_the_bodies_folder_is_corrupt(tmp_path):
    secret = tmp_path / "secret.json"
    secret.write_bytes(orjson.dumps({"bodies": {"a": {"body": "not yours"}}}))
    path = tmp_path / "store" / "news.json"
    path.with_name("news.json.bodies").mkdir(parents=True)
    path.write_bytes(orjson.dumps({"articles": {"a": {**GOOD_DOC, "shard": "../../secret"}}}))
    read_everything(path)
    with contextlib.suppress(CorruptStoreError):
        assert Store(path).body("a") != "not yours"
