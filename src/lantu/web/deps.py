"""Dependencies every route uses: the database session, the signed-in user, roles, CSRF.

Use them through the ``Annotated`` aliases::

    @router.get("/things")
    def things(session: SessionDep, user: CurrentUser): ...

    @router.post("/things", dependencies=[Depends(require_role("admin", "analyst"))])
    def add_thing(...): ...

- ``SessionDep``: a SQLAlchemy session in one transaction, committed when the route function
  returns (before the response is sent), rolled back if it raises.
- ``OptionalUser``: the user of the request or None (cookie session or API bearer token).
- ``CurrentUser``: the user; an anonymous page request is redirected to ``/login``, an anonymous
  ``/api/`` request gets 401 JSON.
- ``ApiUser``: like ``CurrentUser`` but for the JSON API: ``Authorization: Bearer <token>``
  (a browser's session cookie is accepted too); 401 JSON otherwise.
- ``require_role(*roles)``: a dependency that returns the user if it has one of the roles,
  403 otherwise.
- CSRF: :func:`csrf_protect` is installed on the whole app; every POST/PUT/PATCH/DELETE must carry
  the form field ``csrf_token`` (templates: ``{{ csrf_input() }}``) or the header
  ``X-CSRF-Token``, unless it is authenticated by a bearer token.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Form, HTTPException, Path, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session
from starlette.requests import HTTPConnection

from lantu.config import Settings
from lantu.domain.gate import label_problem
from lantu.errors import LantuError
from lantu.reasons import reason_text
from lantu.security_log import security_event
from lantu.store import Database
from lantu.store import users as user_store
from lantu.store.files import upload_name
from lantu.store.users import User
from lantu.web.api_schemas import MAX_ID, FormNumber, WholeNumber
from lantu.web.edge import form_not_utf8, multipart_unfinished

SESSION_COOKIE = "lantu_session"
CSRF_COOKIE = "lantu_csrf"
#: the prefix of a cookie only the exact host may set, over HTTPS only (RFC 6265bis 4.1.3.2)
HOST_PREFIX = "__Host-"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class UserError(HTTPException, LantuError):
    """An HTTP error whose message is translated on pages: ``key`` names a locale text and
    ``values`` fill its placeholders; JSON answers keep ``detail`` (English)."""

    def __init__(self, status_code: int, detail: str, key: str | None = None, *,
                 headers: dict[str, str] | None = None, **values: object) -> None:
        super().__init__(status_code, detail, headers=headers)
        self.key = key
        self.values = values


class LoginRequired(LantuError):
    """Raised by ``CurrentUser`` when nobody is signed in (handled in the app: redirect or 401;
    an API route answers 401 itself, not the 422 of a plain LantuError)."""

    http_status = 401

    def __init__(self, message: str = "authentication required: send Authorization: Bearer "
                                      "<token>") -> None:
        super().__init__(message)


def get_database(request: Request) -> Database:
    return request.app.state.database


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


#: set in a request's scope by a route that answered an error it caught itself (the API's
#: ``ApiRoute``): its session is rolled back, not committed
REFUSED = "lantu.refused"


def refuse_writes(request: Request) -> None:
    """The request is answered with an error caught inside the route: what its session wrote
    before the error is rolled back (see :func:`get_session`)."""
    request.scope[REFUSED] = True


def get_session(request: Request) -> Iterator[Session]:
    """The request's session: committed when the route returns, rolled back when it raises —
    and when it answered an error it caught itself (:func:`refuse_writes`): FastAPI ends a
    dependency with no exception when the route returns a response, so a refusal raised after
    a write (a flush, a row changed) would otherwise be committed with a 4xx."""
    with request.app.state.database.session() as session:
        yield session
        if request.scope.get(REFUSED):
            session.rollback()


SessionDep = Annotated[Session, Depends(get_session, scope="function")]

#: evidence files one request may carry (the body limit is this many times the file limit)
MAX_FILES_PER_REQUEST = 5
#: a row id in a path or form: a whole number 1 … MAX_ID, else 422 before the database is asked
DbId = Annotated[int, Path(ge=1, le=MAX_ID), WholeNumber]
FormId = Annotated[int, Form(ge=1, le=MAX_ID), FormNumber]
DatabaseDep = Annotated[Database, Depends(get_database)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def served_secure(request: HTTPConnection) -> bool:
    """The request came over HTTPS (directly, or through a proxy of ``LANTU_TRUSTED_PROXIES``
    saying so: :mod:`lantu.web.edge`) — the one question of whether cookies are ``Secure``."""
    return request.url.scheme == "https"


def cookie_name(request: HTTPConnection, name: str) -> str:
    """The name of Lantu's own cookie ``name`` (:data:`SESSION_COOKIE`, :data:`CSRF_COOKIE`)
    on this request: over HTTPS with the ``__Host-`` prefix, which a browser keeps only when the
    cookie is Secure, has Path=/ and no Domain — so a sibling subdomain (``x.example.gov.cn``
    beside ``lantu.example.gov.cn``) cannot set it, nor plant the anonymous CSRF cookie to
    forge a sign-in; over plain HTTP (local use, tests) the plain name, as a browser refuses a
    prefixed cookie that is not Secure. The cookies are set, read and deleted under this name
    only, so a plain-named cookie is ignored over HTTPS."""
    return HOST_PREFIX + name if served_secure(request) else name


def set_session_cookie(response: Response, request: Request, token: str, max_age: int) -> None:
    """The login cookie: HttpOnly, SameSite=Lax, Secure and ``__Host-`` over HTTPS."""
    response.set_cookie(cookie_name(request, SESSION_COOKIE), token, max_age=max_age,
                        httponly=True, samesite="lax", secure=served_secure(request))


def clear_session_cookie(response: Response, request: Request) -> None:
    """Remove the login cookie (signing out), with the attributes it was set with (a browser
    refuses a ``__Host-`` cookie, a deletion too, that is not Secure)."""
    response.delete_cookie(cookie_name(request, SESSION_COOKIE), httponly=True, samesite="lax",
                           secure=served_secure(request))


def set_csrf_cookie(response: Response, request: Request, token: str) -> None:
    """The anonymous double-submit CSRF cookie: HttpOnly, SameSite=Strict, Secure and
    ``__Host-`` over HTTPS."""
    response.set_cookie(cookie_name(request, CSRF_COOKIE), token, samesite="strict",
                        httponly=True, secure=served_secure(request))


def session_cookie_of(request: HTTPConnection) -> str | None:
    """The session token the request carries, under this request's cookie name."""
    return request.cookies.get(cookie_name(request, SESSION_COOKIE))


def client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


def _bearer(request: Request) -> str | None:
    """The bearer token the request names, or None. One ``Authorization`` header only: a
    request with two is refused (RFC 9110 §5.3: a field that is no list is sent once) —
    Starlette reads the first, a proxy or log may read the last, so they would see two users
    (probe24: a viewer's token, then an analyst's, was answered as the viewer)."""
    given = request.headers.getlist("authorization")
    if len(given) > 1:
        security_event("refused", reason="authorization_twice", path=request.url.path[:200],
                       ip=client_ip(request))
        raise HTTPException(400, "send one Authorization header, not several")
    auth = given[0] if given else ""
    scheme, _, token = auth.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


def _resolve(database: Database, bearer: str | None,
             cookie: str | None) -> tuple[User | None, str | None, str | None]:
    """(user, how authenticated, session CSRF token) in a short transaction of its own."""
    with database.session() as session:
        if bearer is not None:
            return user_store.resolve_api_token(session, bearer), "bearer", None
        info = user_store.resolve_session(session, cookie) if cookie else None
        if info is None:
            return None, None, None
        return info.user, "session", info.csrf_token


async def optional_user(request: Request) -> User | None:
    """Resolve the request's user once (cached on ``request.state``). An anonymous request costs
    nothing: the database is asked only when a cookie or a bearer token is present."""
    if hasattr(request.state, "user"):
        return request.state.user
    bearer = _bearer(request)
    cookie = session_cookie_of(request)
    user, auth, csrf = None, None, None
    if bearer is not None or cookie:
        user, auth, csrf = await run_in_threadpool(_resolve, request.app.state.database, bearer,
                                                   cookie)
        if bearer is not None and user is None:
            security_event("token_refused", prefix=bearer[:6] if len(bearer) > 20 else "",
                           ip=client_ip(request),
                           path=request.url.path[:200])
            raise HTTPException(401, "invalid or revoked API token",
                                headers={"WWW-Authenticate": "Bearer"})
    request.state.user, request.state.auth, request.state.csrf_token = user, auth, csrf
    return user


OptionalUser = Annotated[User | None, Depends(optional_user)]


#: the bearer scheme in the OpenAPI schema (the docs page's "Authorize"): declared by every
#: operation that needs a user; reading the header itself is :func:`optional_user`'s
BEARER_SCHEME = HTTPBearer(auto_error=False, scheme_name="bearer",
                           description="An API token made on the account page (/account), sent "
                                       "as `Authorization: Bearer <token>`.")
Bearer = Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER_SCHEME)]


class PasswordMustChange(LantuError):
    """A signed-in user whose password holds their name (``User.must_change_password``) asked
    for a page other than the account page: the app redirects there (403 in JSON)."""

    http_status = 403
    key = "left10web.must_change"


#: the pages a user who must change their password may still use
PASSWORD_PAGES = frozenset({"/account", "/account/password", "/logout"})


def check_password_current(request: Request, user: User) -> None:
    """The one rule of a user who must change their password (``must_change_password``): a
    session reaches the account pages only (:data:`PASSWORD_PAGES`) and nothing of the JSON
    API; an API token nothing at all until the password is changed — which revokes the tokens
    (probe15: tokens made before the flag, and the JSON API by cookie, had kept working)."""
    if user.must_change_password and (getattr(request.state, "auth", None) != "session"
                                      or request.url.path not in PASSWORD_PAGES):
        raise PasswordMustChange("change your password first (on the account page): it holds "
                                 "your user name or another word of your account")


def current_user(request: Request, user: OptionalUser, _bearer: Bearer) -> User:
    if user is None:
        raise LoginRequired()
    check_password_current(request, user)
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def api_user(request: Request, user: OptionalUser, _bearer: Bearer) -> User:
    if user is None:
        raise HTTPException(401, "authentication required: send Authorization: Bearer <token>",
                            headers={"WWW-Authenticate": "Bearer"})
    check_password_current(request, user)
    return user


ApiUser = Annotated[User, Depends(api_user)]


def require_role(*roles: str) -> Callable[[User], User]:
    """A dependency returning the user when their role is one of ``roles``; 403 otherwise.

    Examples
    --------
    >>> Admin = Annotated[User, Depends(require_role("admin"))]  # doctest: +SKIP
    """

    def dependency(user: CurrentUser) -> User:
        if not user.has_role(*roles):
            security_event("permission_refused", user=user.username, role=user.role,
                           needs=",".join(roles))
            raise UserError(403, "your role may not do this", "err.role")
        return user

    dependency.__name__ = f"require_role_{'_'.join(roles)}"
    return dependency


def signed_in(request: Request, user: CurrentUser) -> User:
    """THE rule of what an API token may not do: administer accounts — add, rename, enable or
    disable users, set their role or password (the users page), change one's own password or
    mint another token (the account page). These need a session signed in by password (and
    CSRF); an API token, which expires and is revoked by a password change, would otherwise
    make itself a lasting account. Scripts administer users with ``lantu user``."""
    if request.state.auth != "session":
        security_event("permission_refused", user=user.username, role=user.role,
                       reason="token_on_account_route", path=request.url.path[:200])
        raise UserError(403, "accounts are administered signed in, not with an API token",
                        "probe8.session_only")
    return user


# The roles of the app's routes, one alias each (a route names who may call it in its signature).
Reviewer = Annotated[User, Depends(require_role("supervisor", "admin"))]
Reporter = Annotated[User, Depends(require_role("reporter"))]
Importer = Annotated[User, Depends(require_role("admin", "analyst"))]
Auditor = Annotated[User, Depends(require_role("admin", "supervisor"))]
#: the supervision queue: reviewers and the reporters of a department
QueueUser = Annotated[User, Depends(require_role("supervisor", "admin", "reporter"))]
#: the bulletin (督办通报) is for everyone but the reporters
#: the roles that read the bulletin and the assessment (not reporters)
BULLETIN_ROLES = ("admin", "supervisor", "analyst", "viewer")
BulletinReader = Annotated[User, Depends(require_role(*BULLETIN_ROLES))]


def csrf_token_for(request: Request) -> str:
    """The CSRF token to put in this response's forms (session-bound when signed in, else the
    double-submit cookie, created on first use)."""
    tok = getattr(request.state, "csrf_token", None)
    if tok:
        return tok
    tok = request.cookies.get(cookie_name(request, CSRF_COOKIE))
    if not tok:
        tok = getattr(request.state, "new_csrf_cookie", None) or secrets.token_urlsafe(32)
        request.state.new_csrf_cookie = tok
    return tok


def same_token(expected: str, sent: str) -> bool:
    """Whether a token sent matches the one expected, in constant time. Compared as UTF-8
    bytes: ``secrets.compare_digest`` raises on text that is not ASCII, and a form field, a
    header (read as Latin-1) or a cookie may hold any character.

    >>> same_token("abc", "abc"), same_token("abc", "令牌é")
    (True, False)
    """
    return secrets.compare_digest(expected.encode("utf-8", "surrogatepass"),
                                  sent.encode("utf-8", "surrogatepass"))


async def csrf_protect(request: Request, user: OptionalUser) -> None:
    """Installed on the whole app: refuse an unsafe request without the right CSRF token, and
    a form holding a NUL or bytes that are not UTF-8 (whoever sends it, a bearer client too)."""
    if request.method not in UNSAFE_METHODS:
        return
    sent = request.headers.get("x-csrf-token")
    if request.headers.get("content-type", "").lower().startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        # the first reading of the form: Starlette keeps it, so these limits hold for the route
        form = await request.form(max_files=MAX_FILES_PER_REQUEST, max_fields=MAX_FIELDS)
        # text fields of a multipart form and the names of its files (a file may hold any
        # bytes): no NUL, as at the edge
        if any("\x00" in (v if isinstance(v, str) else (getattr(v, "filename", None) or ""))
               for _, v in form.multi_items()):
            raise UserError(400, "a NUL byte is not allowed in a form field", "err.nul_byte")
        field = form_not_utf8(request.scope)  # the edge read the bytes (lantu.web.edge)
        if field is not None:
            security_event("refused", reason="not_utf8", where="form", field=field,
                           path=request.url.path[:200])
            raise UserError(400, f"form field {field!r} is not valid UTF-8", "err.not_utf8",
                            field=field)
        _form_limits(request, form)
        if sent is None:
            value = form.get("csrf_token")
            sent = value if isinstance(value, str) else None
    if request.state.auth == "bearer":
        return
    expected = (request.state.csrf_token if user is not None
                else request.cookies.get(cookie_name(request, CSRF_COOKIE)))
    if not expected or not sent or not same_token(str(expected), sent):
        security_event("permission_refused", reason="csrf", path=request.url.path[:200],
                       user=user.username if user else "")
        raise UserError(403, "CSRF check failed: reload the page and try again", "err.csrf")


#: the most text fields one form may carry (the largest form of Lantu has a few dozen)
MAX_FIELDS = 200


def _form_limits(request: Request, form) -> None:
    """THE rules of an uploaded form, whatever route reads it (probe19). FastAPI reads a
    route's form before any dependency runs, with Starlette's defaults (1,000 files, 1,000
    fields), and the limits given to ``request.form`` here then met a form read already: so
    they are counted here. A body that ended before its closing boundary is refused (400), not
    read as the parts that arrived. Every uploaded file's name is a label: refused with 415 when
    it holds what no name may (a line end, a bidi control: ``x\u202evsc.csv`` shows as
    x…csv.v), and kept as its last path part, bounded (:func:`lantu.store.files.upload_name`)."""
    if multipart_unfinished(request.scope):
        security_event("refused", reason="multipart_cut_short", path=request.url.path[:200])
        raise UserError(400, "the upload ended before its end (the form's closing boundary is "
                             "missing): nothing was read; send it again", "probe19.cut_short")
    items = form.multi_items()
    uploads = [v for _, v in items if not isinstance(v, str)]
    if len(uploads) > MAX_FILES_PER_REQUEST:
        raise UserError(413, f"at most {MAX_FILES_PER_REQUEST} files at once",
                        "err.too_many_files", limit=MAX_FILES_PER_REQUEST)
    if len(items) - len(uploads) > MAX_FIELDS:
        raise UserError(400, f"at most {MAX_FIELDS} form fields at once",
                        "probe19.too_many_fields", limit=MAX_FIELDS)
    for up in uploads:
        name = getattr(up, "filename", None)
        if not name:
            continue
        if why := label_problem(name):
            from lantu.web.templating import request_language

            security_event("refused", reason="file_name", path=request.url.path[:200])
            raise UserError(415, f"the file's name is refused: {why}", "probe19.file_name",
                            reason=reason_text(request_language(request), why))
        up.filename = upload_name(name)


# -- builds that cost seconds of a worker ------------------------------------------------------

#: how many costly builds (a report document, the task table, the verdict, the peer index) one
#: user — or one address, when nobody is signed in — may have running in a worker at once
BUILDS_PER_USER = 1
#: what a refused build is told to wait (seconds)
BUILD_RETRY_AFTER = 5
_building: dict[str, int] = {}
_building_lock = threading.Lock()


def one_build_at_a_time(request: Request, user: OptionalUser) -> Iterator[None]:
    """THE rule of a costly build: a user (or an address) has at most
    :data:`BUILDS_PER_USER` running in this worker; another asked meanwhile is refused at once
    with 429 and ``Retry-After`` — before it costs anything. A monitoring report is seconds of a
    worker's CPU, and one viewer asking for eight at once held a worker for 27 s, every other
    user waiting behind them; now they wait for their own. Declared on the routes with
    :data:`OneBuild` (the process-wide volume stays the proxy's to limit: docs/security.md)."""
    key = (f"user:{user.id}" if user is not None
           else f"address:{user_store.throttle_address(client_ip(request))}")
    with _building_lock:
        if _building.get(key, 0) >= BUILDS_PER_USER:
            security_event("build_refused", user=user.username if user else "",
                           ip=client_ip(request), path=request.url.path[:200])
            raise UserError(429, "another document or computation of yours is being built; "
                                 f"try again in {BUILD_RETRY_AFTER} seconds", "probe11.one_build",
                            seconds=BUILD_RETRY_AFTER, headers={
                                "Retry-After": str(BUILD_RETRY_AFTER)})
        _building[key] = _building.get(key, 0) + 1
    try:
        yield
    finally:
        with _building_lock:
            _building[key] -= 1
            if not _building[key]:
                del _building[key]


#: declare a costly build: ``dependencies=[OneBuild]`` (released when the route returns)
OneBuild = Depends(one_build_at_a_time, scope="function")
