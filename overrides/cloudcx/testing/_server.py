"""The HTTP side: a threading server and a handler that answers each request in one send.

Speed matters here: each response (head and body) goes out in a single ``sendall`` on a
keep-alive connection with ``TCP_NODELAY`` set, so a client never waits on Nagle's algorithm
and delayed ACKs (a ~40 ms stall per request with Python's stock handler).
"""

from __future__ import annotations

import contextlib
import json
import socket
import socketserver
import struct
import sys
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, parse_qsl

from ._faults import Fault, alter_field, fault_response
from ._http import Request, Response, envelope, json_response
from ._records import RecordedRequest
from ._routes import BEHAVIOUR, TOKEN_PATH, Endpoint, auth_error, token_endpoint
from ._spec_routes import (
    OperationRoutes,
    example_endpoint,
    load_operations,
    method_not_allowed,
    needs_credentials,
    no_route,
)
from ._state import GET_ACTIONS, POST_ACTIONS, ControlError, SimulatorState

__all__ = ["CONTROL_PREFIX", "SimulatorServer"]

#: Control endpoints (a test tool, not part of the API) live below this path on the API port.
CONTROL_PREFIX = "/_simulator/"
_MAX_BODY = 1 << 20
_FORM_TYPE = "application/x-www-form-urlencoded"


class SimulatorServer(ThreadingHTTPServer):
    """One listening port: the API host, the token host, or both at once."""

    daemon_threads = True
    # socketserver's default backlog of 5 drops connection attempts when 16 or more clients
    # connect at once, and the kernel's retry then stalls each of them for about a second.
    request_queue_size = 128
    block_on_close = False

    def __init__(
        self, host: str, port: int, state: SimulatorState, *, api: bool, token: bool
    ) -> None:
        self.state = state
        self.serves_api = api
        self.serves_token = token
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.operations = OperationRoutes(load_operations(state.config.operations))
        self._connections: set[socket.socket] = set()
        self._idle = threading.Condition()
        super().__init__((host, port), _Handler)

    def server_bind(self) -> None:
        """Bind without ``HTTPServer``'s reverse DNS lookup, which can take seconds."""
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    @property
    def url(self) -> str:
        """The server's base URL (a wildcard address is reported as loopback)."""
        host, port = str(self.server_address[0]), int(self.server_address[1])
        if host in ("0.0.0.0", ""):
            host = "127.0.0.1"
        elif host == "::":
            host = "::1"
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{port}"

    def process_request(self, request: Any, client_address: Any) -> None:
        """Track the connection, then serve it on its own thread."""
        with self._idle:
            self._connections.add(request)
        # Counted so that tests can prove a client reuses its keep-alive connections.
        self.state.count("connections")
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        """Close the connection and stop tracking it."""
        super().shutdown_request(request)
        with self._idle:
            self._connections.discard(request)
            self._idle.notify_all()

    def close_connections(self, timeout: float = 2.0) -> None:
        """Shut every open connection down and wait (up to ``timeout``) for their threads."""
        with self._idle:
            for conn in self._connections:
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
            self._idle.wait_for(lambda: not self._connections, timeout)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet about clients that went away; report anything else."""
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)

    def route(self, path: str) -> str | None:
        """Name what serves ``path`` here: ``"token"``, ``"api"``, ``"control"`` or ``None``."""
        if path == TOKEN_PATH:
            return "token" if self.serves_token else None
        if not self.serves_api:
            return None
        if path.startswith(CONTROL_PREFIX):
            return "control"
        return "api" if self.operations.serves(path) else None


def _headers(handler: BaseHTTPRequestHandler) -> dict[str, str]:
    headers: dict[str, str] = {}
    for name, value in handler.headers.items():
        key = name.lower()
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    return headers


class _BadBody(Exception):
    """The request body could not be read as HTTP/1.1 frames it."""


class _Handler(BaseHTTPRequestHandler):
    """Parses a request, runs its route (with any fault) and writes the response."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server_version = "cloudcx-simulator"

    def log_message(self, format: str, *args: Any) -> None:
        """Log nothing: the simulator keeps its own request log."""

    def handle(self) -> None:
        """Serve the connection until it closes, quietly if the client goes away."""
        try:
            super().handle()
        except OSError:
            self.close_connection = True

    def do_GET(self) -> None:
        """Serve GET."""
        self._serve()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_GET

    def __getattr__(self, name: str) -> Callable[[], None]:
        # Any other method (TRACE, QUERY, ...) reaches the routes too, which answer 405 with
        # `Allow`, as the spec's contract test (schemathesis) expects: never http.server's 501.
        if name.startswith("do_"):
            return self.do_GET
        raise AttributeError(name)

    @property
    def _server(self) -> SimulatorServer:
        server = self.server
        assert isinstance(server, SimulatorServer)
        return server

    def _read_body(self, headers: dict[str, str]) -> bytes:
        if "chunked" in headers.get("transfer-encoding", "").lower():
            return self._read_chunked()
        length_text = headers.get("content-length", "0").strip() or "0"
        if not length_text.isdigit() or int(length_text) > _MAX_BODY:
            raise _BadBody(f"bad Content-Length {length_text!r}")
        length = int(length_text)
        body = self.rfile.read(length) if length else b""
        if len(body) != length:
            raise _BadBody("body shorter than Content-Length")
        return body

    def _read_chunked(self) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while True:
            line = self.rfile.readline(1024).split(b";", 1)[0].strip()
            try:
                length = int(line, 16)
            except ValueError:
                raise _BadBody("bad chunk size") from None
            size += length
            if size > _MAX_BODY:
                raise _BadBody("body too large")
            if length == 0:
                while self.rfile.readline(1024).strip():  # trailers
                    pass
                return b"".join(chunks)
            chunks.append(self.rfile.read(length))
            self.rfile.readline(1024)

    def _send(self, response: Response) -> None:
        data = response.encode(close=self.close_connection, head_only=self.command == "HEAD")
        self.wfile.write(data)

    def _serve(self) -> None:
        server = self._server
        path, _, query_string = self.path.partition("?")
        headers = _headers(self)
        try:
            body = self._read_body(headers)
        except _BadBody as exc:
            self.close_connection = True
            self._send(envelope(400, "4000", str(exc)))
            return
        route = server.route(path)
        if route == "control":
            self._send(self._control(server.state, path[len(CONTROL_PREFIX) :], body))
            return
        form_pairs = None
        if headers.get("content-type", "").split(";")[0].strip().lower() == _FORM_TYPE:
            form_pairs = parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
        request = Request(
            method=self.command,
            path=path,
            query=parse_qs(query_string, keep_blank_values=True),
            headers=headers,
            body=body,
            form_pairs=form_pairs,
        )
        if route == "token":
            self._serve_route(server.state, route, token_endpoint, request)
        elif route == "api":
            self._serve_operation(server, request)
        else:
            self._answer(server.state, request, no_route(path))

    def _answer(self, state: SimulatorState, request: Request, response: Response) -> None:
        self._record(state, request, response.status)
        self._send(response)

    def _serve_operation(self, server: SimulatorServer, request: Request) -> None:
        """Serve the operation of the spec that the path and method name."""
        matches = server.operations.matches(request.path)
        method = "GET" if request.method == "HEAD" else request.method
        chosen = next((pair for pair in matches if pair[0].http_method == method), None)
        if chosen is None:
            allowed = [operation.http_method for operation, _ in matches]

            def refuse(state: SimulatorState, request: Request) -> Response:
                return method_not_allowed(request.method, allowed)

            # Counted and faulted as the path's route, as a client sees one route per path.
            first = matches[0][0].operation_id
            route = BEHAVIOUR[first][0] if first in BEHAVIOUR else first
            self._serve_route(server.state, route, refuse, request)
            return
        operation, path_values = chosen
        if operation.operation_id in BEHAVIOUR:
            route, handler = BEHAVIOUR[operation.operation_id]
            self._serve_route(server.state, route, handler, request)
            return

        def from_example(state: SimulatorState, request: Request) -> Response:
            if needs_credentials(operation):
                refused = auth_error(state, request)
                if refused is not None:
                    return refused
            return example_endpoint(operation, path_values, request)

        self._serve_route(server.state, operation.operation_id, from_example, request)

    def _serve_route(
        self, state: SimulatorState, route: str, handler: Endpoint, request: Request
    ) -> None:
        state.count(route)
        if route == "users":
            state.pause(state.latency)
        fault = state.faults.take(route)
        if fault is not None and fault.kind == "delay":
            state.pause(fault.seconds)
        if fault is not None and fault.kind == "reset":
            self._record(state, request, 0)
            self._reset()
            return
        response = fault_response(fault, route) if fault is not None else None
        if response is None:
            response = handler(state, request)
            if fault is not None and fault.kind in ("missing_field", "wrong_type"):
                response = _altered(response, fault)
        self._record(state, request, response.status)
        if fault is not None and fault.kind == "truncated":
            self.close_connection = True
            self.wfile.write(response.head(close=True) + response.body[: len(response.body) // 2])
            return
        self._send(response)

    def _record(self, state: SimulatorState, request: Request, status: int) -> None:
        entry = RecordedRequest(
            method=request.method,
            path=request.path,
            query=request.query,
            headers=request.headers,
            form=request.form,
            status=status,
        )
        state.record(entry)

    def _reset(self) -> None:
        """Close the connection with a TCP RST (SO_LINGER 0) and no response."""
        self.close_connection = True
        conn = self.connection
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.rfile.close()
        conn.close()

    def _control(self, state: SimulatorState, action: str, body: bytes) -> Response:
        allowed = "GET" if action in GET_ACTIONS else "POST" if action in POST_ACTIONS else None
        if allowed is None:
            return json_response(404, {"error": f"unknown control action {action!r}"})
        if self.command != allowed:
            return json_response(405, {"error": f"use {allowed}"}, (("Allow", allowed),))
        try:
            payload = json.loads(body) if body.strip() else {}
            if not isinstance(payload, dict):
                raise ControlError("the body must be a JSON object")
            return json_response(200, state.control(action, payload))
        except (ValueError, ControlError) as exc:
            return json_response(400, {"error": str(exc)})


def _altered(response: Response, fault: Fault) -> Response:
    """Apply a field fault to a 200 JSON success response; leave any other response alone."""
    if response.status != 200:
        return response
    document = json.loads(response.body)
    if document.get("code", "0000") != "0000":
        return response
    return json_response(200, alter_field(document, fault), response.headers)
