"""A loopback HTTP server that answers every request with whatever the test tells it to."""

from __future__ import annotations

from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    """The answer the server gives next: status, headers and raw body bytes."""

    status: int = 200
    content_type: str | None = "application/json"
    body: bytes = b"{}"
    retry_after: str | None = None


class ScriptedServer(ThreadingHTTPServer):
    """Serves `reply` to every request, closing each connection after its answer."""

    daemon_threads = True
    reply = Reply()

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet."""

    def do_GET(self) -> None:
        length = self.headers.get("Content-Length", "0")
        self.rfile.read(int(length) if length.isdigit() else 0)
        server = self.server
        assert isinstance(server, ScriptedServer)
        reply = server.reply
        self.send_response(reply.status)
        if reply.content_type is not None:
            self.send_header("Content-Type", reply.content_type)
        if reply.retry_after is not None:
            self.send_header("Retry-After", reply.retry_after)
        self.send_header("Content-Length", str(len(reply.body)))
        # One answer per connection: a status that forbids a body (204, 304) cannot then
        # leave stray bytes for the next request on a kept-alive connection.
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(reply.body)
        self.close_connection = True

    do_POST = do_GET


def scripted_server() -> ScriptedServer:
    """A new scripted server on an OS-chosen loopback port; run it with `clients.serving`."""
    return ScriptedServer(("127.0.0.1", 0), _Handler)
