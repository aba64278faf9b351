"""The browser's link actions: copy an article's URL (y) or open it (o).

A part of NewsApp kept apart so the app module stays small; it uses the app's current article.
"""

from __future__ import annotations

from .app_part import AppPart
from .external import open_link


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
        else:
            open_link(self, entry.url, self.config.browser)
