"""The browser's link actions: copy an article's URL (y) or open it (o).

A part of NewsApp kept apart so the app module stays small; it uses the app's current article.
"""

from __future__ import annotations

import os
import sys

from tui.app_part import AppPart


class LinkActions(AppPart):
    def action_copy_url(self) -> None:
        entry = self.current_entry()
        if entry is None or not entry.url:
            self.notify("This article has no URL", severity="warning")
            return
        self.copy_to_clipboard(entry.url)  # OSC 52: reaches the local clipboard over SSH too
        self.notify("URL copied", timeout=2)

    def action_open_url(self) -> None:
        entry = self.current_entry()
        if entry is None or not entry.url:
            self.notify("This article has no URL", severity="warning")
        elif self.is_web or has_display():
            self.open_url(entry.url)
        else:
            self.notify("No display to open a browser here; press y to copy the URL",
                        severity="warning")


def has_display() -> bool:
    return sys.platform == "darwin" or bool(
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )
