"""The cloudcx client against Prism's mock of the spec: it works, and Prism finds no violation.

Prism answers from the spec alone (the vendor's examples), so these tests show that what the
client sends is what the spec documents, in both authentication modes, with no simulator
behind it.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from cloudcx import AsyncCloudCX, CloudCX
from tests.support.tools import SPEC, PrismServer, prism

# Slow: each test runs a Node tool (Prism, newman, openapi-to-postmanv2) against the spec.
# One worker per module, so that its server is started once.
pytestmark = [pytest.mark.slow, pytest.mark.tools, pytest.mark.xdist_group("prism_mock")]

TOKEN_PATH = "/oauth/token"
USERS_PATH = "/openapi/v2/user/page"


@pytest.fixture(scope="module")
def mock() -> Iterator[PrismServer]:
    with prism("mock", str(SPEC)) as server:
        yield server


def _vendor_page_checks(login_codes: list[str]) -> None:
    # Prism's static mock returns the spec's first example: the vendor's one-user page.
    assert login_codes == ["freesiaTest"]


def test_api_key_mode_against_the_mock(mock: PrismServer) -> None:
    mark = mock.mark()
    with CloudCX(base_url=mock.base_url, api_key="cxk_mock_key") as cx:
        page = cx.users.list(page_index=1, page_size=25, keywords="si")
    _vendor_page_checks([user.login_code for user in page.content])
    assert (page.number, page.total_elements) == (0, 1)
    assert mock.received("GET", USERS_PATH, since=mark) == 1
    assert mock.violations(since=mark) == []


def test_password_grant_against_the_mock(mock: PrismServer) -> None:
    mark = mock.mark()
    with CloudCX(
        base_url=mock.base_url,
        token_url=mock.base_url + TOKEN_PATH,
        client_id="2603****************814845",
        client_secret="6d624c35-978b-*********-59d727f2ea19",
        username="si*****",
        password="A******",
    ) as cx:
        users = list(cx.users.iter(keywords="si"))
    _vendor_page_checks([user.login_code for user in users])
    assert mock.received("POST", TOKEN_PATH, since=mark) == 1
    assert mock.received("GET", USERS_PATH, since=mark) == 1
    assert mock.violations(since=mark) == []


def test_public_client_without_secret_against_the_mock(mock: PrismServer) -> None:
    mark = mock.mark()
    with CloudCX(
        base_url=mock.base_url,
        token_url=mock.base_url + TOKEN_PATH,
        client_id="2603****************814845",
        username="si*****",
        password="A******",
    ) as cx:
        page = cx.users.list()
    _vendor_page_checks([user.login_code for user in page.content])
    assert mock.received("POST", TOKEN_PATH, since=mark) == 1
    assert mock.violations(since=mark) == []


@pytest.mark.anyio
async def test_async_client_against_the_mock(mock: PrismServer) -> None:
    mark = mock.mark()
    async with AsyncCloudCX(base_url=mock.base_url, api_key="cxk_mock_key") as cx:
        page = await cx.users.list(page_size=100)
    _vendor_page_checks([user.login_code for user in page.content])
    assert mock.received("GET", USERS_PATH, since=mark) == 1
    assert mock.violations(since=mark) == []


def test_the_mock_reports_a_request_the_spec_forbids(mock: PrismServer) -> None:
    # The detector above must be able to fail: a page size over 100 is a violation.
    mark = mock.mark()
    with httpx.Client(trust_env=False, timeout=10) as http:
        response = http.get(
            mock.base_url + USERS_PATH,
            params={"pageSize": "101"},
            headers={"Authorization": "Bearer cxk_mock_key"},
        )
    assert response.status_code == 422
    assert response.json()["code"] == "4220"
    assert any("pagesize" in line.lower() for line in mock.violations(since=mark))
