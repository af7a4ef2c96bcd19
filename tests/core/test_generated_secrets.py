"""The generated token models keep credentials out of their repr (a template override)."""

from __future__ import annotations

from cloudcx_openapi.models.password_grant_request import PasswordGrantRequest
from cloudcx_openapi.models.refresh_token_grant_request import RefreshTokenGrantRequest
from cloudcx_openapi.models.token_response import TokenResponse

SECRETS = ("pw-secret-1", "client-secret-2", "refresh-secret-3", "access-secret-4")


def test_token_request_reprs_hide_credentials() -> None:
    # One model per grant (the spec's `oneOf` by `grant_type`); neither shows a secret.
    password_grant = PasswordGrantRequest(
        grant_type="password",
        client_id="client-id",
        client_secret=SECRETS[1],
        username="agent",
        password=SECRETS[0],
    )
    refresh_grant = RefreshTokenGrantRequest(
        grant_type="refresh_token",
        client_id="client-id",
        client_secret=SECRETS[1],
        refresh_token=SECRETS[2],
    )
    for request in (password_grant, refresh_grant):
        shown = repr(request)
        assert "client-id" in shown
        for secret in SECRETS:
            assert secret not in shown
    assert "agent" in repr(password_grant)
    # The values are still there for the form body.
    assert password_grant.to_dict()["password"] == SECRETS[0]
    assert refresh_grant.to_dict()["refresh_token"] == SECRETS[2]


def test_token_response_repr_hides_tokens() -> None:
    response = TokenResponse.from_dict(
        {
            "access_token": SECRETS[3],
            "token_type": "Bearer",
            "expires_in": 3599,
            "refresh_token": SECRETS[2],
        }
    )
    shown = repr(response)
    assert "Bearer" in shown
    assert "3599" in shown
    for secret in SECRETS:
        assert secret not in shown
    assert response.access_token == SECRETS[3]
