"""The in-process simulator: servers on background threads of the calling process."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from ._config import Endpoint
from ._controls import SimulatorBase
from ._routes import TOKEN_PATH
from ._server import SimulatorServer
from ._state import SimulatorState

__all__ = ["Simulator"]

_POLL_INTERVAL = 0.05


class Simulator(SimulatorBase):
    """A CloudCX REST API simulator running in this process, on background threads.

    Use it as a context manager (or call :meth:`start` and :meth:`stop`)::

        with Simulator(users=60) as sim:
            response = httpx.post(sim.token_url, data={...})

    See :class:`SimulatorBase` for the settings; every counter and control method is
    thread-safe. A simulator can be started once.
    """

    _state: SimulatorState | None = None
    _servers: tuple[SimulatorServer, ...] = ()
    _threads: tuple[threading.Thread, ...] = ()

    def _live_state(self) -> SimulatorState:
        if self._state is None:
            self._state = SimulatorState(self.config)
        return self._state

    def start(self) -> Simulator:
        """Bind the port(s) and start serving; returns ``self``."""
        state = self._live_state()
        if self._endpoint is not None or state.stopping.is_set():
            raise RuntimeError("a Simulator can be started only once")
        config = self.config
        separate = config.separate_token_server
        api = SimulatorServer(config.host, config.port, state, api=True, token=not separate)
        servers = [api]
        try:
            if separate:
                servers.append(SimulatorServer(config.host, 0, state, api=False, token=True))
        except BaseException:
            api.server_close()
            raise
        self._servers = tuple(servers)
        self._threads = tuple(
            threading.Thread(
                target=server.serve_forever,
                args=(_POLL_INTERVAL,),
                name=f"cloudcx-simulator-{server.url}",
                daemon=True,
            )
            for server in servers
        )
        for thread in self._threads:
            thread.start()
        self._endpoint = Endpoint(
            base_url=api.url,
            token_url=servers[-1].url + TOKEN_PATH,
            api_key=state.api_key,
            client_id=state.client_id,
            client_secret=state.client_secret,
            username=state.username,
            password=state.password,
        )
        return self

    def stop(self) -> None:
        """Stop serving, close every connection and the listening sockets; safe to repeat."""
        state = self._state
        if state is None or state.stopping.is_set():
            return
        state.stopping.set()
        for server in self._servers:
            server.shutdown()
        for server in self._servers:
            server.close_connections()
            server.server_close()
        for thread in self._threads:
            thread.join()

    def _call(self, action: str, payload: Mapping[str, Any] | None = None) -> Any:
        return self._live_state().control(action, payload)
