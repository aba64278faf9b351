"""Choosing sources and importers: files, folders with junk, URLs, extensions and sniffing."""

from __future__ import annotations

import shutil
import tracemalloc
from pathlib import Path

import orjson
import pytest

from newstui.store.ingest.formats.detect import Source, expand_sources, format_of, parse_source
from newstui.store.ingest.formats.records import ImportFailure, RawRecord, RowError

FIXTURES = Path(__file__).parent / "fixtures" / "importers"
JSONL = orjson.dumps({"title": "甲", "content": "正文"}) + b"\n"


def titles(source: Source) -> list[str]:
    return [item.title for item in parse_source(source) if isinstance(item, RawRecord)]


def import_all(sources: list[Source]) -> tuple[dict[str, int], dict[str, str]]:
    """What the pipeline does: per-source counts, and failures reported without stopping."""
    counts: dict[str, int] = {}
    failures: dict[str, str] = {}
    for source in sources:
        name = Path(source.origin).name
        try:
            counts[name] = sum(isinstance(item, RawRecord) for item in parse_source(source))
        except ImportFailure as failure:
            failures[name] = str(failure)
    return counts, failures


def test_a_missing_path_fails_with_its_name(tmp_path):
    missing = str(tmp_path / "nope.tsv")
    with pytest.raises(ImportFailure) as failure:
        expand_sources([missing])
    assert str(failure.value) == f"no such file: {missing}"


def test_files_and_urls_are_kept_in_order_once_each(tmp_path):
    file = tmp_path / "a.jsonl"
    file.write_bytes(JSONL)
    url = "https://example.com/feed"
    sources = expand_sources([str(file), url, str(file), url])
    assert [s.origin for s in sources] == [str(file), url]
    assert [s.is_url for s in sources] == [False, True]


def test_a_folder_is_walked_recursively_skipping_hidden_entries(tmp_path):
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    for relative in ["b.jsonl", "sub/a.jsonl", "sub/deeper/c.tsv", ".git/config", ".hidden.tsv"]:
        (tmp_path / relative).write_bytes(JSONL)
    origins = [Path(s.origin).relative_to(tmp_path).as_posix() for s in expand_sources([str(tmp_path)])]
    assert origins == ["b.jsonl", "sub/a.jsonl", "sub/deeper/c.tsv"]


def test_junk_in_a_folder_fails_alone_and_the_rest_imports(tmp_path, sample_file):
    shutil.copy(sample_file, tmp_path / "seed.tsv")
    shutil.copy(FIXTURES / "rss2.xml", tmp_path / "feed.rss")
    (tmp_path / "news.jsonl").write_bytes(JSONL)
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "notes.md").write_text("# Notes\n\nJust some prose.\n")
    (tmp_path / "latin1.tsv").write_bytes("Café\tLa crème brûlée à Köln\n".encode("cp1252"))
    (tmp_path / "russian.txt").write_bytes("Привет, мир\tновости\n".encode("koi8-r"))
    (tmp_path / "empty.tsv").write_bytes(b"")
    counts, failures = import_all(expand_sources([str(tmp_path)]))
    assert counts == {"empty.tsv": 0, "feed.rss": 2, "latin1.tsv": 1, "news.jsonl": 1, "seed.tsv": 10}
    assert failures == {
        "russian.txt": f"{tmp_path / 'russian.txt'}:1: cannot decode: not UTF-8, GB18030, Big5, "
                       "Shift_JIS, EUC-JP or Windows-1252 text",
        "notes.md": f"{tmp_path / 'notes.md'}: unrecognised format (expected TSV, CSV with a "
                    "header, JSON, JSONL, RSS or Atom)",
        "photo.png": f"{tmp_path / 'photo.png'}: not a text file",
    }


def test_the_seed_dump_is_recognised_by_content_under_any_name(tmp_path, sample_file):
    renamed = tmp_path / "000_799ad008ec0ae64e.txt"
    shutil.copy(sample_file, renamed)
    assert len(titles(Source(str(renamed)))) == 10


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("a.tsv", b"{}", "tsv"),
        ("a.CSV", b"", "csv"),
        ("a.ndjson", b"", "json"),
        ("a.atom", b"", "feed"),
        ("https://example.com/rss.xml?page=2", b"", "feed"),
        ("a.txt", b"  \n[{\"title\": 1}]", "json"),
        ("a.txt", JSONL, "json"),
        ("a.txt", b"\xef\xbb\xbf<?xml version='1.0'?>\n<rss version='2.0'>", "feed"),
        ("a.txt", b"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'>", "feed"),
        ("feed", '<?xml version="1.0" encoding="ISO-8859-1"?><rss>caf\xe9'.encode("latin-1"),
         "feed"),
        ("feed", "<rss version='2.0'>".encode("utf-16"), "feed"),
        ("a.txt", "标题\t正文\n".encode("gbk"), "tsv"),
        ("a.txt", b"title;body\nx;y\n", "csv"),
        ("https://example.com/api/news", b"[]", "json"),
    ],
)
def test_format_by_extension_then_by_content(name, content, expected):
    assert format_of(name, content) == expected


def test_an_unreadable_file_fails_with_its_reason(tmp_path):
    folder = tmp_path / "dir.tsv"
    folder.mkdir()
    with pytest.raises(ImportFailure) as failure:
        list(parse_source(Source(str(folder))))
    assert str(failure.value) == f"{folder}: cannot read: Is a directory"


def test_a_file_removed_after_listing_fails_as_missing(tmp_path):
    gone = tmp_path / "gone.tsv"
    with pytest.raises(ImportFailure) as failure:
        list(parse_source(Source(str(gone))))
    assert str(failure.value) == f"no such file: {gone}"


def test_bad_rows_come_through_as_row_errors(tmp_path):
    file = tmp_path / "news.jsonl"
    file.write_bytes(JSONL + b"{oops\n" + JSONL)
    items = list(parse_source(Source(str(file))))
    assert [type(item) for item in items] == [RawRecord, RowError, RawRecord]


BODY = "9月3日，" + "商汤科技今天发布了新的人工智能平台。" * 100


@pytest.mark.parametrize(
    ("name", "row"),
    [
        ("big.tsv", f"商汤发布\t{BODY}\t\n"),
        ("big.jsonl", f'{{"title": "商汤发布", "content": "{BODY}"}}\n'),
        ("big.csv", f'商汤发布,"{BODY}"\n'),
    ],
    ids=["tsv", "jsonl", "csv"],
)
def test_line_formats_are_streamed_so_memory_does_not_grow_with_the_file(tmp_path, name, row):
    """Line-based input is read in chunks and never decoded into one string, not even for the
    second pass that looks for the file's year (every record here asks for it): parsing a file
    four times larger takes no more memory."""
    header = "title,body\n" if name.endswith(".csv") else ""
    peaks = []
    for size in (3_000_000, 12_000_000):
        path = tmp_path / f"{size}-{name}"
        path.write_bytes((header + row * (size // len(row.encode()))).encode("gbk"))
        tracemalloc.start()
        try:
            count = sum(1 for _ in parse_source(Source(str(path))))
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert count == path.read_bytes().count(b"\n") - (1 if header else 0)
        peaks.append(peak)
    assert peaks[1] < 1.3 * peaks[0] and peaks[1] < 12_000_000 / 3, peaks


# -- what is not a regular file, and folders that cannot be listed -----------------------------------


def import_folder_in_time(folder: Path, seconds: float = 20) -> tuple[dict[str, int], dict[str, str]]:
    """import_all over a folder in a thread, failing (instead of hanging) if it does not end."""
    import threading

    result: list = []
    worker = threading.Thread(target=lambda: result.append(import_all(expand_sources([str(folder)]))),
                              daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"importing {folder} did not end within {seconds} s"
    return result[0]


def test_a_fifo_and_links_to_devices_in_a_folder_are_skipped_with_the_reason(tmp_path):
    import os

    (tmp_path / "news.jsonl").write_bytes(JSONL)
    os.mkfifo(tmp_path / "pipe.jsonl")
    (tmp_path / "zero.tsv").symlink_to("/dev/zero")
    (tmp_path / "random.csv").symlink_to("/dev/urandom")
    (tmp_path / "gone.tsv").symlink_to(tmp_path / "nowhere")
    counts, failures = import_folder_in_time(tmp_path)
    assert counts == {"news.jsonl": 1}
    assert failures == {
        "pipe.jsonl": f"{tmp_path / 'pipe.jsonl'}: skipped: not a regular file (a named pipe (FIFO))",
        "zero.tsv": f"{tmp_path / 'zero.tsv'}: skipped: not a regular file "
                    "(a link to /dev/zero, a character device)",
        "random.csv": f"{tmp_path / 'random.csv'}: skipped: not a regular file "
                      "(a link to /dev/urandom, a character device)",
        "gone.tsv": f"{tmp_path / 'gone.tsv'}: skipped: a broken symbolic link",
    }


@pytest.mark.parametrize("special", ["/dev/zero", "/dev/urandom", "fifo"])
def test_a_special_file_named_directly_is_refused_at_once(tmp_path, special):
    import os

    if special == "fifo":
        special = str(tmp_path / "pipe.tsv")
        os.mkfifo(special)
    sources = expand_sources([special])
    with pytest.raises(ImportFailure, match="skipped: not a regular file"):
        list(parse_source(sources[0]))
    fifo_swapped_in = tmp_path / "swapped.tsv"  # a regular file when listed, a FIFO when opened
    os.mkfifo(fifo_swapped_in)
    with pytest.raises(ImportFailure, match="a named pipe"):
        list(parse_source(Source(str(fifo_swapped_in))))


def test_a_link_to_a_folder_is_reported_not_followed(tmp_path):
    inner = tmp_path / "elsewhere"
    inner.mkdir()
    (inner / "news.jsonl").write_bytes(JSONL)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "link").symlink_to(inner)
    _counts, failures = import_folder_in_time(tmp_path / "in")
    assert failures == {"link": f"{tmp_path / 'in' / 'link'}: skipped: a link to a folder "
                                "(links to folders are not followed)"}


def test_a_sub_folder_that_cannot_be_listed_is_reported(tmp_path, monkeypatch):
    """Root may list any folder, so the denial is made where listing happens (os.scandir)."""
    import os

    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "news.jsonl").write_bytes(JSONL)
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "hidden-from-us.jsonl").write_bytes(JSONL)
    real_scandir = os.scandir

    def scandir(path="."):
        if Path(path) == tmp_path / "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    counts, failures = import_folder_in_time(tmp_path)
    assert counts == {"news.jsonl": 1}
    assert failures == {"locked": f"{tmp_path / 'locked'}: cannot list the folder: Permission denied"}
