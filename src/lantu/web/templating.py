"""Rendering pages: one Jinja2 environment and ``render(request, template, context)``.

Every template receives, besides the route's own context:

- ``t(key, **values)``: the translation of a key in the request's language (``locale/*.yaml``);
- ``lang``: ``"zh"`` or ``"en"``; ``other_lang_url``: this page in the other language;
- ``user``: the signed-in :class:`~lantu.store.users.User` or None;
- ``csrf_input()``: the hidden CSRF field every ``<form method="post">`` must contain;
- ``nav``: the navigation items visible to the user, ``active``: the current section;
- ``name(obj)``: the label of a domain object (``name_zh``/``title`` or ``name_en``/``title_en``
  with a fallback to Chinese), ``fmt_dt(value)``: a date/time as ``YYYY-MM-DD HH:MM``,
  ``colour_label(c)``: the translated name of a warning colour,
  ``query(**changes)``: the current URL's query string with some parameters changed,
  ``sep``: the list separator of the language (``、`` or ``, ``);
- ``quality_badge(code, lang)``: the source-quality badge of a number
  (:func:`lantu.evaluation.quality.quality_badge`; templates use the ``d.quality`` macro);
- the filter ``reason``: a refusal's reason (an import's, the gate's, a ``ValidationError``'s)
  in the page's language (:mod:`lantu.reasons`); ``indnote``: an indicator's note (in English in
  the catalogue) in the page's language (``indnote.<note>`` of the locale files);
- ``demo``: whether the plan's assignments are a demonstration (the pages then say so);
- ``department_name(code)``: a department's name in the page's language (never its code).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from markupsafe import Markup, escape

from lantu.config import get_settings
from lantu.domain.observations import bound_sign
from lantu.evaluation.quality import quality_badge
from lantu.web.deps import csrf_token_for, set_csrf_cookie
from lantu.web.i18n import LANG_COOKIE, LANGUAGES, pick_language, translator
from lantu.web.nav import visible_nav

TEMPLATES = Path(__file__).with_name("templates")
templates = Jinja2Templates(directory=str(TEMPLATES))
env = templates.env
env.trim_blocks = True
env.lstrip_blocks = True
# the one helper of source-quality badges (the documents use its marks): d.quality calls it
env.globals["quality_badge"] = quality_badge


def link(url: Any) -> str:
    """A stored link as it may be rendered in ``href`` (:func:`lantu.domain.links.live_link`:
    itself when the one link rule accepts it, else ``""``, and the page shows no link)."""
    from lantu.domain.links import live_link

    return live_link(url)


env.filters["link"] = link


@pass_context
def reason(context: Any, text: Any) -> str:
    """A reason the domain or a reader wrote (in English) in the page's language: the one
    translation of refusals (:func:`lantu.reasons.reason_text`; an unknown one stays English)."""
    from lantu.reasons import reason_text

    return "" if text is None else reason_text(str(context.get("lang") or ""), str(text))


env.filters["reason"] = reason


def shown(text: Any) -> str:
    """A name or a cell a page shows from a user's file: a control or bidi character written
    as its escape (:func:`lantu.domain.textcodec.shown_name`), as the command line writes it —
    a column ``val\u202eue`` reordered the import page's line (probe25)."""
    from lantu.domain.textcodec import shown_name

    return "" if text is None else shown_name(str(text))


env.filters["shown"] = shown


@pass_context
def indnote(context: Any, text: Any) -> str:
    """An indicator's note (the catalogue's note, written in English) in the page's language:
    its translation ``indnote.<note as written>`` of the locale files, else as written."""
    from lantu.locale import catalogue

    note = "" if text is None else str(text)
    lang = str(context.get("lang") or "")
    return catalogue(lang).get(f"indnote.{note}", note) if lang in LANGUAGES else note


env.filters["indnote"] = indnote


@pass_context
def audit_word(context: Any, value: Any, kind: str) -> str:
    """An audit log's action (``kind="act"``) or object (``"ent"``), stored as a code
    (``grant_extension``, ``plan_node``; an API write as ``api inserted``), in the page's
    language: ``au.<kind>.<code>`` of the locale files, word by word; a code without a word
    as stored."""
    from lantu.locale import catalogue

    texts = catalogue(str(context.get("lang") or ""))
    code = "" if value is None else str(value)
    return " ".join(texts.get(f"au.{kind}.{w}", w) for w in code.split(" "))


env.filters["audit_word"] = audit_word


@pass_context
def actor(context: Any, name: Any) -> str:
    """Who did something, as a page names them (:func:`lantu.actors.actor_text`, the one rule):
    a person by their display name when the page's ``people`` holds it (else the user name),
    Lantu itself (``lantu remind``, ``lantu init``, …: a name no user can have) by
    ``actor.<…>`` of the locale files in the page's language."""
    from lantu.actors import actor_text

    lang = str(context.get("lang") or "")
    people = context.get("people")
    return actor_text(lang if lang in LANGUAGES else "zh", name,
                      people if isinstance(people, dict) else None)


env.filters["actor"] = actor


@pass_context
def task_note(context: Any, note: Any) -> str:
    """A task's note as the page shows it: the demonstration mark
    (:func:`lantu.evaluation.demo.note_key`) in the page's language, any other note as
    written."""
    from lantu.evaluation.demo import note_key
    from lantu.locale import catalogue

    text = "" if note is None else str(note)
    key = note_key(text)
    return catalogue(str(context.get("lang") or "")).get(key, text) if key else text


env.filters["task_note"] = task_note


@pass_context
def source_note(context: Any, note: Any) -> str:
    """A figure's or a target's source note as the page shows it: each ``; ``-separated part the
    system writes (``scripts/extract_corpus.py``: "machine-read by lantu extract, not reviewed by
    a person", where the copy of the report is) by ``srcnote.<part>`` of the locale files in the
    page's language; a note a person wrote stays as written."""
    from lantu.locale import catalogue

    texts = catalogue(str(context.get("lang") or ""))
    parts = ("" if note is None else str(note)).split("; ")
    return texts.get("au.semi", "; ").join(texts.get(f"srcnote.{p}", p) for p in parts) \
        if any(f"srcnote.{p}" in texts for p in parts) else "; ".join(parts)


env.filters["source_note"] = source_note
env.filters["bound_sign"] = bound_sign  # ≥ / ≤ before a figure given only as a bound


def num(value: Any, digits: int | None = None) -> str:
    """A figure as the tables show it (:func:`lantu.web.dashboard.common.fmt_number`, the one
    formatter of the pages: thousands separated, no trailing zeros, ``–`` for none)."""
    from lantu.web.dashboard.common import fmt_number

    return fmt_number(value, digits)


env.filters["num"] = num


def request_language(request: Request) -> str:
    lang = getattr(request.state, "lang", None)
    if lang is None:
        lang = pick_language(request.query_params.get("lang"), request.cookies.get(LANG_COOKIE))
        request.state.lang = lang
    return lang


def label(obj: Any, lang: str) -> str:
    """Chinese or English label of a domain object or row (falls back to Chinese)."""
    if obj is None:
        return ""
    if isinstance(obj, dict):
        get = obj.get
    else:
        def get(k: str, default: Any = None) -> Any:
            return getattr(obj, k, default)
    for zh, en in (("name_zh", "name_en"), ("title", "title_en"), ("zh", "en")):
        if get(zh) is not None:
            if lang == "en" and get(en):
                return str(get(en))
            return str(get(zh))
    return str(obj)


# stored times are naive UTC; pages show them in the city's time zone
DISPLAY_TZ = ZoneInfo(get_settings().display_tz)


def fmt_dt(value: Any) -> str:
    """A stored (naive UTC) date-time as ``YYYY-MM-DD HH:MM`` in ``LANTU_DISPLAY_TZ``
    (default Asia/Shanghai); a date as ``YYYY-MM-DD``."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(DISPLAY_TZ).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _demo(request: Request) -> bool:
    """Whether the plan's assignments are a demonstration (:func:`lantu.evaluation.demo.is_demo`,
    cached per state of the database): every page then carries the banner."""
    from lantu.evaluation.demo import is_demo

    database = getattr(request.app.state, "database", None)
    if database is None:
        return False
    try:
        with database.session() as session:
            return is_demo(session)
    except Exception:  # noqa: BLE001 - an error page must render even without a database
        return False


def _unread(request: Request, user: Any) -> int:
    """The bell's count: the signed-in user's unread notifications (asked only when a page
    shows the bell)."""
    if user is None:
        return 0
    from lantu.store.notify import unread_count

    with request.app.state.database.session() as session:
        return unread_count(session, user.id)


def _department(request: Request, code: Any, lang: str) -> str:
    """A department's name in ``lang`` for a page that has only its code (the user menu):
    the one naming rule, :func:`lantu.store.notify.department_name`, never the code."""
    from lantu.store.notify import department_name
    from lantu.store.queries import department_names

    if not code:
        return ""
    with request.app.state.database.session() as session:
        return department_name(department_names(session), code, lang)


def render(request: Request, template: str, context: dict[str, Any] | None = None, *,
           status_code: int = 200, active: str | None = None) -> HTMLResponse:
    """Render ``template`` with the common context; sets the language and CSRF cookies when
    needed. Route functions return this."""
    lang = request_language(request)
    t = translator(lang)
    user = getattr(request.state, "user", None)
    token = csrf_token_for(request)

    def csrf_input() -> Markup:
        return Markup(f'<input type="hidden" name="csrf_token" value="{escape(token)}">')

    def query(**changes: Any) -> str:
        params = dict(request.query_params)
        for k, v in changes.items():
            if v is None:
                params.pop(k, None)
            else:
                params[k] = str(v)
        return "?" + urlencode(params) if params else "?"

    other = "en" if lang == "zh" else "zh"
    ctx: dict[str, Any] = {
        "request": request, "t": t, "lang": lang, "user": user, "csrf_input": csrf_input,
        "csrf_token": token, "nav": visible_nav(user), "active": active,
        "other_lang": other, "other_lang_url": query(lang=other),
        "name": lambda obj: label(obj, lang), "fmt_dt": fmt_dt,
        "colour_label": lambda c: t(f"colour.{c}") if c else "", "query": query,
        "sep": "、" if lang == "zh" else ", ",
        "demo": _demo(request),
        "unread": lambda: _unread(request, user),
        "department_name": lambda code: _department(request, code, lang),
    }
    if context:
        ctx.update(context)
    response = templates.TemplateResponse(request, template, ctx, status_code=status_code)
    holds_token = token.encode() in response.body
    if holds_token:
        # a page holding a form's CSRF token is this visitor's alone: no cache keeps it (a
        # shared proxy would hand one visitor's token to the next, whose cookie it does not
        # match; the login page of a visitor with the CSRF cookie went out cacheable)
        response.headers["Cache-Control"] = "no-store"
    qlang = request.query_params.get("lang")
    if qlang in LANGUAGES and request.cookies.get(LANG_COOKIE) != qlang:
        response.set_cookie(LANG_COOKIE, qlang, max_age=365 * 86400, samesite="lax",
                            httponly=True)
    new_csrf = getattr(request.state, "new_csrf_cookie", None)
    if new_csrf and holds_token:
        # only a page whose form carries the token sets the cookie: a page without one (the
        # 404 a browser's /favicon.ico gets, asked beside the login page) set a new cookie
        # that replaced the login page's, so the sign-in failed its CSRF check
        set_csrf_cookie(response, request, new_csrf)
    return response
