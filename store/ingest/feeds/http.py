"""Bounded HTTP GET for feeds and article pages: nothing a server does can hang or flood us.

Each download has a per-read timeout and an overall deadline (a watchdog shuts the socket when
it passes, so a server dripping one byte every few seconds cannot keep us), a size cap that also
holds for what gzip inflates to, at most a few redirects, and a Content-Length that must be met:
a download cut short is an error, never a shorter document. Conditional requests send the
validators of the last download (ETag, Last-Modified); 304 means nothing changed.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import ssl
import threading
import urllib.request
import zlib
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from ... import __version__
from ..formats.records import ImportFailure

USER_AGENT = f"newstui/{__version__} (feed reader)"
FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.9, "
    "text/xml;q=0.9, */*;q=0.8"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.8"
REDIRECTS = (301, 302, 303, 307, 308)
READ_CHUNK = 64 * 1024
_LOOPBACK = ("localhost", "127.0.0.1", "::1")


class FetchError(ImportFailure):
    """A download that failed; the message is one line naming the URL."""


@dataclass(frozen=True, slots=True)
class Limits:
    """How long and how much one download may take."""

    read_timeout_s: float = 20.0  # silence between two reads
    deadline_s: float = 60.0  # the whole download, redirects included
    max_bytes: int = 20 * 1024 * 1024  # after decompression
    max_redirects: int = 5


FEED_LIMITS = Limits()
PAGE_LIMITS = Limits(deadline_s=30.0, max_bytes=5 * 1024 * 1024)


@dataclass(frozen=True, slots=True)
class Response:
    url: str  # after redirects
    status: int  # 200, or 304 for a conditional request that found nothing new
    body: bytes
    etag: str = ""
    last_modified: str = ""
    media_type: str = ""  # "application/rss+xml", without parameters
    charset: str | None = None  # from Content-Type, when the server names one

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def fetch(
    url: str,
    *,
    etag: str = "",
    last_modified: str = "",
    accept: str = FEED_ACCEPT,
    limits: Limits = FEED_LIMITS,
) -> Response:
    """GET url within limits, following redirects; FetchError with a one-line reason otherwise."""
    watchdog = _Watchdog(limits.deadline_s)
    headers = {"User-Agent": USER_AGENT, "Accept": accept, "Accept-Encoding": "gzip, deflate"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    current = url
    try:
        for _ in range(limits.max_redirects + 1):
            location = _get(current, headers, limits, watchdog)
            if isinstance(location, Response):
                return location
            current = location
    except Exception as error:  # a shut socket shows as any of several errors, or a short body
        if watchdog.expired:
            raise FetchError(f"{url}: not fetched within {limits.deadline_s:g} s") from None
        if isinstance(error, FetchError):
            raise
        raise FetchError(f"{url}: {_reason(error, limits)}") from None
    finally:
        watchdog.cancel()
    raise FetchError(f"{url}: more than {limits.max_redirects} redirects")


def _get(url: str, headers: dict[str, str], limits: Limits, watchdog: _Watchdog) -> Response | str:
    """One request: the response, or the URL a redirect points to."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"{url}: not an http(s) URL")
    connection = _connection(parts.scheme, parts.hostname, parts.port, limits.read_timeout_s)
    try:
        connection.connect()  # bounded by the read timeout; the watchdog needs its socket
        watchdog.watch(connection)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connection.request("GET", url if connection.via_proxy else target, headers=headers)
        response = connection.getresponse()
        if response.status in REDIRECTS:
            location = response.getheader("Location")
            if not location:
                raise FetchError(f"{url}: HTTP {response.status} redirect without a Location")
            return urljoin(url, location.strip())
        if response.status == 304:
            return Response(url, 304, b"", response.getheader("ETag", ""),
                            response.getheader("Last-Modified", ""))
        if response.status != 200:
            reason = " ".join(response.reason.split())
            raise FetchError(f"{url}: HTTP {response.status} {reason}".rstrip())
        body = _read_body(response, url, limits)
        media_type, charset = _content_type(response.getheader("Content-Type", ""))
        return Response(url, 200, body, response.getheader("ETag", ""),
                        response.getheader("Last-Modified", ""), media_type, charset)
    finally:
        connection.close()


def _read_body(response: http.client.HTTPResponse, url: str, limits: Limits) -> bytes:
    """The body, inflated, within the size cap; FetchError if it ends short of its length."""
    declared = response.getheader("Content-Length")
    expected = int(declared) if declared and declared.strip().isdigit() else None
    if expected is not None and expected > limits.max_bytes:  # inflating never shrinks it
        raise FetchError(f"{url}: larger than {_size(limits.max_bytes)} ({_size(expected)})")
    inflater = _inflater(response.getheader("Content-Encoding", ""), url)
    parts: list[bytes] = []
    received = size = 0
    while True:
        try:
            chunk = response.read1(READ_CHUNK)
        except http.client.IncompleteRead:
            raise FetchError(f"{url}: download cut short after {_size(received)}") from None
        if not chunk:
            break
        received += len(chunk)
        if inflater is not None:
            chunk = inflater.decompress(chunk, limits.max_bytes + 1 - size)
            if inflater.unconsumed_tail:
                chunk += b"x"  # more than the cap inflates from this chunk
        size += len(chunk)
        if size > limits.max_bytes:
            raise FetchError(f"{url}: larger than {_size(limits.max_bytes)}")
        parts.append(chunk)
    if expected is not None and received < expected:
        raise FetchError(f"{url}: download cut short: {_size(received)} of {_size(expected)}")
    if inflater is not None and not inflater.eof:
        raise FetchError(f"{url}: download cut short: the compressed data ends early")
    return b"".join(parts)


def _inflater(encoding: str, url: str):
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return _Deflate()
    raise FetchError(f"{url}: unsupported Content-Encoding {encoding!r}")


class _Deflate:
    """HTTP "deflate" is zlib-wrapped by the standard and raw deflate on many servers."""

    def __init__(self) -> None:
        self._inner = zlib.decompressobj()
        self._started = False

    def decompress(self, data: bytes, max_length: int) -> bytes:
        if not self._started:
            self._started = True
            try:
                return self._inner.decompress(data, max_length)
            except zlib.error:
                self._inner = zlib.decompressobj(-zlib.MAX_WBITS)
        return self._inner.decompress(data, max_length)

    @property
    def unconsumed_tail(self) -> bytes:
        return self._inner.unconsumed_tail

    @property
    def eof(self) -> bool:
        return self._inner.eof


def _content_type(header: str) -> tuple[str, str | None]:
    media_type, _, parameters = header.partition(";")
    charset = None
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip("\"'"):
            charset = value.strip().strip("\"'").lower()
    return media_type.strip().lower(), charset


class _Connection(http.client.HTTPConnection):
    via_proxy = False


class _TLSConnection(http.client.HTTPSConnection):
    via_proxy = False


def _connection(scheme: str, host: str, port: int | None, timeout: float) -> _Connection | _TLSConnection:
    """A connection to host, or to the proxy the environment names for it (http_proxy and so
    on, as urllib reads them; never for the loopback interface)."""
    proxy = None if host in _LOOPBACK or urllib.request.proxy_bypass(host) else (
        urllib.request.getproxies().get(scheme)
    )
    if proxy is None:
        if scheme == "https":
            return _TLSConnection(host, port, timeout=timeout, context=ssl.create_default_context())
        return _Connection(host, port, timeout=timeout)
    proxied = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
    if scheme == "https":
        tunnel = _TLSConnection(proxied.hostname, proxied.port or 8080, timeout=timeout,
                                context=ssl.create_default_context())
        tunnel.set_tunnel(host, port)
        return tunnel
    connection = _Connection(proxied.hostname, proxied.port or 8080, timeout=timeout)
    connection.via_proxy = True
    return connection


class _Watchdog:
    """Shuts the current connection's socket when the deadline passes: a read blocked on a
    server that sends a byte now and then returns at once instead of at the next byte."""

    def __init__(self, seconds: float) -> None:
        self._connection: http.client.HTTPConnection | None = None
        self._lock = threading.Lock()
        self.expired = False
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def watch(self, connection: http.client.HTTPConnection) -> None:
        with self._lock:
            self._connection = connection
            if self.expired:
                raise TimeoutError("deadline passed")

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            sock = self._connection.sock if self._connection is not None else None
            if sock is not None:
                with contextlib.suppress(OSError):  # closed already
                    sock.shutdown(socket.SHUT_RDWR)

    def cancel(self) -> None:
        self._timer.cancel()


def _reason(error: BaseException, limits: Limits) -> str:
    if isinstance(error, TimeoutError | socket.timeout):
        return f"no answer within {limits.read_timeout_s:g} s"
    if isinstance(error, ssl.SSLCertVerificationError):
        return f"certificate not trusted: {error.verify_message}"
    if isinstance(error, socket.gaierror):
        return "cannot resolve the host name"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, zlib.error):
        return "corrupt compressed data"
    if isinstance(error, http.client.RemoteDisconnected):
        return "the server closed the connection without answering"
    text = " ".join(str(error).split()) or type(error).__name__
    return f"cannot fetch: {text}"


def _size(count: int) -> str:
    for unit, scale in (("MB", 1 << 20), ("KB", 1 << 10)):
        if count >= scale:
            return f"{count / scale:.3g} {unit}"
    return f"{count} bytes"
