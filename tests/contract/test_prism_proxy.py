"""The client's end-to-end flows through `prism proxy --errors` in front of the simulator.

Prism checks each request against the spec on its way to the simulator and each answer on its
way back; with `--errors` a violation in either direction becomes an error response, which the
client would raise. So these flows passing, with nothing in Prism's validator log, shows that
the client, the spec and the simulator agree, in both authentication modes, on tokens, pages,
keywords and the 401 that sends the client back for a new token.
"""

from __future__ import annotations

from collections.abc import Iterator
from uuid import UUID

import httpx
import pytest

from cloudcx import CloudCX, ServerError
from cloudcx.testing import Fault, SimulatorProcess
from tests.support.tools import SPEC, PrismServer, prism

# Slow: each test runs a Node tool (Prism, newman, openapi-to-postmanv2) against the spec.
# One worker per module, so that its server is started once.
pytestmark = [pytest.mark.slow, pytest.mark.tools, pytest.mark.xdist_group("prism_proxy")]

USERS = 60
TOKEN_PATH = "/oauth/token"
USERS_PATH = "/openapi/v2/user/page"


@pytest.fixture(scope="module")
def sim() -> Iterator[SimulatorProcess]:
    with SimulatorProcess(users=USERS, refresh_tokens=True) as simulator:
        yield simulator


@pytest.fixture(scope="module")
def proxy(sim: SimulatorProcess) -> Iterator[PrismServer]:
    with prism("proxy", "--errors", str(SPEC), sim.base_url) as server:
        yield server


def _password_client(sim: SimulatorProcess, proxy: PrismServer) -> CloudCX:
    return CloudCX(
        base_url=proxy.base_url,
        token_url=proxy.base_url + TOKEN_PATH,
        client_id=sim.client_id,
        client_secret=sim.client_secret,
        username=sim.username,
        password=sim.password,
    )


def _direct_ids(sim: SimulatorProcess, keywords: str | None = None) -> list[UUID]:
    with CloudCX(base_url=sim.base_url, api_key=sim.api_key) as cx:
        return [user.id for user in cx.users.iter(keywords=keywords, page_size=100)]


def test_password_grant_pages_and_keywords_through_the_proxy(
    sim: SimulatorProcess, proxy: PrismServer
) -> None:
    mark = proxy.mark()
    sim.reset_counters()
    with _password_client(sim, proxy) as cx:
        pages = list(cx.users.iter_pages(page_size=25))
        probe = pages[0].content[0]
        found = list(cx.users.iter(keywords=probe.login_code, page_size=10))
    assert [page.number for page in pages] == [0, 1, 2]
    assert [user.id for page in pages for user in page.content] == _direct_ids(sim)
    assert probe.id in [user.id for user in found]
    assert proxy.received("POST", TOKEN_PATH, since=mark) == 1
    assert proxy.received("GET", USERS_PATH, since=mark) == len(pages) + 1
    assert sim.token_requests == 1  # the proxy really forwarded to the simulator
    assert proxy.violations(since=mark) == []


def test_api_key_pages_through_the_proxy(sim: SimulatorProcess, proxy: PrismServer) -> None:
    mark = proxy.mark()
    with CloudCX(base_url=proxy.base_url, api_key=sim.api_key) as cx:
        ids = [user.id for user in cx.users.iter(page_size=100)]
        page = cx.users.list(page_index=99, page_size=25)  # past the end: an empty page
    assert ids == _direct_ids(sim)
    assert (page.content, page.number, page.total_elements) == ([], 98, USERS)
    assert proxy.received("POST", TOKEN_PATH, since=mark) == 0
    assert proxy.violations(since=mark) == []


def test_revoked_token_401_and_renewal_through_the_proxy(
    sim: SimulatorProcess, proxy: PrismServer
) -> None:
    mark = proxy.mark()
    with _password_client(sim, proxy) as cx:
        first = cx.users.list(page_size=10)
        sim.revoke_access_tokens()
        # The 401 (error envelope and WWW-Authenticate challenge) passes back through Prism,
        # and the renewal (refresh grant, or password grant again) goes through it too.
        second = cx.users.list(page_size=10)
    assert [user.id for user in second.content] == [user.id for user in first.content]
    assert proxy.received("POST", TOKEN_PATH, since=mark) == 2
    assert proxy.received("GET", USERS_PATH, since=mark) == 3
    assert proxy.violations(since=mark) == []


def test_the_proxy_reports_an_answer_the_spec_forbids() -> None:
    # The detector must be able to fail: a page without `totalPages` breaks the contract, and
    # with --errors Prism answers 500, naming the violation, instead of passing it on. A
    # simulator of its own, so that the injected faults reach no other test.
    with (
        SimulatorProcess(users=5) as sim,
        prism("proxy", "--errors", str(SPEC), sim.base_url) as proxy,
    ):
        sim.inject(Fault.missing_field("totalPages"), route="users", count=20)
        with (
            CloudCX(base_url=proxy.base_url, api_key=sim.api_key) as cx,
            pytest.raises(ServerError),
        ):
            cx.users.list()
        with httpx.Client(trust_env=False, timeout=10) as http:
            raw = http.get(
                proxy.base_url + USERS_PATH, headers={"Authorization": f"Bearer {sim.api_key}"}
            )
        violations = proxy.violations()
    assert raw.status_code == 500
    assert "totalPages" in raw.text
    assert any("VIOLATIONS" in line for line in violations)
