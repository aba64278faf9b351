"""Inputs at the limits: huge lines, huge titles, huge files, huge numbers of rows.

Each is imported (or refused with a clear message) with bounded memory, and the browser stays
usable. The full sizes are slow tests; the default run uses reduced ones of the same shape.
Peak memory is measured in a fresh process (its VmHWM), against a baseline import of
the ten-article sample in the same run.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

from benchmarks.corpus import write_jsonl
from newstui.store.ingest.formats.records import RawRecord
from newstui.store.ingest.pipeline import article_from_record, import_sources
from newstui.store.records.db import Store
from newstui.tui.config import Config

MB = 1024 * 1024
SENTENCE = "人工智能公司今天发布了新的研究成果。"  # 18 characters, 54 bytes in UTF-8
HUGE_TITLE = "标题" * 5000  # 10,000 characters
# Memory an import may use beyond the baseline: a few copies of the input, plus per-article
# bookkeeping (the catalogue is held in memory), plus a fixed allowance for caches.
MEMORY_PER_INPUT_BYTE = 3
MEMORY_PER_ARTICLE = 2048
MEMORY_FIXED = 64 * MB

# VmHWM, not getrusage's ru_maxrss: Linux carries ru_maxrss over fork and exec, so a child of a
# big pytest process reports the parent's size; VmHWM is this process's own peak.
_MEASURE = """
import re, sys
from pathlib import Path
from newstui.tui.cli import main
status = main(sys.argv[1:])
peak = re.search(r"VmHWM:\\s+(\\d+) kB", Path("/proc/self/status").read_text()).group(1)
print(f"peak_rss_kb={peak}", file=sys.stderr)
sys.exit(status)
"""


def import_measuring_memory(source: Path, db: Path) -> tuple[subprocess.CompletedProcess, int]:
    """`newstui import` in a fresh process (summaries in-process): its result and peak RSS in bytes."""
    result = subprocess.run(
        [sys.executable, "-c", _MEASURE, "import", str(source), "--db", str(db), "--workers", "1"],
        capture_output=True, text=True, timeout=3600,
    )
    peak = [line for line in result.stderr.splitlines() if line.startswith("peak_rss_kb=")]
    assert peak, result.stderr
    return result, int(peak[-1].split("=")[1]) * 1024


@pytest.fixture(scope="module")
def baseline_peak(tmp_path_factory, sample_file) -> int:
    result, peak = import_measuring_memory(sample_file, tmp_path_factory.mktemp("baseline") / "news.json")
    assert result.returncode == 0
    return peak


def assert_imported_with_bounded_memory(source: Path, db: Path, articles: int, baseline: int) -> None:
    result, peak = import_measuring_memory(source, db)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert len(Store(db)) == articles
    budget = MEMORY_PER_INPUT_BYTE * source.stat().st_size + MEMORY_PER_ARTICLE * articles + MEMORY_FIXED
    used = peak - baseline
    assert used <= budget, f"used {used / MB:.0f} MB over the baseline; the budget is {budget / MB:.0f} MB"


# -- one huge article ----------------------------------------------------------------------------------


def two_megabyte_body() -> str:
    return SENTENCE * (2 * MB // len(SENTENCE.encode()))


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "tsv"])
def test_a_two_megabyte_single_line_article_is_imported_whole(tmp_path, fmt):
    body = two_megabyte_body()
    source = tmp_path / f"huge.{fmt}"
    if fmt == "jsonl":
        source.write_bytes(orjson.dumps({"title": "超长文章", "body": body}) + b"\n")
    elif fmt == "csv":
        source.write_text(f"title,body\n超长文章,{body}\n", encoding="utf-8")
    else:
        source.write_text(f"超长文章\t{body}\n", encoding="utf-8")
    report = import_sources(Store(tmp_path / "news.json"), [str(source)], workers=1)
    assert (report.added, report.bad_rows, report.failures) == (1, 0, [])
    [article] = Store(tmp_path / "news.json").articles()
    assert article.body == body and 1 <= len(article.summary) <= 3


def test_a_ten_thousand_character_title_is_imported_and_listed(tmp_path, capsys):
    from newstui.tui.cli import main

    source = tmp_path / "title.jsonl"
    source.write_bytes(orjson.dumps({"title": HUGE_TITLE, "body": "正文很短。"}) + b"\n")
    db = str(tmp_path / "news.json")
    assert main(["import", str(source), "--db", db, "--workers", "1"]) == 0
    assert main(["list", "--db", db]) == 0
    listed = capsys.readouterr().out
    assert "标题标题" in listed and listed.count("\n") >= 1


def test_the_browser_stays_usable_with_a_huge_title_and_body(tmp_path):
    from newstui.tui.app import NewsApp

    db = tmp_path / "news.json"
    records = [RawRecord(HUGE_TITLE, two_megabyte_body(), "2030-01-02"),
               RawRecord("普通文章", "普通的正文。", "2030-01-01")]
    Store(db).add([article_from_record(record) for record in records])  # the browser's part only

    async def scenario() -> None:
        app = NewsApp(db, Config(cursor_blink=False))
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_for(pilot, lambda: len(app.article_list.entries) == 2)
            await pilot.press("enter")
            await wait_for(pilot, lambda: app.reader.body is not None)
            app.article_list.focus()
            await pilot.press("f")  # star it: the app still answers keys
            await wait_for(pilot, lambda: Store(db).entry(app.article_list.entries[0].id).starred)
            await pilot.press("j", "enter")
            await wait_for(pilot, lambda: app.reader.body == "普通的正文。")

    asyncio.run(scenario())


async def wait_for(pilot, condition, deadline_s: float = 60.0) -> None:
    deadline = time.monotonic() + deadline_s
    while not condition():
        assert time.monotonic() < deadline, "the browser did not answer in time"
        await pilot.pause(0.05)


# -- many rows, big files --------------------------------------------------------------------------------


def write_tiny_rows(path: Path, rows: int) -> Path:
    with open(path, "w", encoding="utf-8") as out:
        out.write("title,body\n")
        out.writelines(f"t{i},b{i}\n" for i in range(rows))
    return path


def test_many_tiny_rows_import_with_bounded_memory(tmp_path, baseline_peak):
    rows = 2_000
    source = write_tiny_rows(tmp_path / "tiny.csv", rows)
    assert_imported_with_bounded_memory(source, tmp_path / "news.json", rows, baseline_peak)


@pytest.mark.slow
def test_a_million_tiny_rows_import_with_bounded_memory(tmp_path, baseline_peak):
    rows = 1_000_000
    source = write_tiny_rows(tmp_path / "tiny.csv", rows)
    assert_imported_with_bounded_memory(source, tmp_path / "news.json", rows, baseline_peak)


def big_file(path: Path, megabytes: int) -> tuple[Path, int]:
    articles = megabytes * 1_000_000 // 7_600  # a synthetic article of 2,500 characters is ~7.6 kB
    write_jsonl(path, articles, chars=2500)
    return path, articles


def test_a_big_file_imports_with_bounded_memory(tmp_path, baseline_peak):
    source, articles = big_file(tmp_path / "big.jsonl", 1)
    assert_imported_with_bounded_memory(source, tmp_path / "news.json", articles, baseline_peak)


@pytest.mark.slow
def test_a_100_megabyte_file_imports_with_bounded_memory(tmp_path, baseline_peak):
    source, articles = big_file(tmp_path / "big.jsonl", 100)
    assert_imported_with_bounded_memory(source, tmp_path / "news.json", articles, baseline_peak)
