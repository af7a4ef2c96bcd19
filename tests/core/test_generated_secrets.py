"""The generated token models keep credentials out of their repr (a template override)."""

from __future__ import annotations

from cloudcx_openapi.models.token_request import TokenRequest
from cloudcx_openapi.models.token_response import TokenResponse

SECRETS = ("pw-secret-1", "client-secret-2", "refresh-secret-3", "access-secret-4")


def test_token_request_repr_hides_credentials() -> None:
    request = TokenRequest(
        grant_type="password",
        client_id="client-id",
        client_secret=SECRETS[1],
        username="agent",
        password=SECRETS[0],
        refresh_token=SECRETS[2],
    )
    shown = repr(request)
    assert "client-id" in shown
    assert "agent" in shown
    for secret in SECRETS:
        assert secret not in shown
    # The values are still there for the form body.
    assert request.to_dict()["password"] == SECRETS[0]


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
