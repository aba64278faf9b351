"""Fixtures for the end-to-end tests: one loopback sshd per session, one private tmux per test.

A test that needs sshd or tmux is skipped, with the reason, when they are not installed (``.ci/run``
installs them when it runs as root).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .harness import RemoteBrowser, Sshd, Tmux, installed_newstui, missing_programs


def skip_unless_installed(*packages: str) -> None:
    missing = [package for package in missing_programs() if package in packages]
    if missing:
        pytest.skip(f"not installed: {', '.join(missing)} (as root, .ci/run installs the Debian packages; "
                    f"or: apt-get install {' '.join(missing)})")


@pytest.fixture(scope="session")
def remote_store(_sample_store_template, tmp_path_factory) -> Path:
    """A sample store for tests that only read it; every SSH session finds it by default
    (``NEWSTUI_DB``)."""
    folder = tmp_path_factory.mktemp("remote-store") / "store"
    shutil.copytree(_sample_store_template.parent, folder)
    return folder / _sample_store_template.name


@pytest.fixture(scope="session")
def sshd(tmp_path_factory, remote_store):
    """A real sshd on 127.0.0.1, logging in the current user with a key made here."""
    skip_unless_installed("openssh-server", "openssh-client")
    home = tmp_path_factory.mktemp("remote-home")
    server = Sshd(tmp_path_factory.mktemp("sshd"), environment={
        "LANG": "C.UTF-8",
        # The remote newstui reads no config or data of the machine's user.
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "NEWSTUI_DB": str(remote_store),
        "NEWSTUI_CURSOR_BLINK": "false",  # a steady screen to compare
    })
    server.start()
    yield server
    server.stop()


@pytest.fixture
def tmux(tmp_path):
    """A fresh 80×24 terminal with a shell in it; the server is killed after the test."""
    skip_unless_installed("tmux")
    terminal = Tmux(tmp_path)
    yield terminal
    terminal.kill()


@pytest.fixture
def open_browser(sshd, tmux, sample_store_path):
    """Start ``newstui browse --db STORE`` over ``ssh -t`` in the tmux terminal, at a size and TERM."""

    def open_at(width: int = 80, height: int = 24, term: str = "xterm-256color",
                **env: str) -> RemoteBrowser:
        tmux.resize(width, height)
        return RemoteBrowser(tmux, sshd, [installed_newstui(), "browse", "--db", str(sample_store_path)],
                             {"TERM": term, **env})

    return open_at
