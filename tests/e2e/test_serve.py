"""``newstui serve``: the browser in a web page, fetched and driven over loopback and an SSH tunnel."""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import aiohttp
import pytest

from tui.serve import browser_command

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


def browse_in_page(url: str) -> str:
    """Open the page's websocket like the browser does, wait for the list, press q; the screen."""

    async def session() -> str:
        screen = bytearray()
        websocket_url = url.replace("http://", "ws://") + "/ws?width=100&height=30"
        async with aiohttp.ClientSession() as client, client.ws_connect(websocket_url) as websocket:
            async for message in websocket:
                if message.type == aiohttp.WSMsgType.BINARY:
                    screen += message.data
                if DELOITTE.encode() in screen:
                    await websocket.send_str(json.dumps(["stdin", "q"]))
            # The socket closes when the app exits: q reached it and it quit.
        return screen.decode("utf-8", "replace")

    return asyncio.run(asyncio.wait_for(session(), timeout=30))


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
    assert argv == [sys.executable, "-m", "tui.cli", "browse", "--db", str(store),
                    "--no-mouse", "--theme", "nord", "--sort", "title"]


def test_serve_refuses_a_setting_it_cannot_pass_on(tmp_path):
    with pytest.raises(ValueError, match="summary_sentences"):
        browser_command(tmp_path / "news.json", {"summary_sentences": 5})
