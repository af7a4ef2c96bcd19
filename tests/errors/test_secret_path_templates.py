"""Which path segments the masking takes for a secret parameter, by the spec's path template.

Unit tests of `describe_url` with a stand-in operation table (the whole flow, over HTTP, is
`test_secret_path_parameters.py`): a template with a trailing slash, a secret in the middle,
a base URL with a path of its own, and paths that only look alike.
"""

from __future__ import annotations

from types import SimpleNamespace

import httpx
import pytest

import cloudcx_openapi.operations
from cloudcx import _response

SECRET = "S3CRET"


def _operation(path: str, secret: str) -> SimpleNamespace:
    parameter = SimpleNamespace(name=secret, secret=True, location="path")
    return SimpleNamespace(path=path, parameters=[parameter])


@pytest.fixture
def table(monkeypatch: pytest.MonkeyPatch) -> None:
    operations = [
        _operation("/openapi/v2/rec/{code}/", "code"),
        _operation("/openapi/v2/box/{pin}/audio", "pin"),
    ]
    monkeypatch.setattr(cloudcx_openapi.operations, "OPERATIONS", operations)
    monkeypatch.setattr(_response, "_secret_templates", None)


@pytest.mark.usefixtures("table")
@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("http://h/openapi/v2/rec/S3CRET/", "http://h/openapi/v2/rec/***/"),
        ("http://h/cx/openapi/v2/rec/S3CRET/?a=1", "http://h/cx/openapi/v2/rec/***/?a=1"),
        ("http://h/openapi/v2/box/S3CRET/audio", "http://h/openapi/v2/box/***/audio"),
        # Not the template's shape: nothing to mask (and no secret there).
        ("http://h/openapi/v2/box/other/video", "http://h/openapi/v2/box/other/video"),
    ],
)
def test_the_segment_a_secret_parameter_fills_is_masked(url: str, shown: str) -> None:
    assert _response.describe_url(httpx.URL(url)) == shown
