"""The token lifecycle against the simulator: reuse, proactive and reactive renewal, expiry."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from cloudcx import AsyncCloudCX, CloudCX, ConfigurationError, Token
from cloudcx.testing import Fault
from tests.support.clients import SimFactory, async_client, grant_kwargs, grant_types, sync_client
from tests.support.clock import FakeClock


def test_a_thousand_calls_take_one_token_request(make_sim: SimFactory) -> None:
    sim = make_sim()
    with sync_client(sim) as cx:
        for _ in range(1000):
            cx.users.list(page_size=1)
    assert sim.token_requests == 1
    assert sim.api_requests == 1000


@pytest.mark.slow
@pytest.mark.anyio
async def test_a_thousand_async_calls_take_one_token_request(make_sim: SimFactory) -> None:
    sim = make_sim()
    async with async_client(sim) as cx:
        for _ in range(1000):
            await cx.users.list(page_size=1)
    assert sim.token_requests == 1
    assert sim.api_requests == 1000


def _soak_figures(label: str, elapsed: float, ttl: float, token_requests: int, calls: int) -> None:
    print(
        f"\n{label}: {calls} calls in {elapsed:.2f} s with token_ttl={ttl}: "
        f"{token_requests} token requests (elapsed/ttl = {elapsed / ttl:.1f})"
    )


def _check_soak(elapsed: float, ttl: float, token_requests: int) -> None:
    # Generous: renewal at 90% of the lifetime gives about elapsed/(0.9 ttl) + 1 requests.
    assert elapsed / ttl * 0.5 <= token_requests <= elapsed / ttl * 2 + 3


@pytest.mark.slow
def test_one_second_tokens_never_fail_a_call(make_sim: SimFactory) -> None:
    ttl = 1.0
    sim = make_sim(token_ttl=ttl)
    calls = 0
    with sync_client(sim) as cx:
        start = time.monotonic()
        while time.monotonic() - start < 5.0:
            cx.users.list(page_size=1)  # any failure fails the test
            calls += 1
        elapsed = time.monotonic() - start
    token_requests = sim.token_requests
    _soak_figures("sync soak", elapsed, ttl, token_requests, calls)
    _check_soak(elapsed, ttl, token_requests)


@pytest.mark.slow
@pytest.mark.anyio
async def test_one_second_tokens_never_fail_an_async_call(make_sim: SimFactory) -> None:
    ttl = 1.0
    sim = make_sim(token_ttl=ttl)
    calls = 0
    async with async_client(sim) as cx:
        start = time.monotonic()
        while time.monotonic() - start < 5.0:
            await cx.users.list(page_size=1)
            calls += 1
        elapsed = time.monotonic() - start
    token_requests = sim.token_requests
    _soak_figures("async soak", elapsed, ttl, token_requests, calls)
    _check_soak(elapsed, ttl, token_requests)


def test_revoked_token_is_renewed_once_and_the_call_succeeds(make_sim: SimFactory) -> None:
    sim = make_sim()
    with sync_client(sim) as cx:
        cx.users.list()
        first = cx.get_token()
        sim.revoke_access_tokens()
        sim.reset_counters()
        page = cx.users.list()
        assert page.total_elements == 30
        assert cx.get_token() != first
    statuses = [(r.path, r.status) for r in sim.requests]
    assert statuses == [
        ("/openapi/v2/user/page", 401),
        ("/oauth/token", 200),
        ("/openapi/v2/user/page", 200),
    ]


@pytest.mark.anyio
async def test_revoked_token_is_renewed_once_async(make_sim: SimFactory) -> None:
    sim = make_sim()
    async with async_client(sim) as cx:
        await cx.users.list()
        sim.revoke_access_tokens()
        sim.reset_counters()
        await cx.users.list()
    assert [r.status for r in sim.requests] == [401, 200, 200]
    assert sim.token_requests == 1


def test_token_is_renewed_before_it_expires(make_sim: SimFactory, clock: FakeClock) -> None:
    sim = make_sim()  # 3599 s tokens: the default skew of 60 s applies in full
    with sync_client(sim, _clock=clock) as cx:
        cx.users.list()
        clock.advance(3599 - 61)
        cx.users.list()
        assert sim.token_requests == 1
        clock.advance(2)  # 58 s left: under the skew
        cx.users.list()
        assert sim.token_requests == 2
        assert [r.status for r in sim.requests if r.path != "/oauth/token"] == [200] * 3


def test_refresh_skew_is_configurable(make_sim: SimFactory, clock: FakeClock) -> None:
    sim = make_sim()
    with sync_client(sim, _clock=clock, refresh_skew=300) as cx:
        cx.get_token()
        clock.advance(3599 - 310)
        cx.get_token()
        assert sim.token_requests == 1
        clock.advance(20)
        cx.get_token()
        assert sim.token_requests == 2


def test_short_lived_token_is_still_reused(make_sim: SimFactory, clock: FakeClock) -> None:
    sim = make_sim(token_ttl=10)
    with sync_client(sim, _clock=clock) as cx:
        for _ in range(8):
            cx.users.list(page_size=1)
            clock.advance(1)  # up to 8 s into a 10 s token: still reused
        assert sim.token_requests == 1
        clock.advance(1.5)
        cx.users.list(page_size=1)
        assert sim.token_requests == 2


def test_starting_from_a_token_makes_no_token_request(make_sim: SimFactory) -> None:
    sim = make_sim()
    with sync_client(sim) as first:
        saved = first.get_token()
    sim.reset_counters()
    with sync_client(sim, token=saved) as cx:
        for _ in range(20):
            cx.users.list(page_size=1)
        assert cx.get_token() is saved
    assert sim.token_requests == 0
    assert sim.api_requests == 20


@pytest.mark.anyio
async def test_async_client_starting_from_a_token(make_sim: SimFactory) -> None:
    sim = make_sim()
    async with async_client(sim) as first:
        saved = await first.get_token()
    sim.reset_counters()
    async with async_client(sim, token=saved) as cx:
        await cx.users.list()
        assert await cx.get_token() is saved
    assert sim.token_requests == 0


def test_an_expired_starting_token_is_replaced(make_sim: SimFactory) -> None:
    sim = make_sim(refresh_tokens=True)
    with sync_client(sim) as first:
        live = first.get_token()
    stale = Token(
        live.access_token,
        expires_at=datetime(2020, 1, 1, tzinfo=UTC),
        refresh_token=live.refresh_token,
    )
    sim.reset_counters()
    with sync_client(sim, token=stale) as cx:
        cx.users.list()
        assert cx.get_token() != stale
    # Its refresh token still renews it, without the password.
    assert grant_types(sim) == ["refresh_token"]


def test_on_token_sees_every_new_token(make_sim: SimFactory, clock: FakeClock) -> None:
    sim = make_sim(refresh_tokens=True)
    seen: list[Token] = []
    with sync_client(sim, on_token=seen.append, _clock=clock) as cx:
        cx.users.list()
        clock.advance(3599)  # proactive renewal (refresh grant)
        cx.users.list()
        sim.revoke_access_tokens()  # reactive renewal
        cx.users.list()
        assert seen[-1] == cx.get_token()
    assert len(seen) == sim.token_requests == 3
    assert all(t.expires_at is not None and t.expires_at.tzinfo is UTC for t in seen)
    assert all(t.refresh_token is not None for t in seen)
    assert len({t.access_token.get_secret_value() for t in seen}) == 3


@pytest.mark.anyio
async def test_async_on_token_hook_is_awaited(make_sim: SimFactory, clock: FakeClock) -> None:
    sim = make_sim()
    seen: list[Token] = []

    async def hook(token: Token) -> None:
        await asyncio.sleep(0)
        seen.append(token)

    async with async_client(sim, on_token=hook, _clock=clock) as cx:
        await cx.users.list()
        clock.advance(3599)
        await cx.users.list()
        assert seen[-1] == await cx.get_token()
    assert len(seen) == sim.token_requests == 2


@pytest.mark.anyio
async def test_async_client_takes_a_plain_function_hook(make_sim: SimFactory) -> None:
    sim = make_sim()
    seen: list[Token] = []
    async with async_client(sim, on_token=seen.append) as cx:
        await cx.users.list()
    assert len(seen) == 1


def test_a_failing_hook_does_not_fail_the_call(
    make_sim: SimFactory, caplog: pytest.LogCaptureFixture
) -> None:
    sim = make_sim()

    def hook(token: Token) -> None:
        raise RuntimeError("disk full")

    with caplog.at_level("WARNING", logger="cloudcx.auth"), sync_client(sim, on_token=hook) as cx:
        assert cx.users.list().total_elements == 30
    warnings = [r for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 1
    assert "RuntimeError" in warnings[0].getMessage()
    assert "hook" in warnings[0].getMessage()


def test_an_async_hook_is_refused_by_the_sync_client() -> None:
    async def hook(token: Token) -> None:
        return None

    with pytest.raises(ConfigurationError, match="AsyncCloudCX"):
        CloudCX(
            base_url="https://cx.example.net",
            client_id="c",
            username="u",
            password="p",
            on_token=hook,  # type: ignore[arg-type]
        )


def test_jwt_exp_gives_the_expiry_without_expires_in(
    make_sim: SimFactory, clock: FakeClock
) -> None:
    sim = make_sim(include_expires_in=False, token_ttl=30)
    with sync_client(sim, _clock=clock) as cx:
        token = cx.get_token()
        left = token.remaining()
        assert left is not None
        assert 25 < left <= 31
        clock.advance(20)
        cx.users.list()
        assert sim.token_requests == 1
        clock.advance(9)  # about 1 to 2 s left: under a tenth of the lifetime
        cx.users.list()
        assert sim.token_requests == 2


def test_opaque_token_without_expiry_is_used_until_401(
    make_sim: SimFactory, clock: FakeClock
) -> None:
    sim = make_sim(include_expires_in=False, jwt_tokens=False)
    with sync_client(sim, _clock=clock) as cx:
        token = cx.get_token()
        assert token.expires_at is None
        assert token.remaining() is None
        clock.advance(10**7)
        cx.users.list()
        assert sim.token_requests == 1
        sim.revoke_access_tokens()
        cx.users.list()
        assert sim.token_requests == 2
        assert cx.get_token() != token


def test_get_token_needs_the_password_grant() -> None:
    with (
        CloudCX(base_url="https://cx.example.net", api_key="k") as cx,
        pytest.raises(ConfigurationError, match="API key"),
    ):
        cx.get_token()


@pytest.mark.anyio
async def test_async_get_token_needs_the_password_grant() -> None:
    async with AsyncCloudCX(base_url="https://cx.example.net", api_key="k") as cx:
        with pytest.raises(ConfigurationError, match="API key"):
            await cx.get_token()


def test_token_options_do_not_apply_to_an_api_key() -> None:
    with pytest.raises(ConfigurationError, match="on_token"):
        CloudCX(base_url="https://cx.example.net", api_key="k", on_token=print)


@pytest.mark.parametrize("skew", [-1.0, float("nan"), float("inf")])
def test_refresh_skew_must_be_sane(skew: float) -> None:
    with pytest.raises(ConfigurationError, match="refresh_skew"):
        CloudCX(
            base_url="https://cx.example.net",
            client_id="c",
            username="u",
            password="p",
            refresh_skew=skew,
        )


def test_async_client_built_outside_a_running_loop(make_sim: SimFactory) -> None:
    sim = make_sim()
    cx = AsyncCloudCX(**grant_kwargs(sim))  # no loop is running here

    async def main() -> None:
        try:
            await asyncio.gather(*(cx.users.list() for _ in range(8)))
        finally:
            await cx.close()

    asyncio.run(main())
    assert sim.token_requests == 1
    assert sim.api_requests == 8


# --- the on_token hook runs outside the manager's lock ------------------------------------

_HANG = 20.0  # a generous bound: a deadlock fails the test instead of hanging the run


def _within_bound(work: Callable[[], object]) -> None:
    """Run `work` on a thread; fail (instead of hanging) if it has not finished in time."""
    errors: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as exc:  # reported below, on the test's thread
            errors.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(_HANG)
    assert not thread.is_alive(), "the call is still blocked: the on_token hook deadlocked"
    if errors:
        raise errors[0]


def test_a_hook_may_ask_the_client_for_a_token(make_sim: SimFactory, clock: FakeClock) -> None:
    sim = make_sim()
    seen: list[Token] = []
    got: list[Token] = []
    holder: list[CloudCX] = []

    def hook(token: Token) -> None:
        seen.append(token)
        if len(seen) == 1:
            # The new token already counts as stale: get_token must obtain another one.
            clock.advance(3599)
            got.append(holder[0].get_token())

    with sync_client(sim, on_token=hook, _clock=clock) as cx:
        holder.append(cx)
        _within_bound(lambda: cx.users.list())
    assert sim.token_requests == 2
    assert got == [seen[1]]


def test_a_hook_may_make_an_api_call_that_meets_a_401(make_sim: SimFactory) -> None:
    sim = make_sim()
    seen: list[Token] = []
    holder: list[CloudCX] = []

    def hook(token: Token) -> None:
        seen.append(token)
        if len(seen) == 1:
            sim.revoke_access_tokens()
            holder[0].users.list(page_size=1)  # 401, renewal, resend: all from inside the hook

    with sync_client(sim, on_token=hook) as cx:
        holder.append(cx)
        _within_bound(lambda: cx.users.list())
    assert sim.token_requests == 2
    assert len(seen) == 2
    # The hook's call: 401, renewal, resend. Then the outer call still carries the revoked
    # token it obtained: 401, and a resend with the hook's renewal (no third token request).
    assert [r.status for r in sim.requests if r.path != "/oauth/token"] == [401, 200, 401, 200]


@pytest.mark.anyio
async def test_an_async_hook_may_ask_the_client_for_a_token(
    make_sim: SimFactory, clock: FakeClock
) -> None:
    sim = make_sim()
    seen: list[Token] = []
    got: list[Token] = []
    holder: list[AsyncCloudCX] = []

    async def hook(token: Token) -> None:
        seen.append(token)
        if len(seen) == 1:
            clock.advance(3599)
            got.append(await holder[0].get_token())

    async with async_client(sim, on_token=hook, _clock=clock) as cx:
        holder.append(cx)
        await asyncio.wait_for(cx.users.list(), _HANG)
    assert sim.token_requests == 2
    assert got == [seen[1]]


@pytest.mark.anyio
async def test_an_async_hook_may_make_an_api_call_that_meets_a_401(make_sim: SimFactory) -> None:
    sim = make_sim()
    seen: list[Token] = []
    holder: list[AsyncCloudCX] = []

    async def hook(token: Token) -> None:
        seen.append(token)
        if len(seen) == 1:
            sim.revoke_access_tokens()
            await holder[0].users.list(page_size=1)

    async with async_client(sim, on_token=hook) as cx:
        holder.append(cx)
        await asyncio.wait_for(cx.users.list(), _HANG)
    assert sim.token_requests == 2
    assert len(seen) == 2
    # The hook's call: 401, renewal, resend. Then the outer call still carries the revoked
    # token it obtained: 401, and a resend with the hook's renewal (no third token request).
    assert [r.status for r in sim.requests if r.path != "/oauth/token"] == [401, 200, 401, 200]


# --- a token already due on arrival is used until a 401 ----------------------------------


def test_a_token_due_on_arrival_is_used_until_a_401(make_sim: SimFactory) -> None:
    sim = make_sim()
    sim.inject(Fault.wrong_type("expires_in", 0), route="token", count=100)
    with sync_client(sim) as cx:
        for _ in range(10):
            cx.users.list(page_size=1)
        assert sim.token_requests == 1
        sim.revoke_access_tokens()
        cx.users.list(page_size=1)
        assert sim.token_requests == 2
        cx.users.list(page_size=1)
    assert sim.token_requests == 2
    assert sim.api_requests == 13  # ten, then a 401 and its resend, then one more


@pytest.mark.anyio
async def test_async_a_token_due_on_arrival_is_used_until_a_401(make_sim: SimFactory) -> None:
    sim = make_sim()
    sim.inject(Fault.wrong_type("expires_in", 0), route="token", count=100)
    async with async_client(sim) as cx:
        for _ in range(10):
            await cx.users.list(page_size=1)
        assert sim.token_requests == 1
        sim.revoke_access_tokens()
        await cx.users.list(page_size=1)
    assert sim.token_requests == 2
