"""A CloudCX-compatible server written apart from `cloudcx.testing`, with switchable quirks.

It follows the vendor's text (the token form, the envelope, the page and user shapes) and the
RFCs the text leans on (RFC 6749 for the token endpoint, RFC 6750 for bearer tokens), but makes
the choices a different, standards-following implementation might make: a lowercase
`token_type`, no `expires_in`, gzip and chunked bodies, `Connection: close`, an empty 401 with
only a `WWW-Authenticate` challenge, extra fields everywhere, and so on. Everything the client
sends is recorded, so the tests can check the client's side of the contract as well.

Standard library only, on 127.0.0.1; the token endpoint may run on a port of its own.
"""

from __future__ import annotations

import base64
import gzip
import json
import secrets
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

__all__ = ["ForeignServer", "Quirks", "Recorded", "foreign_server"]

CLIENT_ID = "foreign-client-7f3a"
CLIENT_SECRET = "foreign-secret-9c1e-d2b4"
USERNAME = "agent.smith"
EMAIL = "agent.smith+cx@example.net"
PASSWORD = "pässwörd with spaces & = signs"
API_KEY = "foreign-api-key-5b8d0e"
TOKEN_PATH = "/oauth/token"
USERS_PATH = "/openapi/v2/user/page"


@dataclass
class Quirks:
    """The switchable behaviours; the defaults are the vendor's text, read plainly."""

    #: `None`: a public OAuth client (no secret; sending a `client_secret` field is refused).
    client_secret: str | None = CLIENT_SECRET
    token_type: str = "Bearer"
    #: `None` leaves `expires_in` out of the token response.
    expires_in: int | None = 3599
    #: Issue JWT access tokens whose `exp` is this many seconds away (opaque tokens if None).
    jwt_exp: int | None = None
    refresh_tokens: bool = False
    extra_fields: bool = False
    content_type: str = "application/json"
    gzip: bool = False
    chunked: bool = False
    connection_close: bool = False
    #: Answer with `HTTP/1.0` status lines (which implies closing after each response).
    http10: bool = False
    #: Answer the user page with HTTP 200 and this envelope error code.
    envelope_error: str | None = None
    omit_message: bool = False
    #: With `http10`: no Content-Length, the body ends when the connection closes.
    close_delimited: bool = False
    #: Rotate the refresh token on every refresh grant (RFC 6749 §6 allows either).
    rotate_refresh: bool = True
    #: Send `expires_in` as a JSON string ("3599"), as some servers do against RFC 6749 §5.1.
    expires_in_as_string: bool = False
    #: Clamp `pageSize` to this, reporting the clamped `size` (as Spring Data does).
    max_page_size: int | None = None
    #: With `max_page_size`: report the requested `size`, not the clamped one.
    echo_requested_size: bool = False
    #: Quote the submitted password in the invalid_grant description (a careless server).
    echo_password: bool = False
    #: Serve everything under this path, as behind a reverse proxy ("/cloudcx").
    prefix: str = ""
    #: Refuse a client with a bare 401 (no body), the `WWW-Authenticate: Basic` header only.
    bare_invalid_client: bool = False


@dataclass(frozen=True)
class Recorded:
    """One request as the server received it."""

    method: str
    path: str
    raw_query: str
    query: dict[str, list[str]]
    # Left out of the repr: they hold the credentials, and a failing assertion prints reprs.
    headers: dict[str, str] = field(repr=False)
    form: dict[str, list[str]] = field(repr=False)
    status: int = 0


@dataclass
class _Issued:
    expires_at: float | None


@dataclass
class _State:
    quirks: Quirks
    users: list[dict[str, Any]]
    lock: threading.Lock = field(default_factory=threading.Lock)
    offset: float = 0.0
    access: dict[str, _Issued] = field(default_factory=dict)
    refresh: set[str] = field(default_factory=set)
    records: list[Recorded] = field(default_factory=list)

    def now(self) -> float:
        return time.time() + self.offset


def _user(
    index: int, first: str, last: str, *, phone: str | None, unique: str | None
) -> dict[str, Any]:
    login = f"{first.lower()}.{last.lower()}{index}"
    return {
        "id": str(uuid.UUID(int=index + 1)),
        "loginCode": login,
        "roles": ["Agents"] if index % 3 else ["Admin", "Agents"],
        "firstName": first,
        "lastName": last,
        "email": f"user{index}@example.net",
        "phoneNumber": phone,
        "uniqueCode": unique,
    }


def _directory() -> list[dict[str, Any]]:
    users = [
        _user(i, "Si", f"Member{i}", phone=f"+1555000{i:04d}" if i % 2 else None, unique=None)
        for i in range(23)
    ]
    users.append(_user(23, "José", "Ñúñez", phone=None, unique="JN-1"))
    users.append(_user(24, "a&b=c", "Symbols", phone="+15550009999", unique="AB-2"))
    users.append(_user(25, "Plain", "Person", phone=None, unique=None))
    return users


def _haystack(user: dict[str, Any]) -> str:
    """What `keywords` is matched against: login, full name and e-mail, case-folded."""
    full_name = f"{user['firstName']} {user['lastName']}"
    return "\n".join((user["loginCode"], full_name, user["email"])).casefold()


def _jwt(exp: float) -> str:
    def part(data: dict[str, Any]) -> str:
        raw = json.dumps(data, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    header = part({"alg": "RS256", "kid": "foreign"})
    claims = part(
        {"sub": CLIENT_ID, "exp": int(exp), "iat": int(time.time()), "jti": secrets.token_hex(4)}
    )
    return f"{header}.{claims}.{secrets.token_urlsafe(24)}"


class _Handler(BaseHTTPRequestHandler):
    state: _State
    serves_token: bool
    serves_api: bool
    timeout = 5

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: test output must not fill with access logs."""

    # --- plumbing ------------------------------------------------------------------------

    def _record(self, status: int, form: dict[str, list[str]] | None = None) -> None:
        split = urlsplit(self.path)
        with self.state.lock:
            self.state.records.append(
                Recorded(
                    method=self.command,
                    path=split.path,
                    raw_query=split.query,
                    query=parse_qs(split.query, keep_blank_values=True),
                    headers={k.lower(): v for k, v in self.headers.items()},
                    form=form or {},
                    status=status,
                )
            )

    def _send(
        self,
        status: int,
        body: dict[str, Any] | None,
        *,
        headers: dict[str, str] | None = None,
        form: dict[str, list[str]] | None = None,
    ) -> None:
        self._record(status, form)
        quirks = self.state.quirks
        payload = b"" if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if body is not None:
            self.send_header("Content-Type", quirks.content_type)
            accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
            if quirks.gzip and accepts_gzip:
                payload = gzip.compress(payload)
                self.send_header("Content-Encoding", "gzip")
        close = quirks.connection_close or quirks.http10
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        chunked = quirks.chunked and not quirks.http10 and payload
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        elif not (quirks.http10 and quirks.close_delimited):
            self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if chunked:
            for start in range(0, len(payload), 37):
                piece = payload[start : start + 37]
                self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
        else:
            self.wfile.write(payload)

    def do_GET(self) -> None:
        """The user page; anything else is a 404."""
        if self.serves_api and urlsplit(self.path).path == self.state.quirks.prefix + USERS_PATH:
            self._users()
        else:
            self._send(404, {"code": "404", "message": "not found", "data": None})

    def do_POST(self) -> None:
        """The token endpoint; anything else is a 404."""
        if self.serves_token and urlsplit(self.path).path == self.state.quirks.prefix + TOKEN_PATH:
            self._token()
        else:
            self._send(404, {"code": "404", "message": "not found", "data": None})

    # --- RFC 6749: the token endpoint ----------------------------------------------------

    def _oauth_error(
        self, status: int, error: str, description: str, form: dict[str, list[str]]
    ) -> None:
        headers = {"Cache-Control": "no-store", "Pragma": "no-cache"}
        if error == "invalid_client":
            # RFC 6749 §5.2: a 401 for a refused client names the scheme the server supports.
            headers["WWW-Authenticate"] = 'Basic realm="cloudcx"'
        body = {"error": error, "error_description": description}
        if error == "invalid_client" and self.state.quirks.bare_invalid_client:
            self._send(status, None, headers=headers, form=form)
            return
        self._send(status, body, headers=headers, form=form)

    def _token(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode("utf-8")
        form = parse_qs(raw, keep_blank_values=True)
        state, quirks = self.state, self.state.quirks
        ctype = self.headers.get("Content-Type", "")
        if not ctype.startswith("application/x-www-form-urlencoded"):
            self._oauth_error(400, "invalid_request", "form body expected", form)
            return
        if any(len(values) != 1 for values in form.values()):
            self._oauth_error(400, "invalid_request", "repeated parameter", form)
            return
        fields = {name: values[0] for name, values in form.items()}
        if fields.get("client_id") != CLIENT_ID:
            self._oauth_error(401, "invalid_client", "unknown client", form)
            return
        if quirks.client_secret is None:
            if "client_secret" in fields:
                self._oauth_error(401, "invalid_client", "public client sent a secret", form)
                return
        elif fields.get("client_secret") != quirks.client_secret:
            self._oauth_error(401, "invalid_client", "client authentication failed", form)
            return
        grant = fields.get("grant_type")
        if grant == "password":
            if (
                fields.get("username") not in (USERNAME, EMAIL)
                or fields.get("password") != PASSWORD
            ):
                detail = "Bad credentials"
                if quirks.echo_password:
                    detail = (
                        f"Bad credentials for {fields.get('username')} / {fields.get('password')}"
                    )
                self._oauth_error(400, "invalid_grant", detail, form)
                return
        elif grant == "refresh_token":
            with state.lock:
                known = fields.get("refresh_token") in state.refresh
                if known and quirks.rotate_refresh:
                    state.refresh.discard(fields["refresh_token"])
            if not known:
                self._oauth_error(400, "invalid_grant", "Invalid refresh token", form)
                return
        else:
            self._oauth_error(400, "unsupported_grant_type", "grant not supported", form)
            return
        self._issue(form, refreshing=grant == "refresh_token")

    def _issue(self, form: dict[str, list[str]], *, refreshing: bool = False) -> None:
        state, quirks = self.state, self.state.quirks
        now = state.now()
        if quirks.jwt_exp is not None:
            access = _jwt(now + quirks.jwt_exp)
            expires: float | None = now + quirks.jwt_exp
        else:
            access = secrets.token_urlsafe(32)
            expires = None
        if quirks.expires_in is not None:
            by_expires_in = now + quirks.expires_in
            expires = by_expires_in if expires is None else min(expires, by_expires_in)
        body: dict[str, Any] = {"access_token": access, "token_type": quirks.token_type}
        if quirks.expires_in is not None:
            body["expires_in"] = (
                str(quirks.expires_in) if quirks.expires_in_as_string else quirks.expires_in
            )
        with state.lock:
            state.access[access] = _Issued(expires)
            if quirks.refresh_tokens and (quirks.rotate_refresh or not refreshing):
                refresh = secrets.token_urlsafe(32)
                state.refresh.add(refresh)
                body["refresh_token"] = refresh
        if quirks.extra_fields:
            body.update({"scope": "openapi read", "jti": secrets.token_hex(8), "user-id": "u-1"})
        headers = {"Cache-Control": "no-store", "Pragma": "no-cache"}
        self._send(200, body, headers=headers, form=form)

    # --- RFC 6750: the protected resource ------------------------------------------------

    def _bearer_ok(self) -> bool:
        scheme, _, credential = self.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not credential:
            self._send(401, None, headers={"WWW-Authenticate": 'Bearer realm="cloudcx"'})
            return False
        if credential == API_KEY:
            return True
        with self.state.lock:
            issued = self.state.access.get(credential)
        if issued is None or (
            issued.expires_at is not None and issued.expires_at <= self.state.now()
        ):
            # RFC 6750 §3.1: an empty body, the reason in the challenge only.
            challenge = 'Bearer realm="cloudcx", error="invalid_token"'
            self._send(401, None, headers={"WWW-Authenticate": challenge})
            return False
        return True

    def _users(self) -> None:
        if not self._bearer_ok():
            return
        quirks = self.state.quirks
        query = parse_qs(urlsplit(self.path).query, keep_blank_values=True)
        try:
            index = int(query.get("pageIndex", ["1"])[0])
            size = requested = int(query.get("pageSize", ["25"])[0])
            if quirks.max_page_size is not None:
                size = min(size, quirks.max_page_size)
        except ValueError:
            self._send(400, {"code": "400", "message": "bad paging", "data": None})
            return
        if quirks.envelope_error is not None:
            self._send(
                200, {"code": quirks.envelope_error, "message": "Parameter error", "data": None}
            )
            return
        keywords = query.get("keywords", [""])[0].casefold()
        matching = [u for u in self.state.users if not keywords or keywords in _haystack(u)]
        start = (index - 1) * size
        content = [dict(user) for user in matching[start : start + size]]
        page: dict[str, Any] = {
            "totalPages": -(-len(matching) // size),
            "totalElements": len(matching),
            "size": requested if quirks.echo_requested_size else size,
            "number": index - 1,
            "numberOfElements": len(content),
            "content": content,
        }
        envelope: dict[str, Any] = {"code": "0000", "message": None, "data": page}
        if quirks.omit_message:
            del envelope["message"]
        if quirks.extra_fields:
            for user in content:
                user.update(
                    {"status": "ACTIVE", "extension": {"number": "1001"}, "createdAt": 1723515845}
                )
            page.update(
                {
                    "first": index == 1,
                    "last": start + size >= len(matching),
                    "sort": {"sorted": False},
                }
            )
            envelope.update({"timestamp": 1723515845000, "traceId": secrets.token_hex(8)})
        self._send(200, envelope)


def _serve(
    state: _State, *, token: bool, api: bool, http10: bool, host: str
) -> ThreadingHTTPServer:
    handler = type(
        "Handler",
        (_Handler,),
        {
            "state": state,
            "serves_token": token,
            "serves_api": api,
            "protocol_version": "HTTP/1.0" if http10 else "HTTP/1.1",
        },
    )
    server = ThreadingHTTPServer((host, 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    return server


class ForeignServer:
    """The running server(s), their URLs, credentials, recorded requests and controls."""

    client_id = CLIENT_ID
    username = USERNAME
    email = EMAIL
    password = PASSWORD
    api_key = API_KEY

    def __init__(self, quirks: Quirks, *, separate_token_port: bool) -> None:
        self.quirks = quirks
        self.state = _State(quirks=quirks, users=_directory())
        self._servers = [
            _serve(
                self.state,
                token=not separate_token_port,
                api=True,
                http10=quirks.http10,
                host="127.0.0.1",
            )
        ]
        api_port = self._servers[0].server_address[1]
        self.base_url = f"http://127.0.0.1:{api_port}{quirks.prefix}"
        if separate_token_port:
            # The Control Panel domain: another port, and named `localhost` rather than by address.
            self._servers.append(
                _serve(self.state, token=True, api=False, http10=quirks.http10, host="127.0.0.1")
            )
            token_port = self._servers[1].server_address[1]
            self.token_url = f"http://localhost:{token_port}{quirks.prefix}{TOKEN_PATH}"
        else:
            self.token_url = self.base_url + TOKEN_PATH

    @property
    def client_secret(self) -> str | None:
        """The secret this server expects, or None for a public client."""
        return self.quirks.client_secret

    @property
    def records(self) -> list[Recorded]:
        """Every request received so far, in order."""
        with self.state.lock:
            return list(self.state.records)

    @property
    def token_requests(self) -> list[Recorded]:
        """The requests to the token endpoint."""
        return [r for r in self.records if r.path.endswith(TOKEN_PATH)]

    @property
    def api_requests(self) -> list[Recorded]:
        """The requests to the user page."""
        return [r for r in self.records if r.path.endswith(USERS_PATH)]

    def advance(self, seconds: float) -> None:
        """Move the server's clock forward: tokens expire as if that much time had passed."""
        with self.state.lock:
            self.state.offset += seconds

    def revoke_refresh_tokens(self) -> None:
        """Forget every refresh token issued so far."""
        with self.state.lock:
            self.state.refresh.clear()

    def close(self) -> None:
        """Stop serving and release the sockets."""
        for server in self._servers:
            server.shutdown()
            server.server_close()


@contextmanager
def foreign_server(
    quirks: Quirks | None = None, *, separate_token_port: bool = False
) -> Iterator[ForeignServer]:
    """Run a `ForeignServer` for the length of a `with` block."""
    server = ForeignServer(quirks or Quirks(), separate_token_port=separate_token_port)
    try:
        yield server
    finally:
        server.close()
