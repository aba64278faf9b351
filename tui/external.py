"""Leaving the browser for another program: a web browser for links, $PAGER for an article.

Terminal programs (w3m, lynx, less) get the terminal: the app suspends, they run, it comes back.
Article text and URLs are data; a URL is passed as one argument, never through a shell.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from collections.abc import Sequence

from textual.app import App, SuspendNotSupported

DEFAULT_PAGER = "less"
URL_PLACEHOLDER = "%u"


def has_display() -> bool:
    return sys.platform == "darwin" or bool(
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )


def browser_command(command: str, url: str) -> list[str]:
    """The configured browser command with the URL as one argument ("w3m %u" → w3m URL)."""
    words = shlex.split(command)
    if URL_PLACEHOLDER not in words:
        return [*words, url]
    return [url if word == URL_PLACEHOLDER else word for word in words]


def open_link(app: App, url: str, command: str) -> None:
    """Open a URL with the configured command, else the system's (or the web page's) browser.

    A command ending in "&" (a graphical browser) is started on its own and the app goes on;
    any other (w3m, lynx) is given the terminal until it exits.
    """
    command = command.strip()
    if command.endswith("&"):
        try:
            subprocess.Popen(browser_command(command[:-1], url), stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        except OSError as error:
            app.notify(f"{command}: {error.strerror}", severity="error", markup=False)
    elif command:
        run_in_terminal(app, browser_command(command, url))
    elif app.is_web or has_display():
        app.open_url(url)
    else:
        app.notify("No display to open a browser here; set browser in config.toml (e.g. \"w3m %u\") "
                   "or press y to copy the URL", severity="warning", markup=False)


def page(app: App, text: str) -> None:
    """Show text in the user's $PAGER (less by default), as git does: a shell runs $PAGER."""
    pager = os.environ.get("PAGER") or DEFAULT_PAGER
    run_in_terminal(app, ["sh", "-c", pager], text)


def run_in_terminal(app: App, command: Sequence[str], text: str | None = None) -> None:
    """Run a program in the app's terminal, with ``text`` on its standard input."""
    try:
        with app.suspend():
            subprocess.run(command, input=text.encode() if text is not None else None, check=False)
    except SuspendNotSupported:
        app.notify("Cannot hand the terminal to another program here", severity="warning")
    except OSError as error:  # not installed, not executable
        app.notify(f"{command[0]}: {error.strerror}", severity="error", markup=False)
