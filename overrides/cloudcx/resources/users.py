"""An optional convenience for the user directory: the spec's largest `pageSize`.

The `users` resource itself is generated (`cloudcx_openapi.resources.Users`); this constant
saves callers (the CLI's option checks) from digging it out of the operation table.
"""

from __future__ import annotations

from cloudcx_openapi.operations import BY_ID

__all__ = ["MAX_PAGE_SIZE"]


_ASSUMED_MAXIMUM = 100  # what the spec has always said; used only if it stops saying so


def _page_size_maximum() -> int:
    for parameter in BY_ID["listUsers"].parameters:
        if parameter.name == "pageSize" and parameter.maximum is not None:
            return int(parameter.maximum)
    return _ASSUMED_MAXIMUM


MAX_PAGE_SIZE = _page_size_maximum()
"""The most users a page may hold (`listUsers`' `pageSize` maximum in the spec)."""
