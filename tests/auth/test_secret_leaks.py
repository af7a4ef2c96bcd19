"""Secrets never leak: not in logs, errors, reprs or tracebacks, whatever the flow."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from cloudcx import (
    AuthenticationError,
    CloudCX,
    CloudCXError,
    ConfigurationError,
    FileTokenStore,
    Secret,
    Token,
)
from cloudcx.testing import Fault, Simulator
from tests.support.clients import (
    LogCapture,
    SimFactory,
    async_client,
    error_text,
    sync_client,
)
from tests.support.clock import FakeClock


def _secrets_seen_by(sim: Simulator) -> set[str]:
    """Every credential that crossed the wire: bearer values and secret form fields."""
    found = {sim.password, sim.client_secret, sim.api_key}
    for record in sim.requests:
        scheme, _, value = record.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and value:
            found.add(value)
        for name in ("password", "client_secret", "refresh_token"):
            if record.form and record.form.get(name):
                found.add(record.form[name])
    return found


def _run_sync_flows(sim: Simulator, clock: FakeClock, store: FileTokenStore) -> list[str]:
    shown: list[str] = []
    tokens: list[Token] = []

    def loud_hook(token: Token) -> None:
        tokens.append(token)
        # A careless hook that puts the token in its own exception: we must not log it.
        raise ValueError(f"cannot audit {token.access_token.get_secret_value()}")

    with sync_client(sim, _clock=clock, on_token=loud_hook, token_store=store) as cx:
        cx.users.list()
        clock.advance(3599)  # refresh grant
        cx.users.list()
        sim.revoke_access_tokens()  # 401, renewal, resend
        cx.users.list()
        sim.revoke_refresh_tokens()
        clock.advance(3599)  # refused refresh, password fallback
        cx.users.list()
        sim.inject(Fault.status(401), route="users", count=2)
        try:
            cx.users.list()
        except AuthenticationError as exc:
            shown.append(error_text(exc))
        for fault in (Fault.not_json(), Fault.missing_field("token_type"), Fault.truncated()):
            sim.revoke_access_tokens()
            sim.inject(fault, route="token")
            try:
                cx.users.list()
            except CloudCXError as exc:
                shown.append(error_text(exc))
        shown += [repr(cx), str(cx), repr(cx.config), repr(cx.get_token()), str(cx.get_token())]
        shown += [repr(cx._http.auth), repr(cx._tokens), repr(cx.client), repr(store)]
        shown += [repr(t) for t in tokens]
    for bad in ({"password": "Wr0ng-Passw0rd-Zx9"}, {"client_secret": "n0t-the-s3cret-Qq"}):
        with sync_client(sim, **bad) as cx:
            try:
                cx.users.list()
            except AuthenticationError as exc:
                shown.append(error_text(exc))
    with CloudCX(base_url=sim.base_url, api_key=sim.api_key) as cx:
        cx.users.list()
        shown += [repr(cx), repr(cx.config), repr(cx._http.auth)]
    with CloudCX(base_url=sim.base_url, api_key="cxk_wrong_but_secret_key_77") as cx:
        try:
            cx.users.list()
        except AuthenticationError as exc:
            shown.append(error_text(exc))
    return shown


async def _run_async_flows(sim: Simulator, clock: FakeClock) -> list[str]:
    shown: list[str] = []
    async with async_client(sim, _clock=clock) as cx:
        await cx.users.list()
        clock.advance(3599)
        await cx.users.list()
        sim.revoke_access_tokens()
        await cx.users.list()
        shown += [repr(cx), repr(await cx.get_token())]
    async with async_client(sim, password="Wr0ng-Passw0rd-Zx9") as cx:
        try:
            await cx.users.list()
        except AuthenticationError as exc:
            shown.append(error_text(exc))
    return shown


@pytest.mark.anyio
async def test_no_secret_in_logs_errors_or_reprs(
    make_sim: SimFactory, debug_logs: LogCapture, tmp_path: Path
) -> None:
    sim = make_sim(refresh_tokens=True)
    store = FileTokenStore(tmp_path / "tokens.json")
    shown = await _in_thread(_run_sync_flows, sim, FakeClock(), store)
    shown += await _run_async_flows(sim, FakeClock())
    secrets = _secrets_seen_by(sim) | {
        "Wr0ng-Passw0rd-Zx9",
        "n0t-the-s3cret-Qq",
        "cxk_wrong_but_secret_key_77",
    }
    # Sanity: the flows really ran, with DEBUG records from httpx/httpcore and our logger.
    assert len(secrets) > 10
    names = {record.name for record in debug_logs.records}
    assert {"httpx", "httpcore.http11", "cloudcx.auth"} <= names
    assert any(record.levelname == "WARNING" for record in debug_logs.records)
    haystack = debug_logs.text + "\n".join(shown)
    leaked = [s for s in secrets if s in haystack]
    assert leaked == [], f"{len(leaked)} secret value(s) leaked"
    # A JWT's signature alone is enough to reuse nothing, but its presence would betray a leak.
    signatures = {s.rsplit(".", 1)[-1] for s in secrets if s.count(".") == 2}
    assert not [s for s in signatures if len(s) > 16 and s in haystack]


async def _in_thread(function: Any, *args: Any) -> Any:
    # The sync client must not run on the event loop's thread.
    return await asyncio.to_thread(function, *args)


def test_secret_and_token_are_masked() -> None:
    secret = Secret("hunter2-hunter2")
    assert "hunter2" not in f"{secret} {secret!r} {secret:>20}"
    token = Token(
        Secret("tok-123456789"),
        expires_at=datetime(2030, 1, 1, tzinfo=UTC),
        refresh_token=Secret("ref-987654321"),
    )
    shown = f"{token} {token!r}"
    assert "tok-123456789" not in shown
    assert "ref-987654321" not in shown
    assert Token.from_dict(token.to_dict()) == token
    assert token.to_dict()["access_token"] == "tok-123456789"  # the store's clear form


def test_token_rejects_bad_fields() -> None:
    with pytest.raises(ConfigurationError):
        Token("plain string")  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError):
        Token(Secret("t"), expires_at=datetime(2030, 1, 1))  # naive
    with pytest.raises(ConfigurationError, match="access_token"):
        Token.from_dict({"token_type": "Bearer"})
    aware = Token(Secret("t"), expires_at=datetime.fromisoformat("2030-01-01T02:00:00+02:00"))
    assert aware.expires_at == datetime(2030, 1, 1, tzinfo=UTC)
    assert aware.expires_at is not None
    assert aware.expires_at.tzinfo is UTC
