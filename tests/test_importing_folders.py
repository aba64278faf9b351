"""A folder of many small files: commits batched across files, each file's report still its own."""

from __future__ import annotations

from pathlib import Path

import orjson

from newstui.store.ingest.pipeline import import_sources
from newstui.store.records.db import Store
from newstui.store.search.searcher import search


def one_article_files(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for n in range(count):
        path = folder / f"{n:04d}.jsonl"
        article = {"title": f"第{n}号新闻", "content": f"第{n}篇正文，商汤科技发布消息。"}
        path.write_bytes(orjson.dumps(article) + b"\n")
        files.append(path)
    return files


def test_small_files_are_committed_together_not_one_shard_each(tmp_path):
    one_article_files(tmp_path / "in", 300)
    store = Store(tmp_path / "news.json")
    report = import_sources(store, [str(tmp_path / "in")], workers=1)
    assert report.added == 300 and len(store) == 300
    assert len(list(store.bodies_dir.glob("*.json"))) <= 2  # one commit (shards of 500 bodies)
    assert [f.added for f in report.files] == [1] * 300
    assert search(store, "第17号新闻").hits[0].id in store


def test_each_files_counts_stay_its_own_across_a_shared_batch(tmp_path):
    folder = tmp_path / "in"
    [first, second, *_] = one_article_files(folder, 3)
    (folder / "0001.jsonl").write_bytes(first.read_bytes() + second.read_bytes() + b"{oops\n")
    (folder / "0003-broken.csv").write_bytes(b"\x00\x01\x02binary")
    (folder / "0004-empty-row.jsonl").write_bytes(b'{"title": "", "content": ""}\n')
    store = Store(tmp_path / "news.json")
    report = import_sources(store, [str(folder)], workers=1)
    counts = {Path(f.origin).name: (f.added, f.duplicates, f.bad_rows, bool(f.failure)) for f in report.files}
    assert counts == {
        "0000.jsonl": (1, 0, 0, False),
        "0001.jsonl": (1, 1, 1, False),  # its copy of 0000 is a duplicate; line 3 is bad JSON
        "0002.jsonl": (1, 0, 0, False),
        "0003-broken.csv": (0, 0, 0, True),
        "0004-empty-row.jsonl": (0, 0, 1, False),
    }
    assert "0001.jsonl:3: invalid JSON" in report.files[1].errors[0]
    assert len(store) == 3
    again = import_sources(store, [str(folder)], workers=1)
    assert again.added == 0 and again.duplicates == 4
