"""Call an operation whose path holds a secret, sync and async, and look for the secret.

Run by `test_secret_path_parameters.py` as a script, in a subprocess whose `PYTHONPATH` puts the
package generated from the grown spec first (`tests/support/grown_spec.py`): there,
`cx.call_queues.get_call_queue_recording(queue_id=..., access_code=...)` sends the access code,
marked `format: password`, as a path segment. A loopback server answers each queue ID in its
own way (an error status that echoes the path, a 404, a redirect, a body that is not JSON, a dropped
connection, an answer too slow for the read timeout, a success), and the script looks for the
access code in everything a user may see: each error's message, repr, attributes and traceback
along its chain (with the requests the chained httpx errors keep), the raw response's repr,
and every line the `cloudcx` logger writes, retries included. Prints each place the secret was
seen (the secret itself replaced by `<SECRET>`), and `secret path: ok` when there is none.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

SECRET = "pin-4417-never-shown"
API_KEY = "secret-path-api-key"
RECEIVED: list[str] = []
QUEUE = {"id": "q", "name": "Support", "priority": 3, "recordCalls": True}
CASES = ("failing", "missing", "garbled", "moved", "dropped", "slow")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the script reads what it received, not a log."""

    def answer(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:
            self.close_connection = True  # the client gave up waiting (the slow answer)

    def do_GET(self) -> None:
        RECEIVED.append(self.path)
        queue = self.path.split("/")[-3]
        envelope: dict[str, Any] = {"code": "0000", "message": None, "data": QUEUE}
        if queue == "failing":
            # A gateway that echoes the path it could not serve (retried: 502).
            envelope = {"code": "5020", "message": f"upstream failed on {self.path}", "data": None}
            self.answer(502, json.dumps(envelope).encode())
        elif queue == "missing":
            envelope = {"code": "4040", "message": f"nothing at {self.path}", "data": None}
            self.answer(404, json.dumps(envelope).encode())
        elif queue == "garbled":
            self.answer(200, f"<html>{self.path}</html>".encode())
        elif queue == "moved":
            # The service moved: the new address echoes the path, its secret encoded anew.
            self.send_response(308)
            self.send_header("Location", "/v3" + self.path.replace("-", "%2D"))
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif queue == "dropped":
            self.close_connection = True
            self.connection.close()
        elif queue == "slow":
            time.sleep(1.0)  # past the client's 0.3 s read timeout
            self.answer(200, json.dumps(envelope).encode())
        else:
            self.answer(200, json.dumps(envelope).encode())


class Lines(logging.Handler):
    """Every line the `cloudcx`, `httpx` and `httpcore` loggers write, formatted as written."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


def _chained_requests(exc: BaseException) -> list[str]:
    """The URLs of the requests the errors along `exc`'s chain keep."""
    urls: list[str] = []
    seen: BaseException | None = exc
    while seen is not None:
        try:
            request = getattr(seen, "request", None)
        except RuntimeError:  # an httpx error raised without a request
            request = None
        if request is not None:
            urls.append(str(request.url))
        seen = seen.__cause__ or seen.__context__
    return urls


def shown(exc: BaseException) -> list[tuple[str, str]]:
    """What a user may see of `exc`: message, repr, attributes, traceback, chained requests."""
    places = [("str", str(exc)), ("repr", repr(exc))]
    places += [(f"attribute {name}", repr(value)) for name, value in vars(exc).items()]
    places.append(("traceback", "".join(traceback.format_exception(exc))))
    places += [("chained request url", url) for url in _chained_requests(exc)]
    return places


def leaks(where: str, places: list[tuple[str, str]]) -> list[str]:
    return [
        f"{where}: {place}: {text.replace(SECRET, '<SECRET>')}"
        for place, text in places
        if SECRET in text
    ]


def client_options(cloudcx: Any, base_url: str) -> dict[str, Any]:
    policy = cloudcx.RetryPolicy(base_delay=0.001, max_delay=0.001)
    return {
        "base_url": base_url,
        "api_key": API_KEY,
        "timeout": 0.3,
        "max_retries": 1,
        "retry_policy": policy,
    }


def check_sync(cloudcx: Any, base_url: str) -> list[str]:
    found: list[str] = []
    cx: Any = cloudcx.CloudCX(**client_options(cloudcx, base_url))
    with cx:
        for queue in CASES:
            try:
                cx.call_queues.get_call_queue_recording(queue_id=queue, access_code=SECRET)
            except cloudcx.CloudCXError as exc:
                found += leaks(f"sync {queue}", shown(exc))
            else:
                found.append(f"sync {queue}: no error raised")
        raw = cx.call_queues.with_raw_response.get_call_queue_recording(
            queue_id="ok", access_code=SECRET
        )
        found += leaks("sync raw response", [("repr", repr(raw))])
    try:
        cx.call_queues.get_call_queue_recording(queue_id="ok", access_code=SECRET)
    except cloudcx.CloudCXError as exc:
        found += leaks("sync closed client", shown(exc))
    # A base URL with a path of its own: the operation's path follows it.
    with cloudcx.CloudCX(**client_options(cloudcx, f"{base_url}/cx")) as prefixed:
        try:
            prefixed.call_queues.get_call_queue_recording(queue_id="missing", access_code=SECRET)
        except cloudcx.NotFoundError as exc:
            found += leaks("sync under a base path", shown(exc))
        else:
            found.append("sync under a base path: no NotFoundError raised")
    return found


async def check_async(cloudcx: Any, base_url: str) -> list[str]:
    found: list[str] = []
    cx: Any = cloudcx.AsyncCloudCX(**client_options(cloudcx, base_url))
    async with cx:
        for queue in CASES:
            try:
                await cx.call_queues.get_call_queue_recording(queue_id=queue, access_code=SECRET)
            except cloudcx.CloudCXError as exc:
                found += leaks(f"async {queue}", shown(exc))
            else:
                found.append(f"async {queue}: no error raised")
        raw = await cx.call_queues.with_raw_response.get_call_queue_recording(
            queue_id="ok", access_code=SECRET
        )
        found += leaks("async raw response", [("repr", repr(raw))])
    return found


def main() -> int:
    import cloudcx

    lines = Lines()
    lines.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    # httpx's own request line ("HTTP Request: GET <url> ...") and httpcore's trace too: an
    # application that turns on INFO logging everywhere gets them.
    for name in ("cloudcx", "httpx", "httpcore"):
        logger = logging.getLogger(name)
        logger.addHandler(lines)
        logger.setLevel(logging.DEBUG)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        base_url = f"http://127.0.0.1:{server.server_address[1]}"
        found = check_sync(cloudcx, base_url)
        found += asyncio.run(check_async(cloudcx, base_url))
    finally:
        server.shutdown()
        server.server_close()
    found += leaks("log", [("line", line) for line in lines.lines])
    # The secret did travel, where the API wants it; and the retries were logged.
    if not any(SECRET in path for path in RECEIVED):
        found.append("the server never received the access code")
    if not any("retrying" in line for line in lines.lines):
        found.append("no retry was logged")
    if not any("HTTP Request: GET" in line and "/recording/" in line for line in lines.lines):
        found.append("httpx logged no request line for the secret path")
    for leak in found:
        print(leak)
    if found:
        return 1
    print("secret path: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
