"""``ssh host newstui …`` from a script: no terminal, output parsed by the caller."""

from __future__ import annotations

import re

import orjson
import pytest

from newstui.store.records.db import Store

from .harness import installed_newstui

pytestmark = pytest.mark.e2e

NEWSTUI = installed_newstui()
DELOITTE_TITLE = "商汤科技与德勤签署战略合作协议 开启人工智能领域多项深度合作"
# Anything but printable text and newlines: escape sequences, carriage returns, C1 controls.
CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def test_search_json_over_ssh_parses_and_finds_the_article(sshd):
    result = sshd.ssh(NEWSTUI, "search", "德勤", "--json")
    assert result.returncode == 0, result.stderr.decode()
    hits = orjson.loads(result.stdout)
    assert hits[0]["title"] == DELOITTE_TITLE
    assert result.stderr == b""


def test_list_limit_over_ssh_prints_three_plain_lines(sshd, remote_store):
    # A colour-capable TERM must not matter: stdout is a pipe.
    result = sshd.ssh("env", "TERM=xterm-256color", NEWSTUI, "list", "--limit", "3")
    assert result.returncode == 0, result.stderr.decode()
    text = result.stdout.decode()
    assert not CONTROL.search(text), repr(text)
    lines = text.splitlines()
    store = Store(remote_store)
    newest = store.entries()[:3]
    store.close()
    assert len(lines) == 3
    for line, entry in zip(lines, newest, strict=True):
        assert line.split("  ")[0] == entry.id
        assert entry.title in line  # a pipe gets whole titles, never cut to a terminal width


def test_search_json_output_has_no_terminal_codes(sshd):
    result = sshd.ssh("env", "TERM=xterm-256color", NEWSTUI, "search", "德勤", "--json")
    assert not CONTROL.search(result.stdout.decode()), result.stdout[:300]


def test_a_failure_reaches_the_script_as_exit_status_and_one_line(sshd):
    result = sshd.ssh(NEWSTUI, "show", "no-such-article")
    assert result.returncode == 1
    assert result.stdout == b""
    message = result.stderr.decode()
    assert message.startswith("newstui: ") and message.count("\n") == 1, message
