"""Which bound ended a call: `APITimeoutError.deadline_passed` says the call deadline did.

The network waits are covered where servers drip (`test_slow_servers.py`); here, the wait for a
pooled connection, which comes before any of them: a client whose only connection is busy
waits for it until its pool timeout, or until its call deadline when that is nearer.
"""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from cloudcx import APITimeoutError, CloudCX, RetryPolicy
from cloudcx.testing import Fault
from tests.support.clients import SimFactory, credentials

JOIN_TIMEOUT = 60.0  # a hang guard, not a timing assertion


def test_a_pool_wait_ended_by_the_deadline_or_by_the_pool_timeout(make_sim: SimFactory) -> None:
    sim = make_sim()
    sim.inject(Fault.delay(2.0), route="users")  # the one connection stays busy meanwhile
    with (
        httpx.Client(limits=httpx.Limits(max_connections=1)) as own,
        CloudCX(**credentials(sim), http_client=own, max_retries=0) as cx,
    ):
        busy = threading.Thread(target=cx.users.list)
        busy.start()
        time.sleep(0.2)  # the first call holds the connection
        hasty = cx.with_options(retry_policy=RetryPolicy(deadline=0.4))
        with pytest.raises(APITimeoutError, match="PoolTimeout") as by_deadline:
            hasty.users.list()
        short_pool = cx.with_options(timeout=httpx.Timeout(30.0, pool=0.2))
        with pytest.raises(APITimeoutError, match="PoolTimeout") as by_pool_timeout:
            short_pool.users.list()
        busy.join(JOIN_TIMEOUT)
    assert by_deadline.value.deadline_passed
    assert not by_pool_timeout.value.deadline_passed
