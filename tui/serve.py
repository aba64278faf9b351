"""``newstui serve``: the same browser in a web page, through textual-serve.

textual-serve starts one ``newstui`` process per browser tab and relays its screen over a websocket,
so the served app is exactly the terminal one. Each tab's app runs in a session of its own and
ends with its tab: asked to quit, then terminated if it has not within QUIT_GRACE_S; all of them
end before ``serve`` stops (Ctrl+C, SIGTERM), and they quit by themselves if it is killed.

Bound to 127.0.0.1 unless asked otherwise: the page gives whoever opens it the store, so reaching
it from elsewhere should go through an SSH tunnel.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shlex
import signal
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from aiohttp import WSCloseCode, web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from .served_driver import SERVED_DRIVER

# How each browser setting that ``serve`` accepts travels to the app it starts: as that app's flag.
_FLAG_FOR_SETTING = {"theme": "--theme", "sort": "--sort"}
QUIT_GRACE_S = 3.0  # for a tab's app to quit when asked, before it is terminated (then killed)


def browser_command(store_path: Path, overrides: Mapping[str, object]) -> list[str]:
    """The command that runs the browser on ``store_path`` with this same Python and newstui."""
    argv = [sys.executable, "-m", "newstui.tui.cli", "browse", "--db", str(store_path)]
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
    BrowserServer(browser_command(store_path.resolve(), overrides), host=host, port=port).serve()


class BrowserServer(Server):
    """textual-serve's server, owning the app process of every open tab."""

    def __init__(self, argv: Sequence[str], *, host: str, port: int) -> None:
        super().__init__(shlex.join(argv), host=host, port=port, title="newstui")
        self.argv = list(argv)
        self.tabs: dict[TabApp, web.WebSocketResponse] = {}

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One tab: its own app process, ended whichever way the tab goes."""
        websocket = web.WebSocketResponse(heartbeat=15)
        await websocket.prepare(request)
        tab = TabApp(self.argv, write_bytes=websocket.send_bytes, write_str=websocket.send_str,
                     close=websocket.close, download_manager=self.download_manager, debug=self.debug)
        self.tabs[tab] = websocket
        try:
            await tab.start(to_int(request.query.get("width", "80"), 80),
                            to_int(request.query.get("height", "24"), 24))
            await self._process_messages(websocket, tab)
        except (asyncio.CancelledError, ConnectionError):
            pass
        finally:
            await tab.stop()
            del self.tabs[tab]
            await websocket.close()
        return websocket

    async def on_shutdown(self, app: web.Application) -> None:
        """Before the server waits for its connections: end every tab's app and close its socket."""
        await asyncio.gather(*(tab.stop() for tab in list(self.tabs)))
        sockets = list(self.tabs.values())
        await asyncio.gather(*(socket.close(code=WSCloseCode.GOING_AWAY) for socket in sockets))


class TabApp(AppService):
    """A tab's app process: started without a shell in a session of its own, and always ended."""

    def __init__(self, argv: Sequence[str], **kwargs) -> None:
        super().__init__(shlex.join(argv), **kwargs)
        self.argv = list(argv)
        self._stopping: asyncio.Task[None] | None = None

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        return {**super()._build_environment(width, height), "TEXTUAL_DRIVER": SERVED_DRIVER}

    async def _open_app_process(self, width: int = 80, height: int = 24) -> asyncio.subprocess.Process:
        # A session of its own: the terminal's Ctrl+C reaches serve, which ends the apps in order.
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE, env=self._build_environment(width, height),
            start_new_session=True,
        )
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    async def stop(self) -> None:
        """Ask the app to quit; terminate, then kill, what is left of it. Safe to call twice."""
        if self._process is None:
            return
        if self._stopping is None:
            self._stopping = asyncio.ensure_future(self._end())
        await asyncio.shield(self._stopping)

    async def _end(self) -> None:
        process = self._process
        assert process is not None
        if process.returncode is None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.send_meta({"type": "quit"}), QUIT_GRACE_S)
        for ending in (signal.SIGTERM, signal.SIGKILL):
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(process.wait(), QUIT_GRACE_S)
                break
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, ending)  # the app and anything it started
        await process.wait()
        if self._task is not None:
            await self._task
            self._task = None
