"""Run OpenAPI Generator's `python` client for spec/cloudcx.yaml against a live simulator.

`interop/run.py` installs the client and passes the simulator's URLs and credentials in the
environment.

The token request goes to its own host (the Control Panel domain), through an API client of its
own; every user page is listed with the access token and with the API key, a keyword search finds
a user, and a bad token is refused. Prints one JSON line of findings; any mismatch raises.
"""

from __future__ import annotations

import json
import os

import openapi_client  # type: ignore[import-not-found]
from openapi_client.exceptions import ApiException  # type: ignore[import-not-found]

TOKEN_PATH = "/oauth/token"


def _setting(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise SystemExit(f"{name} is not set")
    return value


def _users_api(credential: str) -> object:
    configuration = openapi_client.Configuration(
        host=_setting("CLOUDCX_BASE_URL"), access_token=credential
    )
    return openapi_client.UsersApi(openapi_client.ApiClient(configuration))


def _list_all(api: object, page_size: int, keywords: str | None = None) -> list[object]:
    users: list[object] = []
    page_index = 1
    while True:
        envelope = api.list_users(  # type: ignore[attr-defined]
            page_index=page_index, page_size=page_size, keywords=keywords
        )
        assert envelope.code == "0000", envelope.message
        page = envelope.data
        assert page is not None
        assert page.number == page_index - 1
        assert page.number_of_elements == len(page.content)
        users += page.content
        if page_index >= page.total_pages:
            assert len(users) == page.total_elements
            return users
        page_index += 1


def main() -> None:
    """List the simulator's users as another team's Python code would; print the findings."""
    token_url = _setting("CLOUDCX_TOKEN_URL")
    assert token_url.endswith(TOKEN_PATH), token_url
    # The token operation names its own server (the Control Panel): point it elsewhere.
    auth_configuration = openapi_client.Configuration(
        host=token_url.removesuffix(TOKEN_PATH), ignore_operation_servers=True
    )
    auth = openapi_client.AuthApi(openapi_client.ApiClient(auth_configuration))
    token = auth.request_token(
        grant_type=openapi_client.GrantType.PASSWORD,
        client_id=_setting("CLOUDCX_CLIENT_ID"),
        client_secret=_setting("CLOUDCX_CLIENT_SECRET"),
        username=_setting("CLOUDCX_USERNAME"),
        password=_setting("CLOUDCX_PASSWORD"),
    )
    assert token.token_type.lower() == "bearer"
    access_token = token.access_token.get_secret_value()  # format: password, a SecretStr
    users = _list_all(_users_api(access_token), 25)
    ids = [user.id for user in users]  # type: ignore[attr-defined]
    assert len(set(ids)) == len(ids)
    by_key = _list_all(_users_api(_setting("CLOUDCX_API_KEY")), 100)
    assert [user.id for user in by_key] == ids  # type: ignore[attr-defined]
    probe = users[0]
    found = _list_all(_users_api(access_token), 10, probe.login_code)  # type: ignore[attr-defined]
    assert any(user.id == probe.id for user in found)  # type: ignore[attr-defined]
    refused_status = 0
    try:
        _users_api("not-a-token").list_users(page_index=1)  # type: ignore[attr-defined]
    except ApiException as error:
        refused_status = error.status
    report = {
        "tokenType": token.token_type,
        "expiresIn": token.expires_in,
        "users": len(users),
        "searchHits": len(found),
        "refusedStatus": refused_status,
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
