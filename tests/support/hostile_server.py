"""Hostile HTTP servers on raw sockets: each connection is answered by a function of the path.

Not the simulator: these servers misbehave on purpose (drip bytes, never end a body, inflate,
echo secrets). Every loop is bounded by a count and by the server's stop event, every socket
wait by a timeout, so a test that goes wrong fails instead of hanging.
"""

from __future__ import annotations

import json
import socket
import sys
import threading
import time
import traceback
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

Handler = Callable[[str, "Connection"], None]

API_KEY = "adv-api-key-7Q2xZ"
CLIENT_ID = "adv-client"
CLIENT_SECRET = "adv-client-secret-9KpL3"
USERNAME = "adv-user"
PASSWORD = "adv-pass-Wq8#Tz"
ISSUED_TOKEN = "adv-issued-token-H4mN2vR8"

SECRETS = (API_KEY, CLIENT_SECRET, PASSWORD, ISSUED_TOKEN)
"""Every secret a test client holds or is issued: none may show in an error."""

_HEAD_LIMIT = 64 * 1024
_SOCKET_TIMEOUT = 5.0


class Connection:
    """One accepted connection: the request's head and body read, helpers to answer."""

    def __init__(self, sock: socket.socket, stop: threading.Event) -> None:
        self.sock = sock
        self.stop = stop
        self.head = b""
        self.body = b""

    def read_request(self) -> str | None:
        """Read one request; return its path, or None if the client went away."""
        data = b""
        while b"\r\n\r\n" not in data and len(data) < _HEAD_LIMIT:
            chunk = self.sock.recv(4096)
            if not chunk:
                return None
            data += chunk
        self.head, _, rest = data.partition(b"\r\n\r\n")
        length = 0
        for line in self.head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        while len(rest) < length:
            chunk = self.sock.recv(4096)
            if not chunk:
                return None
            rest += chunk
        self.body = rest
        request_line = self.head.split(b"\r\n", 1)[0].decode("latin-1")
        return request_line.split(" ")[1] if " " in request_line else "/"

    def send(self, data: bytes) -> bool:
        """Send `data`; False if the client has gone."""
        try:
            self.sock.sendall(data)
        except OSError:
            return False
        return True

    def respond(
        self,
        status: str = "200 OK",
        body: bytes = b"",
        headers: dict[str, str] | None = None,
    ) -> bool:
        """Send a whole response with a Content-Length."""
        lines = [f"HTTP/1.1 {status}", f"Content-Length: {len(body)}"]
        lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        return self.send(head + body)

    def respond_json(self, data: object, status: str = "200 OK") -> bool:
        """Send `data` as a JSON response."""
        body = json.dumps(data).encode()
        return self.respond(status, body, {"Content-Type": "application/json"})

    def drip(self, data: bytes, interval: float, limit: int = 400) -> None:
        """Send `data` one byte at a time, `interval` apart, at most `limit` bytes."""
        for byte in data[:limit]:
            if self.stop.is_set() or not self.send(bytes([byte])):
                return
            time.sleep(interval)

    def endless(self, chunk: bytes, limit: int = 200_000) -> None:
        """Send `chunk` again and again (at most `limit` times) until the client goes."""
        for _ in range(limit):
            if self.stop.is_set() or not self.send(chunk):
                return


def token_answer(connection: Connection, token: str = ISSUED_TOKEN) -> None:
    """A well-formed token response."""
    connection.respond_json({"access_token": token, "token_type": "Bearer", "expires_in": 3600})


def user_page() -> dict[str, object]:
    """A well-formed, empty page of users."""
    page = {
        "content": [],
        "totalPages": 0,
        "totalElements": 0,
        "size": 25,
        "number": 1,
        "numberOfElements": 0,
    }
    return {"code": "0000", "message": "ok", "data": page}


def gzip_bomb(inflated: int = 16 * 1024 * 1024) -> bytes:
    """A gzip body of `inflated` zero bytes (about a thousand times smaller)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(1024 * 1024)
    parts = [compressor.compress(block) for _ in range(inflated // len(block))]
    return b"".join(parts) + compressor.flush()


class HostileServer:
    """A server thread on 127.0.0.1; `handler(path, connection)` answers each request."""

    def __init__(self, handler: Handler) -> None:
        self._handler = handler
        self._stop = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)
        self.port = self._listener.getsockname()[1]
        self.requests: list[str] = []
        self._threads: list[threading.Thread] = []
        self._accepter = threading.Thread(target=self._accept, daemon=True)
        self._accepter.start()

    @property
    def base_url(self) -> str:
        """The server's base URL."""
        return f"http://127.0.0.1:{self.port}"

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                sock, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            thread = threading.Thread(target=self._serve, args=(sock,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, sock: socket.socket) -> None:
        sock.settimeout(_SOCKET_TIMEOUT)
        connection = Connection(sock, self._stop)
        try:
            for _ in range(100):  # keep-alive: a bounded number of requests per connection
                path = connection.read_request()
                if path is None or self._stop.is_set():
                    return
                self.requests.append(path)
                self._handler(path, connection)
        except OSError:
            return
        finally:
            sock.close()

    def close(self) -> None:
        """Stop accepting and answering; wait (bounded) for the threads."""
        self._stop.set()
        self._listener.close()
        self._accepter.join(timeout=5)
        for thread in self._threads:
            thread.join(timeout=5)


@contextmanager
def hostile(handler: Handler) -> Iterator[HostileServer]:
    """Run a `HostileServer` for the block."""
    server = HostileServer(handler)
    try:
        yield server
    finally:
        server.close()


def api_key_settings(server: HostileServer, **extra: Any) -> dict[str, Any]:
    """Client settings for the API-key mode against `server` (no retries unless given)."""
    return {"base_url": server.base_url, "api_key": API_KEY, "max_retries": 0, **extra}


def password_settings(server: HostileServer, **extra: Any) -> dict[str, Any]:
    """Client settings for the password grant against `server` (no retries unless given)."""
    return {
        "base_url": server.base_url,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "username": USERNAME,
        "password": PASSWORD,
        "max_retries": 0,
        **extra,
    }


def _library_locals(rendered: traceback.TracebackException | None) -> Iterator[str]:
    """The reprs of the locals of every frame outside the tests, along the whole chain."""
    seen: set[int] = set()
    while rendered is not None and id(rendered) not in seen:
        seen.add(id(rendered))
        for frame in rendered.stack:
            if "/tests/" not in frame.filename and frame.locals:
                yield from frame.locals.values()
        rendered = rendered.__cause__ or rendered.__context__


def _texts(exc: BaseException, *, frame_locals: bool = True) -> Iterator[str]:
    """Every text an exception shows: str, repr, args, attributes, for it and its chain, and
    the locals a traceback rendered with `capture_locals=True` shows of the library's frames
    (the test's own frames hold the secrets it planted)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield str(current)
        yield repr(current)
        yield from (repr(arg) for arg in current.args)
        yield from (repr(value) for value in vars(current).values())
        current = current.__cause__ or current.__context__
    if not frame_locals:
        return
    # A caller's 5,000-digit argument is a local too: let its repr be written out.
    limit = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        rendered = traceback.TracebackException.from_exception(exc, capture_locals=True)
    finally:
        sys.set_int_max_str_digits(limit)
    yield from _library_locals(rendered)


def assert_no_secret(
    exc: BaseException, secrets: tuple[str, ...] = SECRETS, *, frame_locals: bool = True
) -> None:
    """Assert that no secret shows in `exc`, its chain, its attributes or its traceback's locals.

    `frame_locals=False` for a secret the caller passed in: the frames of the call it passed
    it to hold it as an argument, whatever the library does.
    """
    for text in _texts(exc, frame_locals=frame_locals):
        for secret in secrets:
            assert secret not in text, f"a secret shows in {type(exc).__name__}"
