"""HTTP framing and body shapes a foreign server may choose, on the user page."""

from __future__ import annotations

import pytest

from cloudcx import APIError, AuthenticationError, CloudCX
from tests.support.foreign_clients import assert_api_request, assert_token_request, client
from tests.support.foreign_server import Quirks, foreign_server

WIRE_QUIRKS = {
    "json-charset": Quirks(content_type="application/json;charset=UTF-8"),
    "gzip": Quirks(gzip=True),
    "chunked": Quirks(chunked=True),
    "gzip-chunked-charset": Quirks(
        gzip=True, chunked=True, content_type="application/json; charset=utf-8"
    ),
    "connection-close": Quirks(connection_close=True),
    "http-1.0": Quirks(http10=True),
    "http-1.0-close-delimited": Quirks(http10=True, close_delimited=True, gzip=True),
}


@pytest.mark.parametrize("quirks", WIRE_QUIRKS.values(), ids=WIRE_QUIRKS.keys())
def test_framing_quirks_decode_every_page(quirks: Quirks) -> None:
    with foreign_server(quirks) as server, client(server) as cx:
        users = list(cx.users.iter(page_size=10))
        token = cx.get_token().access_token.get_secret_value()
        assert len(users) == 26
        assert users[23].first_name == "José"
        assert users[23].last_name == "Ñúñez"
        assert len(server.token_requests) == 1
        assert_token_request(server.token_requests[0], server)
        assert len(server.api_requests) == 3
        for record in server.api_requests:
            assert_api_request(record, token)
        if quirks.gzip:
            assert "gzip" in server.api_requests[0].headers.get("accept-encoding", "")


@pytest.mark.parametrize(
    "quirks",
    [Quirks(), Quirks(connection_close=True), Quirks(http10=True), Quirks(gzip=True, chunked=True)],
    ids=["keep-alive", "connection-close", "http-1.0", "gzip-chunked"],
)
def test_expired_token_empty_401_with_a_challenge_renews_once(quirks: Quirks) -> None:
    with foreign_server(quirks) as server, client(server) as cx:
        cx.users.list()
        first = cx.get_token().access_token.get_secret_value()
        server.advance(4000)  # past expires_in on the server's clock only
        page = cx.users.list(page_index=2)
        second = cx.get_token().access_token.get_secret_value()
        assert page.number == 1
        assert first != second
        assert [r.status for r in server.api_requests] == [200, 401, 200]
        assert_api_request(server.api_requests[1], first)
        assert_api_request(server.api_requests[2], second)
        assert len(server.token_requests) == 2


def test_api_key_refused_with_an_empty_401_is_an_authentication_error() -> None:
    with (
        foreign_server() as server,
        CloudCX(base_url=server.base_url, api_key="not-a-key-123", max_retries=0) as cx,
    ):
        with pytest.raises(AuthenticationError) as caught:
            cx.users.list()
        assert caught.value.status_code == 401
        assert "not-a-key-123" not in str(caught.value)
        assert len(server.api_requests) == 1


def test_api_key_is_sent_as_a_bearer_token() -> None:
    with foreign_server() as server:
        with CloudCX(base_url=server.base_url, api_key=server.api_key, max_retries=0) as cx:
            assert cx.users.list().total_elements == 26
        assert_api_request(server.api_requests[0], server.api_key)
        assert server.token_requests == []


def test_envelope_error_with_http_200_is_an_api_error() -> None:
    with foreign_server(Quirks(envelope_error="1001")) as server, client(server) as cx:
        with pytest.raises(APIError) as caught:
            cx.users.list()
        assert caught.value.code == "1001"
        assert caught.value.status_code == 200
        assert caught.value.message == "Parameter error"


def test_success_envelope_without_message() -> None:
    with foreign_server(Quirks(omit_message=True)) as server, client(server) as cx:
        assert cx.users.list().total_elements == 26


def test_unknown_fields_in_envelope_page_and_users_are_tolerated() -> None:
    with foreign_server(Quirks(extra_fields=True)) as server, client(server) as cx:
        page = cx.users.list(page_size=3)
        assert page.number_of_elements == 3
        assert page.additional_properties["first"] is True
        assert page.content[0].additional_properties["status"] == "ACTIVE"
        assert len(list(cx.users.iter(page_size=10))) == 26


def test_phone_number_and_unique_code_null_and_set() -> None:
    with foreign_server() as server, client(server) as cx:
        users = {user.login_code: user for user in cx.users.iter(page_size=100)}
        assert users["si.member00"].phone_number is None
        assert users["si.member00"].unique_code is None
        assert users["si.member11"].phone_number == "+15550000001"
        jose = next(u for u in users.values() if u.first_name == "José")
        assert jose.unique_code == "JN-1"
        assert jose.phone_number is None


@pytest.mark.parametrize(
    ("keywords", "expected_first_names"),
    [
        ("José Ñ", ["José"]),
        ("a&b=c", ["a&b=c"]),
        ("ñúñez", ["José"]),
        ("no such user", []),
        ("C++ 100%", []),
    ],
)
def test_keywords_are_url_encoded_and_decoded_by_the_server(
    keywords: str, expected_first_names: list[str]
) -> None:
    with foreign_server() as server, client(server) as cx:
        page = cx.users.list(keywords=keywords)
        assert [user.first_name for user in page.content] == expected_first_names
        record = server.api_requests[0]
        assert record.query["keywords"] == [keywords]
        # One keywords parameter: `&` and `=` did not split the query.
        assert set(record.query) == {"pageIndex", "pageSize", "keywords"}
        assert " " not in record.raw_query


def test_page_past_the_end_is_empty() -> None:
    with foreign_server() as server, client(server) as cx:
        page = cx.users.list(page_index=99, page_size=10)
        assert page.content == []
        assert page.number == 98
        assert page.total_pages == 3
        assert page.number_of_elements == 0


def test_server_that_clamps_the_page_size_still_yields_everyone() -> None:
    with foreign_server(Quirks(max_page_size=10)) as server, client(server) as cx:
        users = list(cx.users.iter(page_size=25))
        assert len(users) == 26
        assert len({user.id for user in users}) == 26
        assert len(server.api_requests) == 3


def test_server_behind_a_path_prefix() -> None:
    quirks = Quirks(prefix="/cloudcx")
    with foreign_server(quirks, separate_token_port=True) as server, client(server) as cx:
        assert server.base_url.endswith("/cloudcx")
        assert cx.users.list().total_elements == 26
        assert server.api_requests[0].path == "/cloudcx/openapi/v2/user/page"
        assert server.token_requests[0].path == "/cloudcx/oauth/token"
