"""A faithful, fast simulator of the CloudCX REST API, for demos and tests.

``cloudcx.testing`` serves the API's token endpoint (``POST /oauth/token``) and user directory
(``GET /openapi/v2/user/page``) on a local port, as the vendor documents them and the project's
OpenAPI document specifies, with a deterministic directory, fault injection and counters. It
uses the standard library only, so it works wherever ``cloudcx`` does, like ``stripe-mock``
for Stripe::

    from cloudcx.testing import Fault, Simulator

    with Simulator(users=60) as sim:
        sim.inject(Fault.status(503, retry_after=1), route="users")
        ...  # point the client at sim.base_url / sim.token_url with sim.client_id, ...

:class:`SimulatorProcess` runs the same simulator in a subprocess, and
``python -m cloudcx.testing`` in the foreground.
"""

from __future__ import annotations

from ._cli import build_parser, main, serve
from ._credentials import (
    DEMO_API_KEY,
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    DEMO_PASSWORD,
    DEMO_USERNAME,
)
from ._faults import Fault
from ._process import SimulatorProcess
from ._records import RecordedRequest
from ._simulator import Simulator

__all__ = [
    "DEMO_API_KEY",
    "DEMO_CLIENT_ID",
    "DEMO_CLIENT_SECRET",
    "DEMO_PASSWORD",
    "DEMO_USERNAME",
    "Fault",
    "RecordedRequest",
    "Simulator",
    "SimulatorProcess",
    "build_parser",
    "main",
    "serve",
]
