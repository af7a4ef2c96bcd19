"""Whatever a server answers, only `CloudCXError` subclasses escape a public call.

A scripted loopback server answers with bodies, statuses, content types and `Retry-After`
values drawn by hypothesis: arbitrary bytes, arbitrary JSON, and envelopes shaped like the spec
with fields removed or retyped. The client's answer must be a `UserPage` or a typed error.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cloudcx import AsyncCloudCX, CloudCX, CloudCXError, RetryPolicy, UserPage
from tests.support.scripted_server import Reply, ScriptedServer

# Slow: most tests send hundreds of scripted answers through a real client.
pytestmark = pytest.mark.slow

API_KEY = "fuzz-api-key-6d624c35-978b-4e2f"

USER: dict[str, Any] = {
    "id": "75d86d40-f7d9-4025-8a1c-8a868f918289",
    "loginCode": "freesiaTest",
    "roles": ["Admin", "Agents"],
    "firstName": "freesia",
    "lastName": "Test",
    "email": "frees1aa@gmail.com",
    "phoneNumber": None,
    "uniqueCode": None,
}


def envelope(users: int) -> dict[str, Any]:
    return {
        "code": "0000",
        "message": None,
        "data": {
            "totalPages": 1,
            "totalElements": users,
            "size": 25,
            "number": 0,
            "numberOfElements": users,
            "content": [copy.deepcopy(USER) for _ in range(users)],
        },
    }


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found: list[tuple[Any, ...]] = []
    children: list[tuple[Any, Any]] = []
    if isinstance(node, dict):
        children = list(node.items())
    elif isinstance(node, list):
        children = list(enumerate(node))
    for key, child in children:
        found.append((*prefix, key))
        found.extend(_paths(child, (*prefix, key)))
    return found


@st.composite
def broken_envelopes(draw: st.DrawFn) -> bytes:
    """A spec-shaped success envelope with one to three fields removed or retyped."""
    body: Any = envelope(draw(st.integers(0, 2)))
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(body)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = body
        for key in path[:-1]:
            parent = parent[key]
        if draw(st.booleans()) and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(JSON)
    return json.dumps(body).encode()


BODIES = st.one_of(
    st.binary(max_size=300),
    JSON.map(lambda value: json.dumps(value).encode()),
    broken_envelopes(),
    st.builds(lambda n: json.dumps(envelope(n)).encode(), st.integers(0, 2)),
)
STATUSES = st.one_of(
    st.just(200),
    st.sampled_from([201, 204, 301, 304, 400, 401, 403, 404, 408, 418, 422, 429, 500, 502, 503]),
    st.integers(200, 599),
)
CONTENT_TYPES = st.sampled_from(
    [
        "application/json",
        "application/json; charset=utf-8",
        "text/html; charset=utf-8",
        "text/plain",
        "application/problem+json",
        None,
    ]
)
RETRY_AFTERS = st.sampled_from(
    [None, "0", "1", "-5", "nan", "inf", "1e400", "soon", "Wed, 21 Oct 2015 07:28:00 GMT"]
)
REPLIES = st.builds(
    Reply, status=STATUSES, content_type=CONTENT_TYPES, body=BODIES, retry_after=RETRY_AFTERS
)


async def _no_wait(seconds: float) -> None:
    """Retries happen, but without waiting."""


NO_WAIT = RetryPolicy(jitter=lambda upper: 0.0, sleep=lambda seconds: None, async_sleep=_no_wait)
FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def client_settings(server: ScriptedServer) -> dict[str, Any]:
    # verify=False: the server is plain-HTTP loopback, and it spares loading CA certificates.
    return {
        "base_url": server.base_url,
        "api_key": API_KEY,
        "max_retries": 1,
        "retry_policy": NO_WAIT,
        "verify": False,
    }


def check(outcome: UserPage | CloudCXError, secrets: tuple[str, ...] = (API_KEY,)) -> None:
    if isinstance(outcome, CloudCXError):
        for secret in secrets:
            assert secret not in str(outcome)
            assert secret not in repr(outcome.args)
    else:
        assert isinstance(outcome, UserPage)


@FUZZ
@given(reply=REPLIES)
def test_only_typed_errors_escape_sync(scripted_server: ScriptedServer, reply: Reply) -> None:
    scripted_server.reply = reply
    with CloudCX(**client_settings(scripted_server)) as cx:
        try:
            outcome: UserPage | CloudCXError = cx.users.list()
        except CloudCXError as exc:
            outcome = exc
    check(outcome)


@pytest.mark.anyio
@FUZZ
@given(reply=REPLIES)
async def test_only_typed_errors_escape_async(
    scripted_server: ScriptedServer, reply: Reply
) -> None:
    scripted_server.reply = reply
    async with AsyncCloudCX(**client_settings(scripted_server)) as cx:
        try:
            outcome: UserPage | CloudCXError = await cx.users.list()
        except CloudCXError as exc:
            outcome = exc
    check(outcome)


@FUZZ
@given(reply=REPLIES)
def test_only_typed_errors_escape_the_token_request(
    scripted_server: ScriptedServer, reply: Reply
) -> None:
    # With the password grant the same answer reaches the token request first.
    password_grant: dict[str, Any] = {
        "base_url": scripted_server.base_url,
        "client_id": "fuzz-client",
        "client_secret": "fuzz-client-secret-2603",
        "username": "fuzz-user",
        "password": "fuzz-password-A1b2",
        "max_retries": 1,
        "retry_policy": NO_WAIT,
        "verify": False,
    }
    scripted_server.reply = reply
    with CloudCX(**password_grant) as cx:
        try:
            outcome: UserPage | CloudCXError = cx.users.list()
        except CloudCXError as exc:
            outcome = exc
    check(outcome, ("fuzz-client-secret-2603", "fuzz-password-A1b2"))


def test_a_valid_page_decodes(scripted_server: ScriptedServer) -> None:
    scripted_server.reply = Reply(body=json.dumps(envelope(2)).encode())
    with CloudCX(**client_settings(scripted_server)) as cx:
        page = cx.users.list()
    assert [user.login_code for user in page.content] == ["freesiaTest", "freesiaTest"]
