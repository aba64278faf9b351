"""The `newstui` command as a user runs it: in a pipe, in a fresh HOME, on the sample."""

from __future__ import annotations

import csv
import io

import orjson
import pytest

DELOITTE_TITLE = "商汤科技与德勤签署战略合作协议 开启人工智能领域多项深度合作"


def json_out(result) -> list | dict:
    assert result.returncode == 0, result.stderr.decode()
    return orjson.loads(result.stdout)


def test_version(run_newstui_process):
    result = run_newstui_process("--version")
    assert result.returncode == 0
    assert result.stdout.decode().startswith("newstui ")


def test_help_lists_the_subcommands(run_newstui):
    out = run_newstui("--help").stdout.decode()
    for command in ("import", "list", "search", "show", "stats", "export", "summarize", "serve"):
        assert command in out


def test_first_run_on_an_empty_home_uses_the_sample(run_newstui_process, isolated_home):
    result = run_newstui_process("list", "--json")
    rows = json_out(result)
    assert len(rows) == 10
    assert result.stderr == b""  # no warnings (jieba's pkg_resources one included)
    assert list((isolated_home / ".local" / "share" / "newstui").glob("newstui.json"))


def test_importing_the_seed_twice_gives_ten_articles(run_newstui, tmp_path, sample_file):
    db = str(tmp_path / "news.json")
    first = run_newstui("import", str(sample_file), "--db", db)
    assert first.returncode == 0, first.stderr.decode()
    assert "10 added" in first.stdout.decode()
    second = run_newstui("import", str(sample_file), "--db", db)
    assert "0 added, 10 already stored" in second.stdout.decode()
    assert len(json_out(run_newstui("list", "--json", "--db", db))) == 10


def test_search_for_deloitte_returns_that_article_first(run_newstui):
    rows = json_out(run_newstui("search", "德勤", "--json"))
    assert rows[0]["title"] == DELOITTE_TITLE
    assert {"id", "title", "date", "source", "score"} <= set(rows[0])


def test_search_with_no_match_prints_nothing_and_exits_0(run_newstui):
    result = run_newstui("search", "完全不存在的词语组合xyzzy")
    assert (result.returncode, result.stdout, result.stderr) == (0, b"", b"")


def test_list_limit_and_plain_text_in_a_pipe(run_newstui):
    result = run_newstui("list", "--limit", "3")
    lines = result.stdout.decode().splitlines()
    assert len(lines) == 3
    assert "\x1b" not in result.stdout.decode()


def test_show_prints_title_summary_and_body(run_newstui):
    article = json_out(run_newstui("search", "德勤", "--json", "--limit", "1"))[0]
    out = run_newstui("show", article["id"][:8]).stdout.decode()
    assert out.splitlines()[0] == DELOITTE_TITLE
    assert "Summary:" in out and "曾顺福" in out


def test_show_json_has_the_body(run_newstui):
    article = json_out(run_newstui("list", "--json", "--limit", "1"))[0]
    shown = json_out(run_newstui("show", article["id"], "--json"))
    assert shown["id"] == article["id"] and len(shown["body"]) > 100


def test_show_unknown_id_is_a_one_line_error(run_newstui):
    result = run_newstui("show", "zzzz")
    assert result.returncode == 1
    assert result.stderr.decode() == "newstui: no article with id 'zzzz'\n"


def test_stats_counts_the_sample(run_newstui):
    stats = json_out(run_newstui("stats", "--json"))
    assert stats["articles"] == 10 and stats["languages"] == {"zh": 10}


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_export_round_trips_through_import(run_newstui, tmp_path, fmt):
    exported = tmp_path / f"out.{fmt}"
    assert run_newstui("export", "--format", fmt, "-o", str(exported)).returncode == 0
    db = str(tmp_path / "copy.json")
    result = run_newstui("import", str(exported), "--db", db)
    assert result.returncode == 0, result.stderr.decode()
    original = {r["id"]: r for r in json_out(run_newstui("list", "--json"))}
    copied = {r["id"]: r for r in json_out(run_newstui("list", "--json", "--db", db))}
    assert original.keys() == copied.keys()
    for key in original:
        for field in ("title", "date", "source", "url"):
            assert original[key][field] == copied[key][field]


def test_export_csv_has_a_header_and_ten_rows(run_newstui):
    out = run_newstui("export", "--format", "csv").stdout.decode()
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 10 and rows[0]["body"]


def test_summarize_reads_stdin(run_newstui):
    text = "商汤科技今天宣布与德勤合作。双方将在人工智能领域展开合作。天气很好。".encode()
    result = run_newstui("summarize", "-", input=text)
    assert result.returncode == 0
    assert "商汤科技今天宣布与德勤合作。" in result.stdout.decode()


def test_summarize_gives_the_sentences_asked_for_and_more_never_fewer(capsys, sample_store, tmp_path):
    from newstui.tui.cli import main

    (entry,) = [e for e in sample_store.entry_list(sample_store.ordered_ids()) if e.title == DELOITTE_TITLE]
    article = tmp_path / "deloitte.txt"
    article.write_text(sample_store.get(entry.id).body, encoding="utf-8")
    shown = {}
    for count in (1, 2, 3, 5, 8):
        assert main(["summarize", "--sentences", str(count), str(article)]) == 0
        shown[count] = capsys.readouterr().out.splitlines()
        assert len(shown[count]) == count
    for fewer, more in ((1, 2), (2, 3), (3, 5), (5, 8)):
        assert set(shown[fewer]) <= set(shown[more])


def test_summarize_chars_cuts_long_sentences_at_a_clause(capsys, tmp_path):
    from newstui.tui.cli import main

    article = tmp_path / "a.txt"
    article.write_text("本市今天开通首条无人驾驶地铁线路，全长三十二公里，设站二十座。市民体验。", "utf-8")
    assert main(["summarize", "--sentences", "1", "--chars", "20", str(article)]) == 0
    assert capsys.readouterr().out == "本市今天开通首条无人驾驶地铁线路…\n"


def test_missing_import_file_is_a_one_line_error(run_newstui, tmp_path):
    result = run_newstui("import", str(tmp_path / "nope.tsv"), "--db", str(tmp_path / "db.json"))
    assert result.returncode == 1
    err = result.stderr.decode()
    assert err.count("\n") == 1 and "nope.tsv" in err and "Traceback" not in err


def test_usage_error_exits_2(run_newstui):
    assert run_newstui("list", "--limit", "zero").returncode == 2


def test_corrupt_store_is_reported_and_not_overwritten(run_newstui, tmp_path):
    db = tmp_path / "news.json"
    db.write_bytes(b'{"articles": {"abc": {"title": "x"')
    result = run_newstui("list", "--db", str(db))
    assert result.returncode == 1
    assert "store file is corrupt" in result.stderr.decode()
    assert db.read_bytes() == b'{"articles": {"abc": {"title": "x"'


@pytest.mark.parametrize("where", ["before", "after"])
def test_db_flag_works_before_or_after_the_command(run_newstui, tmp_path, sample_file, where):
    db = str(tmp_path / "news.json")
    run_newstui("import", str(sample_file), "--db", db)
    args = ("--db", db, "stats", "--json") if where == "before" else ("stats", "--json", "--db", db)
    assert json_out(run_newstui(*args))["path"] == db
