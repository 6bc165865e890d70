"""Interactive API documentation, offline: Swagger UI at ``/api/v1/docs``.

The Swagger UI files come from the ``fastapi-offline`` package (which ships them; no CDN), served
under ``/api/v1/docs/assets``; the page's start-up code is a file of ours (``static/js/
apidocs.js``), as the Content-Security-Policy forbids inline scripts. The OpenAPI schema declares
the bearer scheme (``bearer``: the tokens made on the account page) on every operation that needs
a signed-in user, so "Authorize" then "Try it out" calls the API with the token — and with no
cookie (the page's requests omit credentials): what works there works from a script.

The page is said in the reader's language (``?lang``, as every page): it reads the schema from
``/api/v1/docs/openapi.json?lang=…`` (:func:`documented`: the title, the description, the groups,
each operation's summary and every long description — of operations, parameters, responses,
schemas and fields — from ``apidoc.*`` of the locale files), and Swagger UI's own
buttons and headings are replaced by the page's words (``apidoc.ui.*``, by ``apidocs.js``). The
machine's schema, ``/api/v1/openapi.json``, stays as the code writes it. Nothing is fetched from
outside: no CDN, no validator badge, no ReDoc.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from lantu.locale import catalogue

DOCS_URL = "/api/v1/docs"
ASSETS_URL = DOCS_URL + "/assets"
SCHEMA_URL = DOCS_URL + "/openapi.json"


#: Locale keys whose English is a description the code writes (a response's, an operation's
#: docstring, a parameter's, a schema's or a field's): the docs page says it by the same key.
DESCRIBED = ("apidoc.resp.", "apidoc.text.")


def described(lang: str) -> dict[str, str]:
    """Every description the code writes (in English) → its text in ``lang``: the keys of
    :data:`DESCRIBED`, matched by their English text."""
    texts, en = catalogue(lang), catalogue("en")
    return {en[k]: texts[k] for k in en if k.startswith(DESCRIBED) and k in texts}


def _say(node: Any, said: dict[str, str]) -> None:
    """Replace, in place, every ``description`` under ``node`` that ``said`` has a word for."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "description" and isinstance(value, str):
                node[key] = said.get(value, value)
            else:
                _say(value, said)
    elif isinstance(node, list):
        for value in node:
            _say(value, said)


def documented(schema: dict[str, Any], lang: str) -> dict[str, Any]:
    """The OpenAPI ``schema`` as the docs page shows it in ``lang``: its title and description,
    its groups (tags, with what each holds) and each operation's summary from the locale files
    (``apidoc.title``, ``apidoc.description``, ``apidoc.tag.<tag>``, ``apidoc.op.<operationId>``),
    and every other description — operations', parameters', responses', schemas' and their
    fields', the bearer scheme's — by :func:`described`; a text without a word there as the code
    writes it. ``schema`` is not changed."""
    texts = catalogue(lang)
    out = copy.deepcopy(schema)
    _say(out, described(lang))
    info = out.setdefault("info", {})
    info["title"] = texts.get("apidoc.title", info.get("title", ""))
    info["description"] = texts.get("apidoc.description", info.get("description", ""))
    tags: dict[str, str] = {}
    for ops in out.get("paths", {}).values():
        for op in ops.values():
            if not isinstance(op, dict):
                continue
            key = f"apidoc.op.{op.get('operationId')}"
            if key in texts:
                op["summary"] = texts[key]
            for tag in op.get("tags", []):
                tags.setdefault(tag, texts.get(f"apidoc.tag.{tag}", tag))
            op["tags"] = [tags[t] for t in op.get("tags", [])]
    out["tags"] = [{"name": said, "description": texts.get(f"apidoc.tag.{tag}.about", "")}
                   for tag, said in tags.items()]
    return out


def ui_words(lang: str) -> list[list[str]]:
    """Swagger UI's own words (English) and the page's for them: ``[[English, said], …]``, for
    ``apidocs.js`` to replace; none on an English page."""
    en, said = catalogue("en"), catalogue(lang)
    return [[en[k], said[k]] for k in sorted(en) if k.startswith("apidoc.ui.")
            and said.get(k, en[k]) != en[k]]


def ui_patterns(lang: str) -> list[list[str]]:
    """Swagger UI's own phrases around a value — a schema's constraints, ``[1, 200] characters``,
    ``≤ 50 items``, ``matches ^[a-z]+$`` — as templates with ``{x}`` for the value (English, the
    page's; ``apidoc.uipattern.*`` of the locale files), for ``apidocs.js`` to say as it says
    :func:`ui_words`; none on an English page."""
    en, said = catalogue("en"), catalogue(lang)
    found = [[en[k], said[k]] for k in sorted(en) if k.startswith("apidoc.uipattern.")
             and said.get(k, en[k]) != en[k]]
    return sorted(found, key=lambda p: -len(p[0]))  # "{x} unique items" before "{x} items"


def assets_dir() -> Path:
    """Where the installed ``fastapi-offline`` keeps Swagger UI's files."""
    import fastapi_offline

    return Path(fastapi_offline.__file__).with_name("static")


def api_docs(request: Request) -> Response:
    """The docs page in the reader's language."""
    from lantu.web.templating import render, request_language

    lang = request_language(request)
    return render(request, "apidocs.html", {
        "openapi_url": request.app.openapi_url, "schema_url": f"{SCHEMA_URL}?lang={lang}",
        "assets": ASSETS_URL, "ui_words": json.dumps(ui_words(lang), ensure_ascii=False),
        "ui_patterns": json.dumps(ui_patterns(lang), ensure_ascii=False)},
        active="account")


def api_docs_schema(request: Request) -> Response:
    """The schema as the docs page shows it (:func:`documented`)."""
    from lantu.web.templating import request_language

    return JSONResponse(documented(request.app.openapi(), request_language(request)))


def install(app: FastAPI) -> None:
    """Add the docs page and its assets to ``app`` (the bearer scheme of the schema is
    :data:`lantu.web.deps.BEARER_SCHEME`).

    The two routes are module functions that reach the app through the request, not closures
    over ``app``: FastAPI keeps every endpoint it has inspected in a process-wide cache (4,096
    of them, by identity), and a closure there kept its app — routes, templates, the database —
    alive after the app was gone; a test session, which makes hundreds of apps, grew by all of
    them, and its last garbage collection outlasted pytest-xdist's five seconds to stop a worker
    (a KeyboardInterrupt in a weakref callback, a PytestUnraisableExceptionWarning)."""
    app.mount(ASSETS_URL, StaticFiles(directory=str(assets_dir())), name="apidocs")
    app.add_api_route(DOCS_URL, api_docs, methods=["GET"], include_in_schema=False)
    app.add_api_route(SCHEMA_URL, api_docs_schema, methods=["GET"], include_in_schema=False)
