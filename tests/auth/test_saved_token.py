"""A saved token instead of a password: used while valid, renewed by its refresh token, and a
clear `ConfigurationError` (the store forgotten) once the password is needed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cloudcx import (
    AsyncCloudCX,
    CloudCX,
    ConfigurationError,
    Secret,
    Token,
)
from cloudcx._oauth import PASSWORD_NEEDED
from tests.support.clients import SimFactory, grant_kwargs, sync_client


def _saved(sim_token: str, *, lifetime: float, refresh: str | None = None) -> Token:
    return Token(
        Secret(sim_token),
        expires_at=datetime.now(UTC) + timedelta(seconds=lifetime),
        refresh_token=Secret(refresh) if refresh else None,
    )


def test_a_valid_saved_token_needs_no_password(make_sim: SimFactory) -> None:
    sim = make_sim()
    with sync_client(sim) as first:
        token = first.get_token()
    sim.reset_counters()
    with CloudCX(**grant_kwargs(sim, password=None), token=token) as cx:
        assert cx.config.password is None
        cx.users.list()
    assert sim.token_requests == 0


def test_an_expired_saved_token_without_a_password_is_a_clear_error(make_sim: SimFactory) -> None:
    sim = make_sim()
    stale = _saved("stale-token", lifetime=-10)
    with (
        CloudCX(**grant_kwargs(sim, password=None), token=stale) as cx,
        pytest.raises(ConfigurationError, match=PASSWORD_NEEDED) as caught,
    ):
        cx.users.list()
    assert "CLOUDCX_PASSWORD" in str(caught.value)
    assert sim.requests == []


def test_an_expired_saved_token_is_renewed_by_its_refresh_token_without_a_password(
    make_sim: SimFactory,
) -> None:
    sim = make_sim(refresh_tokens=True)
    with sync_client(sim) as first:
        refresh = first.get_token().refresh_token
    assert refresh is not None
    stale = _saved("stale-token", lifetime=-10, refresh=refresh.get_secret_value())
    with CloudCX(**grant_kwargs(sim, password=None), token=stale) as cx:
        cx.users.list()
    grants = [(r.form or {}).get("grant_type") for r in sim.requests if r.path == "/oauth/token"]
    assert grants[-1] == "refresh_token"


def test_without_a_saved_token_the_password_is_still_required(make_sim: SimFactory) -> None:
    sim = make_sim()
    with pytest.raises(ConfigurationError, match="password"):
        CloudCX(**grant_kwargs(sim, password=None))


class _MemoryStore:
    """A token store in a dict, counting deletions."""

    def __init__(self) -> None:
        self.tokens: dict[str, Token] = {}
        self.deleted = 0

    def load(self, key: str) -> Token | None:
        return self.tokens.get(key)

    def save(self, key: str, token: Token) -> None:
        self.tokens[key] = token

    def delete(self, key: str) -> None:
        self.deleted += 1
        self.tokens.pop(key, None)


def test_a_spent_stored_token_is_forgotten_when_the_password_is_needed(
    make_sim: SimFactory,
) -> None:
    sim = make_sim()
    store = _MemoryStore()
    with sync_client(sim, token_store=store) as first:
        first.users.list()
    assert len(store.tokens) == 1
    sim.revoke_access_tokens()
    sim.reset_counters()
    cx = CloudCX(**grant_kwargs(sim, password=None), token_store=store)
    with cx, pytest.raises(ConfigurationError, match=PASSWORD_NEEDED):
        cx.users.list()
    assert store.tokens == {}
    assert store.deleted == 1
    assert sim.token_requests == 0


@pytest.mark.anyio
async def test_an_async_client_without_a_password_says_it_is_needed(
    make_sim: SimFactory,
) -> None:
    sim = make_sim()
    store = _MemoryStore()
    async with AsyncCloudCX(**grant_kwargs(sim, password=None), token_store=store) as cx:
        with pytest.raises(ConfigurationError, match=PASSWORD_NEEDED):
            await cx.users.list()
    assert store.deleted == 1
    assert sim.requests == []
