"""A tiny forward proxy on 127.0.0.1 for the proxy tests: it records and relays plain HTTP.

It serves absolute-form request targets (`GET http://127.0.0.1:1234/path HTTP/1.1`), relays
them to their loopback target and the answer back, and records what it saw. A target that is
not on loopback is refused (nothing in the tests may leave the machine), and so is `CONNECT`.
"""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

__all__ = ["ForwardProxy", "ProxiedRequest", "forward_proxy"]

# Headers that belong to one hop, never relayed (RFC 9110 §7.6.1), plus the proxy's own.
_HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
    }
)
_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


@dataclass(frozen=True)
class ProxiedRequest:
    """One request the proxy received."""

    method: str
    #: The absolute URL the client asked for.
    target: str
    #: The request headers, names in lower case.
    headers: dict[str, str]
    #: The status relayed back (502 when the target could not be reached).
    status: int

    @property
    def path(self) -> str:
        """The target's path, without the query."""
        return urlsplit(self.target).path


class ForwardProxy:
    """The running proxy: its URL and the requests it relayed."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: list[ProxiedRequest] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        # A short poll so that `close` (which waits for the next poll) is quick.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()

    @property
    def requests(self) -> list[ProxiedRequest]:
        """Every request received so far, in order."""
        with self._lock:
            return list(self._requests)

    def paths(self) -> list[str]:
        """The target path of every request received so far, in order."""
        return [request.path for request in self.requests]

    def close(self) -> None:
        """Stop serving and release the socket."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    def _record(self, request: ProxiedRequest) -> None:
        with self._lock:
            self._requests.append(request)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass  # quiet: pytest would show it as captured output

            def _relay(self) -> None:
                headers = {name.lower(): value for name, value in self.headers.items()}
                target = urlsplit(self.path)
                if target.scheme != "http" or target.hostname not in _LOOPBACK:
                    self._answer(403, b"only plain http to loopback", headers)
                    return
                length = int(headers.get("content-length", "0") or 0)
                body = self.rfile.read(length) if length else None
                relayed = {k: v for k, v in headers.items() if k not in _HOP_BY_HOP}
                path = target.path + (f"?{target.query}" if target.query else "")
                upstream = http.client.HTTPConnection(
                    target.hostname, target.port or 80, timeout=10
                )
                try:
                    upstream.request(self.command, path or "/", body=body, headers=relayed)
                    answer = upstream.getresponse()
                    payload = answer.read()
                    status = answer.status
                    answer_headers = [
                        (name, value)
                        for name, value in answer.getheaders()
                        if name.lower() not in _HOP_BY_HOP and name.lower() != "content-length"
                    ]
                except (OSError, http.client.HTTPException):
                    self._answer(502, b"the target could not be reached", headers)
                    return
                finally:
                    upstream.close()
                proxy._record(ProxiedRequest(self.command, self.path, headers, status))
                self.send_response(status)
                for name, value in answer_headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def _answer(self, status: int, text: bytes, headers: dict[str, str]) -> None:
                proxy._record(ProxiedRequest(self.command, self.path, headers, status))
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(text)))
                self.end_headers()
                self.wfile.write(text)

            do_GET = do_POST = do_PUT = do_DELETE = _relay

            def do_CONNECT(self) -> None:
                self._answer(405, b"no tunnels here", {})

        return Handler


@contextmanager
def forward_proxy() -> Iterator[ForwardProxy]:
    """Run a `ForwardProxy` for the length of a `with` block."""
    proxy = ForwardProxy()
    try:
        yield proxy
    finally:
        proxy.close()
