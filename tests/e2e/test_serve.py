"""``newstui serve``: the browser in a web page, fetched and driven over loopback and an SSH tunnel."""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
import subprocess
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

import aiohttp
import pytest

from newstui.tui.serve import browser_command

from .harness import free_port, installed_newstui, poll

pytestmark = pytest.mark.e2e

DELOITTE = "商汤科技与德勤"  # how its (cut) title starts in the list
TUNNEL_ADDRESS = "127.0.0.2"  # the "laptop" end of the tunnel; the server end is 127.0.0.1


class Served:
    """A running ``newstui serve`` (or a command that runs one), answering at ``url``."""

    def __init__(self, argv: Sequence[str], url: str, log: Path) -> None:
        self.url = url
        self.log = log
        self.process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log.open("wb"),
                                        stderr=subprocess.STDOUT)
        poll(self._page_answers, 30, lambda: f"no page at {self.url}; output:\n{self.output()}")

    def _page_answers(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"exited with {self.process.returncode}:\n{self.output()}")
        try:
            return bool(asyncio.run(fetch_page(self.url)))
        except aiohttp.ClientError:
            return False

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=15)


async def fetch_page(url: str) -> str:
    async with aiohttp.ClientSession() as session, session.get(url + "/") as response:
        response.raise_for_status()
        return await response.text()


def in_a_tab(url: str, on_list: Callable[[aiohttp.ClientWebSocketResponse], Awaitable[bool]]) -> str:
    """Open the page's websocket like the browser does; once the list shows, await on_list(socket)
    and leave the tab if it says so, else read on until the app closes it. The screen seen."""

    async def session() -> str:
        screen = bytearray()
        websocket_url = url.replace("http://", "ws://") + "/ws?width=100&height=30"
        async with aiohttp.ClientSession() as client, client.ws_connect(websocket_url) as websocket:
            async for message in websocket:
                if message.type == aiohttp.WSMsgType.BINARY:
                    screen += message.data
                if DELOITTE.encode() in screen and await on_list(websocket):
                    break  # leaving closes the socket, without a word to the app
        return screen.decode("utf-8", "replace")

    return asyncio.run(asyncio.wait_for(session(), timeout=30))


def browse_in_page(url: str) -> str:
    """Wait for the list, press q; the screen. The socket closes when q reached the app and it quit."""

    async def press_q(websocket) -> bool:
        await websocket.send_str(json.dumps(["stdin", "q"]))
        return False

    return in_a_tab(url, press_q)


def open_tab_and_leave(url: str, server_pid: int) -> list[int]:
    """Wait for the list, note the processes the server runs for the tab, then drop the
    connection as a closed tab does; those processes."""
    seen: list[int] = []

    async def note_and_leave(_websocket) -> bool:
        seen.extend(descendants(server_pid))
        return True

    assert DELOITTE in in_a_tab(url, note_and_leave), "the tab closed before it showed the list"
    return seen


def running(pids: list[int]) -> list[int]:
    """Those of ``pids`` still running (neither gone nor a zombie)."""
    alive = []
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.append(pid)
    return alive


def descendants(pid: int) -> list[int]:
    """Every live process started, directly or not, by ``pid``, from Linux's /proc."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, queue = [], [pid]
    while queue:
        for child in children.get(queue.pop(), []):
            found.append(child)
            queue.append(child)
    return found


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return "(gone)"


def listening_addresses(port: int) -> list[str]:
    """Local addresses with a TCP socket listening on ``port``, from Linux's /proc/net/tcp."""
    tcp = Path("/proc/net/tcp")
    if not tcp.exists():
        pytest.skip("needs Linux's /proc/net/tcp to list listening sockets")
    found = []
    for line in tcp.read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, local_port = local.split(":")
        if state == "0A" and int(local_port, 16) == port:
            found.append(".".join(str(b) for b in reversed(bytes.fromhex(address))))
    return found


def serve_locally(store: Path, folder: Path) -> Served:
    port = free_port()
    return Served([installed_newstui(), "serve", "--db", str(store), "--port", str(port)],
                  f"http://127.0.0.1:{port}", folder / "serve.log")


@pytest.fixture(scope="module")
def served(remote_store, tmp_path_factory):
    """One server for the tests that only read from it (each browser tab is its own app)."""
    server = serve_locally(remote_store, tmp_path_factory.mktemp("serve"))
    yield server
    server.stop()


def test_serve_page_names_the_app_and_its_loopback_websocket(served):
    page = asyncio.run(fetch_page(served.url))
    assert "<div>newstui</div>" in page  # the app's name, shown when the session ends
    assert f"ws://{served.url.removeprefix('http://')}/ws" in page


def test_serve_listens_on_loopback_only_by_default(served):
    assert listening_addresses(int(served.url.rsplit(":", 1)[1])) == ["127.0.0.1"]


def test_served_page_runs_the_browser_and_quits_with_q(served):
    assert DELOITTE in browse_in_page(served.url)


def test_serve_stops_cleanly_on_sigterm(sample_store_path, tmp_path):
    assert serve_locally(sample_store_path, tmp_path).stop() == 0


def test_a_closed_tab_ends_its_app_process(sample_store_path, tmp_path):
    served = serve_locally(sample_store_path, tmp_path)
    try:
        for _ in range(2):
            apps = open_tab_and_leave(served.url, served.process.pid)
            assert apps, "no process ran the tab"
            poll(lambda apps=apps: not running(apps), 15,
                 lambda apps=apps: "left running: " + "; ".join(map(command_line, running(apps))))
    finally:
        served.stop()


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL],
                         ids=["ctrl-c", "sigterm", "kill-9"])
def test_stopping_serve_ends_every_tab_it_started(sample_store_path, tmp_path, stop_signal):
    """Ctrl+C and SIGTERM end the tabs' apps before serve exits; after a kill -9 they quit alone."""
    served = serve_locally(sample_store_path, tmp_path)
    tabs = [asyncio.run(open_websocket(served.url)) for _ in range(2)]
    try:
        apps = poll(lambda: len(descendants(served.process.pid)) >= 2 and descendants(served.process.pid),
                    30, lambda: f"tabs did not start; output:\n{served.output()}")
        served.process.send_signal(stop_signal)
        status = served.process.wait(timeout=15)
        assert status == (-signal.SIGKILL if stop_signal == signal.SIGKILL else 0), served.output()
        poll(lambda: not running(apps), 15, lambda: "left running: " + "; ".join(map(command_line, apps)))
    finally:
        for client, websocket in tabs:
            asyncio.run(close_quietly(client, websocket))
        served.stop()


async def open_websocket(url: str) -> tuple[aiohttp.ClientSession, aiohttp.ClientWebSocketResponse]:
    """A tab that stays open: its app runs until the tab or the server goes away."""
    client = aiohttp.ClientSession()
    websocket = await client.ws_connect(url.replace("http://", "ws://") + "/ws?width=80&height=24")
    await websocket.receive(timeout=30)  # the first bytes: its app has started
    return client, websocket


async def close_quietly(client: aiohttp.ClientSession, websocket) -> None:
    with contextlib.suppress(Exception):
        await websocket.close()
    await client.close()


def test_serve_through_an_ssh_tunnel_and_stop_with_the_connection(sshd, sample_store_path, tmp_path):
    """The README's recipe: ``ssh -t -L PORT:127.0.0.1:PORT host newstui serve --port PORT``."""
    port = free_port()
    tunnel = ["-tt", "-L", f"{TUNNEL_ADDRESS}:{port}:127.0.0.1:{port}", "-o", "ExitOnForwardFailure=yes"]
    remote = [installed_newstui(), "serve", "--db", str(sample_store_path), "--port", str(port)]
    served = Served(sshd.ssh_argv(*remote, options=tunnel), f"http://{TUNNEL_ADDRESS}:{port}",
                    tmp_path / "ssh.log")
    assert DELOITTE in browse_in_page(served.url)
    served.stop()  # closing the connection hangs up the remote terminal: serve must not linger
    poll(lambda: not listening_addresses(port), 15, lambda: f"serve still listens on {port}")


def test_serve_runs_the_browser_of_this_python_with_the_flags(tmp_path):
    store = tmp_path / "news.json"
    argv = browser_command(store, {"mouse": False, "theme": "nord", "sort": "title"})
    assert argv == [sys.executable, "-m", "newstui.tui.cli", "browse", "--db", str(store),
                    "--no-mouse", "--theme", "nord", "--sort", "title"]


def test_serve_refuses_a_setting_it_cannot_pass_on(tmp_path):
    with pytest.raises(ValueError, match="summary_sentences"):
        browser_command(tmp_path / "news.json", {"summary_sentences": 5})


def test_a_tab_whose_app_ignores_quit_and_sigterm_is_killed_when_it_closes():
    """An app too busy to quit (or deaf to SIGTERM) still ends with its tab, within the grace times."""
    from textual_serve.download_manager import DownloadManager

    from newstui.tui.serve import QUIT_GRACE_S, TabApp

    deaf = ("import signal, sys, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
            "sys.stdout.write('__GANGLION__\\n'); sys.stdout.flush(); time.sleep(120)")

    async def open_and_close() -> int:
        async def ignore(*_args) -> None:
            return None

        tab = TabApp([sys.executable, "-c", deaf], write_bytes=ignore, write_str=ignore, close=ignore,
                     download_manager=DownloadManager())
        await tab.start(80, 24)
        await asyncio.sleep(0.5)
        await asyncio.wait_for(tab.stop(), timeout=4 * QUIT_GRACE_S)
        return tab._process.returncode

    assert asyncio.run(open_and_close()) == -signal.SIGKILL
