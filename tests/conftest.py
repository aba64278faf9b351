"""Shared fixtures: every test runs with its own HOME, so nothing touches the user's store."""

from __future__ import annotations

import os
import shutil
import subprocess
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


@pytest.fixture
def run_newstui(isolated_home):
    """Run the real `newstui` command in a subprocess, as a user would in a pipe."""

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
