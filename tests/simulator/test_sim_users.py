"""The user page: authentication, paging, keyword search and parameter validation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from cloudcx.testing import DEMO_API_KEY, Simulator
from tests.support.simulator_http import PageFetcher

SEED_USER = {
    "id": "75d86d40-f7d9-4025-8a1c-8a868f918289",
    "loginCode": "freesiaTest",
    "roles": ["Admin", "Agents"],
    "firstName": "freesia",
    "lastName": "Test",
    "email": "frees1aa@gmail.com",
    "phoneNumber": None,
    "uniqueCode": None,
}
USER_KEYS = set(SEED_USER)


def page_data(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["code"] == "0000"
    assert body["message"] is None
    data: dict[str, Any] = body["data"]
    return data


def test_seed_user_comes_first_as_in_the_vendor_example(
    sim: Simulator, get_page: PageFetcher
) -> None:
    data = page_data(get_page(sim, sim.api_key, pageIndex=1, pageSize=1))
    assert data["content"] == [SEED_USER]
    assert (data["size"], data["number"], data["numberOfElements"]) == (1, 0, 1)
    assert (data["totalElements"], data["totalPages"]) == (60, 60)


def test_api_key_and_access_token_both_work(
    sim: Simulator, get_page: PageFetcher, access_token: Callable[[Simulator], str]
) -> None:
    assert sim.api_key == DEMO_API_KEY
    assert get_page(sim, sim.api_key).status_code == 200
    assert get_page(sim, access_token(sim)).status_code == 200


@pytest.mark.parametrize(
    ("authorization", "challenge"),
    [
        (None, "Bearer"),
        ("Basic Zm9vOmJhcg==", "Bearer"),
        ("Bearer not-a-token", 'Bearer error="invalid_token"'),
    ],
)
def test_unauthorized(
    sim: Simulator, client: Any, authorization: str | None, challenge: str
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    response = client.get(sim.base_url + "/openapi/v2/user/page", headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == challenge
    body = response.json()
    assert body["code"] == "4010"
    assert body["data"] is None
    assert isinstance(body["message"], str)


def test_revoked_tokens_are_rejected(
    sim: Simulator, get_page: PageFetcher, access_token: Callable[[Simulator], str]
) -> None:
    token = access_token(sim)
    sim.revoke_access_tokens()
    response = get_page(sim, token)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'
    assert get_page(sim, sim.api_key).status_code == 200
    assert get_page(sim, access_token(sim)).status_code == 200


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        # params -> (totalPages, totalElements, size, number, numberOfElements)
        ({}, (3, 60, 25, 0, 25)),
        ({"pageIndex": 3}, (3, 60, 25, 2, 10)),
        ({"pageIndex": 4}, (3, 60, 25, 3, 0)),
        ({"pageIndex": 2, "pageSize": 30}, (2, 60, 30, 1, 30)),
        ({"pageIndex": 1, "pageSize": 100}, (1, 60, 100, 0, 60)),
        ({"pageSize": 7, "pageIndex": 9}, (9, 60, 7, 8, 4)),
        ({"keywords": "no-such-user"}, (0, 0, 25, 0, 0)),
    ],
)
def test_pagination_math(
    sim: Simulator,
    get_page: PageFetcher,
    params: dict[str, Any],
    expected: tuple[int, int, int, int, int],
) -> None:
    data = page_data(get_page(sim, sim.api_key, **params))
    keys = ("totalPages", "totalElements", "size", "number", "numberOfElements")
    assert tuple(data[key] for key in keys) == expected
    assert len(data["content"]) == data["numberOfElements"]


def test_pages_cover_the_directory_once(sim: Simulator, get_page: PageFetcher) -> None:
    ids: list[str] = []
    for index in range(1, 5):
        ids += [u["id"] for u in page_data(get_page(sim, sim.api_key, pageIndex=index))["content"]]
    assert len(ids) == len(set(ids)) == 60
    assert ids[0] == SEED_USER["id"]


def test_empty_directory(get_page: PageFetcher) -> None:
    with Simulator(users=0) as sim:
        data = page_data(get_page(sim, sim.api_key))
        assert (data["totalPages"], data["totalElements"], data["content"]) == (0, 0, [])


def test_keywords_are_case_insensitive_substrings(sim: Simulator, get_page: PageFetcher) -> None:
    lower = page_data(get_page(sim, sim.api_key, keywords="si", pageSize=100))
    upper = page_data(get_page(sim, sim.api_key, keywords="SI", pageSize=100))
    assert lower == upper
    assert 1 < lower["totalElements"] < 60
    assert lower["content"][0] == SEED_USER
    for user in lower["content"]:
        fields = (user["loginCode"], user["firstName"], user["lastName"], user["email"])
        assert any("si" in value.lower() for value in fields)
    assert page_data(get_page(sim, sim.api_key, keywords="frees1aa@GMAIL"))["content"] == [
        SEED_USER
    ]
    # Empty keywords mean every user.
    assert page_data(get_page(sim, sim.api_key, keywords=""))["totalElements"] == 60


def test_directory_users_are_plausible(get_page: PageFetcher) -> None:
    with Simulator(users=250) as sim:
        users: list[dict[str, Any]] = []
        for index in (1, 2, 3):
            users += page_data(get_page(sim, sim.api_key, pageIndex=index, pageSize=100))["content"]
    assert len(users) == 250
    assert all(set(user) == USER_KEYS for user in users)
    assert len({user["id"] for user in users}) == 250
    assert len({user["loginCode"] for user in users}) == 250
    roles = {role for user in users for role in user["roles"]}
    assert roles == {"Admin", "Agents", "Supervisor"}
    for key in ("phoneNumber", "uniqueCode"):
        values = [user[key] for user in users]
        assert None in values
        assert any(isinstance(value, str) for value in values)


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"pageIndex": "one"}, 400, "4000"),
        ({"pageSize": "2.5"}, 400, "4000"),
        ({"pageIndex": ""}, 400, "4000"),
        ({"pageIndex": "99999999999"}, 400, "4000"),
        ({"pageIndex": 0}, 422, "4220"),
        ({"pageIndex": -1}, 422, "4220"),
        ({"pageSize": 0}, 422, "4220"),
        ({"pageSize": 101}, 422, "4220"),
        ({"keywords": "x" * 257}, 422, "4220"),
    ],
)
def test_bad_parameters(
    sim: Simulator, get_page: PageFetcher, params: dict[str, Any], status: int, code: str
) -> None:
    response = get_page(sim, sim.api_key, **params)
    assert response.status_code == status
    body = response.json()
    assert body["code"] == code
    assert body["data"] is None
    assert next(iter(params)) in body["message"]


def test_limits_and_unknown_parameters_are_accepted(sim: Simulator, get_page: PageFetcher) -> None:
    assert page_data(get_page(sim, sim.api_key, pageSize=100, keywords="x" * 256, sort="name"))


def test_pageindex_message_matches_the_spec(sim: Simulator, get_page: PageFetcher) -> None:
    response = get_page(sim, sim.api_key, pageIndex="abc")
    assert response.json() == {
        "code": "4000",
        "message": "pageIndex must be an integer",
        "data": None,
    }


def test_unknown_path_and_wrong_method(sim: Simulator, client: Any) -> None:
    missing = client.get(sim.base_url + "/openapi/v2/user/nope")
    # No operation of the spec: a 404 unlike the documented (JSON envelope) ones.
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("text/plain")
    assert missing.headers["x-cloudcx-simulator"] == "no-route"
    wrong = client.post(sim.base_url + "/openapi/v2/user/page", headers={"Authorization": "x"})
    assert wrong.status_code == 405
    assert "GET" in wrong.headers["allow"]


def test_head_has_no_body(sim: Simulator, client: Any) -> None:
    response = client.head(
        sim.base_url + "/openapi/v2/user/page", headers={"Authorization": f"Bearer {sim.api_key}"}
    )
    assert response.status_code == 200
    assert int(response.headers["content-length"]) > 0
    assert response.content == b""


@pytest.mark.parametrize("method", ["TRACE", "PURGE", "DELETE"])
def test_any_other_method_is_405_with_allow(sim: Simulator, client: Any, method: str) -> None:
    response = client.request(method, sim.base_url + "/openapi/v2/user/page")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD"
    token = client.request(method, sim.token_url)
    assert (token.status_code, token.headers["allow"]) == (405, "POST")
