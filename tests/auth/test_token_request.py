"""What the token request carries: the client's headers, the form of RFC 6749, no
Authorization header."""

from __future__ import annotations

from tests.support.clients import (
    SimFactory,
    sync_client,
)


def test_the_token_request_carries_the_client_headers_but_no_authorization(
    make_sim: SimFactory,
) -> None:
    sim = make_sim()
    with sync_client(sim) as cx:
        cx.users.list()
    token_request = next(r for r in sim.requests if r.path == "/oauth/token")
    api_request = next(r for r in sim.requests if r.path != "/oauth/token")
    headers = {name.lower(): value for name, value in token_request.headers.items()}
    assert headers["user-agent"].startswith("cloudcx-python/")
    assert "gzip" in headers["accept-encoding"]
    assert headers["accept"] == "application/json"
    assert headers["cache-control"] == "no-store"
    assert "authorization" not in headers
    api_headers = {name.lower(): value for name, value in api_request.headers.items()}
    assert api_headers["user-agent"] == headers["user-agent"]


def test_token_request_has_no_authorization_header(make_sim: SimFactory) -> None:
    sim = make_sim(refresh_tokens=True)
    with sync_client(sim) as cx:
        cx.users.list()
        sim.revoke_access_tokens()
        cx.users.list()
    token_requests = [r for r in sim.requests if r.path == "/oauth/token"]
    assert len(token_requests) == 2
    for record in token_requests:
        assert "authorization" not in record.headers
        assert record.form is not None
        assert record.form["client_id"] == sim.client_id
        assert record.form["client_secret"] == sim.client_secret
        assert record.headers["content-type"] == "application/x-www-form-urlencoded"
