"""What every subcommand prints through: exit statuses, the one-line error, and stored text made
safe for a terminal (a tampered store file still can't drive it)."""

from __future__ import annotations

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
