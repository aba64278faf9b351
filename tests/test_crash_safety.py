"""Crash safety: SIGKILL during an import, and damaged store files checked and salvaged by the doctor."""

from __future__ import annotations

import contextlib
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import orjson
import pytest
from cli_support import newstui_command
from filelock import FileLock

from benchmarks.corpus import synthetic_articles, write_jsonl
from newstui.store.ingest.formats.records import RawRecord
from newstui.store.ingest.pipeline import article_from_record, import_sources
from newstui.store.records import doctor
from newstui.store.records.db import CorruptStoreError, Store, StoreError
from newstui.store.records.models import Article
from newstui.store.search.indexing import ImportIndex
from newstui.store.search.searcher import search

# ---------------------------------------------------------------------------------------------
# SIGKILL at random points of a large import
# ---------------------------------------------------------------------------------------------

FAST_CORPUS = (1500, 200)  # articles, characters each: two commits, of 1000 and 500
SLOW_CORPUS = (5000, 1500)
# What the progress line on a terminal says after each committed batch ("3,000 articles ·").
_PROGRESS_COUNT = re.compile(r"([\d,]+) articles ·")


def expected_ids(n: int, chars: int) -> list[str]:
    """The ids the pipeline gives the synthetic corpus, in file order."""
    ids = []
    for i, item in enumerate(synthetic_articles(n, chars)):
        article = article_from_record(RawRecord(item["title"], item["body"], item["date"], line=i + 1))
        ids.append(article.id)
    return ids


class ImportRun:
    """`newstui import` with stderr on a pseudo-terminal, so it draws the progress line the user sees."""

    def __init__(self, db: Path, corpus: Path) -> None:
        master, replica = os.openpty()
        self.process = subprocess.Popen(
            [*newstui_command(), "import", str(corpus), "--db", str(db)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=replica,
            start_new_session=True,  # its summary workers share its process group: kill them all
        )
        os.close(replica)
        self._master = master
        self._output: list[bytes] = []
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        while True:
            try:
                chunk = os.read(self._master, 4096)
            except OSError:  # EIO: every writer of the terminal has gone
                return
            if not chunk:
                return
            self._output.append(chunk)

    def finish_or_kill(self, deadline_s: float) -> int | None:
        """Wait up to deadline_s, then SIGKILL the whole process group: its exit status, or None."""
        try:
            status = self.process.wait(timeout=deadline_s)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            status = None
        with contextlib.suppress(ProcessLookupError):  # workers may outlive a killed parent
            os.killpg(self.process.pid, signal.SIGKILL)
        self._reader.join(timeout=30)
        os.close(self._master)
        return status

    def reported_committed(self) -> int:
        """The highest article count the progress line showed: all those are stored."""
        text = b"".join(self._output).decode("utf-8", errors="replace")
        return max((int(m.replace(",", "")) for m in _PROGRESS_COUNT.findall(text)), default=0)


@pytest.fixture(scope="module")
def fast_corpus(tmp_path_factory) -> tuple[Path, list[str], float]:
    """The corpus, its ids, and how long one uninterrupted import of it takes here."""
    folder = tmp_path_factory.mktemp("crash-corpus")
    n, chars = FAST_CORPUS
    corpus = write_jsonl(folder / "corpus.jsonl", n, chars)
    started = time.monotonic()
    assert ImportRun(folder / "reference.json", corpus).finish_or_kill(300) == 0
    return corpus, expected_ids(n, chars), time.monotonic() - started


def check_store_after_kill(db: Path, ids_in_file_order: list[str], committed: int) -> None:
    if not db.exists():  # killed before its first commit
        assert committed == 0
        return
    store = Store(db)  # must open: no CorruptStoreError
    stored = store.ids()
    assert set(ids_in_file_order[:committed]) <= stored, "an article reported committed is missing"
    assert stored <= set(ids_in_file_order)
    without_body = [i for i in stored if not store.body(i)]
    assert without_body == [], "a catalogued article lost its body"
    serious = [p for p in doctor.check(db) if "temporary file" not in p.message]
    assert serious == []


def kill_repeatedly(tmp_path: Path, corpus: Path, ids: list[str], full_import_s: float, kills: int) -> None:
    rng = random.Random(int(os.environ.get("NEWSTUI_CRASH_SEED", "8")))
    db = tmp_path / "news.json"
    for _ in range(kills):
        run = ImportRun(db, corpus)
        run.finish_or_kill(rng.uniform(0.0, full_import_s))
        check_store_after_kill(db, ids, run.reported_committed())
    rerun = ImportRun(db, corpus)
    assert rerun.finish_or_kill(300) == 0, "the rerun did not complete"
    assert rerun.reported_committed() == len(ids), "the progress line no longer reports commits"
    store = Store(db)
    assert sorted(store.ids()) == sorted(set(ids))
    assert len(store) == len(set(ids))
    for article_id in (ids[0], ids[len(ids) // 2], ids[-1]):  # the index was not left behind
        title = store.entry(article_id).title
        assert article_id in [hit.id for hit in search(store, f'title:"{title}"', limit=10).hits]


def test_sigkill_at_random_points_never_loses_a_committed_article(tmp_path, fast_corpus):
    corpus, ids, full_import_s = fast_corpus
    kill_repeatedly(tmp_path, corpus, ids, full_import_s, kills=3)


@pytest.mark.slow
def test_sigkill_many_times_during_a_large_import(tmp_path):
    n, chars = SLOW_CORPUS
    corpus = write_jsonl(tmp_path / "corpus.jsonl", n, chars)
    started = time.monotonic()
    assert ImportRun(tmp_path / "reference.json", corpus).finish_or_kill(600) == 0
    kill_repeatedly(tmp_path, corpus, expected_ids(n, chars), time.monotonic() - started, kills=25)


def test_an_import_cleans_up_temp_files_left_by_a_killed_writer(tmp_path, sample_file, run_newstui):
    db = tmp_path / "news.json"
    dead_pid = 4_194_305  # above Linux's largest pid: no such process can exist
    leftover = tmp_path / f".news.json.{dead_pid}.1.tmp"
    assert run_newstui("import", str(sample_file), "--db", str(db)).returncode == 0
    leftover.write_bytes(b'{"articles":{' + b"x" * 10_000)  # what a SIGKILL mid-write leaves
    news = tmp_path / "news.jsonl"
    news.write_bytes(orjson.dumps({"title": "新文章", "body": "下一次导入。"}) + b"\n")
    assert run_newstui("import", str(news), "--db", str(db)).returncode == 0
    assert not leftover.exists(), "temp files of dead writers pile up (each as big as the catalogue)"


# ---------------------------------------------------------------------------------------------
# The doctor: check and repair damaged files
# ---------------------------------------------------------------------------------------------


def make_articles(n: int, batch: int = 0) -> list[Article]:
    # Titles with quotes, backslashes and braces: salvage must not be fooled by JSON-looking text.
    return [
        Article(id=f"{batch:04x}{i:012x}", title=f'标题{i} "引" \\ {{"x":{{', body=f"正文{i}。\n第二段 {{}}",
                summary=[f"摘要{i}。"], keywords=["关键", "词"], date=f"2018-09-{i % 28 + 1:02d}")
        for i in range(n)
    ]


@pytest.fixture
def store_path(tmp_path) -> Path:
    path = tmp_path / "news.json"
    store = Store(path)
    store.add(make_articles(30, batch=1))
    store.add(make_articles(30, batch=2))
    store.set_flags(f"{1:04x}{3:012x}", read=True)
    store.close()
    return path


def entry_spans(raw: bytes, ids: list[str]) -> dict[str, tuple[int, int]]:
    """Where each article's "id":{…} entry starts and ends in a catalogue file."""
    spans = {}
    for article_id in ids:
        start = raw.index(f'"{article_id}":'.encode())
        end = raw.index(b"}", raw.index(b'"shard"', start)) + 1
        spans[article_id] = (start, end)
    return spans


def test_a_sound_store_has_no_problems(store_path):
    assert doctor.check(store_path) == []


def test_a_missing_store_is_one_problem(tmp_path):
    [problem] = doctor.check(tmp_path / "nope.json")
    assert str(problem) == f"{tmp_path / 'nope.json'}: no store file here"


def test_check_names_the_truncated_file_and_what_is_readable(store_path):
    raw = store_path.read_bytes()
    store_path.write_bytes(raw[: len(raw) // 2])
    [problem] = doctor.check(store_path)
    assert problem.path == store_path and problem.repairable
    assert re.fullmatch(r"not valid JSON \(.*\); \d+ articles readable", problem.message)


@pytest.mark.parametrize("fraction", [0.0, 0.1, 0.33, 0.5, 0.77, 0.999])
def test_repair_salvages_every_article_written_before_the_cut(store_path, fraction):
    raw = store_path.read_bytes()
    ids = list(Store(store_path).ids())
    spans = entry_spans(raw, ids)
    cut = int(len(raw) * fraction)
    store_path.write_bytes(raw[:cut])
    report = doctor.repair(store_path)
    whole = {i for i, (_, end) in spans.items() if end <= cut}
    assert Store(store_path).ids() == whole
    assert report.articles == len(whole)


def test_repair_keeps_the_damaged_file_byte_for_byte(store_path):
    damaged = store_path.read_bytes()[:-40]
    store_path.write_bytes(damaged)
    report = doctor.repair(store_path)
    [(path, kept, _count)] = report.salvaged
    assert path == store_path and kept.read_bytes() == damaged
    assert kept.name.startswith("news.json.corrupt-")


# Seed 7 writes a quote just before the tail of an id: it once salvaged that tail as an article.
@pytest.mark.parametrize("seed", [1, 7, 25, 26, 99])
def test_repair_salvages_articles_on_both_sides_of_garbage(store_path, seed):
    raw = store_path.read_bytes()
    ids = sorted(Store(store_path).ids())
    spans = entry_spans(raw, ids)
    hit_start, hit_end = len(raw) // 3, len(raw) // 3 + 200
    store_path.write_bytes(raw[:hit_start] + random.Random(seed).randbytes(200) + raw[hit_end:])
    doctor.repair(store_path)
    untouched = {i for i, (start, end) in spans.items() if end <= hit_start or start >= hit_end}
    salvaged = Store(store_path).ids()
    assert untouched <= salvaged <= set(ids)
    assert len(untouched) >= 50


def test_salvaged_articles_keep_their_fields_and_bodies(store_path):
    before = {a.id: a for a in Store(store_path).articles()}
    store_path.write_bytes(store_path.read_bytes()[:-30])
    doctor.repair(store_path)
    after = list(Store(store_path).articles())
    assert after and all(a == before[a.id] for a in after)


def test_a_file_of_pure_garbage_becomes_an_empty_store_and_is_kept(tmp_path):
    path = tmp_path / "news.json"
    garbage = bytes(random.Random(1).randrange(256) for _ in range(5000))
    path.write_bytes(garbage)
    with pytest.raises(CorruptStoreError):
        Store(path)
    report = doctor.repair(path)
    assert len(Store(path)) == 0 and report.articles == 0
    assert report.salvaged[0][1].read_bytes() == garbage


def test_a_truncated_body_shard_keeps_the_bodies_before_the_cut(store_path):
    shard = store_path.with_name("news.json.bodies") / "000002.json"
    shard.write_bytes(shard.read_bytes()[:-200])
    problems = doctor.check(store_path)
    assert [p.path for p in problems] == [shard, shard]
    lost = re.fullmatch(r"incomplete: (\d+) articles have lost their text", problems[1].message)
    assert lost and not problems[1].repairable
    report = doctor.repair(store_path)
    assert report.articles == 60 and report.bodies_missing == int(lost[1])
    assert 0 < report.bodies_missing < 30 and len(_with_body(store_path)) == 60 - report.bodies_missing


def test_a_damaged_shard_with_a_long_quoted_body_is_salvaged_in_one_pass(tmp_path):
    path = tmp_path / "news.json"
    quoted = 'He said "yes", then "no". ' * 8000  # every quote escaped in the file
    Store(path).add([Article(id="a" * 16, title="引语", body=quoted),
                     Article(id="b" * 16, title="短", body="短。")])
    shard = path.with_name("news.json.bodies") / "000001.json"
    shard.write_bytes(shard.read_bytes()[:-5])
    doctor.repair(path)
    assert Store(path).body("a" * 16) == quoted


def _with_body(path: Path) -> list[str]:
    store = Store(path)
    return [i for i in store.ids() if store.body(i)]


def test_a_damaged_state_file_keeps_the_readable_flags(store_path):
    state = store_path.with_name("news.json.state.json")
    state.write_bytes(state.read_bytes() + b"\x00garbage")
    with pytest.raises(CorruptStoreError):
        Store(store_path)
    doctor.repair(store_path)
    assert Store(store_path).entry(f"{1:04x}{3:012x}").read


def test_valid_json_with_entries_that_are_not_articles_is_repaired(store_path):
    document = orjson.loads(store_path.read_bytes())
    document["articles"]["bogus"] = 5
    document["articles"]["no-title"] = {"shard": "000001"}
    store_path.write_bytes(orjson.dumps(document))
    [problem] = doctor.check(store_path)
    assert problem.message == "2 entries are not valid articles"
    doctor.repair(store_path)
    assert len(Store(store_path)) == 60 and doctor.check(store_path) == []


def test_repair_of_a_sound_store_changes_nothing(store_path):
    before = {p: p.read_bytes() for p in store_path.parent.rglob("*") if p.is_file()}
    report = doctor.repair(store_path)
    assert report.lines() == ["nothing to repair", "store has 60 articles"]
    assert {p: p.read_bytes() for p in store_path.parent.rglob("*") if p.is_file()} == before


def test_repair_twice_keeps_both_damaged_copies(store_path):
    store_path.write_bytes(store_path.read_bytes()[:-10])
    doctor.repair(store_path)
    store_path.write_bytes(store_path.read_bytes()[:-10])
    doctor.repair(store_path)
    assert len(list(store_path.parent.glob("news.json.corrupt-*"))) == 2


def test_repair_waits_for_the_store_lock_then_gives_up(store_path, monkeypatch):
    monkeypatch.setattr(doctor, "REPAIR_LOCK_TIMEOUT_S", 0.05)
    with FileLock(str(store_path) + ".lock"), pytest.raises(StoreError, match="holds the store lock"):
        doctor.repair(store_path)


def test_temp_files_of_dead_writers_are_reported_and_removed(store_path):
    dead = store_path.with_name(".news.json.4194305.1.tmp")
    live = store_path.with_name(f".news.json.{os.getpid()}.1.tmp")
    dead.write_bytes(b"{")
    live.write_bytes(b"{")
    assert [p.path for p in doctor.check(store_path)] == [dead]
    report = doctor.repair(store_path)
    assert report.removed_temp_files == [dead] and not dead.exists() and live.exists()


def test_repair_report_lines_are_single_lines(store_path):
    store_path.write_bytes(store_path.read_bytes()[:-10])
    for line in doctor.repair(store_path).lines():
        assert "\n" not in line


# -- `newstui doctor [--repair]` -----------------------------------------------------------------


def test_doctor_on_a_sound_store_says_so_and_exits_0(run_newstui, store_path):
    result = run_newstui("doctor", "--db", str(store_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode() == f"{store_path}: no problems found\n"


def test_doctor_lists_each_problem_on_one_line_and_exits_1(run_newstui, store_path):
    damaged = store_path.read_bytes()[:-10]
    store_path.write_bytes(damaged)
    result = run_newstui("doctor", "--db", str(store_path))
    assert result.returncode == 1 and b"Traceback" not in result.stderr
    assert result.stdout.decode().splitlines() == [
        *(str(p) for p in doctor.check(store_path)),
        "run 'newstui doctor --repair' to salvage what is readable (damaged files are kept)",
    ]
    assert store_path.read_bytes() == damaged


def test_doctor_repair_prints_what_it_did_and_the_store_opens_again(run_newstui, store_path):
    store_path.write_bytes(store_path.read_bytes()[:-10])
    result = run_newstui("doctor", "--repair", "--db", str(store_path))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode().splitlines()
    assert lines[0].startswith(f"{store_path}: salvaged ") and lines[-1].startswith("store has ")
    assert run_newstui("list", "--db", str(store_path)).returncode == 0


def test_articles_committed_before_a_kill_during_indexing_are_searchable(tmp_path, monkeypatch):

    db = tmp_path / "news.json"
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_bytes(orjson.dumps({"title": "第一批文章", "body": "早先导入的正文。"}) + b"\n")
    second.write_bytes(orjson.dumps({"title": "索引中断文章", "body": "导入后索引前被杀死。"}) + b"\n")
    import_sources(Store(db), [str(first)], workers=1)  # an index exists and is up to date

    def killed(*_args, **_kwargs):
        raise KeyboardInterrupt  # what a kill looks like from inside

    # Killed after the store committed the batch, before the index did.
    monkeypatch.setattr(ImportIndex, "commit", killed)
    with pytest.raises(KeyboardInterrupt):
        import_sources(Store(db), [str(second)], workers=1)
    monkeypatch.undo()
    assert [e.title for e in Store(db).entries()].count("索引中断文章") == 1
    hits = search(Store(db), "索引中断", limit=5).hits  # the next open catches up
    assert [Store(db).entry(hit.id).title for hit in hits] == ["索引中断文章"]
    assert search(Store(db), "索引中断", limit=5).total == 1  # once, not twice


def test_a_killed_import_leaves_no_worker_processes_behind(tmp_path, fast_corpus):
    """Workers of a SIGKILLed import must end too, not wait forever holding their memory."""
    corpus, _, _ = fast_corpus
    process = subprocess.Popen([*newstui_command(), "import", str(corpus), "--db", str(tmp_path / "db.json"),
                                "--workers", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not (workers := _children(process.pid)):
        assert time.monotonic() < deadline, "the import started no workers"
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 10
    while alive := [pid for pid in workers if Path(f"/proc/{pid}").exists() and not _is_zombie(pid)]:
        assert time.monotonic() < deadline, f"workers {alive} outlived the killed import"
        time.sleep(0.05)


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def _is_zombie(pid: int) -> bool:
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] == "Z"
    return True


def test_a_worker_whose_parent_died_before_it_started_ends_at_once():
    # A kill between the fork and the death-signal request would leave the worker waiting forever.
    code = ("from newstui.store.workers import _end_with_parent\n"
            "_end_with_parent(parent=1)\nprint('survived')")
    child = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert child.returncode == -signal.SIGTERM
    assert "survived" not in child.stdout
