"""The runner keeps the joined URL of a fixed path: it must be the one httpx would build."""

from __future__ import annotations

import httpx
import pytest

from cloudcx.resources._runner import SyncRunner, _plan


@pytest.mark.parametrize(
    "base_url",
    ["http://127.0.0.1:8080", "http://127.0.0.1:8080/", "https://api.example.test/prefix/v1/"],
)
def test_a_fixed_path_joins_the_base_url_as_httpx_does(base_url: str) -> None:
    plan = _plan("listUsers")
    assert plan.fixed_path
    with httpx.Client(base_url=base_url) as http:
        runner = SyncRunner(http)
        arguments = {"page_index": 2, "page_size": 25}
        expected = http.build_request(**plan.request(arguments, None))
        for _ in range(2):  # computed, then kept
            request = runner._build_request(plan, plan.request(arguments, None))
            assert request.url == expected.url
            assert request.headers == expected.headers
            assert request.extensions == expected.extensions


def test_a_replaced_base_url_is_followed() -> None:
    plan = _plan("listUsers")
    with httpx.Client(base_url="http://127.0.0.1:8080/one/") as http:
        runner = SyncRunner(http)
        first = runner._build_request(plan, plan.request({}, None))
        http.base_url = httpx.URL("http://127.0.0.1:9090/two/")
        second = runner._build_request(plan, plan.request({}, None))
    assert first.url.port == 8080
    assert first.url.path == "/one/openapi/v2/user/page"
    assert second.url.port == 9090
    assert second.url.path == "/two/openapi/v2/user/page"
