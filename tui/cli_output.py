"""What every subcommand prints through: exit statuses, the one-line error, and stored text made
safe for a terminal (a tampered store file still can't drive it)."""

from __future__ import annotations

import os
import sys

import orjson

from ..store.records.models import Entry, entry_fields
from ..store.text.clean import strip_controls

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class CliError(Exception):
    """A user-facing failure: printed as one line, exit status 1."""


def one_line(message: str) -> str:
    return " ".join(strip_controls(message).split())


def safe_text(text: str) -> str:
    """Stored text is re-sanitised on output."""
    return strip_controls(text)


def safe_value(value: object) -> object:
    """A JSON-able value with every string in it made safe."""
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, list):
        return [safe_value(v) for v in value]
    if isinstance(value, dict):
        return {k: safe_value(v) for k, v in value.items()}
    return value


def print_entries(entries: list[Entry], as_json: bool) -> None:
    """Entries as `list` and `search` print them: JSON, or one line each, cut to a terminal's width."""
    if not entries:
        return
    if as_json:
        rows = [safe_value(entry_fields(entry)) for entry in entries]
        sys.stdout.buffer.write(orjson.dumps(rows, option=orjson.OPT_INDENT_2) + b"\n")
        return
    width = os.get_terminal_size().columns if sys.stdout.isatty() else None
    for entry in entries:
        line = f"{entry.id}  {(entry.date or '')[:10]:10}  {safe_text(entry.title)}"
        if entry.source:
            line += f"  ({safe_text(entry.source)})"
        print(fit_width(line, width) if width else line)


def fit_width(line: str, width: int) -> str:
    # Rich only for a terminal: in a pipe a line is printed whole.
    from rich.cells import cell_len, set_cell_size

    return line if cell_len(line) <= width else set_cell_size(line, width - 1) + "…"
