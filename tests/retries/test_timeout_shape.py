"""The retry transport keeps what an attempt needs of its timeouts: it must agree with a fresh look.

A unit test of `_TimeoutShape` (one function): whatever timeout values come one after another
(a client's, then a call's own, then the client's again), the budget it hands out is
`attempt_budget`'s, and its longest timeout says "every phase fits in what is left" exactly when
checking each phase does.
"""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from cloudcx._deadline import attempt_budget
from cloudcx._transport import _TimeoutShape

_PHASES = ("connect", "read", "write", "pool")
_VALUES = st.one_of(
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-10, max_value=10**6),
    st.booleans(),
)
# A few usual sets, drawn again and again: the kept shape must change back and forth with them.
_USUAL = [
    dict.fromkeys(_PHASES, 5.0),
    {"connect": 5.0, "read": 30.0, "write": 30.0, "pool": 30.0},
    {"connect": 5.0, "read": None, "write": 30.0, "pool": 30.0},
    {"connect": 0.2, "read": 0.2, "write": 0.2, "pool": 0.2},
]
_TIMEOUTS = st.one_of(
    st.sampled_from(_USUAL),
    st.fixed_dictionaries({}, optional=dict.fromkeys(_PHASES, _VALUES)),
)


def _every_phase_fits(timeouts: dict[str, float | None], left: float) -> bool:
    return all(value is not None and value <= left for value in timeouts.values())


@settings(max_examples=300, deadline=None)
@given(
    sequence=st.lists(_TIMEOUTS, min_size=1, max_size=8),
    left=st.floats(min_value=0.001, max_value=1e9),
)
def test_the_kept_shape_agrees_with_a_fresh_look_at_every_request(
    sequence: list[dict[str, float | None]], left: float
) -> None:
    shape = _TimeoutShape()
    for timeouts in sequence:
        budget, longest = shape.of(timeouts)
        assert budget == attempt_budget(timeouts)
        assert (longest is not None and longest <= left) == _every_phase_fits(timeouts, left)


def test_a_call_s_own_timeout_then_the_client_s_again_each_get_their_own_budget() -> None:
    shape = _TimeoutShape()
    client = {"connect": 5.0, "read": 30.0, "write": 30.0, "pool": 30.0}
    call = {"connect": 0.2, "read": 0.2, "write": 0.2, "pool": 0.2}
    assert shape.of(client) == (30.0, 30.0)
    assert shape.of(call) == (0.2, 0.2)
    assert shape.of(client) == (30.0, 30.0)
    assert shape.of({**client, "read": None}) == (30.0, None)
    assert shape.of({**client, "read": math.nan}) == (30.0, None)
    assert shape.of({}) == (None, -math.inf)
