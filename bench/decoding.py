"""Figure 5: decoding a 1,000-user page into models, every field checked, vs json.loads."""

from __future__ import annotations

import gc
import json
import statistics
from collections import deque
from collections.abc import Callable

import httpx

from cloudcx import User, UserPage
from cloudcx._response import decode_envelope

from ._harness import CPU, Figure, at_most, interleaved, paired_ratio, ratio_spread, simulator

__all__ = ["run"]

TARGET = 1.0
STRICT_TARGET = 1.2
PAGES, PAGE_SIZE = 10, 100
KEPT_PAGES, CALLER_OBJECTS = 3, 300


def _page_body() -> bytes:
    """A 1,000-user success envelope, assembled from ten real 100-user pages of the simulator."""
    users: list[object] = []
    with simulator(users=PAGES * PAGE_SIZE) as sim, httpx.Client(base_url=sim.base_url) as http:
        headers = {"Authorization": f"Bearer {sim.api_key}"}
        for index in range(1, PAGES + 1):
            params = {"pageIndex": index, "pageSize": PAGE_SIZE}
            page = http.get("/openapi/v2/user/page", params=params, headers=headers).json()
            users += page["data"]["content"]
    total = len(users)
    data = {
        "totalPages": 1,
        "totalElements": total,
        "size": total,
        "number": 0,
        "numberOfElements": total,
        "content": users,
    }
    return json.dumps({"code": "0000", "message": None, "data": data}).encode()


def _keeping_pages(decode: Callable[[], object]) -> Callable[[], None]:
    """`decode`, as a caller that keeps its last pages and allocates while it uses them.

    Without this, each page dies as soon as it is decoded, before the next tracked allocation:
    a collection that the decoder put off would never run inside the timed block.
    """
    kept: deque[object] = deque(maxlen=KEPT_PAGES)

    def call() -> None:
        page = decode()
        kept.append((page, [[index] for index in range(CALLER_OBJECTS)]))

    return call


def run(quick: bool = False) -> list[Figure]:
    """Time `decode_envelope` (a `UserPage`, default mode) against `json.loads` of its body."""
    body = _page_body()
    request = httpx.Request("GET", "http://127.0.0.1/openapi/v2/user/page")
    headers = {"content-type": "application/json"}

    def loads() -> object:
        return json.loads(body)

    def decode(strict: bool = False) -> UserPage:
        # A new Response each time: httpx caches nothing of the body's JSON, but be sure.
        response = httpx.Response(200, content=body, headers=headers, request=request)
        return decode_envelope(response, UserPage, strict=strict, item_model=User)

    def decode_strict() -> UserPage:
        return decode(strict=True)

    page = decode()
    assert len(page.content) == PAGES * PAGE_SIZE
    rounds, number = (5, 20) if quick else (21, 40)
    samples = interleaved(
        {"loads": loads, "decode": decode, "strict": decode_strict}, rounds=rounds, number=number
    )
    ratio = paired_ratio(samples, "decode", "loads")
    kept = interleaved(
        {"loads": _keeping_pages(loads), "decode": _keeping_pages(decode)},
        rounds=rounds,
        number=number,
    )
    # Diagnostic only: the same with the cyclic garbage collector off, which is how `timeit`
    # (and the stock-model figure) measure. Every surviving model and UUID is a tracked
    # object; the generated fast path pauses the collector while it builds a page, so the two
    # figures agree, and the "pages kept" figure shows the collection is not merely put off.
    gc.disable()
    try:
        quiet = interleaved({"loads": loads, "decode": decode}, rounds=rounds, number=number)
    finally:
        gc.enable()
    return [
        at_most(
            "decode",
            "decode a 1,000-user page into checked models vs json.loads",
            ratio,
            TARGET,
            {
                "decode_ms": statistics.median(samples["decode"]) * 1e3,
                "json_loads_ms": statistics.median(samples["loads"]) * 1e3,
                "spread": ratio_spread(samples, "decode", "loads"),
                "body_bytes": len(body),
                "ratio_gc_disabled": paired_ratio(quiet, "decode", "loads"),
                "cpu_ratio": paired_ratio(samples, CPU + "decode", CPU + "loads"),
            },
        ),
        Figure(
            "decode_pages_kept",
            f"  the same, the caller keeping its last {KEPT_PAGES} pages and allocating",
            paired_ratio(kept, "decode", "loads"),
            "x",
            "",
            True,
            {
                "spread": ratio_spread(kept, "decode", "loads"),
                "cpu_ratio": paired_ratio(kept, CPU + "decode", CPU + "loads"),
            },
        ),
        at_most(
            "decode_strict",
            "the same in strict mode vs json.loads",
            paired_ratio(samples, "strict", "loads"),
            STRICT_TARGET,
            {
                "spread": ratio_spread(samples, "strict", "loads"),
                "decode_ms": statistics.median(samples["strict"]) * 1e3,
                "cpu_ratio": paired_ratio(samples, CPU + "strict", CPU + "loads"),
            },
        ),
    ]
