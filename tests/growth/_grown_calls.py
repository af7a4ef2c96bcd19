"""Call every operation the growth test adds, sync and async, against a loopback server.

Run by `test_new_operations.py` as a script, in a subprocess whose `PYTHONPATH` puts the regenerated
copy of the project first: `cloudcx.call_queues`, `cloudcx.teams` and `cloudcx.users.get` exist
only there, so the clients are typed `Any` here. The server below is not the simulator: a few
lines of `http.server` that answer the new operations as a CloudCX server would (envelopes, a
404, an error envelope on HTTP 200, pages, a list of teams and lists broken on purpose), count
what they receive, and fail some requests on purpose (a 502 and a connection dropped after the
request was read) to show that a POST is never resent while a GET is. Prints
`grown calls: ok` when every check holds.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import re
import sys
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

API_KEY = "growth-api-key-3c9e"
USER_ID = "75d86d40-f7d9-4025-8a1c-8a868f918289"
REFUSED_ID = "00000000-0000-4000-8000-000000000001"
CONFIRMATION_CODE = "c0nf1rm-7c1e-secret"
QUEUES = [{"id": index, "name": f"queue-{index}", "strategy": "ringall"} for index in range(5)]
TEAMS = [{"id": 1, "name": "Sales", "lead": "Ada"}, {"id": 2, "name": "Care", "lead": None}]
# `listTeams`' answers by `site`: a list, an error envelope on HTTP 200, and bodies that break it.
TEAM_ANSWERS: dict[str, Any] = {
    "all": TEAMS,
    "none": [],
    "object": TEAMS[0],
    "null": None,
    "number-item": [TEAMS[0], 5],
    "nameless": [TEAMS[0], {"id": 3, "lead": None}],
    "leadless": [{"id": 4, "name": "Ops"}],
}
USER = {
    "id": USER_ID,
    "loginCode": "freesiaTest",
    "roles": ["Admin", "Supervisor"],
    "firstName": "freesia",
    "lastName": "Test",
    "email": None,
    "uniqueCode": None,
    "extra": "kept",
}
SEEN: Counter[str] = Counter()


def envelope(data: Any) -> dict[str, Any]:
    return {"code": "0000", "message": None, "data": data}


def error(code: str, message: str) -> dict[str, Any]:
    return {"code": code, "message": message, "data": None}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the test reads the counters, not a log."""

    def answer(self, status: int, body: dict[str, Any]) -> None:
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def drop(self) -> None:
        """Close the connection without an answer, after the request was read."""
        self.close_connection = True
        self.connection.close()

    def handle_any(self) -> None:
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length)) if length else None
        key = f"{self.command} {url.path}"
        if body and isinstance(body.get("name"), str):
            key += f" {body['name']}"
        SEEN[key] += 1
        if self.headers.get("Authorization") != f"Bearer {API_KEY}":
            self.answer(401, error("4010", "invalid api key"))
            return
        query = {name: values[0] for name, values in parse_qs(url.query).items()}
        parts = url.path.strip("/").split("/")
        if self.command == "GET" and parts[:3] == ["openapi", "v2", "user"]:
            self.get_user(parts[3])
        elif self.command == "GET" and url.path == "/openapi/v2/team/list":
            site = query.get("site", "all")
            if site == "refused":
                self.answer(200, error("4031", "not in your tenant"))
            else:
                self.answer(200, envelope(TEAM_ANSWERS[site]))
        elif self.command == "GET" and url.path == "/openapi/v2/team/find":
            # Nullable data: a team, or null when none has the name.
            found = [team for team in TEAMS if team["name"] == query["name"]]
            self.answer(200, envelope(found[0] if found else None))
        elif self.command == "GET" and url.path == "/openapi/v2/team/archived":
            # Nullable list data: null for "none", else the teams (a broken item for "broken").
            answers = {"none": None, "empty": [], "broken": [7]}
            self.answer(200, envelope(answers.get(query["name"], TEAMS)))
        elif self.command == "GET" and url.path == "/openapi/v2/call-queue/page":
            index, size = int(query["pageIndex"]), int(query["pageSize"])
            content = QUEUES[(index - 1) * size : index * size]
            pages = -(-len(QUEUES) // size)
            page = {"totalPages": pages, "totalElements": len(QUEUES), "content": content}
            self.answer(200, envelope(page))
        elif self.command == "POST" and url.path == "/openapi/v2/call-queue":
            self.create(body or {})
        elif self.command == "DELETE" and parts[:3] == ["openapi", "v2", "call-queue"]:
            if parts[3] == "404":
                self.answer(
                    404, error("4040", f"no queue 404 (code {query.get('confirmationCode')})")
                )
            else:
                self.answer(200, envelope(None))
        else:
            self.answer(404, error("4040", "no such route"))

    def get_user(self, user_id: str) -> None:
        if user_id == "drop":
            self.drop()
        elif user_id == USER_ID:
            self.answer(200, envelope(USER))
        elif user_id == REFUSED_ID:
            self.answer(200, error("4031", "not in your tenant"))
        else:
            self.answer(404, error("4040", "no such user"))

    def create(self, body: dict[str, Any]) -> None:
        name = body.get("name")
        if name == "gateway":
            self.answer(502, error("5020", "bad gateway"))
        elif name == "drop":
            self.drop()
        else:
            created = {"id": 99, "name": name, "strategy": body.get("strategy", "ringall")}
            self.answer(200, envelope(created))

    do_GET = do_POST = do_DELETE = handle_any


def check_sync(cloudcx: Any, base_url: str) -> None:
    from cloudcx import (
        APIConnectionError,
        APIError,
        ConfigurationError,
        NotFoundError,
        RetryPolicy,
        ServerError,
    )

    policy = RetryPolicy(base_delay=0.001, max_delay=0.001)
    cx: Any = cloudcx.CloudCX(base_url=base_url, api_key=API_KEY, retry_policy=policy)
    with cx:
        user = cx.users.get(id=USER_ID)
        assert str(user.id) == USER_ID
        assert (user.email, user.phone_number) == (None, None)
        assert user.additional_properties == {"extra": "kept"}
        with pytest.raises(NotFoundError) as not_found:
            cx.users.get(id="11111111-2222-4333-8444-555555555555")
        assert (not_found.value.status_code, not_found.value.code) == (404, "4040")
        assert not_found.value.message == "no such user"
        with pytest.raises(APIError) as refused:
            cx.users.get(id=REFUSED_ID)
        assert (refused.value.status_code, refused.value.code) == (200, "4031")
        with pytest.raises(APIConnectionError):
            cx.users.get(id="drop")
        assert SEEN["GET /openapi/v2/user/drop"] == 3  # a GET is resent (max_retries=2)
        pages = list(cx.call_queues.iter_call_queues_pages(page_size=2))
        assert [page.total_pages for page in pages] == [3, 3, 3]
        names = [queue.name for queue in cx.call_queues.iter_call_queues(page_size=2)]
        assert names == [queue["name"] for queue in QUEUES]
        page = cx.call_queues.list_call_queues(page_index=3, page_size=2)
        assert [queue.name for queue in page.content] == ["queue-4"]
        created = cx.call_queues.create(name="sales", strategy="roundrobin")
        assert (created.id, created.name, created.strategy) == (99, "sales", "roundrobin")
        assert cx.call_queues.delete(queue_id=99) is None
        with pytest.raises(NotFoundError) as missing:
            cx.call_queues.delete(queue_id=404, confirmation_code=CONFIRMATION_CODE)
        # A secret query parameter of the spec is masked in the URL, and in the server's text.
        assert missing.value.url is not None
        assert "confirmationCode=" in missing.value.url
        assert CONFIRMATION_CODE not in f"{missing.value} {missing.value.url}"
        bad_arguments: list[tuple[dict[str, Any], str]] = [
            ({"name": "x" * 65}, "name must be at most 64 characters"),
            ({"name": "ok", "strategy": "random"}, "strategy must be one of"),
            ({"name": 5}, "name must be a string"),
            ({"name": None}, "name is required"),
        ]
        for arguments, message in bad_arguments:
            with pytest.raises(ConfigurationError, match=message):
                cx.call_queues.create(**arguments)
        with pytest.raises(ServerError) as gateway:
            cx.call_queues.create(name="gateway")
        assert gateway.value.status_code == 502
        with pytest.raises(APIConnectionError):
            cx.call_queues.create(name="drop")
        raw = cx.call_queues.with_raw_response.create(name="raw")
        assert raw.status_code == 200
        assert raw.headers["content-type"] == "application/json"
        assert raw.parse().name == "raw"
    check_team_lists(cloudcx, base_url)


def check_team_lists(cloudcx: Any, base_url: str) -> None:
    """`cx.teams.list()`, whose `data` is a list of `Team`: each item decoded as any model.

    `Team` is a model the fast path describes: an exact list is decoded in C, and every other
    body (a missing field, a list broken on purpose) by the usual decoder.
    """
    from cloudcx import APIError, InvalidResponseError
    from cloudcx_openapi.fast_path import FAST_LIST_DECODERS

    # The grown models exist only in the regenerated copy: looked up, not imported by name.
    assert set(FAST_LIST_DECODERS) == {importlib.import_module("cloudcx_openapi.models").Team}

    with cloudcx.CloudCX(base_url=base_url, api_key=API_KEY) as cx:
        teams = cx.teams.list()
        assert isinstance(teams, list)
        assert [type(team).__name__ for team in teams] == ["Team", "Team"]
        assert [(team.id, team.name, team.lead) for team in teams] == [
            (1, "Sales", "Ada"),
            (2, "Care", None),
        ]
        assert cx.teams.list(site="none") == []
        # Tolerant (the default): a nullable field that is missing reads as null.
        assert [team.lead for team in cx.teams.list(site="leadless")] == [None]
        assert [team.name for team in cx.teams.with_raw_response.list().parse()] == [
            "Sales",
            "Care",
        ]
        with pytest.raises(APIError) as refused:
            cx.teams.list(site="refused")
        assert (refused.value.status_code, refused.value.code) == (200, "4031")
        broken = {
            "object": "data is not a list",
            "null": "data is not a list",
            "number-item": "data[1] is not an object",
            "nameless": "data[1].name is missing",
        }
        for site, reason in broken.items():
            with pytest.raises(InvalidResponseError, match=re.escape(reason)):
                cx.teams.list(site=site)
    with cloudcx.CloudCX(base_url=base_url, api_key=API_KEY, strict=True) as strict:
        assert len(strict.teams.list()) == 2
        with pytest.raises(InvalidResponseError, match=re.escape("data[0].lead is missing")):
            strict.teams.list(site="leadless")
    check_nullable_teams(cloudcx, base_url)


def check_nullable_teams(cloudcx: Any, base_url: str) -> None:
    """`cx.teams.find()` and `cx.teams.list_archived()`, whose `data` the spec lets be null.

    A null `data` is None, tolerant or strict, through the method and `with_raw_response`; a
    `data` that is there is decoded and checked as usual. (`cx.teams.list()`, whose `data` may
    not be null, refuses it: `check_team_lists`.)
    """
    from cloudcx import InvalidResponseError

    for strict in (False, True):
        with cloudcx.CloudCX(base_url=base_url, api_key=API_KEY, strict=strict) as cx:
            assert cx.teams.find(name="Nobody") is None
            assert cx.teams.with_raw_response.find(name="Nobody").parse() is None
            assert (cx.teams.find(name="Care").id, cx.teams.find(name="Care").lead) == (2, None)
            assert cx.teams.list_archived(name="none") is None
            assert cx.teams.with_raw_response.list_archived(name="none").parse() is None
            assert cx.teams.list_archived(name="empty") == []
            archived = cx.teams.list_archived(name="all")
            assert [team.name for team in archived] == ["Sales", "Care"]
            with pytest.raises(InvalidResponseError, match=re.escape("data[0] is not an object")):
                cx.teams.list_archived(name="broken")


async def check_async(cloudcx: Any, base_url: str) -> None:
    from cloudcx import (
        APIConnectionError,
        APIError,
        InvalidResponseError,
        NotFoundError,
        RetryPolicy,
        ServerError,
    )

    policy = RetryPolicy(base_delay=0.001, max_delay=0.001)
    cx: Any = cloudcx.AsyncCloudCX(base_url=base_url, api_key=API_KEY, retry_policy=policy)
    async with cx:
        user = await cx.users.get(id=USER_ID)
        assert user.roles == ["Admin", "Supervisor"]
        with pytest.raises(NotFoundError, match="no such user"):
            await cx.users.get(id="11111111-2222-4333-8444-555555555555")
        walk = cx.call_queues.iter_call_queues(page_size=2, concurrency=3)
        assert [queue.id async for queue in walk] == [0, 1, 2, 3, 4]
        page = await cx.call_queues.list_call_queues(page_size=2)
        assert page.total_elements == len(QUEUES)
        created = await cx.call_queues.create(name="support")
        assert created.strategy == "ringall"
        assert await cx.call_queues.delete(queue_id=99) is None
        with pytest.raises(ServerError):
            await cx.call_queues.create(name="gateway")
        with pytest.raises(APIConnectionError):
            await cx.call_queues.create(name="drop")
        raw = await cx.call_queues.with_raw_response.delete(queue_id=7)
        assert raw.status_code == 200
        assert raw.parse() is None
        teams = await cx.teams.list()
        assert [team.name for team in teams] == ["Sales", "Care"]
        with pytest.raises(APIError, match="not in your tenant"):
            await cx.teams.list(site="refused")
        with pytest.raises(InvalidResponseError, match="data is not a list"):
            await cx.teams.list(site="object")
        raw_teams = await cx.teams.with_raw_response.list(site="number-item")
        with pytest.raises(InvalidResponseError, match=re.escape("data[1] is not an object")):
            raw_teams.parse()
        # `data` may be null where the spec says so, and only there.
        with pytest.raises(InvalidResponseError, match="data is not a list"):
            await cx.teams.list(site="null")
        assert await cx.teams.find(name="Nobody") is None
        assert (await cx.teams.find(name="Sales")).lead == "Ada"
        assert await cx.teams.list_archived(name="none") is None
        raw_archived = await cx.teams.with_raw_response.list_archived(name="none")
        assert raw_archived.parse() is None
        assert len(await cx.teams.list_archived(name="all")) == 2
    async with cloudcx.AsyncCloudCX(base_url=base_url, api_key=API_KEY, strict=True) as strict:
        assert await strict.teams.find(name="Nobody") is None
        assert await strict.teams.list_archived(name="none") is None


def main() -> int:
    import cloudcx

    # The regenerated copy, not the project's own tree, is what runs here.
    print(f"cloudcx from {cloudcx.__file__}")
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base_url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        check_sync(cloudcx, base_url)
        asyncio.run(check_async(cloudcx, base_url))
    finally:
        server.shutdown()
        server.server_close()
    # Each POST that may have reached the server was sent exactly once (no resend), by each
    # client; the GET that lost its connection was resent (3 attempts, max_retries=2).
    posts = {key: count for key, count in SEEN.items() if key.startswith("POST")}
    assert posts["POST /openapi/v2/call-queue gateway"] == 2, posts
    assert posts["POST /openapi/v2/call-queue drop"] == 2, posts
    print("grown calls: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
