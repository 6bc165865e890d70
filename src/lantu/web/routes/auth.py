"""Login and logout."""

from __future__ import annotations

import unicodedata
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from lantu.store import users as user_store
from lantu.web.deps import (
    DatabaseDep,
    OptionalUser,
    SessionDep,
    SettingsDep,
    clear_session_cookie,
    client_ip,
    session_cookie_of,
    set_session_cookie,
)
from lantu.web.edge import header_text
from lantu.web.templating import render

router = APIRouter()

#: what a sign-in stopped by the throttle is told, by the limit that stopped it
#: (:data:`lantu.store.users.THROTTLE`): per name and address, wait; per name (the account is
#: being guessed at from many addresses), sign in from an address used before
#: the characters Starlette's ``RedirectResponse`` leaves as they are in a ``Location``
LOCATION_SAFE = ":/%#?=@[]!$&'()*+,;"
THROTTLED = {"name_address": "login.throttled", "name": "seams7.login_name_locked"}


def throttled_message(outcome: user_store.LoginOutcome) -> str:
    return THROTTLED.get(outcome.throttled_per, "login.throttled")


#: the longest ``Location`` a redirect to a page asked for may carry, as sent (percent-encoded):
#: a proxy's buffer for an answer's headers is 4–8 KB (nginx's ``proxy_buffer_size``), and an
#: answer over it is its 502
MAX_NEXT_BYTES = 2048


def safe_next(target: str | None, default: str = "/") -> str:
    """THE rule of every place a form asks to go next (after login, after reading a
    notification): a local path only — it starts with one ``/``, and holds no backslash, blank
    or control character (browsers read ``/\\evil``, ``/\t/evil`` as ``//evil``: another
    site), and is no longer than :data:`MAX_NEXT_BYTES` as the ``Location`` sends it (probe21:
    a ``next`` of 10,000 characters came back whole); else ``default``."""
    if target and target.startswith("/") and target[1:2] not in ("/", "\\") \
            and "\\" not in target \
            and not any(unicodedata.category(c)[0] in "CZ" for c in target) \
            and len(quote(target, safe=LOCATION_SAFE)) <= MAX_NEXT_BYTES:
        return target
    return default


@router.get("/login", include_in_schema=False)
def login_page(request: Request, user: OptionalUser, next: str | None = None) -> Response:
    if user is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "login.html", {"next": safe_next(next), "error": None})


@router.post("/login", include_in_schema=False)
def login(request: Request, session: SessionDep, database: DatabaseDep, settings: SettingsDep,
          username: Annotated[str, Form(max_length=64)],
          password: Annotated[str, Form(max_length=256)],
          next: Annotated[str, Form()] = "/") -> Response:
    ip = client_ip(request)
    username = username.strip()
    outcome = user_store.check_login(database, username, password, ip)
    if outcome.throttled:
        return render(request, "login.html", {"next": safe_next(next),
                                              "error": throttled_message(outcome),
                                              "username": username}, status_code=429)
    if outcome.lookalike:
        return render(request, "login.html", {"next": safe_next(next),
                                              "error": "sec6.login_lookalike",
                                              "username": username}, status_code=409)
    user = outcome.user
    if user is None:
        return render(request, "login.html", {"next": safe_next(next), "error": "login.failed",
                                              "username": username}, status_code=401)
    replaced = session_cookie_of(request)
    if replaced:  # a sign-in in a browser signed in already (another account, or the same)
        # ends the session it replaces: the browser no longer holds that cookie, so no one
        # should (it stayed good for its 8 hours, for whoever had copied it)
        user_store.end_session(session, replaced)
    token, _csrf = user_store.start_session(session, user, settings.session_max_age, ip=ip,
                                            user_agent=header_text(request.scope, b"user-agent"))
    # a password holding the user's name (set before a rename to it): a new one first
    must_change = user_store.note_sign_in_password(session, user, password)
    response = RedirectResponse("/account" if must_change else safe_next(next), status_code=303)
    set_session_cookie(response, request, token, settings.session_max_age)
    return response


@router.post("/logout", include_in_schema=False)
def logout(request: Request, session: SessionDep) -> Response:
    token = session_cookie_of(request)
    if token:
        user_store.end_session(session, token)
    response = RedirectResponse("/login", status_code=303)
    clear_session_cookie(response, request)
    return response
