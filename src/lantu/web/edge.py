"""The edge of the web app: what no route should ever see, refused before any route runs.

- :class:`HostileInput` refuses a NUL byte in the path, the query string, a JSON body or a
  form body (PostgreSQL cannot store it in text, and no text of Lantu needs it), and a lone
  UTF-16 surrogate escaped in a JSON body (``"\\ud800"``: Python reads it into a string that
  no database driver can encode), with 400 and the API's JSON error shape; multipart text
  fields and file names are checked where the form is read
  (:func:`lantu.web.deps.csrf_protect`).
- It also refuses bytes that are not UTF-8 (``\\xff``, a sequence cut short, an overlong or
  CESU-8 encoding) wherever text comes in — the path, a query parameter, a JSON body (which must
  be UTF-8, RFC 8259), a form field's name or value, an uploaded file's name — naming the
  field: Starlette would read them as U+FFFD (path, query, urlencoded form) or as Latin-1
  (multipart), and the mangled text would be stored. The path, query and JSON are answered
  here (400, the API's error shape with ``errors``); a form's verdict is kept in the scope
  (:data:`NOT_UTF8`) and raised where the form is read, so a page shows it as its form's error.
- :class:`ErrorShield` turns any exception a route did not expect into a clean 500 (JSON on
  the API) and logs it, without letting it reach the server: uvicorn closes the connection of
  an exception that escapes after a response started, so the client's next request on the same
  keep-alive connection would be reset.
"""

from __future__ import annotations

import codecs
import json
import logging
import re
from urllib.parse import unquote_to_bytes

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


#: the scope key under which the edge leaves the name of a form field that is not UTF-8
NOT_UTF8 = "lantu.not_utf8"


def _readable(raw: bytes) -> str:
    return raw.decode("utf-8", "replace")[:100]


def _not_utf8(raw: bytes, codec: str = "utf-8") -> bool:
    try:
        raw.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return True
    return False


def pairs_not_utf8(data: bytes) -> str | None:
    """The first field of a query string or urlencoded form whose name or value is not UTF-8
    once its ``%`` escapes are undone (its name, with U+FFFD for what could not be read), or
    None when every field is text.

    >>> pairs_not_utf8(b"q=%E5%A4%AA%E5%8E%9F&x=1"), pairs_not_utf8(b"a=1&title=x%FFy")
    (None, 'title')
    >>> pairs_not_utf8(b"n%C0%80=1") == "n\\ufffd\\ufffd"  # an overlong NUL in a name
    True
    """
    for pair in re.split(rb"[&;]", data):
        name, _, value = pair.partition(b"=")
        raw_name = unquote_to_bytes(name.replace(b"+", b" "))
        if _not_utf8(raw_name) or _not_utf8(unquote_to_bytes(value.replace(b"+", b" "))):
            return _readable(raw_name)
    return None


def json_not_utf8(body: bytes) -> str | None:
    """Where a JSON body is not UTF-8: the dotted path of the first key or string holding such
    bytes (``""`` when the body does not parse), or None when it is all UTF-8.

    >>> json_not_utf8(b'{"a": "x", "b": [1, "\\\\u00e9", "\\xff"]}'), json_not_utf8(b'{"a": 1}')
    ('b.2', None)
    """
    if not _not_utf8(body):
        return None
    try:  # bytes that are not UTF-8 become U+DC80-U+DCFF, found again below
        doc = json.loads(body.decode("utf-8", "surrogateescape"))
    except (ValueError, RecursionError):
        return ""
    stack: list[tuple[object, str]] = [(doc, "")]
    while stack:
        node, path = stack.pop()
        if isinstance(node, str):
            if any("\udc80" <= ch <= "\udcff" for ch in node):
                return path
        elif isinstance(node, dict):
            for key, value in reversed(list(node.items())):
                here = f"{path}.{key}" if path else str(key)
                if any("\udc80" <= ch <= "\udcff" for ch in key):
                    return here.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
                stack.append((value, here))
        elif isinstance(node, list):
            stack.extend((v, f"{path}.{i}" if path else str(i))
                         for i, v in reversed(list(enumerate(node))))
    return ""


def _params(value: str) -> list[tuple[str, str]]:
    """The ``key=value`` parameters of a header value after its first ``;`` (a quoted value
    may hold ``;``), keys lower case, values unquoted."""
    out, part, quoted, escaped = [], [], False, False
    parts: list[str] = []
    for ch in value:
        if escaped:
            part.append(ch)
            escaped = False
        elif ch == "\\" and quoted:
            part.append(ch)
            escaped = True
        elif ch == '"':
            part.append(ch)
            quoted = not quoted
        elif ch == ";" and not quoted:
            parts.append("".join(part))
            part = []
        else:
            part.append(ch)
    parts.append("".join(part))
    for segment in parts[1:]:
        key, sep, val = segment.partition("=")
        if not sep:
            continue
        val = val.strip()
        if len(val) >= 2 and val[0] == val[-1] == '"':
            val = val[1:-1].replace('\\"', '"').replace("\\\\", "\\")
        out.append((key.strip().lower(), val))
    return out


#: the charsets an RFC 5987 value may name (RFC 8187 §3.2.1: UTF-8 and ISO-8859-1)
_EXT_CHARSETS = {"utf-8": None, "iso-8859-1": "latin-1"}


def extended_filename(value: str | bytes) -> bytes | None:
    """The file name an RFC 5987/8187 ``filename*=UTF-8''%E5%A4%AA%E5%8E%9F.pdf`` gives, as
    UTF-8 bytes (what the form's text is read as), or None when the header has none or one that
    cannot be read (another charset, no two quotes): percent-decoded, ISO-8859-1 made UTF-8.
    Bytes that are no UTF-8 are handed on as they are, for the edge to refuse (:func:`_not_utf8`).

    >>> extended_filename("form-data; name=\"f\"; filename*=UTF-8''%E5%A4%AA%E5%8E%9F.pdf")
    b'\\xe5\\xa4\\xaa\\xe5\\x8e\\x9f.pdf'
    >>> extended_filename('form-data; filename="a; filename*=x"') is None
    True
    """
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    if "filename*" not in text.lower():
        return None
    for key, val in _params(text):
        if key != "filename*":
            continue
        charset, sep, rest = val.partition("'")
        lang, sep2, encoded = rest.partition("'")
        codec = charset.strip().lower()
        if not (sep and sep2) or codec not in _EXT_CHARSETS:
            return None
        raw = unquote_to_bytes(encoded)
        latin = _EXT_CHARSETS[codec]
        return raw.decode(latin).encode("utf-8") if latin else raw
    return None


def part_options(value: str | bytes) -> tuple[bytes, dict[bytes, bytes]]:
    """A multipart part's ``Content-Disposition`` (or a ``Content-Type``) as python-multipart's
    ``parse_options_header`` reads it, with the file name of ``filename*`` (RFC 5987, which
    python-multipart and so Starlette ignore: a part named only so was read as a text field,
    and its route answered "Expected UploadFile") — and preferred to a plain ``filename``
    beside it, as RFC 6266 §4.3 says of a header carrying both (the plain one is the sender's
    ASCII stand-in). The one reader of a part's name: Starlette's parse (installed by
    :func:`install_part_reader`) and the edge's check (:class:`MultipartText`) both ask it, so
    the name checked is the name stored."""
    from python_multipart.multipart import parse_options_header

    ctype, options = parse_options_header(value)
    name = extended_filename(value) if value else None
    if name is not None:
        options[b"filename"] = name
    return ctype, options


def install_part_reader() -> None:
    """Make :func:`part_options` the reader of Starlette's multipart parser (its module-level
    name; idempotent)."""
    import starlette.formparsers as formparsers

    if formparsers.parse_options_header is not part_options:
        formparsers.parse_options_header = part_options


class MultipartText:
    """Fed a multipart body chunk by chunk (as the app reads it), finds the first field whose
    name, text value or file name is not in the body's charset (UTF-8 unless the content type
    names another: what Starlette decodes it with, falling back to Latin-1 when it cannot).
    File contents are not looked at."""

    #: a text field longer than Starlette's limit for a part is refused by Starlette anyway
    MAX_FIELD = 1024 * 1024 + 1

    def __init__(self, content_type: bytes) -> None:
        from python_multipart.multipart import MultipartParser

        self._options = part_options  # the name Starlette reads (filename* too)
        _, params = part_options(content_type)
        charset = params.get(b"charset", b"utf-8").decode("latin-1")
        try:
            self.codec = codecs.lookup(charset).name
        except LookupError:
            self.codec = "latin-1"  # as Starlette reads it: nothing to check
        self.bad: str | None = None
        self._header = b""
        self._value = b""
        self._disposition = b""
        self._name = b""
        self._data = bytearray()
        self._file = False
        boundary = params.get(b"boundary")
        self._parser = MultipartParser(boundary, {
            "on_part_begin": self._begin, "on_part_data": self._part_data,
            "on_part_end": self._end, "on_header_field": self._field,
            "on_header_value": self._header_value, "on_header_end": self._header_end,
            "on_headers_finished": self._headers_done}) if boundary else None

    def feed(self, chunk: bytes) -> None:
        if self._parser is None or self.bad is not None or not chunk:
            return
        try:
            self._parser.write(chunk)
        except Exception:  # noqa: BLE001 - malformed multipart: Starlette's parser refuses it
            self._parser = None

    def unfinished(self) -> bool:
        """Whether the body, read to its end, stopped before its closing boundary
        (``--boundary--``): python-multipart, and so Starlette, keeps the parts it has and drops
        the one cut short without a word, so a truncated upload was answered "no file" (422)
        or read as a shorter one (probe19). Asked where the form is read."""
        from python_multipart.multipart import MultipartState

        return (self._parser is not None and self.bad is None
                and self._parser.state != MultipartState.END)

    def _flag(self, name: bytes) -> None:
        if self.bad is None:
            self.bad = name.decode(self.codec, "replace")[:100]

    def _begin(self) -> None:
        self._disposition, self._name, self._file = b"", b"", False
        self._data = bytearray()

    def _field(self, data: bytes, start: int, end: int) -> None:
        self._header += data[start:end]

    def _header_value(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]

    def _header_end(self) -> None:
        if self._header.lower() == b"content-disposition":
            self._disposition = self._value
        self._header, self._value = b"", b""

    def _headers_done(self) -> None:
        _, options = self._options(self._disposition)
        self._name = options.get(b"name", b"")
        self._file = b"filename" in options
        if _not_utf8(self._name, self.codec) or (
                self._file and _not_utf8(options[b"filename"], self.codec)):
            self._flag(self._name)

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if not self._file and len(self._data) < self.MAX_FIELD:
            self._data += data[start:end]

    def _end(self) -> None:
        if not self._file and _not_utf8(bytes(self._data), self.codec):
            self._flag(self._name)


def _error_body(status: int, detail: str, field: str | None = None) -> bytes:
    from lantu.web.errors import ERROR_CODES

    body: dict[str, object] = {"detail": detail, "error": ERROR_CODES.get(status, "error")}
    if field is not None:
        body["errors"] = [{"field": field, "reason": "not valid UTF-8"}]
    return json.dumps(body).encode()


async def send_error(send, status: int, detail: str, headers: list | None = None, *,
                     field: str | None = None) -> None:
    """A complete error response in the API's JSON shape (readable on pages too); ``field``:
    the field that is not UTF-8, listed in ``errors``."""
    body = _error_body(status, detail, field)
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                            (b"cache-control", b"no-store")] + (headers or [])})
    await send({"type": "http.response.body", "body": body})


def _raw_nul(data: bytes) -> bool:
    return b"\x00" in data or b"%00" in data


def form_not_utf8(scope) -> str | None:
    """The form field of this request the edge found not UTF-8 (see :data:`NOT_UTF8`), or None;
    asked where the form is read (:func:`lantu.web.deps.csrf_protect`), after the body is in."""
    found = scope.get(NOT_UTF8)
    return found.bad if isinstance(found, MultipartText) else found


def multipart_unfinished(scope) -> bool:
    """Whether this request's multipart body ended before its closing boundary
    (:meth:`MultipartText.unfinished`); asked after the body is in."""
    found = scope.get(NOT_UTF8)
    return isinstance(found, MultipartText) and found.unfinished()


def _json_type(ctype: bytes) -> bool:
    """``application/json`` and the ``+json`` types FastAPI also reads as JSON."""
    return ctype == b"application/json" or (ctype.startswith(b"application/")
                                            and ctype.endswith(b"+json"))


def _refused(scope, reason: str, where: str, field: str | None = None) -> None:
    extra = {"event": "refused", "reason": reason, "where": where,
             "path": scope.get("path", "")[:200]}
    if field is not None:
        extra["field"] = field
    log.warning("refused", extra=extra)


#: the most a request's header fields may hold together (names, values and their separators):
#: 32 KiB, four times nginx's default buffer for one line (``large_client_header_buffers 4
#: 8k``), and far beyond a session cookie, a CSRF token and a bearer token together. The HTTP
#: server bounds what it reads before parsing (h11: under 1 MB); what it hands on, the edge
#: refuses with 431 (RFC 6585) before any cookie or header is parsed (probe15: 100 KB passed)
MAX_HEADER_BYTES = 32 * 1024


class HostileInput:
    """Pure ASGI middleware: 400 for NUL bytes in the path, query, JSON or form body, for a lone
    surrogate in JSON and for bytes that are not UTF-8 in the path, query or JSON; a form's
    field that is not UTF-8 is noted in the scope (:func:`form_not_utf8`)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if sum(len(k) + len(v) + 4 for k, v in scope.get("headers", ())) > MAX_HEADER_BYTES:
            _refused(scope, "headers_too_large", "headers")
            await send_error(send, 431, f"the request's headers exceed {MAX_HEADER_BYTES:,} "
                                        "bytes")
            return
        raw_path = scope.get("raw_path") or scope.get("path", "").encode("utf-8", "replace")
        query = scope.get("query_string", b"")
        if (_raw_nul(raw_path) or "\x00" in scope.get("path", "") or _raw_nul(query)):
            _refused(scope, "nul_byte", "url")
            await send_error(send, 400, "a NUL byte is not allowed in the address")
            return
        if _not_utf8(unquote_to_bytes(raw_path)):
            _refused(scope, "not_utf8", "path")
            await send_error(send, 400, "the address is not valid UTF-8", field="path")
            return
        name = pairs_not_utf8(query)
        if name is not None:
            _refused(scope, "not_utf8", "query", name)
            await send_error(send, 400, f"query parameter {name!r} is not valid UTF-8",
                             field=name)
            return
        ctype_header = next((v for k, v in scope.get("headers", ()) if k == b"content-type"), b"")
        ctype = ctype_header.split(b";")[0].strip().lower()
        if ctype == b"multipart/form-data":
            # checked as the app reads it (uploads are large: not held here); the verdict is
            # asked where the form is read
            checker = scope[NOT_UTF8] = MultipartText(ctype_header)

            async def checking():
                message = await receive()
                if message["type"] == "http.request":
                    checker.feed(message.get("body", b""))
                return message

            await self.app(scope, checking, send)
            return
        json_body = _json_type(ctype)
        if not json_body and ctype != b"application/x-www-form-urlencoded":
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
        bad = (b"\x00" in body or (_JSON_NUL.search(body) is not None if json_body
                                   else b"%00" in body))
        if bad:
            _refused(scope, "nul_byte", "body")
            await send_error(send, 400, "a NUL byte is not allowed in the request body")
            return
        if json_body:
            field = json_not_utf8(body)
            if field is not None:
                _refused(scope, "not_utf8", "body", field)
                await send_error(send, 400, "the JSON body is not valid UTF-8" + (
                    f": field {field!r}" if field else ""), field=field)
                return
            if _lone_surrogate(body):
                _refused(scope, "lone_surrogate", "body")
                await send_error(send, 400, "the request body holds a lone UTF-16 surrogate "
                                            "(\\ud800-\\udfff unpaired), which is no character")
                return
        else:
            scope[NOT_UTF8] = pairs_not_utf8(body)
        sent = False

        async def replay():
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


class HeadAsGet:
    """THE rule of HEAD (RFC 9110 §9.3.2: the GET of the same address without its body): a HEAD
    request is handed to the app as that GET — the same door (sign-in, role, department line:
    303, 401, 403, 404 alike), the same status and header fields — and its body is dropped on
    the way out. FastAPI's routes answer only the methods they name, so HEAD was 405 on every
    page and API route (probe21), and a monitor's ``HEAD /healthz`` read the app as down. The
    scope is copied, not changed: the server reads its own to know the request was a HEAD."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope.get("method") != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headless(message) -> None:
            if message["type"] == "http.response.body" and message.get("body"):
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headless)


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


#: the answers that refuse what a client sent as a body by its size or its type: an upload of
#: an executable, a script or a macro document (evidence, a text to review, a table to import),
#: a body over the limit — each hostile input as a NUL byte is, so each is a security event
REFUSED_BODIES = {413: "too_large", 415: "unsupported_type"}


class RefusalLog:
    """Pure ASGI middleware: THE place a body refused by its size or type (:data:`REFUSED_BODIES`)
    is logged, whichever route or layer refused it — ``refused`` with the reason, the route, the
    user when one is known and the client's address; never the body or the file's name (probe24:
    ``run.bat`` and a macro document handed in as evidence were refused, 415, and left no
    trace)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope.get("method") in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return

        async def logging_send(message) -> None:
            if message["type"] == "http.response.start" \
                    and (reason := REFUSED_BODIES.get(message.get("status", 0))):
                user = (scope.get("state") or {}).get("user")
                client = scope.get("client")
                log.warning("refused", extra={
                    "event": "refused", "reason": reason, "where": "body",
                    "status": message["status"], "method": scope.get("method", ""),
                    "path": scope.get("path", "")[:200],
                    "user": getattr(user, "username", None), "ip": client[0] if client else ""})
            await send(message)

        await self.app(scope, receive, logging_send)


def _networks(spec: str):
    import ipaddress

    out = []
    for part in (p.strip() for p in spec.split(",")):
        if part:
            out.append(ipaddress.ip_network(part, strict=False))
    return out


def header_text(scope, name: bytes, limit: int = 300) -> str:
    """A header a client tells (``User-Agent``) as the text it holds: its bytes as UTF-8, what
    browsers and apps send beyond ASCII (Starlette reads every header as Latin-1, so a UTF-8
    ``微信`` became ``å¾®ä¿¡``), with U+FFFD for bytes that are not, and what no stored text may
    hold shown so too (:func:`lantu.domain.gate.storable`) — never garbled into a log or a
    row, never refused (a browser does not choose its name)."""
    from lantu.domain.gate import storable

    raw = next((v for k, v in scope.get("headers", ()) if k == name), b"")
    return storable(raw[: limit * 4].decode("utf-8", "replace")[:limit])


#: an entry of ``X-Forwarded-For`` with the client's port: ``203.0.113.5:4711`` (an IPv4
#: address, a colon, 1-5 digits) or ``[2001:db8::1]:443`` / ``[2001:db8::1]`` (an IPv6 address
#: in brackets, RFC 3986's and RFC 7239's way of writing one beside a port) — what Azure's
#: gateways, IIS ARR and some CDNs write
_WITH_PORT = re.compile(r"(?:([0-9.]+)|\[([0-9A-Fa-f:.]+)\])(?::([0-9]{1,5}))?")


def forwarded_address(raw: bytes) -> str | None:
    """One entry of ``X-Forwarded-For`` as an IP address (its normal form), or None when it is
    not one (a name, text, bytes beyond ASCII, an IPv6 zone such as ``%eth0``, which names an
    interface of the proxy's machine, not a client): a proxy vouches for addresses only.

    A port the proxy wrote beside the address is the client's source port, not part of who
    the client is: ``203.0.113.5:4711`` and ``[2001:db8::1]:443`` are read as the address
    (docs/security.md, "Deploying behind a proxy"). A bare IPv6 address is read whole —
    ``2001:db8::1:443`` is itself an address, the proxy's to write in brackets.

    >>> forwarded_address(b"203.0.113.5:4711"), forwarded_address(b"[2001:db8::1]:443")
    ('203.0.113.5', '2001:db8::1')
    >>> forwarded_address(b"203.0.113.5:99999") is None, forwarded_address(b"fe80::1%eth0")
    (True, None)
    """
    import ipaddress

    try:
        text = raw.strip().decode("ascii")
    except UnicodeDecodeError:
        return None
    if "%" in text:
        return None  # an IPv6 zone: Python reads "fe80::1%anything" as an address
    m = _WITH_PORT.fullmatch(text)
    if m is not None and (m.group(3) is not None or m.group(2) is not None):
        if m.group(3) is not None and not 1 <= int(m.group(3)) <= 65535:
            return None
        text = m.group(1) or m.group(2)
        if m.group(2) is not None and ":" not in text:
            return None  # brackets are for IPv6 only ([1.2.3.4] is no form any proxy writes)
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return None
    mapped = ip.ipv4_mapped if isinstance(ip, ipaddress.IPv6Address) else None
    return str(mapped or ip)  # ::ffff:1.2.3.4 is 1.2.3.4 (else every such client shares a /64)


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
    pick the address the login throttle counts. An entry that is no IP address
    (:func:`forwarded_address`: text, a name, bytes beyond ASCII; a port beside an address is
    dropped, the address read) ends what is believed: the
    client is the last address before it (from the right), the peer's at worst — what a
    client wrote there never becomes the address counted, logged and stored. (uvicorn's own
    proxy handling is switched off by ``lantu serve``: it trusts any local peer.)"""

    def __init__(self, app, trusted: str = "") -> None:
        self.app = app
        self.networks = _networks(trusted)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] in ("http", "websocket") and self.networks:
            peer = (scope.get("client") or ("", 0))[0]
            if _trusted(peer, self.networks):
                headers = dict(scope.get("headers", ()))
                chain = [h for h in headers.get(b"x-forwarded-for", b"").split(b",")
                         if h.strip()]
                client = peer
                for entry in reversed(chain):
                    address = forwarded_address(entry)
                    if address is None:
                        break
                    client = address
                    if not _trusted(address, self.networks):
                        break
                scope = dict(scope, client=(client[:64], 0))
                proto = headers.get(b"x-forwarded-proto", b"").decode("latin-1").strip().lower()
                if proto in ("http", "https"):
                    scope["scheme"] = proto
        await self.app(scope, receive, send)
