"""Several processes on one store: imports wait for the lock, never interleave, lose nothing."""

from __future__ import annotations

import asyncio
import re
import subprocess
import threading
import time

import orjson
import pytest
from cli_support import newstui_command
from filelock import FileLock

from benchmarks.corpus import synthetic_articles
from newstui.store.ingest.pipeline import import_sources
from newstui.store.records import doctor
from newstui.store.records.db import Store
from newstui.store.search.engine import OpenIndex
from newstui.store.search.searcher import search
from newstui.tui.config import Config

APP_DEADLINE_S = 10.0


def write_rows(path, rows) -> None:
    path.write_bytes(b"".join(orjson.dumps(row) + b"\n" for row in rows))


@pytest.fixture(scope="module")
def overlapping_files(tmp_path_factory):
    """Two JSONL files sharing 600 articles, and every title. Each needs two commits (of 1000 and
    500), so the two imports' commits can interleave."""
    folder = tmp_path_factory.mktemp("concurrent")
    rows = list(synthetic_articles(2400, chars=60, seed=11))
    write_rows(folder / "a.jsonl", rows[:1500])
    write_rows(folder / "b.jsonl", rows[900:])
    return folder / "a.jsonl", folder / "b.jsonl", [row["title"] for row in rows]


@pytest.fixture(scope="module")
def imported_at_once(tmp_path_factory, overlapping_files):
    """The two files imported by two `newstui import` processes started together."""
    first, second, _titles = overlapping_files
    db = tmp_path_factory.mktemp("concurrent-store") / "news.json"
    processes = [
        subprocess.Popen([*newstui_command(), "import", str(f), "--db", str(db), "--workers", "1"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for f in (first, second)
    ]
    outputs = [p.communicate(timeout=300) for p in processes]
    return db, [p.returncode for p in processes], outputs


def test_two_imports_at_once_both_complete(imported_at_once):
    _db, statuses, outputs = imported_at_once
    assert statuses == [0, 0], outputs


def test_two_imports_at_once_report_each_article_added_once(imported_at_once, overlapping_files):
    _db, _statuses, outputs = imported_at_once
    added = [int(re.search(rb"imported (\d+) articles", out).group(1)) for out, _err in outputs]
    assert sum(added) == len(overlapping_files[2])


def test_two_imports_at_once_lose_and_duplicate_nothing(imported_at_once, overlapping_files):
    db, _statuses, _outputs = imported_at_once
    store = Store(db)
    assert sorted(e.title for e in store.entries()) == sorted(overlapping_files[2])
    assert doctor.check(db) == []


def test_two_imports_at_once_both_reach_the_search_index(imported_at_once, overlapping_files):
    db, _statuses, _outputs = imported_at_once
    titles = overlapping_files[2]
    store = Store(db)
    for title in (titles[0], titles[-1]):  # only in the first file; only in the second
        hits = search(store, f'title:"{title}"', limit=5).hits
        assert title in [store.entry(hit.id).title for hit in hits]


def test_an_open_store_sees_an_import_from_another_process(sample_store_path, tmp_path, run_newstui):
    store = Store(sample_store_path)
    assert len(store) == 10 and not store.changed_on_disk()
    news = tmp_path / "news.jsonl"
    write_rows(news, [{"title": f"新闻{i}", "body": f"第{i}条新闻的正文。"} for i in range(5)])
    assert run_newstui("import", str(news), "--db", str(sample_store_path)).returncode == 0
    assert store.changed_on_disk()
    assert len(store) == 15 and {f"新闻{i}" for i in range(5)} <= {e.title for e in store.entries()}


def test_an_import_waits_while_another_process_holds_the_lock(sample_store_path, tmp_path):
    news = tmp_path / "news.jsonl"
    write_rows(news, [{"title": "等待锁", "body": "锁释放后才写入。"}])
    before = sample_store_path.read_bytes()
    errors: list[BaseException] = []

    def run_import() -> None:
        try:
            import_sources(Store(sample_store_path), [str(news)], workers=1)
        except BaseException as error:  # reported to the test thread
            errors.append(error)

    importer = threading.Thread(target=run_import)
    with FileLock(str(sample_store_path) + ".lock"):  # what a browser saving a flag holds
        importer.start()
        importer.join(timeout=1.0)  # long enough to parse and try to commit: it must be waiting
        assert importer.is_alive() and sample_store_path.read_bytes() == before
    importer.join(timeout=60)
    assert not importer.is_alive() and errors == []
    assert len(Store(sample_store_path)) == 11


def test_an_import_waits_with_a_message_while_another_process_writes_the_index(sample_store_path, tmp_path):
    news = tmp_path / "news.jsonl"
    write_rows(news, [{"title": "等待索引", "body": "索引的写入者走后才写入。"}])
    index = OpenIndex(Store(sample_store_path))
    writer = index.writer(wait=False)  # what another import holds while it runs
    assert writer is not None
    process = subprocess.Popen(
        [*newstui_command(), "import", str(news), "--db", str(sample_store_path), "--workers", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    first_line: list[bytes] = []
    reader = threading.Thread(target=lambda: first_line.append(process.stderr.readline()), daemon=True)
    reader.start()
    reader.join(timeout=60)
    try:
        assert first_line and b"waiting for another newstui process" in first_line[0]
        assert process.poll() is None and len(Store(sample_store_path)) == 10
    finally:
        writer.close()
        index.close()
    _out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert search(Store(sample_store_path), "等待索引").total == 1


def test_flags_saved_during_an_import_are_all_kept(sample_store_path, tmp_path):
    news = tmp_path / "news.jsonl"
    write_rows(news, synthetic_articles(300, chars=300, seed=12))
    store = Store(sample_store_path)
    ids = sorted(store.ids())
    process = subprocess.Popen(
        [*newstui_command(), "import", str(news), "--db", str(sample_store_path), "--workers", "1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    for round_ in range(3):  # a reader's pace, not a lock-hogging loop
        for article_id in ids:
            store.set_flags(article_id, read=round_ % 2 == 0, starred=True)
    assert process.poll() is None, "the import ended before the flags were saved: use a bigger file"
    assert process.wait(timeout=300) == 0
    reopened = Store(sample_store_path)
    assert len(reopened) == 310
    assert all(reopened.entry(i).starred and reopened.entry(i).read for i in ids)


# -- the browser ---------------------------------------------------------------------------------


async def wait_for(pilot, condition, deadline_s: float = APP_DEADLINE_S) -> None:
    deadline = time.monotonic() + deadline_s
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.05)


def test_the_browser_notices_articles_imported_while_it_is_open(sample_store_path):
    from newstui.tui.app import NewsApp

    async def scenario() -> None:
        app = NewsApp(sample_store_path, Config(cursor_blink=False))
        async with app.run_test(size=(120, 30)) as pilot:
            await wait_for(pilot, lambda: len(app.article_list.entries) == 10)
            other = Store(sample_store_path)  # another process's view of the same files
            other.add([_article("导入于浏览期间", "浏览器打开时导入的文章。")])
            await wait_for(pilot, lambda: "导入于浏览期间" in [e.title for e in app.article_list.entries])
            assert len(app.article_list.entries) == 11

    asyncio.run(scenario())


def test_the_browser_search_finds_articles_an_import_adds_while_it_is_open(sample_store_path, tmp_path):
    from newstui.tui.app import NewsApp

    news = tmp_path / "news.jsonl"
    write_rows(news, [{"title": "孙悟空大闹天宫", "body": "浏览器打开时另一进程导入的文章。"}])

    async def scenario() -> None:
        app = NewsApp(sample_store_path, Config(cursor_blink=False))
        async with app.run_test(size=(120, 30)) as pilot:
            await wait_for(pilot, lambda: app.index_ready.is_set() and len(app.article_list.entries) == 10)
            await pilot.press("slash", *"孙悟空")
            await wait_for(pilot, lambda: len(app.article_list.entries) < 10)
            importer = threading.Thread(target=import_sources, args=(Store(sample_store_path), [str(news)]),
                                        kwargs={"workers": 1})
            importer.start()  # holds the index's writer: the browser cannot catch up by itself
            await wait_for(pilot, lambda: [e.title for e in app.article_list.entries] == ["孙悟空大闹天宫"])
            importer.join()

    asyncio.run(scenario())


def _article(title: str, body: str):
    from newstui.store.ingest.formats.records import RawRecord
    from newstui.store.ingest.pipeline import article_from_record

    return article_from_record(RawRecord(title, body, "2030-01-01"))
