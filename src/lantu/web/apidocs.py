"""Interactive API documentation, offline: Swagger UI at ``/api/v1/docs``.

The Swagger UI files come from the ``fastapi-offline`` package (which ships them; no CDN), served
under ``/api/v1/docs/assets``; the page's start-up code is a file of ours (``static/js/
apidocs.js``), as the Content-Security-Policy forbids inline scripts. The OpenAPI schema declares
the bearer scheme (``bearer``: the tokens made on the account page) on every operation that needs
a signed-in user, so "Authorize" then "Try it out" calls the API with the token — and with no
cookie (the page's requests omit credentials): what works there works from a script.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

DOCS_URL = "/api/v1/docs"
ASSETS_URL = DOCS_URL + "/assets"


def assets_dir() -> Path:
    """Where the installed ``fastapi-offline`` keeps Swagger UI's files."""
    import fastapi_offline

    return Path(fastapi_offline.__file__).with_name("static")


def install(app: FastAPI) -> None:
    """Add the docs page and its assets to ``app`` (the bearer scheme of the schema is
    :data:`lantu.web.deps.BEARER_SCHEME`)."""
    app.mount(ASSETS_URL, StaticFiles(directory=str(assets_dir())), name="apidocs")

    @app.get(DOCS_URL, include_in_schema=False)
    def api_docs(request: Request) -> Response:
        from lantu.web.templating import render

        return render(request, "apidocs.html", {"openapi_url": app.openapi_url,
                                                "assets": ASSETS_URL}, active="account")
