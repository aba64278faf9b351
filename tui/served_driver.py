"""The driver of an app that ``newstui serve`` runs for one browser tab.

Textual's web driver stops reading when its input pipe closes but leaves the app running, with
no one to see it or quit it: after ``serve`` was killed every tab's app went on polling the store.
This one quits the app when the pipe closes, so an app never outlives the server that started it.
"""

from __future__ import annotations

import asyncio

from textual import messages
from textual.drivers.web_driver import WebDriver

SERVED_DRIVER = f"{__name__}:ServedDriver"  # how serve names this driver to each tab's app


class ServedDriver(WebDriver):
    """Textual's web driver, quitting the app when ``serve`` (its input pipe) goes away."""

    def start_application_mode(self) -> None:
        self._loop = asyncio.get_running_loop()
        super().start_application_mode()

    def run_input_thread(self) -> None:
        try:
            super().run_input_thread()
        finally:
            if not self.exit_event.is_set():  # the pipe closed: no server, no tab
                asyncio.run_coroutine_threadsafe(self._app._post_message(messages.ExitApp()), self._loop)
