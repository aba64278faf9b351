"""Where the store lives: ``--db`` beats ``NEWSTUI_DB`` beats the platform's data directory."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path

STORE_FILE_NAME = "newstui.json"


def default_store_path() -> Path:
    return user_data_path("newstui", appauthor=False) / STORE_FILE_NAME


def resolve_store_path(flag: str | None = None) -> Path:
    chosen = flag or os.environ.get("NEWSTUI_DB") or default_store_path()
    return Path(chosen).expanduser()
