"""The server's request id on every error built from a response (`request_id`)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from cloudcx import (
    APIError,
    AuthenticationError,
    CloudCX,
    InvalidResponseError,
    NotFoundError,
    ServerError,
)
from cloudcx._exceptions import request_id_from

# path -> (status, headers, body) the loopback server answers with.
ANSWERS: dict[str, tuple[int, dict[str, str], bytes]] = {
    "/missing/openapi/v2/user/page": (404, {"x-request-id": "req_404"}, b"{}"),
    "/failing/openapi/v2/user/page": (503, {"request-id": "req-503"}, b"{}"),
    "/envelope/openapi/v2/user/page": (
        200,
        {"x-request-id": "req_env"},
        json.dumps({"code": "1001", "message": "nope"}).encode(),
    ),
    "/html/openapi/v2/user/page": (200, {"x-request-id": "req_html"}, b"<html>"),
    "/bare/openapi/v2/user/page": (404, {}, b"{}"),
    "/hostile/openapi/v2/user/page": (404, {"x-request-id": "x" * 5000}, b"{}"),
    "/token/oauth/token": (
        400,
        {"x-request-id": "req_token"},
        json.dumps({"error": "invalid_grant"}).encode(),
    ),
}


class _Handler(BaseHTTPRequestHandler):
    def _answer(self) -> None:
        status, headers, body = ANSWERS[self.path.split("?")[0]]
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    do_GET = _answer
    do_POST = _answer

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


def _list(base_url: str) -> None:
    with CloudCX(base_url=base_url, api_key="cxk_test", max_retries=0) as cx:
        cx.users.list()


@pytest.mark.parametrize(
    ("prefix", "error", "request_id"),
    [
        ("missing", NotFoundError, "req_404"),
        ("failing", ServerError, "req-503"),
        ("envelope", APIError, "req_env"),
        ("bare", NotFoundError, None),
        ("hostile", NotFoundError, None),
    ],
)
def test_api_errors_carry_the_request_id(
    server: str, prefix: str, error: type[APIError], request_id: str | None
) -> None:
    with pytest.raises(error) as info:
        _list(f"{server}/{prefix}")
    assert info.value.request_id == request_id
    if request_id is None:
        assert "request_id" not in str(info.value)
    else:
        assert f"request_id={request_id}" in str(info.value)


def test_an_unreadable_answer_carries_it_too(server: str) -> None:
    with pytest.raises(InvalidResponseError) as info:
        _list(f"{server}/html")
    assert info.value.request_id == "req_html"


def test_a_refused_token_request_carries_it(server: str) -> None:
    with (
        pytest.raises(AuthenticationError) as info,
        CloudCX(
            base_url=f"{server}/missing",
            token_url=f"{server}/token/oauth/token",
            client_id="c",
            username="u",
            password="p",
            max_retries=0,
        ) as cx,
    ):
        cx.users.list()
    assert info.value.request_id == "req_token"
    assert info.value.error == "invalid_grant"


def test_only_a_plausible_header_is_kept() -> None:
    assert request_id_from({"x-request-id": " abc-1 "}) == "abc-1"
    assert request_id_from({"request-id": "r2"}) == "r2"
    assert request_id_from({"x-request-id": "a b"}) is None
    assert request_id_from({"x-request-id": "\x1b[31m"}) is None
    assert request_id_from({"x-request-id": "é"}) is None
    assert request_id_from({}) is None
