"""A redirect from the API or the token endpoint is an `APIError` naming the target and the
setting to change, never following it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from cloudcx import (
    APIError,
    CloudCX,
)
from tests.support.clients import SimFactory, serving, sync_client


class _Redirector(BaseHTTPRequestHandler):
    target = "https://moved.example.net"

    def _redirect(self) -> None:
        self.send_response(301)
        self.send_header("Location", self.target + self.path)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_POST = _redirect

    def log_message(self, format: str, *args: Any) -> None:
        return None


@contextmanager
def _redirector() -> Iterator[str]:
    with serving(ThreadingHTTPServer(("127.0.0.1", 0), _Redirector)) as url:
        yield url


def test_an_api_redirect_names_the_target_and_base_url(make_sim: SimFactory) -> None:
    sim = make_sim()
    with (
        _redirector() as url,
        CloudCX(base_url=url, api_key=sim.api_key) as cx,
        pytest.raises(APIError) as caught,
    ):
        cx.users.list(keywords="Smith")
    message = str(caught.value)
    assert caught.value.status_code == 301
    assert "redirected to https://moved.example.net/openapi/v2/user/page" in message
    assert "set base_url (or CLOUDCX_BASE_URL) to https://moved.example.net" in message
    assert "Smith" not in message
    assert sim.api_key not in message


def test_a_token_endpoint_redirect_names_the_target_and_token_url(make_sim: SimFactory) -> None:
    sim = make_sim()
    with (
        _redirector() as url,
        sync_client(sim, token_url=url + "/oauth/token") as cx,
        pytest.raises(APIError) as caught,
    ):
        cx.users.list()
    message = str(caught.value)
    assert "redirected to https://moved.example.net/oauth/token" in message
    assert (
        "set token_url (or CLOUDCX_TOKEN_URL) to https://moved.example.net/oauth/token" in message
    )
    assert sim.requests == []
