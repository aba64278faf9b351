"""A feed server on 127.0.0.1 for tests: feeds with validators, and every way a server misbehaves.

    server.feed("/a.xml", body)               # 200 with an ETag; 304 when the client sends it back
    server.route("/slow", server.drip)        # any handler: (request, server) -> None
    server.requests                           # (path, headers) of every request, in order

Handlers that never finish on their own (drip, endless) stop when the test ends.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Handler = Callable[[BaseHTTPRequestHandler, "FeedServer"], None]


@dataclass(frozen=True, slots=True)
class Seen:
    path: str
    headers: dict[str, str]


class FeedServer:
    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.requests: list[Seen] = []
        self.stopping = threading.Event()
        self._versions = 0
        server = self

        class _Request(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                server.requests.append(Seen(self.path, {k.lower(): v for k, v in self.headers.items()}))
                handler = server.routes.get(self.path.split("?", 1)[0])
                if handler is None:
                    self.send_error(404, "Not Found")
                    return
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up
                    handler(self, server)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Request)
        self.httpd.daemon_threads = True
        self._thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def close(self) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(5)

    def requests_to(self, path: str) -> list[Seen]:
        return [seen for seen in self.requests if seen.path == path]

    # -- routes ------------------------------------------------------------------------------

    def route(self, path: str, handler: Handler) -> str:
        self.routes[path] = handler
        return self.url(path)

    def feed(
        self,
        path: str,
        body: bytes,
        *,
        content_type: str = "application/rss+xml",
        validators: bool = True,
        compress: bool = False,
    ) -> str:
        """Serve body with an ETag and Last-Modified (when validators), answering 304 to a
        request that sends either back."""
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        self._versions += 1  # each body served is a minute newer than the one before
        modified = formatdate(1537956540 + 60 * self._versions, usegmt=True)

        def handle(request: BaseHTTPRequestHandler, _: FeedServer) -> None:
            if validators and (
                request.headers.get("If-None-Match") == etag
                or request.headers.get("If-Modified-Since") == modified
            ):
                request.send_response(304)
                request.send_header("ETag", etag)
                request.send_header("Content-Length", "0")
                request.end_headers()
                return
            payload = gzip.compress(body) if compress else body
            request.send_response(200)
            request.send_header("Content-Type", content_type)
            request.send_header("Content-Length", str(len(payload)))
            if compress:
                request.send_header("Content-Encoding", "gzip")
            if validators:
                request.send_header("ETag", etag)
                request.send_header("Last-Modified", modified)
            request.end_headers()
            request.wfile.write(payload)

        return self.route(path, handle)

    @staticmethod
    def drip(request: BaseHTTPRequestHandler, server: FeedServer, every_s: float = 0.5) -> None:
        """Headers at once, then a byte every so often: each read succeeds, the whole never ends."""
        request.send_response(200)
        request.send_header("Content-Type", "application/rss+xml")
        request.send_header("Content-Length", "10000")
        request.end_headers()
        while not server.stopping.wait(every_s):
            request.wfile.write(b" ")
            request.wfile.flush()

    @staticmethod
    def endless(request: BaseHTTPRequestHandler, server: FeedServer) -> None:
        """A body with no length that never stops."""
        request.send_response(200)
        request.send_header("Content-Type", "application/rss+xml")
        request.send_header("Connection", "close")
        request.end_headers()
        request.wfile.write(b"<rss><channel>")
        chunk = b"<item><title>x</title></item>" * 1000
        while not server.stopping.is_set():
            request.wfile.write(chunk)

    @staticmethod
    def cut_short(body: bytes) -> Handler:
        """Announce the whole body, send half of it, hang up."""

        def handle(request: BaseHTTPRequestHandler, _: FeedServer) -> None:
            request.send_response(200)
            request.send_header("Content-Type", "application/rss+xml")
            request.send_header("Content-Length", str(len(body)))
            request.end_headers()
            request.wfile.write(body[: len(body) // 2])
            request.wfile.flush()
            request.close_connection = True

        return handle

    @staticmethod
    def redirect(to: str, status: int = 302) -> Handler:
        def handle(request: BaseHTTPRequestHandler, _: FeedServer) -> None:
            request.send_response(status)
            request.send_header("Location", to)
            request.send_header("Content-Length", "0")
            request.end_headers()

        return handle

    @staticmethod
    def status(code: int, reason: str) -> Handler:
        def handle(request: BaseHTTPRequestHandler, _: FeedServer) -> None:
            request.send_error(code, reason)

        return handle
