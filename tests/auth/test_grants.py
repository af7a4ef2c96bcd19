"""Which grant renews a token: refresh when offered, password as the fallback, rotation."""

from __future__ import annotations

import pytest

from cloudcx import Token
from tests.support.clients import SimFactory, async_client, grant_types, sync_client
from tests.support.clock import FakeClock


def _refresh_tokens_sent(sim: object) -> list[str]:
    requests = sim.requests  # type: ignore[attr-defined]
    return [
        r.form["refresh_token"]
        for r in requests
        if r.path == "/oauth/token" and r.form and r.form.get("grant_type") == "refresh_token"
    ]


def test_refresh_grant_is_used_when_offered(make_sim: SimFactory, clock: FakeClock) -> None:
    sim = make_sim(refresh_tokens=True)
    with sync_client(sim, _clock=clock) as cx:
        first = cx.get_token()
        assert first.refresh_token is not None
        clock.advance(3599)
        cx.users.list()
        sim.revoke_access_tokens()
        cx.users.list()
    assert grant_types(sim) == ["password", "refresh_token", "refresh_token"]
    assert _refresh_tokens_sent(sim) == [first.refresh_token.get_secret_value()] * 2
    # The refresh request carries no password.
    refresh_forms = [r.form for r in sim.requests if r.form and "refresh_token" in r.form]
    assert all("password" not in (form or {}) for form in refresh_forms)


@pytest.mark.anyio
async def test_async_refresh_grant_is_used_when_offered(
    make_sim: SimFactory, clock: FakeClock
) -> None:
    sim = make_sim(refresh_tokens=True)
    async with async_client(sim, _clock=clock) as cx:
        await cx.users.list()
        clock.advance(3599)
        await cx.users.list()
    assert grant_types(sim) == ["password", "refresh_token"]


def test_password_grant_when_the_refresh_token_is_rejected(
    make_sim: SimFactory, clock: FakeClock
) -> None:
    sim = make_sim(refresh_tokens=True)
    with sync_client(sim, _clock=clock) as cx:
        cx.users.list()
        sim.revoke_refresh_tokens()
        clock.advance(3599)
        assert cx.users.list().total_elements == 30
        statuses = [(r.form or {}).get("grant_type") for r in sim.requests if r.status == 400]
        assert statuses == ["refresh_token"]
        # The password grant brought a new refresh token, which the next renewal uses.
        clock.advance(3599)
        cx.users.list()
    assert grant_types(sim) == ["password", "refresh_token", "password", "refresh_token"]


@pytest.mark.anyio
async def test_async_password_grant_when_the_refresh_token_is_rejected(
    make_sim: SimFactory, clock: FakeClock
) -> None:
    sim = make_sim(refresh_tokens=True)
    async with async_client(sim, _clock=clock) as cx:
        await cx.users.list()
        sim.revoke_refresh_tokens()
        sim.revoke_access_tokens()
        await cx.users.list()
    assert grant_types(sim) == ["password", "refresh_token", "password"]


def test_rotated_refresh_token_is_adopted(make_sim: SimFactory, clock: FakeClock) -> None:
    sim = make_sim(refresh_tokens=True, rotate_refresh_tokens=True)
    issued: list[Token] = []
    with sync_client(sim, _clock=clock, on_token=issued.append) as cx:
        for _ in range(3):
            cx.users.list()
            clock.advance(3599)
        cx.users.list()
    assert grant_types(sim) == ["password"] + ["refresh_token"] * 3
    rotated = [t.refresh_token.get_secret_value() for t in issued if t.refresh_token]
    assert len(set(rotated)) == 4  # every answer brought a new one
    # Each renewal sent the refresh token of the answer before it: a spent one would have
    # been refused (the simulator spends a rotated token) and forced the password grant.
    assert _refresh_tokens_sent(sim) == rotated[:3]


@pytest.mark.anyio
async def test_async_rotated_refresh_token_is_adopted(
    make_sim: SimFactory, clock: FakeClock
) -> None:
    sim = make_sim(refresh_tokens=True, rotate_refresh_tokens=True)
    async with async_client(sim, _clock=clock) as cx:
        for _ in range(3):
            await cx.users.list()
            clock.advance(3599)
    assert grant_types(sim) == ["password", "refresh_token", "refresh_token"]
