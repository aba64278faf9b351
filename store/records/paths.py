"""Where the store lives: ``--db`` beats ``NEWSTUI_DB`` beats the platform's data directory."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path

STORE_FILE_NAME = "newstui.json"


def default_store_path() -> Path:
    return user_data_path("newstui", appauthor=False) / STORE_FILE_NAME


def named_store(flag: str | None = None) -> str | None:
    """The store the user named (``--db``, else ``NEWSTUI_DB``), or None for the default one."""
    return flag or os.environ.get("NEWSTUI_DB") or None


def resolve_store_path(flag: str | None = None) -> Path:
    return Path(named_store(flag) or default_store_path()).expanduser()
