"""``newstui serve``: the same browser in a web page, through textual-serve.

textual-serve starts one ``newstui`` process per browser tab and relays its screen over a websocket,
so the served app is exactly the terminal one. Bound to 127.0.0.1 unless asked otherwise: the page
gives whoever opens it the store, so reaching it from elsewhere should go through an SSH tunnel.
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Mapping
from pathlib import Path

# How each browser setting that ``serve`` accepts travels to the app it starts: as that app's flag.
_FLAG_FOR_SETTING = {"theme": "--theme", "sort": "--sort"}


def browser_command(store_path: Path, overrides: Mapping[str, object]) -> list[str]:
    """The command that runs the browser on ``store_path`` with this same Python and newstui."""
    argv = [sys.executable, "-m", "tui.cli", "browse", "--db", str(store_path)]
    for setting, value in overrides.items():
        if setting == "mouse":
            if not value:
                argv.append("--no-mouse")
        elif setting in _FLAG_FOR_SETTING:
            argv += [_FLAG_FOR_SETTING[setting], str(value)]
        else:
            raise ValueError(f"serve cannot pass the setting {setting!r} to the browser")
    return argv


def run_server(store_path: Path, host: str, port: int, overrides: Mapping[str, object]) -> None:
    """Serve the browser on http://host:port/ until interrupted (Ctrl+C or SIGTERM)."""
    from textual_serve.server import Server

    # textual-serve runs the command through a shell, so it is quoted here.
    command = shlex.join(browser_command(store_path.resolve(), overrides))
    Server(command, host=host, port=port, title="newstui").serve()
