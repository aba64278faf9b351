"""Real programs for the end-to-end tests: an ``sshd`` on loopback and a private ``tmux`` server.

Both are started with throwaway keys and config files in a temporary folder, so nothing on the machine
(system sshd, the user's tmux, ``~/.ssh``) is read or touched.
"""

from __future__ import annotations

import os
import pwd
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .screen import Screen

SSHD = shutil.which("sshd") or "/usr/sbin/sshd"
HOST_ALIAS = "newstui-e2e"
POLL_INTERVAL_S = 0.05


def installed_newstui() -> str:
    """The ``newstui`` console script of the Python running the tests: the command users type."""
    script = Path(sys.executable).with_name("newstui")
    if not script.exists():
        raise RuntimeError(f"newstui is not installed next to {sys.executable}; pip install . first")
    return str(script)


def missing_programs() -> list[str]:
    """The Debian packages these tests need that are not installed."""
    missing = []
    if not shutil.which("tmux"):
        missing.append("tmux")
    if not os.access(SSHD, os.X_OK):
        missing.append("openssh-server")
    if not (shutil.which("ssh") and shutil.which("ssh-keygen")):
        missing.append("openssh-client")
    return missing


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def poll(check: Callable[[], object], timeout: float, describe: Callable[[], str]) -> object:
    """Call ``check`` until it returns something truthy; fail with ``describe()`` at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s: {describe()}")
        time.sleep(POLL_INTERVAL_S)


def _keygen(path: Path) -> None:
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "newstui-e2e", "-f", str(path)],
                   check=True, capture_output=True)


@dataclass
class Sshd:
    """An sshd on 127.0.0.1 that accepts one key made by the test, for the user running the tests."""

    folder: Path
    environment: dict[str, str]  # set in every session (sshd's SetEnv), e.g. an isolated XDG_CONFIG_HOME
    port: int = 0
    process: subprocess.Popen | None = None

    @property
    def client_config(self) -> Path:
        return self.folder / "ssh_config"

    @property
    def log(self) -> Path:
        return self.folder / "sshd.log"

    def start(self, timeout: float = 10) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        _keygen(self.folder / "host_key")
        _keygen(self.folder / "client_key")
        shutil.copy(self.folder / "client_key.pub", self.folder / "authorized_keys")
        if os.geteuid() == 0:
            Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd's privilege-separation chroot
        user = pwd.getpwuid(os.getuid()).pw_name
        self.port = free_port()
        set_env = " ".join(f"{name}={shlex.quote(value)}" for name, value in self.environment.items())
        (self.folder / "sshd_config").write_text(
            f"ListenAddress 127.0.0.1\nPort {self.port}\n"
            f"HostKey {self.folder / 'host_key'}\nPidFile {self.folder / 'sshd.pid'}\n"
            f"AuthorizedKeysFile {self.folder / 'authorized_keys'}\n"
            f"AllowUsers {user}\nAuthenticationMethods publickey\nPermitRootLogin prohibit-password\n"
            "PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\nStrictModes no\n"
            "AllowTcpForwarding local\nX11Forwarding no\nPrintMotd no\nPrintLastLog no\n"
            f"AcceptEnv LANG LC_* NO_COLOR\nSetEnv {set_env}\n"
        )
        self.client_config.write_text(
            f"Host {HOST_ALIAS}\n  HostName 127.0.0.1\n  Port {self.port}\n  User {user}\n"
            f"  IdentityFile {self.folder / 'client_key'}\n  IdentitiesOnly yes\n"
            "  StrictHostKeyChecking no\n  UserKnownHostsFile /dev/null\n  GlobalKnownHostsFile /dev/null\n"
            "  BatchMode yes\n  LogLevel ERROR\n  ConnectTimeout 10\n  SendEnv NO_COLOR\n"
        )
        self.process = subprocess.Popen(
            [SSHD, "-D", "-e", "-f", str(self.folder / "sshd_config")],
            stdout=subprocess.DEVNULL, stderr=self.log.open("wb"),
        )
        poll(lambda: self.ssh("true", timeout=timeout).returncode == 0 or self.process.poll() is not None,
             timeout, lambda: f"sshd did not accept a login; its log:\n{self.log_text()}")
        if self.process.poll() is not None:
            raise RuntimeError(f"sshd exited with {self.process.returncode}; its log:\n{self.log_text()}")

    def ssh_argv(self, *remote: str, tty: bool = False, options: Sequence[str] = ()) -> list[str]:
        """The client command line; ``remote`` is joined and run by the user's shell on the server."""
        return ["ssh", "-F", str(self.client_config), *(["-t"] if tty else []), *options, HOST_ALIAS,
                shlex.join(remote)]

    def ssh(self, *remote: str, timeout: float = 30, env: dict[str, str] | None = None,
            ) -> subprocess.CompletedProcess[bytes]:
        """Run a command on the server without a terminal, as a script would."""
        return subprocess.run(self.ssh_argv(*remote), capture_output=True, stdin=subprocess.DEVNULL,
                              timeout=timeout, env={**os.environ, **(env or {})})

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


class Tmux:
    """A private tmux server (own socket, no user config) running one shell: a terminal to type into.

    The shell's prompt is ``PROMPT``; after a program exits, the tests look at what it left behind.
    """

    PROMPT = "e2e$ "
    TARGET = "e2e"
    # Terminal modes a full-screen program turns on and must turn off again when it exits.
    MODES = ("alternate_on", "mouse_any_flag", "mouse_button_flag", "mouse_standard_flag",
             "mouse_sgr_flag", "mouse_utf8_flag", "keypad_cursor_flag", "keypad_flag", "cursor_flag",
             "insert_flag", "origin_flag", "wrap_flag")

    def __init__(self, folder: Path, width: int = 80, height: int = 24) -> None:
        self.socket = folder / "tmux.sock"
        self.run("-f", "/dev/null", "new-session", "-d", "-s", self.TARGET, "-x", str(width),
                 "-y", str(height), "-e", f"PS1={self.PROMPT}", "-e", "LANG=C.UTF-8",
                 "bash", "--norc", "--noprofile")
        self.run("set-option", "-g", "status", "off")
        self.wait_for(self.PROMPT.strip())

    def run(self, *args: str) -> str:
        result = subprocess.run(["tmux", "-u", "-S", str(self.socket), *args], capture_output=True,
                                text=True, timeout=10)
        if result.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)} failed: {result.stderr.strip()}")
        return result.stdout

    def type_line(self, line: str) -> None:
        """Type a shell command line and press Enter."""
        self.type(line)
        self.send_keys("Enter")

    def send_keys(self, *keys: str) -> None:
        """tmux key names: "j", "Enter", "Escape", "F1", "M-x", "C-c"."""
        self.run("send-keys", "-t", self.TARGET, *keys)

    def type(self, text: str) -> None:
        """Literal text, e.g. Chinese, sent as UTF-8 like a terminal would."""
        self.run("send-keys", "-t", self.TARGET, "-l", text)

    def capture(self, styles: bool = False, joined: bool = False) -> str:
        """The visible screen as text; ``styles`` keeps SGR codes (colours, reverse, bold),
        ``joined`` puts lines the terminal wrapped back together."""
        flags = [*(["-e"] if styles else []), *(["-J"] if joined else [])]
        return self.run("capture-pane", "-p", "-N", "-t", self.TARGET, *flags)

    def wait_for(self, wanted: str | Callable[[str], object], timeout: float = 15) -> str:
        """Poll the screen until it contains ``wanted`` (or ``wanted(screen)`` holds); return it."""
        check = wanted if callable(wanted) else (lambda text: wanted in text)
        return self._poll_screen(self.capture, check, timeout, wanted)

    def wait_for_styled(self, check: Callable[[Screen], object], timeout: float = 15) -> Screen:
        """Poll the screen, read with its colours, until ``check(screen)`` holds; return it."""
        return self._poll_screen(lambda: Screen(self.capture(styles=True)), check, timeout, check)

    def _poll_screen(self, capture, check, timeout: float, wanted):
        last = [None]

        def matches() -> bool:
            last[0] = capture()
            return bool(check(last[0]))

        what = wanted if isinstance(wanted, str) else getattr(wanted, "__doc__", None) or "a condition"
        poll(matches, timeout, lambda: f"waiting for {what!r}; the screen:\n{self.capture()}")
        return last[0]

    def resize(self, width: int, height: int) -> None:
        self.run("resize-window", "-t", self.TARGET, "-x", str(width), "-y", str(height))

    def modes(self) -> dict[str, int]:
        """The pane's terminal modes (1 = on), as tmux tracks them from the escape codes it received."""
        values = self.run("display-message", "-p", "-t", self.TARGET,
                          " ".join(f"#{{{name}}}" for name in self.MODES)).split()
        return {name: int(value or 0) for name, value in zip(self.MODES, values, strict=True)}

    def kill(self) -> None:
        subprocess.run(["tmux", "-S", str(self.socket), "kill-server"], capture_output=True, timeout=10)


class RemoteBrowser:
    """``newstui`` started with ``ssh -t`` from the shell in the tmux terminal, as a user would."""

    EXIT = re.compile(r"^e2e-exit:(\d+)\s*$", re.MULTILINE)

    def __init__(self, tmux: Tmux, sshd: Sshd, remote_command: Sequence[str], env: dict[str, str]) -> None:
        self.tmux = tmux
        assignments = " ".join(f"{name}={shlex.quote(value)}" for name, value in env.items())
        ssh = shlex.join(sshd.ssh_argv(*remote_command, tty=True))
        tmux.type_line(f"{assignments} {ssh}; echo e2e-exit:$?")

    def wait_for(self, wanted: str | Callable[[str], object], timeout: float = 15) -> str:
        """Like ``Tmux.wait_for``, but fails at once when newstui has exited instead."""
        check = wanted if callable(wanted) else (lambda text: wanted in text)

        def running_and(text: str) -> bool:
            if self.EXIT.search(text):
                raise AssertionError(f"newstui exited while waiting for {wanted!r}:\n{text}")
            return bool(check(text))

        return self.tmux.wait_for(running_and, timeout)

    def press(self, *keys: str) -> None:
        self.tmux.send_keys(*keys)

    def type(self, text: str) -> None:
        self.tmux.type(text)

    def quit(self) -> int:
        """Press q; the exit status the shell saw."""
        self.press("q")
        screen = self.tmux.wait_for(lambda text: self.EXIT.search(text))
        return int(self.EXIT.search(screen).group(1))
