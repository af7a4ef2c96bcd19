"""The surface shared by the in-process and the out-of-process simulator.

Every control method is written once, here, in terms of one primitive, :meth:`_call`, which
carries out a control action (see :meth:`SimulatorState.control`): directly in process, or over
the ``/_simulator/...`` endpoints for a subprocess.
"""

from __future__ import annotations

import abc
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import Any, TypeVar

from ._config import Endpoint, SimulatorConfig
from ._directory import chosen_user
from ._faults import Fault, Route
from ._records import RecordedRequest

__all__ = ["SimulatorBase"]

_Self = TypeVar("_Self", bound="SimulatorBase")


class SimulatorBase(abc.ABC):
    """Settings, addresses, credentials and control methods of a simulator.

    Args:
        users: How many users the deterministic directory holds (>= 0), the seed's user first;
            or a list of chosen users, each a mapping of the API's user fields (``loginCode``
            required, the rest defaulted), served in that order (in-process `Simulator` only).
        token_ttl: Access token lifetime in seconds (may be below 1).
        refresh_tokens: Issue ``refresh_token`` in token responses and accept the
            ``refresh_token`` grant.
        rotate_refresh_tokens: A refresh grant returns a new refresh token and invalidates the
            one it used (needs ``refresh_tokens``).
        include_expires_in: ``False`` leaves ``expires_in`` out of token responses, so clients
            must read the JWT's ``exp`` claim.
        jwt_tokens: Access tokens are JWT-shaped like the vendor's; ``False``: opaque strings.
        public_client: ``client_secret`` is not required.
        separate_token_server: Serve ``/oauth/token`` on a second port (the Control Panel
            domain) and not on the API port, where it is 404.
        latency: Seconds added before every user page response.
        host: The address to listen on.
        port: The API port; 0 lets the OS choose.
        operations: The operation table to serve: the path of a generated `operations.py`
            (`generator/regenerate.py --out D` writes `D/cloudcx_openapi/operations.py`);
            default: the installed `cloudcx_openapi.operations`. Every operation in it is
            served, from the spec's example where the simulator has no behaviour for it.
    """

    def __init__(
        self,
        *,
        users: int | Sequence[Mapping[str, Any]] = 250,
        token_ttl: float = 3599.0,
        refresh_tokens: bool = False,
        rotate_refresh_tokens: bool = False,
        include_expires_in: bool = True,
        jwt_tokens: bool = True,
        public_client: bool = False,
        separate_token_server: bool = False,
        latency: float = 0.0,
        host: str = "127.0.0.1",
        port: int = 0,
        operations: str | None = None,
    ) -> None:
        if isinstance(users, int):
            count, chosen = users, None
        else:
            chosen = tuple(chosen_user(fields, i) for i, fields in enumerate(users))
            count = len(chosen)
        self.config = SimulatorConfig(
            users=count,
            chosen_users=chosen,
            token_ttl=token_ttl,
            refresh_tokens=refresh_tokens,
            rotate_refresh_tokens=rotate_refresh_tokens,
            include_expires_in=include_expires_in,
            jwt_tokens=jwt_tokens,
            public_client=public_client,
            separate_token_server=separate_token_server,
            latency=latency,
            host=host,
            port=port,
            operations=operations,
        )
        self._endpoint: Endpoint | None = None

    # --- life cycle ----------------------------------------------------------------------

    @abc.abstractmethod
    def start(self: _Self) -> _Self:
        """Start serving; returns ``self``."""

    @abc.abstractmethod
    def stop(self) -> None:
        """Stop serving and release every socket (and process); safe to call twice."""

    @abc.abstractmethod
    def _call(self, action: str, payload: Mapping[str, Any] | None = None) -> Any:
        """Carry out control ``action`` with ``payload`` and return its JSON result."""

    def __enter__(self: _Self) -> _Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # --- where and who -------------------------------------------------------------------

    @property
    def endpoint(self) -> Endpoint:
        """The running simulator's URLs and credentials; ``RuntimeError`` before :meth:`start`."""
        if self._endpoint is None:
            raise RuntimeError("the simulator is not running; call start() or use `with`")
        return self._endpoint

    @property
    def base_url(self) -> str:
        """The API host's URL, e.g. ``http://127.0.0.1:PORT``."""
        return self.endpoint.base_url

    @property
    def token_url(self) -> str:
        """The token endpoint's full URL (on its own port with ``separate_token_server``)."""
        return self.endpoint.token_url

    @property
    def api_key(self) -> str:
        """The demo API key, sent as ``Authorization: Bearer <key>``."""
        return self.endpoint.api_key

    @property
    def client_id(self) -> str:
        """The demo OAuth client's ID."""
        return self.endpoint.client_id

    @property
    def client_secret(self) -> str:
        """The demo OAuth client's secret."""
        return self.endpoint.client_secret

    @property
    def username(self) -> str:
        """The demo user's login (its e-mail address logs in too)."""
        return self.endpoint.username

    @property
    def password(self) -> str:
        """The demo user's password."""
        return self.endpoint.password

    # --- observing -----------------------------------------------------------------------

    def stats(self) -> dict[str, Any]:
        """Return the counters and state summary (``token_requests``, ``api_requests``, ...)."""
        result: dict[str, Any] = self._call("stats")
        return result

    @property
    def token_requests(self) -> int:
        """How many requests reached ``/oauth/token``, whatever their outcome."""
        return int(self.stats()["token_requests"])

    @property
    def api_requests(self) -> int:
        """How many requests reached the API routes (the user page)."""
        return int(self.stats()["api_requests"])

    @property
    def connections(self) -> int:
        """How many TCP connections the simulator has accepted (on either port)."""
        return int(self.stats()["connections"])

    @property
    def requests(self) -> list[RecordedRequest]:
        """A snapshot of the request log (the latest 100,000 requests), oldest first."""
        return [RecordedRequest.from_json(entry) for entry in self._call("requests")]

    # --- changing ------------------------------------------------------------------------

    def reset_counters(self) -> None:
        """Zero the counters and clear the request log."""
        self._call("reset")

    def revoke_access_tokens(self) -> None:
        """Reject every access token issued so far with 401 (the API key stays valid)."""
        self._call("revoke")

    def revoke_refresh_tokens(self) -> None:
        """Reject every refresh token issued so far (``invalid_grant``)."""
        self._call("revoke-refresh")

    def inject(self, fault: Fault, route: Route | None = None, count: int = 1) -> None:
        """Apply ``fault`` to the next ``count`` requests to ``route`` (``None``: any route).

        Routes are ``"users"`` (``GET /openapi/v2/user/page``) and ``"token"``
        (``POST /oauth/token``). Faults queue up and are taken first in, first out.
        """
        self._call("faults", {"fault": fault.to_json(), "route": route, "count": count})

    def clear_faults(self) -> None:
        """Drop every fault still waiting for a request."""
        self._call("clear-faults")

    def set_latency(self, seconds: float) -> None:
        """Add ``seconds`` before every user page response from now on."""
        self._call("latency", {"seconds": seconds})

    def add_users(self, count: int) -> None:
        """Append ``count`` new deterministic users to the directory."""
        self._call("users", {"add": count})

    def remove_users(self, count: int) -> None:
        """Remove the last ``count`` users from the directory."""
        self._call("users", {"remove": count})
