"""FileTokenStore and the clients' use of a token store."""

from __future__ import annotations

import json
import logging
import os
import stat
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cloudcx import (
    CloudCX,
    ConfigurationError,
    FileTokenStore,
    Secret,
    Token,
    TokenStore,
    token_store_key,
)
from tests.support.clients import SimFactory, async_client, grant_kwargs, grant_types, sync_client
from tests.support.hostile_server import Connection, hostile, password_settings, user_page


def _token(access: str = "access-1", *, refresh: str | None = "refresh-1") -> Token:
    return Token(
        Secret(access),
        expires_at=datetime.now(UTC) + timedelta(hours=1),
        refresh_token=Secret(refresh) if refresh else None,
        scope="users",
    )


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_round_trip(tmp_path: Path) -> None:
    store = FileTokenStore(tmp_path / "tokens.json")
    token = _token()
    assert store.load("k") is None
    store.save("k", token)
    assert store.load("k") == token
    assert FileTokenStore(tmp_path / "tokens.json").load("k") == token  # a new instance reads it
    store.delete("k")
    assert store.load("k") is None
    store.delete("k")  # deleting a missing key is fine


def test_round_trip_keeps_a_token_without_expiry(tmp_path: Path) -> None:
    store = FileTokenStore(tmp_path / "tokens.json")
    token = Token(Secret("opaque"))
    store.save("k", token)
    assert store.load("k") == token


def test_file_is_0600_and_directory_0700(tmp_path: Path) -> None:
    path = tmp_path / "new" / "dir" / "tokens.json"
    old = os.umask(0)  # the modes must not depend on a strict umask
    try:
        FileTokenStore(path).save("k", _token())
    finally:
        os.umask(old)
    assert _mode(path) == 0o600
    assert _mode(path.parent) == 0o700
    assert _mode(path.with_name("tokens.json.lock")) == 0o600


def test_write_is_atomic_via_a_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "tokens.json"
    store = FileTokenStore(path)
    store.save("a", _token("first"))
    replaced: list[tuple[str, str, int]] = []
    real_replace = os.replace

    def spy(src: str, dst: str) -> None:
        # At the moment of the swap the new content is complete and already private.
        replaced.append((os.path.dirname(src), os.fspath(dst), _mode(Path(src))))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    store.save("b", _token("second"))
    assert replaced == [(str(tmp_path), str(path), 0o600)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tokens.json", "tokens.json.lock"]


def test_a_failed_write_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "tokens.json"
    store = FileTokenStore(path)
    first = _token("first")
    store.save("a", first)

    def broken(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError, match="disk full"):
        store.save("a", _token("second"))
    monkeypatch.undo()
    assert store.load("a") == first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tokens.json", "tokens.json.lock"]


def test_two_accounts_never_share_a_token(tmp_path: Path) -> None:
    url = "https://cx.example.net/oauth/token"
    alice = token_store_key(url, "client", "alice")
    bob = token_store_key(url, "client", "bob")
    other_client = token_store_key(url, "client2", "alice")
    other_host = token_store_key("https://cx2.example.net/oauth/token", "client", "alice")
    assert len({alice, bob, other_client, other_host}) == 4
    assert alice == token_store_key(url, "client", "alice")  # stable
    assert "alice" not in alice
    store = FileTokenStore(tmp_path / "tokens.json")
    store.save(alice, _token("for-alice"))
    store.save(bob, _token("for-bob"))
    loaded_alice, loaded_bob = store.load(alice), store.load(bob)
    assert loaded_alice is not None
    assert loaded_bob is not None
    assert loaded_alice.access_token == Secret("for-alice")
    assert loaded_bob.access_token == Secret("for-bob")
    store.delete(alice)
    assert store.load(alice) is None
    assert store.load(bob) is not None


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"\xff\xfe\x00",
        b"[]",
        b'{"tokens": []}',
        b'{"tokens": {"k": {"access_token": 5}}}',
        b'{"tokens": {"k": {"access_token": "a", "expires_at": "yesterday"}}}',
        b'{"tokens": {"k": {"access_token": "a", "expires_at": "2030-01-01T00:00:00"}}}',
        b"",
    ],
)
def test_a_corrupt_file_reads_as_empty(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, content: bytes
) -> None:
    path = tmp_path / "tokens.json"
    path.write_bytes(content)
    store = FileTokenStore(path)
    with caplog.at_level(logging.DEBUG, logger="cloudcx.auth"):
        assert store.load("k") is None
    assert any(r.levelno == logging.DEBUG for r in caplog.records)
    token = _token()
    store.save("k", token)  # and it can be written over
    assert store.load("k") == token


# 100 KB token-store files nested as deep as they go, and dates at the ends of the calendar:
# each reads as empty (no RecursionError, no OverflowError), and a fresh token is fetched.
_SIZE = 100 * 1024
_HOSTILE_STORES = {
    "nested": b'{"version": 1, "tokens": ' + b"[" * _SIZE,
    "nested object": b'{"a":' * (_SIZE // 5),
    "year 1 east of UTC": None,
    "year 9999 west of UTC": None,
}


def _hostile_store_file(tmp_path: Path, kind: str, key: str) -> Path:
    path = tmp_path / "tokens.json"
    content = _HOSTILE_STORES[kind]
    if content is None:
        when = "0001-01-01T00:00:00+05:00" if "east" in kind else "9999-12-31T23:59:59-05:00"
        entry = {"access_token": "stored", "token_type": "Bearer", "expires_at": when}
        content = json.dumps({"version": 1, "tokens": {key: entry}}).encode()
    path.write_bytes(content)
    return path


@pytest.mark.parametrize("kind", _HOSTILE_STORES.keys())
def test_a_hostile_token_store_file_reads_as_empty(tmp_path: Path, kind: str) -> None:
    def handler(path: str, connection: Connection) -> None:
        if path.startswith("/oauth/token"):
            connection.respond_json({"access_token": "fresh", "token_type": "Bearer"})
            return
        connection.respond_json(user_page())

    with hostile(handler) as server:
        settings = password_settings(server)
        with CloudCX(**settings) as probe:
            key = probe._tokens._cache.store_key  # type: ignore[union-attr]
        store = FileTokenStore(_hostile_store_file(tmp_path, kind, key))
        started = time.perf_counter()
        assert store.load(key) is None
        elapsed = time.perf_counter() - started
        with CloudCX(**settings, token_store=store) as cx:
            assert cx.get_token().access_token.get_secret_value() == "fresh"
    print(f"\n{kind} token store: read as empty in {elapsed * 1000:.1f} ms")


def test_an_unreadable_file_reads_as_empty(tmp_path: Path) -> None:
    path = tmp_path / "tokens.json"
    path.mkdir()  # a directory where the file should be: reading fails with an OSError
    assert FileTokenStore(path).load("k") is None


def test_a_token_store_path_that_cannot_be_opened_is_refused_by_name() -> None:
    with pytest.raises(ConfigurationError, match="path"):
        FileTokenStore("/tmp/cloudcx\x00tokens.json")


def test_default_path_follows_xdg_cache_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert FileTokenStore().path == tmp_path / "cache" / "cloudcx" / "tokens.json"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert FileTokenStore().path == tmp_path / "home" / ".cache" / "cloudcx" / "tokens.json"


def test_file_store_is_a_token_store(tmp_path: Path) -> None:
    assert isinstance(FileTokenStore(tmp_path / "t.json"), TokenStore)
    assert "tokens.json" in repr(FileTokenStore(tmp_path / "tokens.json"))


def test_concurrent_saves_lose_nothing(tmp_path: Path) -> None:
    store = FileTokenStore(tmp_path / "tokens.json")
    threads = [
        threading.Thread(target=store.save, args=(f"k{i}", _token(f"a{i}"))) for i in range(16)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    data = json.loads((tmp_path / "tokens.json").read_text())
    assert sorted(data["tokens"]) == sorted(f"k{i}" for i in range(16))


# --- the clients with a store --------------------------------------------------------------


def test_two_client_instances_share_one_token_request(make_sim: SimFactory, tmp_path: Path) -> None:
    sim = make_sim()
    path = tmp_path / "tokens.json"
    with sync_client(sim, token_store=FileTokenStore(path)) as first:
        first.users.list()
    with sync_client(sim, token_store=FileTokenStore(path)) as second:
        second.users.list()
        second.users.list()
    assert sim.token_requests == 1
    assert sim.api_requests == 3
    key = token_store_key(sim.token_url, sim.client_id, sim.username)
    assert list(json.loads(path.read_text())["tokens"]) == [key]


@pytest.mark.anyio
async def test_async_clients_use_the_store_too(make_sim: SimFactory, tmp_path: Path) -> None:
    sim = make_sim()
    store = FileTokenStore(tmp_path / "tokens.json")
    async with async_client(sim, token_store=store) as first:
        await first.users.list()
    async with async_client(sim, token_store=store) as second:
        await second.users.list()
    with sync_client(sim, token_store=store) as third:
        third.users.list()
    assert sim.token_requests == 1


def test_every_new_token_is_saved(make_sim: SimFactory, tmp_path: Path) -> None:
    sim = make_sim()
    store = FileTokenStore(tmp_path / "tokens.json")
    key = token_store_key(sim.token_url, sim.client_id, sim.username)
    with sync_client(sim, token_store=store) as cx:
        cx.users.list()
        first = store.load(key)
        sim.revoke_access_tokens()
        cx.users.list()
        assert store.load(key) == cx.get_token()
    assert first is not None
    assert store.load(key) != first
    assert sim.token_requests == 2


def test_a_stale_stored_token_is_refreshed_with_its_refresh_token(
    make_sim: SimFactory, tmp_path: Path
) -> None:
    sim = make_sim(refresh_tokens=True)
    store = FileTokenStore(tmp_path / "tokens.json")
    key = token_store_key(sim.token_url, sim.client_id, sim.username)
    with sync_client(sim, token_store=store) as first:
        live = first.get_token()
    store.save(key, Token(live.access_token, expires_at=datetime(2020, 1, 1, tzinfo=UTC),
                          refresh_token=live.refresh_token))  # fmt: skip
    sim.reset_counters()
    with sync_client(sim, token_store=store) as second:
        second.users.list()
    assert grant_types(sim) == ["refresh_token"]


def test_a_revoked_stored_token_is_replaced_after_one_401(
    make_sim: SimFactory, tmp_path: Path
) -> None:
    sim = make_sim()
    store = FileTokenStore(tmp_path / "tokens.json")
    with sync_client(sim, token_store=store) as first:
        first.users.list()
    sim.revoke_access_tokens()
    sim.reset_counters()
    with sync_client(sim, token_store=store) as second:
        second.users.list()
        second.users.list()
    assert [r.status for r in sim.requests] == [401, 200, 200, 200]


class _BrokenStore:
    """A store whose every operation fails."""

    def load(self, key: str) -> Token | None:
        raise OSError("no disk")

    def save(self, key: str, token: Token) -> None:
        raise OSError("no disk")

    def delete(self, key: str) -> None:
        raise OSError("no disk")


def test_a_broken_store_never_fails_a_call(
    make_sim: SimFactory, caplog: pytest.LogCaptureFixture
) -> None:
    sim = make_sim()
    with (
        caplog.at_level(logging.WARNING, logger="cloudcx.auth"),
        sync_client(sim, token_store=_BrokenStore()) as cx,
    ):
        assert cx.users.list().total_elements == 30
    assert [r.getMessage().split(" a token")[0] for r in caplog.records] == [
        "the token store failed to load",
        "the token store failed to save",
    ]


def test_a_store_must_look_like_one(make_sim: SimFactory) -> None:
    from cloudcx import CloudCX, ConfigurationError

    sim = make_sim()
    with pytest.raises(ConfigurationError, match="token_store"):
        CloudCX(**grant_kwargs(sim, token_store=object()))


class _DictStore:
    """A hand-rolled store that keeps (and returns) the JSON-ready dict, not a `Token`."""

    def __init__(self) -> None:
        self.data: dict[str, dict[str, str | None]] = {}

    def load(self, key: str) -> Token | None:
        return self.data.get(key)  # type: ignore[return-value]

    def save(self, key: str, token: Token) -> None:
        self.data[key] = token.to_dict()

    def delete(self, key: str) -> None:
        self.data.pop(key, None)


def test_a_store_that_returns_no_token_reads_as_empty(
    make_sim: SimFactory, caplog: pytest.LogCaptureFixture
) -> None:
    sim = make_sim()
    store = _DictStore()
    with sync_client(sim, token_store=store) as first:
        first.users.list()
    with (
        caplog.at_level(logging.WARNING, logger="cloudcx.auth"),
        sync_client(sim, token_store=store) as second,
    ):
        assert second.users.list().total_elements == 30
    assert sim.token_requests == 2  # the second client could not reuse the dict
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 1
    assert messages[0].startswith("the token store failed to load a token")
    assert "dict" in messages[0]
    assert "access_token" not in messages[0]


@pytest.mark.anyio
async def test_async_a_store_that_returns_no_token_reads_as_empty(make_sim: SimFactory) -> None:
    sim = make_sim()
    store = _DictStore()
    for _ in range(2):
        async with async_client(sim, token_store=store) as cx:
            await cx.users.list()
    assert sim.token_requests == 2
