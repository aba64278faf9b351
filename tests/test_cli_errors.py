"""Every user-facing error: one line on stderr naming the file, line or option; exit 1 (2 for usage).

Most run ``main()`` in-process (an unexpected exception then fails the test with its traceback);
a few run the real command to check what reaches the user's terminal.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import orjson
import pytest
from filelock import FileLock

from newstui.store.records import layout
from newstui.tui.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """main(argv) → (exit status, stdout, stderr); usage errors exit through SystemExit."""
    try:
        status = main(list(argv))
    except SystemExit as exit_:
        status = exit_.code
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def assert_one_error_line(err: str, *expected_parts: str) -> str:
    assert err.endswith("\n") and err.count("\n") == 1, f"not one line: {err!r}"
    assert err.startswith("newstui: ") and not err.startswith("newstui: newstui:"), err
    assert "Traceback" not in err
    for part in expected_parts:
        assert part in err, f"{part!r} not in {err!r}"
    return err.rstrip("\n")


@pytest.fixture
def db(tmp_path) -> str:
    return str(tmp_path / "news.json")


@pytest.fixture
def sample_db(sample_store_path) -> str:
    return str(sample_store_path)


# -- usage errors: exit 2, the last line names the option ---------------------------------------


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (["list", "--limit", "0"], "--limit"),
        (["list", "--limit", "ten"], "--limit"),
        (["summarize", "--sentences", "0"], "--sentences"),
        (["export", "--format", "xml"], "--format"),
        (["import"], "PATH|URL"),
        (["frobnicate"], "frobnicate"),
        (["list", "--bogus"], "--bogus"),
        (["serve", "--port", "http"], "--port"),
    ],
)
def test_usage_error_exits_2_naming_the_option(capsys, argv, named):
    status, out, err = run(capsys, *argv)
    assert status == 2 and out == ""
    last = err.rstrip("\n").splitlines()[-1]
    assert last.startswith("newstui") and "error:" in last and named in last, err


# -- import ------------------------------------------------------------------------------------


def test_importing_a_missing_file_names_it(capsys, tmp_path, db):
    missing = tmp_path / "nope.tsv"
    status, out, err = run(capsys, "import", str(missing), "--db", db)
    assert status == 1 and out == ""
    assert assert_one_error_line(err) == f"newstui: no such file: {missing}"


def test_importing_a_binary_file_says_it_is_not_text(capsys, tmp_path, db):
    picture = tmp_path / "photo.csv"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    status, _out, err = run(capsys, "import", str(picture), "--db", db)
    assert status == 1
    assert assert_one_error_line(err) == f"newstui: {picture}: not a text file"


def test_importing_undecodable_text_names_the_line(capsys, tmp_path, db):
    broken = tmp_path / "broken.tsv"
    broken.write_bytes("标题\t正文\n".encode() * 3 + b"\xff\xfe\xfd\x80\x80\xff\n")
    status, _out, err = run(capsys, "import", str(broken), "--db", db)
    assert status == 1
    assert_one_error_line(err, f"{broken}:4:", "cannot decode")


def test_importing_an_unknown_format_says_what_is_expected(capsys, tmp_path, db):
    prose = tmp_path / "notes"
    prose.write_text("just some notes\nwithout any structure\n", encoding="utf-8")
    status, _out, err = run(capsys, "import", str(prose), "--db", db)
    assert status == 1
    assert_one_error_line(err, str(prose), "unrecognised format")


def test_a_bad_row_is_reported_by_line_and_the_rest_imports(capsys, tmp_path, db):
    rows = tmp_path / "rows.jsonl"
    good = orjson.dumps({"title": "好标题", "body": "好正文。"})
    rows.write_bytes(good + b"\n{not json\n" + orjson.dumps({"title": "又一篇", "body": "内容。"}) + b"\n")
    status, out, err = run(capsys, "import", str(rows), "--db", db)
    assert status == 0
    assert_one_error_line(err, f"{rows}:2:")
    assert f"{rows}: 2 added" in out


def test_a_folder_with_one_bad_file_imports_the_others(capsys, tmp_path, db, sample_file):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(sample_file, folder / "good.tsv")
    (folder / "bad.csv").write_bytes(b"\x00\x01\x02binary")
    status, out, err = run(capsys, "import", str(folder), "--db", db)
    assert status == 0
    assert_one_error_line(err, str(folder / "bad.csv"), "not a text file")
    assert "imported 10 articles" in out


def test_error_messages_never_carry_escape_sequences_from_a_file_name(capsys, tmp_path, db):
    hostile = tmp_path / "a\x1b]0;pwned\x07\x1b[2Jb.tsv"
    status, _out, err = run(capsys, "import", str(hostile), "--db", db)
    assert status == 1
    assert "\x1b" not in err and "\x07" not in err
    assert_one_error_line(err, "no such file")


# -- the store ---------------------------------------------------------------------------------


def test_a_directory_as_store_is_one_line(capsys, tmp_path):
    status, _out, err = run(capsys, "list", "--db", str(tmp_path))
    assert status == 1
    assert assert_one_error_line(err) == f"newstui: {tmp_path}: is a directory, expected a store file"


@pytest.mark.parametrize(
    "argv",
    [["list"], ["search", "商汤"], ["show", "abc"], ["stats"], ["export"], ["reindex"],
     ["import", "SAMPLE"]],
    ids=lambda argv: argv[0],
)
def test_every_command_on_a_corrupt_store_reports_it_with_a_hint_and_leaves_it(
    capsys, sample_db, sample_file, argv
):
    store_file = Path(sample_db)
    damaged = store_file.read_bytes()[:-25]
    store_file.write_bytes(damaged)
    argv = [str(sample_file) if a == "SAMPLE" else a for a in argv]
    status, out, err = run(capsys, *argv, "--db", sample_db)
    assert status == 1 and out == ""
    assert_one_error_line(err, sample_db, "newstui doctor")
    assert store_file.read_bytes() == damaged


def test_an_import_into_a_locked_store_is_one_line(capsys, tmp_path, sample_db, monkeypatch):
    monkeypatch.setattr(layout, "LOCK_TIMEOUT_S", 0.05)
    fresh = tmp_path / "fresh.jsonl"
    fresh.write_bytes(orjson.dumps({"title": "新文章", "body": "新内容。"}) + b"\n")
    with FileLock(sample_db + ".lock"):
        status, _out, err = run(capsys, "import", str(fresh), "--db", sample_db, "--workers", "1")
        assert run(capsys, "list", "--db", sample_db)[0] == 0  # reading needs no lock
    assert status == 1
    assert assert_one_error_line(err) == f"newstui: {sample_db}: another newstui process holds the store lock"


# -- reading -----------------------------------------------------------------------------------


def test_show_an_unknown_id_is_one_line(capsys, sample_db):
    status, _out, err = run(capsys, "show", "zzzz", "--db", sample_db)
    assert status == 1
    assert assert_one_error_line(err) == "newstui: no article with id 'zzzz'"


def test_show_an_ambiguous_prefix_asks_for_more(capsys, sample_db):
    status, _out, err = run(capsys, "show", "", "--db", sample_db)
    assert status == 1
    assert assert_one_error_line(err) == "newstui: id '' is ambiguous (10 articles); give more characters"


def test_a_search_with_an_impossible_date_names_the_filter(capsys, sample_db):
    status, out, err = run(capsys, "search", "after:2018-13-45", "--db", sample_db)
    assert status == 1 and out == ""
    assert assert_one_error_line(err) == "newstui: after:2018-13-45: no such date"


def test_export_to_a_missing_folder_names_the_file(capsys, sample_db, tmp_path):
    target = tmp_path / "no" / "such" / "out.jsonl"
    status, _out, err = run(capsys, "export", "-o", str(target), "--db", sample_db)
    assert status == 1
    assert_one_error_line(err, str(target))


# -- summarize ---------------------------------------------------------------------------------


def test_summarize_a_missing_file_names_it(capsys, tmp_path):
    status, _out, err = run(capsys, "summarize", str(tmp_path / "nope.txt"))
    assert status == 1
    assert assert_one_error_line(err) == f"newstui: no such file: {tmp_path / 'nope.txt'}"


def test_summarize_a_folder_names_it(capsys, tmp_path):
    status, _out, err = run(capsys, "summarize", str(tmp_path))
    assert status == 1
    assert_one_error_line(err, str(tmp_path))


def test_summarize_a_binary_file_says_it_is_not_text(capsys, tmp_path):
    binary = tmp_path / "x.bin"
    binary.write_bytes(b"\x7fELF" + bytes(300))
    status, _out, err = run(capsys, "summarize", str(binary))
    assert status == 1
    assert assert_one_error_line(err) == f"newstui: {binary}: not a text file"


# -- what reaches a real terminal --------------------------------------------------------------


def test_no_traceback_without_debug(run_newstui, sample_store_path):
    result = run_newstui("show", "zzzz", "--db", str(sample_store_path))
    assert result.returncode == 1
    assert result.stderr.decode() == "newstui: no article with id 'zzzz'\n"


def test_debug_shows_the_traceback(run_newstui_process, tmp_path):
    result = run_newstui_process("show", "zzzz", "--db", str(tmp_path / "news.json"), "--debug")
    assert result.returncode == 1
    assert "Traceback (most recent call last)" in result.stderr.decode()


def test_usage_error_exit_status_from_the_real_command(run_newstui_process):
    result = run_newstui_process("list", "--limit", "0")
    assert result.returncode == 2 and b"Traceback" not in result.stderr


# -- doctor ------------------------------------------------------------------------------------


def test_doctor_on_a_missing_store_says_so(capsys, tmp_path):
    missing = tmp_path / "nope.json"
    status, out, err = run(capsys, "doctor", "--db", str(missing))
    assert status == 1 and err == ""
    assert out == f"{missing}: no store file here\n"


def test_doctor_repair_on_a_missing_store_is_one_line(capsys, tmp_path):
    missing = tmp_path / "nope.json"
    status, _out, err = run(capsys, "doctor", "--repair", "--db", str(missing))
    assert status == 1
    assert assert_one_error_line(err) == f"newstui: {missing}: no store file here"


# -- the browser needs a terminal ----------------------------------------------------------------

NO_TERMINAL = ("newstui: the browser needs a terminal; for scripts use newstui list/search/show; "
               "over ssh use ssh -t\n")


@pytest.mark.parametrize("argv", [[], ["browse"]], ids=["default", "browse"])
def test_the_browser_without_a_terminal_exits_at_once_with_one_line(capsys, isolated_home, argv):
    status, out, err = run(capsys, *argv)
    assert (status, out, err) == (2, "", NO_TERMINAL)
    assert not list(isolated_home.rglob("newstui.json*"))  # it stopped before opening a store


def test_newstui_with_stdin_from_dev_null_exits_at_once(run_newstui_process):
    result = run_newstui_process(input=b"", timeout=20)  # the real command, stdin and stdout pipes
    assert (result.returncode, result.stdout, result.stderr.decode()) == (2, b"", NO_TERMINAL)


# -- the bundled sample goes only into the default store ----------------------------------------


@pytest.mark.parametrize("command", [["stats"], ["list"], ["search", "商汤"], ["export"],
                                     ["show", "abc"], ["reindex"]])
@pytest.mark.parametrize("named_by", ["--db", "NEWSTUI_DB"])
def test_a_missing_named_store_is_reported_and_never_made(capsys, tmp_path, monkeypatch, command, named_by):
    store = tmp_path / "NEW.json"
    if named_by == "--db":
        command = [*command, "--db", str(store)]
    else:
        monkeypatch.setenv("NEWSTUI_DB", str(store))
    status, out, err = run(capsys, *command)
    assert status == 1 and out == ""
    assert assert_one_error_line(err, str(store), "newstui import")
    assert list(tmp_path.iterdir()) == []


def test_importing_into_a_new_named_store_brings_no_sample(capsys, tmp_path):
    news = tmp_path / "mine.jsonl"
    news.write_bytes(orjson.dumps({"title": "我的文章", "body": "我的内容。"}) + b"\n")
    db = str(tmp_path / "NEW.json")
    assert run(capsys, "import", str(news), "--db", db, "--workers", "1")[0] == 0
    status, out, _err = run(capsys, "list", "--json", "--db", db)
    assert status == 0 and [row["title"] for row in orjson.loads(out)] == ["我的文章"]


def test_the_default_store_gets_the_sample_on_its_first_search(capsys, isolated_home):
    status, out, err = run(capsys, "search", "德勤", "--json")
    assert status == 0 and err == "" and orjson.loads(out)
    assert (isolated_home / ".local" / "share" / "newstui" / "newstui.json").exists()
