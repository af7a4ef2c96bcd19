"""`with_raw_response` (issue 14): the HTTP answer itself, and the typed result on demand.

`cx.<resource>.with_raw_response.<method>(...)` returns the response whatever it says; its
`parse()` gives what the plain method returns, or raises the same typed error.
"""

from __future__ import annotations

import json

import httpx
import pytest

from cloudcx import AsyncCloudCX, CloudCX, NotFoundError, RawResponse, UserPage
from tests.support.scripted_server import Reply, ScriptedServer

API_KEY = "raw-response-key"
PAGE = {
    "code": "0000",
    "message": None,
    "data": {
        "totalPages": 1,
        "totalElements": 0,
        "size": 25,
        "number": 0,
        "numberOfElements": 0,
        "content": [],
    },
}
NOT_FOUND = {"code": "4040", "message": "no such page", "data": None}


def test_raw_response_exposes_the_answer_and_parses_it_sync(
    scripted_server: ScriptedServer,
) -> None:
    scripted_server.reply = Reply(body=json.dumps(PAGE).encode())
    with CloudCX(base_url=scripted_server.base_url, api_key=API_KEY) as cx:
        raw = cx.users.with_raw_response.list(page_size=5)
        assert isinstance(raw, RawResponse)
        assert isinstance(raw.http_response, httpx.Response)
        assert raw.status_code == 200
        assert raw.headers["content-type"] == "application/json"
        assert json.loads(raw.content) == PAGE
        assert raw.http_response.request.url.params["pageSize"] == "5"
        page = raw.parse()
        assert isinstance(page, UserPage)
        assert page == cx.users.list(page_size=5)
        assert "api_key" not in repr(raw)
        assert API_KEY not in repr(raw)


def test_raw_response_of_an_error_is_returned_and_parse_raises_sync(
    scripted_server: ScriptedServer,
) -> None:
    scripted_server.reply = Reply(status=404, body=json.dumps(NOT_FOUND).encode())
    with CloudCX(base_url=scripted_server.base_url, api_key=API_KEY) as cx:
        raw = cx.users.with_raw_response.list()
        assert raw.status_code == 404
        assert raw.text == json.dumps(NOT_FOUND)
        with pytest.raises(NotFoundError) as caught:
            raw.parse()
    assert (caught.value.code, caught.value.status_code) == ("4040", 404)


@pytest.mark.anyio
async def test_raw_response_async(scripted_server: ScriptedServer) -> None:
    scripted_server.reply = Reply(body=json.dumps(PAGE).encode())
    async with AsyncCloudCX(base_url=scripted_server.base_url, api_key=API_KEY) as cx:
        raw = await cx.users.with_raw_response.list()
        assert raw.status_code == 200
        assert raw.parse().total_pages == 1
        scripted_server.reply = Reply(status=404, body=json.dumps(NOT_FOUND).encode())
        raw = await cx.users.with_raw_response.list()
        with pytest.raises(NotFoundError):
            raw.parse()
