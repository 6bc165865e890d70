"""The edge of the web app: what no route should ever see, refused before any route runs.

- :class:`HostileInput` refuses a NUL byte in the path, the query string, a JSON body or a
  form body (PostgreSQL cannot store it in text, and no text of Lantu needs it), and a lone
  UTF-16 surrogate escaped in a JSON body (``"\\ud800"``: Python reads it into a string that
  no database driver can encode), with 400 and the API's JSON error shape; multipart text
  fields and file names are checked where the form is read
  (:func:`lantu.web.deps.csrf_protect`). Bytes that are not UTF-8 in the path, query or form
  are decoded with replacement characters by Starlette, so they never reach a route as
  surrogates.
- :class:`ErrorShield` turns any exception a route did not expect into a clean 500 (JSON on
  the API) and logs it, without letting it reach the server: uvicorn closes the connection of
  an exception that escapes after a response started, so the client's next request on the same
  keep-alive connection would be reset.
"""

from __future__ import annotations

import json
import logging
import re

log = logging.getLogger("lantu.web")

_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")
#: a JSON escape of a UTF-16 surrogate (either half); whether it is paired is decided by parsing
_JSON_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _lone_surrogate(body: bytes) -> bool:
    """Whether a JSON body holds a string (or key) with an unpaired surrogate escape: only
    parsed when such an escape is there at all (a pair, as in emoji escapes, is fine). Walked
    without recursion: the body may be nested as deep as the parser allows."""
    if _JSON_SURROGATE.search(body) is None:
        return False
    try:
        doc = json.loads(body)
    except (ValueError, RecursionError):
        return False  # not JSON (or nested past the parser): the route answers 422 for it
    stack = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            try:
                node.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(node, dict):
            stack.extend(node.keys())
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False


def _error_body(status: int, detail: str) -> bytes:
    from lantu.web.errors import ERROR_CODES

    return json.dumps({"detail": detail, "error": ERROR_CODES.get(status, "error")}).encode()


async def send_error(send, status: int, detail: str, headers: list | None = None) -> None:
    """A complete error response in the API's JSON shape (readable on pages too)."""
    body = _error_body(status, detail)
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                            (b"cache-control", b"no-store")] + (headers or [])})
    await send({"type": "http.response.body", "body": body})


def _raw_nul(data: bytes) -> bool:
    return b"\x00" in data or b"%00" in data


class HostileInput:
    """Pure ASGI middleware: 400 for NUL bytes in the path, query, JSON or form body."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        raw_path = scope.get("raw_path") or scope.get("path", "").encode("utf-8", "replace")
        if (_raw_nul(raw_path) or "\x00" in scope.get("path", "")
                or _raw_nul(scope.get("query_string", b""))):
            log.warning("refused", extra={"event": "refused", "reason": "nul_byte",
                                          "where": "url", "path": scope.get("path", "")[:200]})
            await send_error(send, 400, "a NUL byte is not allowed in the address")
            return
        ctype = next((v for k, v in scope.get("headers", ()) if k == b"content-type"), b"")
        ctype = ctype.split(b";")[0].strip().lower()
        if ctype not in (b"application/json", b"application/x-www-form-urlencoded"):
            await self.app(scope, receive, send)
            return
        # small bodies (the body limit is outside): read them whole, check, hand them on
        chunks, more = [], True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body = b"".join(chunks)
        bad = (b"\x00" in body or (_JSON_NUL.search(body) is not None if ctype == b"application/json"
                                   else b"%00" in body))
        if bad:
            log.warning("refused", extra={"event": "refused", "reason": "nul_byte",
                                          "where": "body", "path": scope.get("path", "")[:200]})
            await send_error(send, 400, "a NUL byte is not allowed in the request body")
            return
        if ctype == b"application/json" and _lone_surrogate(body):
            log.warning("refused", extra={"event": "refused", "reason": "lone_surrogate",
                                          "where": "body", "path": scope.get("path", "")[:200]})
            await send_error(send, 400, "the request body holds a lone UTF-16 surrogate "
                                        "(\\ud800-\\udfff unpaired), which is no character")
            return
        sent = False

        async def replay():
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


class ErrorShield:
    """Pure ASGI middleware: an unexpected exception becomes a logged 500, never a reset."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:  # noqa: BLE001 - the last line: log it, answer, keep the connection
            log.exception("unexpected error", extra={"event": "error",
                                                     "path": scope.get("path", "")[:200]})
            if not started:
                await send_error(send, 500, "internal error; it has been logged")


def _networks(spec: str):
    import ipaddress

    out = []
    for part in (p.strip() for p in spec.split(",")):
        if part:
            out.append(ipaddress.ip_network(part, strict=False))
    return out


def _trusted(host: str, networks) -> bool:
    import ipaddress

    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    return any(ip in net for net in networks)


class ProxyHeaders:
    """Pure ASGI middleware: ``X-Forwarded-For`` and ``X-Forwarded-Proto`` are believed only
    from the proxies named in ``LANTU_TRUSTED_PROXIES`` (addresses or networks, comma
    separated; none by default). The client is then the right-most address of the header that
    is not itself a trusted proxy; from anyone else the headers are ignored, so a client cannot
    pick the address the login throttle counts. (uvicorn's own proxy handling is switched off
    by ``lantu serve``: it trusts any local peer.)"""

    def __init__(self, app, trusted: str = "") -> None:
        self.app = app
        self.networks = _networks(trusted)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] in ("http", "websocket") and self.networks:
            peer = (scope.get("client") or ("", 0))[0]
            if _trusted(peer, self.networks):
                headers = dict(scope.get("headers", ()))
                chain = [h.strip() for h in headers.get(b"x-forwarded-for", b"").decode(
                    "latin-1").split(",") if h.strip()]
                client = next((h for h in reversed(chain) if not _trusted(h, self.networks)),
                              chain[0] if chain else peer)
                scope = dict(scope, client=(client[:64], 0))
                proto = headers.get(b"x-forwarded-proto", b"").decode("latin-1").strip().lower()
                if proto in ("http", "https"):
                    scope["scheme"] = proto
        await self.app(scope, receive, send)
