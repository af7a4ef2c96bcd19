"""The token endpoint, as a foreign server may run it: what the client sends and tolerates."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from cloudcx import AuthenticationError
from tests.support.foreign_clients import assert_api_request, assert_token_request, client
from tests.support.foreign_server import Quirks, foreign_server


def test_token_endpoint_on_another_port_named_localhost() -> None:
    with foreign_server(separate_token_port=True) as server:
        assert server.token_url.startswith("http://localhost:")
        with client(server) as cx:
            page = cx.users.list(page_size=5)
            token = cx.get_token().access_token.get_secret_value()
        assert page.total_elements == 26
        (token_request,) = server.token_requests
        assert_token_request(token_request, server)
        assert token_request.headers["host"].startswith("localhost:")
        (api_request,) = server.api_requests
        assert_api_request(api_request, token)
        assert api_request.headers["host"] == server.base_url.removeprefix("http://")


def test_lowercase_bearer_token_type_is_accepted() -> None:
    with foreign_server(Quirks(token_type="bearer")) as server, client(server) as cx:
        assert cx.users.list().number_of_elements == 25
        token = cx.get_token().access_token.get_secret_value()
        # RFC 6750 §2.1 spells the scheme `Bearer` whatever the token response said.
        assert_api_request(server.api_requests[0], token)


def test_no_expires_in_with_an_opaque_token_is_used_until_refused() -> None:
    with foreign_server(Quirks(expires_in=None)) as server, client(server) as cx:
        cx.users.list()
        assert cx.get_token().expires_at is None
        cx.users.list(page_index=2)
        assert len(server.token_requests) == 1


def test_no_expires_in_with_a_jwt_takes_the_expiry_from_exp() -> None:
    with foreign_server(Quirks(expires_in=None, jwt_exp=1800)) as server, client(server) as cx:
        before = datetime.now(UTC).timestamp()
        cx.users.list()
        expires_at = cx.get_token().expires_at
        assert expires_at is not None
        assert before + 1790 <= expires_at.timestamp() <= before + 1810
        assert len(server.token_requests) == 1


def test_jwt_exp_shorter_than_expires_in_ends_in_one_renewal() -> None:
    # expires_in says an hour, the JWT's exp (which the server enforces) says 30 s: once the
    # server refuses the token, the client renews it once and the call succeeds.
    with foreign_server(Quirks(expires_in=3599, jwt_exp=30)) as server, client(server) as cx:
        cx.users.list()
        server.advance(60)
        page = cx.users.list()
        assert page.number_of_elements == 25
        assert len(server.token_requests) == 2
        assert [r.status for r in server.api_requests] == [200, 401, 200]


def test_unknown_fields_in_the_token_response_are_tolerated() -> None:
    with foreign_server(Quirks(extra_fields=True)) as server, client(server) as cx:
        cx.users.list()
        token = cx.get_token()
        assert token.scope == "openapi read"
        assert "jti" not in repr(token)


def test_invalid_client_with_a_basic_challenge_is_an_authentication_error() -> None:
    with foreign_server() as server, client(server, client_secret="not-the-secret") as cx:
        with pytest.raises(AuthenticationError) as caught:
            cx.users.list()
        error = caught.value
        assert error.error == "invalid_client"
        assert error.status_code == 401
        assert "not-the-secret" not in str(error)
        # The Basic challenge must not tempt the client into retrying with an Authorization header.
        assert len(server.token_requests) == 1
        assert "authorization" not in server.token_requests[0].headers
        assert server.api_requests == []


def test_wrong_password_is_invalid_grant_without_quoting_the_password() -> None:
    with foreign_server() as server, client(server, password="hunter2-wrong") as cx:
        with pytest.raises(AuthenticationError) as caught:
            cx.users.list()
        assert caught.value.error == "invalid_grant"
        assert caught.value.status_code == 400
        assert caught.value.error_description == "Bad credentials"
        assert "hunter2-wrong" not in str(caught.value)
        assert "hunter2-wrong" not in repr(caught.value)
        assert len(server.token_requests) == 1


def test_confidential_client_sends_its_secret_in_the_form() -> None:
    with foreign_server() as server, client(server) as cx:
        cx.users.list()
        assert server.token_requests[0].form["client_secret"] == [server.client_secret]


def test_confidential_client_without_its_secret_is_refused() -> None:
    with foreign_server() as server, client(server, client_secret=None) as cx:
        with pytest.raises(AuthenticationError) as caught:
            cx.users.list()
        assert caught.value.error == "invalid_client"
        assert "client_secret" not in server.token_requests[0].form


def test_public_client_sends_no_client_secret_field(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CLOUDCX_CLIENT_SECRET", raising=False)
    with foreign_server(Quirks(client_secret=None)) as server, client(server) as cx:
        assert cx.users.list().total_elements == 26
        assert_token_request(server.token_requests[0], server)
        assert "client_secret" not in server.token_requests[0].form


def test_public_client_with_an_empty_secret_in_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # An exported-but-empty variable means "not configured": no empty client_secret field.
    monkeypatch.setenv("CLOUDCX_CLIENT_SECRET", "")
    with foreign_server(Quirks(client_secret=None)) as server, client(server) as cx:
        cx.users.list()
        assert "client_secret" not in server.token_requests[0].form


def test_login_by_email_is_sent_as_the_username_field() -> None:
    with foreign_server() as server, client(server, username=server.email) as cx:
        cx.users.list()
        form = server.token_requests[0].form
        assert form["username"] == [server.email]
        assert "email" not in form


def test_refresh_grant_on_expiry_then_password_when_the_refresh_token_is_refused() -> None:
    quirks = Quirks(refresh_tokens=True, expires_in=600)
    with foreign_server(quirks) as server, client(server) as cx:
        cx.users.list()
        server.advance(700)  # the server's clock: the access token is now expired there
        cx.users.list()
        server.advance(700)
        server.revoke_refresh_tokens()
        cx.users.list()
        grants = [r.form["grant_type"][0] for r in server.token_requests]
        assert grants == ["password", "refresh_token", "refresh_token", "password"]
        assert [r.status for r in server.token_requests] == [200, 200, 400, 200]
        assert_token_request(server.token_requests[1], server, grant="refresh_token")
        assert_token_request(server.token_requests[3], server)
        # The rotated refresh token was adopted: the second refresh grant sent the new one.
        assert (
            server.token_requests[2].form["refresh_token"]
            != server.token_requests[1].form["refresh_token"]
        )


def test_refresh_grant_without_rotation_keeps_the_first_refresh_token() -> None:
    quirks = Quirks(refresh_tokens=True, rotate_refresh=False, expires_in=600)
    with foreign_server(quirks) as server, client(server) as cx:
        cx.users.list()
        for _ in range(2):
            server.advance(700)
            cx.users.list()
        requests = server.token_requests
        assert [r.form["grant_type"][0] for r in requests] == [
            "password",
            "refresh_token",
            "refresh_token",
        ]
        assert requests[1].form["refresh_token"] == requests[2].form["refresh_token"]


def test_expires_in_as_a_numeric_string_is_read_as_a_number() -> None:
    # RFC 6749 §5.1 makes expires_in a JSON number, but servers that send "3599" mean the same
    # thing: the token is used, and its lifetime is honoured (a non-numeric string is still
    # refused; tests/auth/test_token_answers.py holds those cases).
    with foreign_server(Quirks(expires_in_as_string=True)) as server, client(server) as cx:
        cx.users.list()
        cx.users.list()
        token = cx.get_token()
        assert token.expires_at is not None
        remaining = token.remaining()
        assert remaining is not None
        assert 0 < remaining <= 3600
        assert len(server.token_requests) == 1
        assert len(server.api_requests) == 2


def test_invalid_client_as_a_bare_401_with_only_a_basic_challenge() -> None:
    quirks = Quirks(bare_invalid_client=True)
    with foreign_server(quirks) as server, client(server, client_id="someone-else") as cx:
        with pytest.raises(AuthenticationError) as caught:
            cx.users.list()
        assert caught.value.status_code == 401
        assert len(server.token_requests) == 1
        assert "authorization" not in server.token_requests[0].headers


def test_refresh_grant_before_expiry_without_waiting_for_a_401() -> None:
    quirks = Quirks(refresh_tokens=True, expires_in=1)
    with foreign_server(quirks) as server, client(server) as cx:
        cx.users.list()
        # A 1 s token is renewed a tenth of its life early: after a second it is due.
        time.sleep(1.0)
        cx.users.list()
        assert [r.form["grant_type"][0] for r in server.token_requests] == [
            "password",
            "refresh_token",
        ]
        assert [r.status for r in server.api_requests] == [200, 200]


def test_token_request_carries_the_client_user_agent() -> None:
    with foreign_server() as server, client(server) as cx:
        cx.users.list()
        api_agent = server.api_requests[0].headers["user-agent"]
        assert api_agent.startswith("cloudcx-python/")
        assert server.token_requests[0].headers.get("user-agent") == api_agent


def test_explicit_empty_client_secret_is_not_sent() -> None:
    quirks = Quirks(client_secret=None)
    with foreign_server(quirks) as server, client(server, client_secret="") as cx:
        cx.users.list()
        assert "client_secret" not in server.token_requests[0].form
