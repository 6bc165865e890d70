"""The web application: ``create_app(database=None, settings=None)``.

Routers are registered from the list in :mod:`lantu.web.routes`; static files are served from
``web/static`` at ``/static``; pages are Jinja2 templates in ``web/templates`` rendered with
:func:`lantu.web.templating.render`. See ``docs/web.md``.
"""

from __future__ import annotations

import re
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from lantu.config import Settings, get_settings
from lantu.errors import LantuError
from lantu.security_log import setup_logging
from lantu.store import Database
from lantu.store import users as user_store
from lantu.web import apidocs
from lantu.web.deps import (
    MAX_FILES_PER_REQUEST,
    LoginRequired,
    PasswordMustChange,
    UserError,
    csrf_protect,
)
from lantu.web.edge import (
    ErrorShield,
    HeadAsGet,
    HostileInput,
    ProxyHeaders,
    RefusalLog,
    install_part_reader,
)
from lantu.web.errors import error_response, lantu_error_response
from lantu.web.one_value import one_value_each
from lantu.web.routes import ROUTERS

STATIC = Path(__file__).with_name("static")
MAPS = Path(__file__).resolve().parents[1] / "defaults" / "maps"

SECURITY_HEADERS = [
    (b"content-security-policy",
     b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
     b"img-src 'self' data:; font-src 'self'; object-src 'none'; base-uri 'self'; "
     b"form-action 'self'; frame-ancestors 'none'"),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]

# only over HTTPS (behind a TLS proxy, uvicorn takes the scheme from X-Forwarded-Proto)
HSTS = [(b"strict-transport-security", b"max-age=31536000")]


class SecurityHeaders:
    """Pure ASGI middleware adding the security headers to every HTTP response (cheap: no
    request body handling, no per-request objects)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        extra = SECURITY_HEADERS + (HSTS if scope.get("scheme") == "https" else [])
        path = scope.get("path", "")
        private = _authenticated(scope) and not path.startswith("/static/")

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                # an answer for a signed-in user is kept by no cache, not even the browser's
                # (a shared computer, a proxy): whatever the route said; nor is one that sets a
                # cookie (the login's session, a visitor's CSRF token: a cache would hand one
                # visitor's cookie to the next)
                if private or any(k.lower() == b"set-cookie" for k, _ in headers):
                    headers = [(k, v) for k, v in headers if k.lower() != b"cache-control"]
                    headers.append((b"cache-control", b"no-store"))
                elif not path.startswith(FIXED_FILES):
                    # an anonymous page is written in the language of the visitor's cookie
                    # (probe17): a shared cache must not hand it to the next visitor
                    headers = vary_on_cookie(headers)
                # a redirect never names a host (probe17): Starlette's trailing-slash redirect
                # built an absolute URL from the request's Host header
                headers = [(k, local_location(v) if k.lower() == b"location" else v)
                           for k, v in headers]
                present = {k.lower() for k, _ in headers}
                message["headers"] = headers + [(k, v) for k, v in extra if k not in present]
            await send(message)

        await self.app(scope, receive, send_with_headers)


#: paths of files that are the same for everyone (no cookie changes them)
FIXED_FILES = ("/static/", "/maps/", "/api/v1/docs/assets/")


def vary_on_cookie(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """``headers`` with ``Cookie`` named in ``Vary`` (added to a ``Vary`` there)."""
    vary = [v for k, v in headers if k.lower() == b"vary"]
    named = {p.strip().lower() for v in vary for p in v.split(b",")}
    if b"cookie" in named or b"*" in named:
        return headers
    rest = [(k, v) for k, v in headers if k.lower() != b"vary"]
    return rest + [(b"vary", b", ".join([*vary, b"Cookie"]))]


def local_location(value: bytes) -> bytes:
    """THE rule of a redirect's target (every ``Location`` the app sends): a path on this site.
    An absolute URL is cut to its path, query and fragment — the app does not know its public
    name, so a host in a ``Location`` came from the request's ``Host`` header, the attacker's
    to choose; what is no local path (``//evil``, ``/\\evil``, ``javascript:…``) becomes ``/``.

    >>> local_location(b"http://evil.example/login?x=1"), local_location(b"/tasks/3")
    (b'/login?x=1', b'/tasks/3')
    >>> local_location(b"//evil.example/x"), local_location(b"javascript:alert(1)")
    (b'/', b'/')
    """
    text = value.decode("latin-1")
    parts = urlsplit(text)
    if parts.scheme or parts.netloc:
        if parts.scheme.lower() not in ("http", "https"):
            return b"/"
        text = urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment))
    if not text.startswith("/") or text[1:2] in ("/", "\\") or any(c in text for c in "\r\n"):
        return b"/"
    return text.encode("latin-1")


def _authenticated(scope) -> bool:
    """The request carries credentials: a bearer token or a session cookie (``lantu_session``,
    or ``__Host-lantu_session`` over HTTPS: :func:`lantu.web.deps.cookie_name`)."""
    from lantu.web.deps import SESSION_COOKIE

    for key, value in scope.get("headers", ()):
        if key == b"authorization" or (key == b"cookie"
                                       and SESSION_COOKIE.encode() + b"=" in value):
            return True
    return False


class BodyLimit:
    """Pure ASGI middleware refusing request bodies above ``limit`` bytes with 413 before they
    are parsed or spooled to disk (by Content-Length, and by counting when it is absent)."""

    def __init__(self, app, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for key, value in scope.get("headers", ()):
            if key == b"content-length":
                try:
                    too_big = int(value) > self.limit
                except ValueError:
                    too_big = True
                if too_big:
                    await _plain(send, 413, b"request body too large")
                    return
        seen = 0

        async def counting_receive():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge()
            return message

        try:
            await self.app(scope, counting_receive, send)
        except _TooLarge:
            await _plain(send, 413, b"request body too large")


class _TooLarge(LantuError, HTTPException):
    """Raised while a body is read; also an HTTPException so that FastAPI's body parsing passes
    it on as 413 instead of wrapping it in a 400 "error parsing the body"."""

    http_status = 413

    def __init__(self) -> None:
        HTTPException.__init__(self, 413, "request body too large")


async def _plain(send, status: int, body: bytes) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())] + SECURITY_HEADERS})
    await send({"type": "http.response.body", "body": body})




def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or (
        "application/json" in request.headers.get("accept", "")
        and "text/html" not in request.headers.get("accept", ""))


def create_app(database: Database | None = None, settings: Settings | None = None, *,
               migrate: bool = False) -> FastAPI:
    """Build the application around a database (default: the one of the settings).

    Parameters
    ----------
    database : Database, optional
        Open database at the newest schema (checked here: an older one is refused with the
        command that upgrades it; the app does not migrate in every worker). Default:
        ``settings`` URL.
    settings : Settings, optional
        Default: :func:`lantu.config.get_settings` (environment, ``LANTU_`` prefix).
    migrate : bool, default False
        Upgrade the schema here instead (one process, e.g. a test or a single-worker server).

    Returns
    -------
    FastAPI
        The app; ``app.state.database`` and ``app.state.settings`` hold what it was built with.

    Examples
    --------
    >>> from fastapi.testclient import TestClient
    >>> client = TestClient(create_app(Database("sqlite://"), migrate=True))  # doctest: +SKIP
    """
    settings = settings or get_settings()
    setup_logging(settings.log_file or None)
    if database is None:
        database = Database(settings.resolved_database_url())
    if migrate:
        database.migrate()
    else:
        database.check_schema()
    user_store.warn_lookalike_users(database)  # names kept from before the name rule
    app = FastAPI(title="Lantu 蓝图", version=_version(), docs_url=None, redoc_url=None,
                  openapi_url="/api/v1/openapi.json",
                  dependencies=[Depends(csrf_protect), Depends(one_value_each)])
    app.state.database = database
    app.state.settings = settings
    install_part_reader()  # a file named only by filename* (RFC 5987) is a file, so named
    app.add_middleware(HostileInput)
    app.add_middleware(BodyLimit, limit=settings.upload_max_bytes * MAX_FILES_PER_REQUEST + 65536)
    app.add_middleware(ErrorShield)
    app.add_middleware(RefusalLog)  # outside the body limit: its 413 is logged too
    app.add_middleware(SecurityHeaders)
    app.add_middleware(ProxyHeaders, trusted=settings.trusted_proxies)
    app.add_middleware(HeadAsGet)  # outermost: every layer inside sees the GET
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    # map boundaries of the default (vendored, see lantu/defaults/maps/README.md)
    app.mount("/maps", StaticFiles(directory=str(MAPS)), name="maps")
    apidocs.install(app)  # before the routers: its assets mount under /api/v1/docs
    for router in ROUTERS:
        app.include_router(router)
    _install_handlers(app)
    return app


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _version() -> str:
    from lantu import __version__

    return __version__


def _install_handlers(app: FastAPI) -> None:
    from lantu.web.i18n import catalogue, translator
    from lantu.web.templating import render, request_language

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> Response:
        if _wants_json(request):
            return error_response(401, "authentication required",
                                  headers={"WWW-Authenticate": "Bearer"})
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)

    def error_page(request: Request, status: int, detail: str, key: str | None,
                   values: dict[str, object]) -> Response:
        if key:
            lang = request_language(request)
            t = translator(lang)
            # a value given in both languages ({"zh": …, "en": …}: a name) in the page's
            values = {k: (v[lang] if isinstance(v, dict) and lang in v else v)
                      for k, v in values.items()}
            if "report_status" in values:
                values["report_status"] = t(f"rstatus.{values['report_status']}")
            detail = t(key, **values)
        return render(request, "error.html", {"status": status, "detail": detail},
                      status_code=status)

    # Starlette's class: FastAPI raises it for a body it cannot parse; fastapi's is a subclass
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if _wants_json(request):  # the one error shape: detail and error code
            return error_response(exc.status_code, str(exc.detail), headers=exc.headers)
        key = exc.key if isinstance(exc, UserError) else None
        values = exc.values if isinstance(exc, UserError) else {}
        detail = str(exc.detail)
        if key is None and detail == _phrase(exc.status_code):
            # the status phrase alone ("Not Found") says again what the heading says
            key = f"left10web.detail.{exc.status_code}"
            if key not in catalogue("en"):
                key, detail = None, ""
        page = error_page(request, exc.status_code, detail, key, values)
        page.headers.update(exc.headers or {})  # Retry-After of a 429, Allow of a 405
        return page

    @app.exception_handler(PasswordMustChange)
    async def password_must_change(request: Request, exc: PasswordMustChange) -> Response:
        if _wants_json(request):
            return lantu_error_response(exc)
        return RedirectResponse("/account", status_code=303)

    @app.exception_handler(LantuError)
    async def lantu_error(request: Request, exc: LantuError) -> Response:
        # one mapping from error class to status (lantu.web.errors), for pages and JSON alike
        if _wants_json(request):
            return lantu_error_response(exc)
        field, reason = getattr(exc, "field", None), getattr(exc, "reason", None)
        if field and reason is not None and not exc.key:  # the field named in the page's words
            from lantu.reasons import field_reason

            return render(request, "error.html", {"status": exc.http_status, "said": True,
                "detail": field_reason(request_language(request), field, reason)},
                status_code=exc.http_status)
        return error_page(request, exc.http_status, str(exc), exc.key, exc.values)

    @app.exception_handler(StaleDataError)
    @app.exception_handler(IntegrityError)
    async def conflict(request: Request, exc: Exception) -> Response:
        # two writers raced (optimistic lock on progress_report.version, or the same report
        # created twice at once): the loser is told to reload, nothing is half-written
        return await http_error(request, UserError(
            409, "changed by someone else at the same time; reload and try again",
            "err.conflict"))

    @app.exception_handler(DataError)
    async def bad_value(request: Request, exc: DataError) -> Response:
        # the database refused a value (out of its range, a byte it cannot store): the input
        # was bad, not the server; the edge refuses the known cases before, this is the net
        return await http_error(request, UserError(400, "a value is out of range or cannot be "
                                                        "stored", "err.bad_value"))

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        errors = [{"field": ".".join(str(p) for p in e.get("loc", ())), "reason": e.get("msg")}
                  for e in exc.errors()]
        if _wants_json(request):  # the one error shape: detail, error, errors
            return error_response(422, "invalid request", errors)
        return render(request, "error.html", {"status": 422, "said": True, "detail": _page_reasons(
            request_language(request), exc.errors())}, status_code=422)


def _page_reasons(lang: str, errors: Any) -> str:
    """A request's validation errors as an error page says them: each as ``<parameter>:
    <reason>`` without FastAPI's ``query.``/``path.`` and pydantic's ``Value error,`` (the
    reason the rule wrote), the parameter named and the reason said in the page's language by
    the one place that does (:func:`lantu.reasons.field_reason`); a pattern of choices
    (``^(html|json)$``) is said as the choices."""
    from lantu.reasons import field_reason, reason_text

    said = []
    for e in errors:
        loc = [str(p) for p in e.get("loc", ())]
        where = ".".join(loc[1:] if len(loc) > 1 and loc[0] in _PLACES else loc)
        why = str(e.get("msg", "")).removeprefix("Value error, ")
        choices = _CHOICES.fullmatch(str((e.get("ctx") or {}).get("pattern", "")))
        if e.get("type") == "string_pattern_mismatch" and choices:
            why = "should be one of " + ("、" if lang == "zh" else ", ").join(
                choices.group(1).split("|"))
        said.append(field_reason(lang, where, why) if where else reason_text(lang, why))
    return ("；" if lang == "zh" else "; ").join(said)


#: a pattern that lists the values a parameter may take: ``^(html|json)$``
_CHOICES = re.compile(r"\^\(([\w.-]+(?:\|[\w.-]+)+)\)\$")


#: where FastAPI says a parameter came from (the first part of an error's ``loc``)
_PLACES = {"query", "path", "body", "form", "header", "cookie"}



def app_from_env() -> FastAPI:
    """Factory for ``uvicorn --factory`` with several workers: settings (and the database URL)
    come from the environment (``LANTU_DATABASE_URL``, ``LANTU_HOME``)."""
    return create_app(settings=Settings())  # LANTU_DATABASE_URL is one of the settings
