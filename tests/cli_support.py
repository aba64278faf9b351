"""How tests start the real `newstui` command (shared by conftest and the subprocess tests)."""

from __future__ import annotations

import sys
from pathlib import Path


def newstui_command() -> list[str]:
    """The installed console script when there is one, else the module (same code either way)."""
    script = Path(sys.executable).with_name("newstui")
    return [str(script)] if script.exists() else [sys.executable, "-m", "newstui.tui.cli"]
