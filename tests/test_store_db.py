"""The TinyDB store: round trips, dedup, atomic writes, corrupt files, flags."""

from __future__ import annotations

import os

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from newstui.store.records.db import CorruptStoreError, Store, StoreError
from newstui.store.records.models import Article


def make_articles(n: int, prefix: str = "标题") -> list[Article]:
    return [
        Article(id=f"{i:016x}", title=f"{prefix}{i}", body=f"第{i}段。\n第二段。",
                date=f"2018-09-{i % 28 + 1:02d}")
        for i in range(n)
    ]


def test_added_articles_come_back_with_their_bodies(tmp_path):
    store = Store(tmp_path / "news.json")
    store.add(make_articles(3))
    reopened = Store(tmp_path / "news.json")
    article = reopened.get(f"{1:016x}")
    assert article is not None
    assert (article.title, article.body, article.date) == ("标题1", "第1段。\n第二段。", "2018-09-02")
    assert article.chars == len(article.body)


def test_entries_are_newest_first_with_undated_last(tmp_path):
    store = Store(tmp_path / "news.json")
    store.add([*make_articles(3), Article(id="f" * 16, title="无日期", body="x")])
    assert [e.title for e in store.entries()] == ["标题2", "标题1", "标题0", "无日期"]


def test_adding_the_same_articles_again_adds_nothing(tmp_path):
    store = Store(tmp_path / "news.json")
    assert store.add(make_articles(5)).added == 5
    again = store.add(make_articles(5))
    assert (again.added, again.duplicates) == (0, 5)
    assert len(Store(tmp_path / "news.json")) == 5


def test_catalogue_is_utf8_not_escaped(tmp_path):
    store = Store(tmp_path / "news.json")
    store.add(make_articles(1))
    raw = (tmp_path / "news.json").read_bytes()
    assert "标题0".encode() in raw and b"\\u" not in raw


def test_bodies_are_kept_out_of_the_catalogue(tmp_path):
    store = Store(tmp_path / "news.json")
    store.add(make_articles(2))
    assert "第二段".encode() not in (tmp_path / "news.json").read_bytes()


def test_flags_persist_across_reopen(tmp_path):
    store = Store(tmp_path / "news.json")
    store.add(make_articles(2))
    store.set_flags(f"{0:016x}", read=True)
    store.set_flags(f"{1:016x}", starred=True)
    reopened = Store(tmp_path / "news.json")
    assert (reopened.entry(f"{0:016x}").read, reopened.entry(f"{0:016x}").starred) == (True, False)
    assert (reopened.entry(f"{1:016x}").read, reopened.entry(f"{1:016x}").starred) == (False, True)


def test_a_second_store_object_sees_writes_of_the_first(tmp_path):
    first, second = Store(tmp_path / "news.json"), Store(tmp_path / "news.json")
    first.add(make_articles(2))
    assert second.changed_on_disk()
    assert len(second) == 2


def test_crash_during_write_leaves_the_old_file_loadable(tmp_path, monkeypatch):
    store = Store(tmp_path / "news.json")
    store.add(make_articles(3))
    before = (tmp_path / "news.json").read_bytes()

    def crash(*_args):
        raise KeyboardInterrupt  # what a kill looks like from inside: the rename never happens

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        store.add(make_articles(6, prefix="新"))
    monkeypatch.undo()
    assert (tmp_path / "news.json").read_bytes() == before
    reopened = Store(tmp_path / "news.json")
    assert len(reopened) == 3
    assert not list(tmp_path.glob(".*.tmp"))


def test_failed_write_does_not_leave_stale_cache(tmp_path, monkeypatch):
    store = Store(tmp_path / "news.json")
    store.add(make_articles(1))
    monkeypatch.setattr(os, "fsync", lambda _fd: (_ for _ in ()).throw(OSError("disk full")))
    with pytest.raises(OSError):
        store.add(make_articles(4, prefix="新"))
    monkeypatch.undo()
    assert len(store) == 1


def test_corrupt_catalogue_is_reported_and_left_untouched(tmp_path):
    path = tmp_path / "news.json"
    Store(path).add(make_articles(2))
    broken = path.read_bytes()[:-20]
    path.write_bytes(broken)
    with pytest.raises(CorruptStoreError, match=r"news\.json: store file is corrupt"):
        Store(path)
    assert path.read_bytes() == broken


def test_non_object_json_is_corrupt(tmp_path):
    path = tmp_path / "news.json"
    path.write_bytes(orjson.dumps([1, 2]))
    with pytest.raises(CorruptStoreError):
        Store(path)


def test_directory_as_store_path_is_an_error(tmp_path):
    with pytest.raises(StoreError, match="is a directory"):
        Store(tmp_path)


def test_summary_and_keywords_are_stored_with_the_body(tmp_path):
    article = Article(id="a" * 16, title="标题", body="正文。", summary=["一句。", "两句。"],
                      keywords=["商汤", "德勤"])
    Store(tmp_path / "news.json").add([article])
    stored = Store(tmp_path / "news.json").get("a" * 16)
    assert (stored.summary, stored.keywords) == (["一句。", "两句。"], ["商汤", "德勤"])
    assert "两句".encode() not in (tmp_path / "news.json").read_bytes()


def test_ordered_ids_match_entries_order(tmp_path):
    store = Store(tmp_path / "news.json")
    store.add([*make_articles(5), Article(id="f" * 16, title="无日期", body="x")])
    assert store.ordered_ids() == [e.id for e in store.entries()]


def test_a_big_batch_is_split_into_small_body_shards(tmp_path, monkeypatch):
    """Opening an article parses its shard, so shards stay small however big the commit."""
    monkeypatch.setattr("newstui.store.records.db.SHARD_ARTICLES", 4)
    store = Store(tmp_path / "news.json")
    store.add(make_articles(10))
    assert len(list((tmp_path / "news.json.bodies").glob("*.json"))) == 3
    reopened = Store(tmp_path / "news.json")
    assert all(reopened.get(f"{i:016x}").body.startswith(f"第{i}段") for i in range(10))


_CLEAN_TEXT = st.text(alphabet=st.characters(exclude_categories=("Cc", "Cs")), max_size=12)
_CATALOGUE_DOC = st.fixed_dictionaries({"date": st.none() | _CLEAN_TEXT, "imported_at": _CLEAN_TEXT})


@given(_CATALOGUE_DOC, _CATALOGUE_DOC)
def test_the_date_order_key_orders_like_dated_then_date_then_import_time(tmp_path_factory, first, second):
    store = Store(tmp_path_factory.mktemp("order") / "news.json")

    def reference(doc: dict) -> tuple[bool, str, str]:
        return (doc["date"] is not None, doc["date"] or "", doc["imported_at"])

    keys = store._date_key("a", first), store._date_key("b", second)
    assert (keys[0] < keys[1]) == (reference(first) < reference(second))
    assert (keys[0] == keys[1]) == (reference(first) == reference(second))


def test_removed_articles_leave_the_catalogue_their_shard_and_the_marks(tmp_path):
    store = Store(tmp_path / "news.json")
    store.add(make_articles(3))
    gone = f"{1:016x}"
    store.set_flags(gone, read=True)
    assert store.remove([gone, "e" * 16]) == 1  # one stored, one not
    reopened = Store(tmp_path / "news.json")
    assert [e.title for e in reopened.entries()] == ["标题2", "标题0"]
    assert gone not in reopened.flagged()[0]
    [shard] = (tmp_path / "news.json.bodies").glob("*.json")
    assert gone not in orjson.loads(shard.read_bytes())["bodies"]
    assert reopened.body(f"{2:016x}") == "第2段。\n第二段。"


def test_a_replacement_takes_over_the_marks_of_what_it_replaces(tmp_path):
    store = Store(tmp_path / "news.json")
    old, new = make_articles(2)
    store.add([old])
    store.set_flags(old.id, read=True, starred=True)
    store.add([new])
    store.remove([old.id], flags_to={old.id: new.id})
    entry = Store(tmp_path / "news.json").entry(new.id)
    assert (entry.read, entry.starred) == (True, True)


def test_removing_what_is_not_stored_writes_nothing(tmp_path):
    store = Store(tmp_path / "news.json")
    store.add(make_articles(1))
    version = store.version()
    assert store.remove(["f" * 16]) == 0
    assert store.version() == version
