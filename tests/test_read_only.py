"""A store on a read-only file system still searches: nothing is written into it, and an index
that is behind (or missing) is caught up in a private directory elsewhere."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import orjson
import pytest

from newstui.store.records.db import Store
from newstui.store.records.models import Article
from newstui.store.search.searcher import Searcher, search


def _files(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*")}


@pytest.fixture
def read_only(tmp_path):
    """Makes a folder read-only: a read-only bind mount (as root, who ignores permissions), or
    permissions taken away otherwise. Yields a function: folder → its read-only path."""
    mounted: list[Path] = []

    def make(folder: Path) -> Path:
        if os.geteuid() != 0:
            for path in [folder, *folder.rglob("*")]:
                path.chmod(path.stat().st_mode & ~0o222)
            return folder
        view = tmp_path / f"read-only-{len(mounted)}"
        view.mkdir()
        bind, read_only_again = ["--bind", str(folder), str(view)], ["-o", "remount,bind,ro", str(view)]
        for arguments in (bind, read_only_again):
            command = ["mount", *arguments]
            if subprocess.run(command, capture_output=True).returncode != 0:
                subprocess.run(["umount", str(view)], capture_output=True)
                pytest.skip("cannot make a read-only mount here")
        mounted.append(view)
        return view

    yield make
    for view in mounted:
        subprocess.run(["umount", str(view)], check=True)


def test_search_works_on_a_read_only_store_and_writes_nothing(sample_store_path, read_only, run_newstui):
    folder = read_only(sample_store_path.parent)
    before = _files(folder)
    result = run_newstui("search", "德勤", "--json", "--db", str(folder / sample_store_path.name))
    assert result.returncode == 0, result.stderr
    assert orjson.loads(result.stdout)[0]["title"].startswith("商汤科技与德勤")
    assert _files(folder) == before


def test_an_index_behind_a_read_only_store_is_caught_up_elsewhere(sample_store_path, read_only):
    Store(sample_store_path).add([Article(id="a" * 16, title="只读之前加入", body="孙悟空的新闻。")])
    folder = read_only(sample_store_path.parent)
    before = _files(folder)
    searcher = Searcher(Store(folder / sample_store_path.name))
    searcher.load()
    assert [hit.id for hit in searcher.search("孙悟空").hits] == ["a" * 16]
    shadow = searcher._index.path
    searcher.close()
    assert _files(folder) == before and not shadow.exists()


def test_a_read_only_store_without_an_index_still_searches(sample_store_path, read_only):
    shutil.rmtree(Store(sample_store_path).index_dir)
    folder = read_only(sample_store_path.parent)
    assert search(Store(folder / sample_store_path.name), "德勤").total == 1
