"""Arguments of the generated methods are checked against the spec before anything is sent.

Unit tests of `check_argument` over synthetic parameter records (the shapes the operation table
holds), plus the wire form of checked values. The end-to-end checks on real operations are in
tests/pagination (users) and tests/growth (operations added to the spec).
"""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cloudcx import ConfigurationError
from cloudcx.resources._runner import _plain_fit, _wire_value, check_argument
from cloudcx_openapi.operations import Parameter

BASE = Parameter(
    name="thing",
    python_name="thing",
    cli_name="thing",
    location="query",
    required=False,
    json_type="string",
    format=None,
    nullable=False,
    has_default=False,
    default=None,
    enum=None,
    minimum=None,
    maximum=None,
    min_length=None,
    max_length=None,
    items_type=None,
    secret=False,
    description="",
)


def parameter(**changes: Any) -> Parameter:
    return dataclasses.replace(BASE, **changes)


@pytest.mark.parametrize(
    ("changes", "value", "message"),
    [
        ({"json_type": "integer", "minimum": 1}, "1", "thing must be an integer >= 1, got '1'"),
        ({"json_type": "integer", "minimum": 1}, 0, "thing must be an integer >= 1, got 0"),
        ({"json_type": "integer", "maximum": 100}, 101, "thing must be at most 100, got 101"),
        ({"json_type": "integer"}, True, "thing must be an integer, got True"),
        ({"json_type": "number"}, "1.5", "thing must be a number, got str"),
        ({"json_type": "boolean"}, 1, "thing must be True or False, got int"),
        ({}, 5, "thing must be a string, got int"),
        ({"max_length": 3}, "four", "thing must be at most 3 characters long, got 4"),
        ({"min_length": 2}, "a", "thing must be at least 2 characters long, got 1"),
        ({"enum": ("a", "b")}, "c", "thing must be one of 'a', 'b', got 'c'"),
        ({"json_type": "array"}, "a", "thing must be a list, got str"),
        ({"required": True}, None, "thing is required"),
        ({"format": "uuid"}, 7, "thing must be a string, got int"),
        (
            {"json_type": "integer", "format": "int32"},
            2**31,
            "thing must fit in int32 (-2147483648 to 2147483647)",
        ),
        pytest.param(
            {"json_type": "integer", "format": "int64"},
            10**5000,
            "thing must fit in int64 (-9223372036854775808 to 9223372036854775807)",
            id="huge-int64",
        ),
        pytest.param(
            {"json_type": "integer", "maximum": 100},
            10**5000,
            "thing must be at most 100",
            id="huge",
        ),
    ],
)
def test_a_value_outside_the_spec_is_refused_naming_the_argument(
    changes: dict[str, Any], value: object, message: str
) -> None:
    with pytest.raises(ConfigurationError) as caught:
        check_argument(parameter(**changes), value)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("changes", "value"),
    [
        ({}, None),
        ({"json_type": "integer", "minimum": 1, "maximum": 100}, 100),
        ({"json_type": "number"}, 2),
        ({"format": "uuid"}, uuid.uuid4()),
        ({"required": True, "nullable": True}, None),
        ({"enum": ("a", "b")}, "b"),
        ({"json_type": "array", "max_length": 2}, ["x", "y"]),
    ],
)
def test_a_value_inside_the_spec_passes(changes: dict[str, Any], value: object) -> None:
    check_argument(parameter(**changes), value)


@pytest.mark.parametrize(
    ("changes", "value"),
    [
        ({"enum": ("a", "b")}, "hunter2-secret"),
        ({"json_type": "integer"}, "hunter2-secret"),
        ({}, "hunter2-secret\ud800"),
    ],
)
def test_a_secret_value_is_never_quoted_or_chained(changes: dict[str, Any], value: object) -> None:
    with pytest.raises(ConfigurationError) as caught:
        check_argument(parameter(secret=True, **changes), value)
    assert "hunter2" not in str(caught.value)
    assert caught.value.__cause__ is None
    assert caught.value.__context__ is None or caught.value.__suppress_context__


_SHAPES = [
    {},
    {"min_length": 2, "max_length": 5},
    {"format": "uuid"},
    {"enum": ("a", "b")},
    {"json_type": "integer"},
    {"json_type": "integer", "minimum": 1, "maximum": 100},
    {"json_type": "integer", "format": "int32", "minimum": 1},
    {"json_type": "integer", "format": "int64", "maximum": 2.5},
    {"json_type": "number", "minimum": 0},
    {"json_type": "boolean"},
    {"json_type": "array", "max_length": 2},
]
_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True),
    st.text(max_size=8),
    st.uuids(),
    st.lists(st.text(max_size=2), max_size=3),
)


@settings(max_examples=400, deadline=None)
@given(shape=st.sampled_from(_SHAPES), value=_VALUES)
def test_the_quick_test_passes_only_what_the_full_check_accepts_and_sends_unchanged(
    shape: dict[str, Any], value: object
) -> None:
    # The runner skips the full check (and the wire conversion) for what the quick test passes.
    record = parameter(**shape)
    fits = _plain_fit(record)
    if fits is None or not fits(value):
        return
    check_argument(record, value)
    assert _wire_value(value, in_query=True) is value
    assert value != ""


@pytest.mark.parametrize(
    ("changes", "value"),
    [
        ({"json_type": "integer", "minimum": 1, "maximum": 100}, 25),
        ({"json_type": "integer", "format": "int32"}, -(2**31)),
        ({"max_length": 3}, "abc"),
    ],
)
def test_the_usual_arguments_take_the_quick_test(changes: dict[str, Any], value: object) -> None:
    # The property above would hold vacuously for a quick test that never passes anything.
    fits = _plain_fit(parameter(**changes))
    assert fits is not None
    assert fits(value)
