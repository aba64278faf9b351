"""Shared fixtures: every test runs with its own HOME, so nothing touches the user's store."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from cli_support import newstui_command
from feed_server import FeedServer

from newstui.sample import sample_path
from newstui.store.records.db import Store

SLOW = os.environ.get("NEWSTUI_SLOW") == "1"


def pytest_collection_modifyitems(config, items):
    if SLOW:
        return
    skip = pytest.mark.skip(reason="slow test: set NEWSTUI_SLOW=1 to run it")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory, monkeypatch) -> Path:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    for name in [n for n in os.environ if n.startswith("NEWSTUI_") and n != "NEWSTUI_SLOW"]:
        monkeypatch.delenv(name)
    return home


@pytest.fixture(scope="session")
def sample_file() -> Path:
    return sample_path()


@pytest.fixture(scope="session")
def _sample_store_template(tmp_path_factory) -> Path:
    """The sample imported once per session; tests get a fresh copy of the files."""
    from newstui.store.ingest.pipeline import import_sources

    path = tmp_path_factory.mktemp("sample-store") / "news.json"
    store = Store(path)
    import_sources(store, [str(sample_path())], workers=1)
    store.close()
    return path


@pytest.fixture
def sample_store_path(_sample_store_template, tmp_path) -> Path:
    target = tmp_path / "store"
    shutil.copytree(_sample_store_template.parent, target)
    return target / _sample_store_template.name


@pytest.fixture
def sample_store(sample_store_path) -> Store:
    return Store(sample_store_path)


@pytest.fixture
def segmented(monkeypatch) -> list[str]:
    """Titles of stored articles the search index reads back and segments (a catch-up's or a
    rebuild's work; an import never needs it)."""
    from newstui.store.search import documents

    seen: list[str] = []
    real = documents.IndexWords.segmented

    def counting(title: str, body: str):
        seen.append(title)
        return real(title, body)

    monkeypatch.setattr(documents.IndexWords, "segmented", counting)
    return seen


@dataclass(frozen=True)
class CliResult:
    """What a run of the command left: its exit status and the bytes it wrote (as subprocess.run)."""

    returncode: int
    stdout: bytes
    stderr: bytes


@pytest.fixture
def run_newstui(isolated_home, monkeypatch):
    """Run `newstui` in this process with its own stdin, stdout and stderr, as in a pipe: the
    same code as the console script without a Python start-up per call (process-level
    behaviour, such as start-up warnings and signals, has its own subprocess tests)."""
    from newstui.tui.cli import main

    def run(*args: str, input: bytes | None = None, env: dict | None = None) -> CliResult:
        out, err = io.BytesIO(), io.BytesIO()
        with monkeypatch.context() as scoped:
            for name, value in (env or {}).items():
                scoped.setenv(name, value)
            scoped.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(input or b""), encoding="utf-8"))
            scoped.setattr(sys, "stdout", io.TextIOWrapper(out, encoding="utf-8", write_through=True))
            scoped.setattr(sys, "stderr", io.TextIOWrapper(err, encoding="utf-8", write_through=True))
            try:
                status = main(list(args))
            except SystemExit as exit_:  # argparse: --help, --version, usage errors
                status = exit_.code if isinstance(exit_.code, int) else 1
            sys.stdout.flush()
            sys.stderr.flush()
            return CliResult(status or 0, out.getvalue(), err.getvalue())

    return run


@pytest.fixture
def run_newstui_process(isolated_home):
    """Run the real `newstui` command in a subprocess, for what only a new process shows."""

    def run(*args: str, input: bytes | None = None, env: dict | None = None, timeout: float = 120):
        full_env = {**os.environ, **(env or {})}
        return subprocess.run(
            [*newstui_command(), *args], input=input, capture_output=True, env=full_env,
            timeout=timeout,
        )

    return run


@pytest.fixture
def feed_server():
    """A feed server on 127.0.0.1 (tests/feed_server.py), stopped when the test ends."""
    server = FeedServer()
    try:
        yield server
    finally:
        server.close()
