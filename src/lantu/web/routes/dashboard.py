"""The dashboard pages: overview (``/``), goal/task detail (``/plan/{code}``), indicator explorer
(``/indicators``, exports ``/indicators/export.csv|.xlsx``), targets (``/targets``) and
comparison and index (``/comparison``).

Datasette's shape: each route builds ONE dictionary with a view builder of
:mod:`lantu.web.dashboard`; ``?format=json`` returns that dictionary, otherwise it is rendered
as HTML. The pages are public (the dashboard is for leaders and the public too).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse, JSONResponse, Response

from lantu.domain import ValidationError
from lantu.web.api_schemas import OptionalYear, WholeNumber
from lantu.web.dashboard import compare, explorer, overview, targets
from lantu.web.dashboard.common import parse_list, unit_label
from lantu.web.deps import OptionalUser, SessionDep, UserError
from lantu.web.templating import env, render, request_language

router = APIRouter()
env.filters["unit"] = unit_label  # {{ x.unit|unit(lang) }}: English unit names on English pages

FormatQ = Annotated[str | None, Query(pattern="^(html|json)$", description="json: the page's data")]


class _HtmlCache:
    """Rendered pages of anonymous visitors, per cached view dictionary and query string.

    The view builders cache their dictionaries per state of the data; a page rendered from the
    same dictionary for the same URL and language is the same bytes for every anonymous
    visitor, so it is kept with (a reference to) its dictionary. Signed-in users (their name and
    a CSRF token are on the page) and language switches (which set a cookie) are rendered.
    """

    def __init__(self, size: int = 128) -> None:
        self._d: OrderedDict[tuple, tuple[dict, bytes]] = OrderedDict()
        self._lock = threading.Lock()
        self.size = size

    def get(self, key: tuple, view: dict) -> bytes | None:
        with self._lock:
            hit = self._d.get(key)
            if hit is None or hit[0] is not view:
                return None
            self._d.move_to_end(key)
            return hit[1]

    def put(self, key: tuple, view: dict, body: bytes) -> None:
        with self._lock:
            self._d[key] = (view, body)
            while len(self._d) > self.size:
                self._d.popitem(last=False)


HTML = _HtmlCache()


def _page(request: Request, template: str, view: dict[str, Any], fmt: str | None,
          active: str, user: Any = None) -> Response:
    if fmt == "json":
        return JSONResponse(jsonable_encoder(view))
    cacheable = user is None and "lang" not in request.query_params
    key = (template, id(view), request_language(request), str(request.url.query))
    if cacheable and (body := HTML.get(key, view)) is not None:
        return HTMLResponse(body)
    response = render(request, template, {"view": view}, active=active)
    if cacheable and response.status_code == 200:
        HTML.put(key, view, bytes(response.body))
    return response


def _bad(exc: ValidationError) -> HTTPException:
    status = 404 if exc.field in ("code", "plan") else 422
    if exc.key:  # a refusal with its own words for the pages (names, not codes)
        return UserError(status, str(exc), exc.key, **exc.values)
    return HTTPException(status, str(exc))


@router.get("/", include_in_schema=False)
def overview_page(request: Request, session: SessionDep, user: OptionalUser,
                  format: FormatQ = None, plan: str | None = None,
                  year: Annotated[OptionalYear, Query()] = None) -> Response:
    lang = request_language(request)
    try:
        view = overview.build_overview(session, plan_code=plan, lang=lang, today=date.today(),
                                       year=year)
    except ValidationError as exc:
        raise _bad(exc) from None
    return _page(request, "dashboard/overview.html", view, format, "overview", user)


@router.get("/plan/{code}", include_in_schema=False)
def node_page(code: str, request: Request, session: SessionDep, user: OptionalUser,
              format: FormatQ = None, plan: str | None = None,
              year: Annotated[OptionalYear, Query()] = None) -> Response:
    lang = request_language(request)
    try:
        view = overview.build_node(session, code, plan_code=plan, lang=lang, today=date.today(),
                                   year=year)
    except ValidationError as exc:
        raise _bad(exc) from None
    return _page(request, "dashboard/node.html", view, format, "overview", user)


def _explorer_view(request: Request, session, indicator: str | None, region: list[str] | None,
                   group: str | None, year_from: int | None, year_to: int | None,
                   status: str | None = None, page: int = 1) -> dict[str, Any]:
    q = explorer.ExplorerQuery(indicator=indicator or "", regions=tuple(parse_list(region)),
                               group=group or "", period_from=str(year_from or ""),
                               period_to=str(year_to or ""), status=status or "", page=page)
    try:
        return explorer.build_explorer(session, q, request_language(request))
    except ValidationError as exc:
        raise _bad(exc) from None


RegionQ = Annotated[list[str] | None, Query(description="region codes (repeat or comma-separated)")]


@router.get("/indicators", include_in_schema=False)
def explorer_page(request: Request, session: SessionDep, user: OptionalUser,
                  indicator: str | None = None, region: RegionQ = None, group: str | None = None,
                  year_from: Annotated[OptionalYear, Query(alias="from")] = None,
                  year_to: Annotated[OptionalYear, Query(alias="to")] = None,
                  status: str | None = None,
                  page: Annotated[int, Query(ge=1, le=100000), WholeNumber] = 1,
                  format: FormatQ = None) -> Response:
    view = _explorer_view(request, session, indicator, region, group, year_from, year_to,
                          status, page)
    return _page(request, "dashboard/explorer.html", view, format, "indicators", user)


@router.get("/indicators/export.{ext}", include_in_schema=False)
def explorer_export(ext: str, request: Request, session: SessionDep, user: OptionalUser,
                    indicator: str | None = None, region: RegionQ = None,
                    group: str | None = None,
                    year_from: Annotated[OptionalYear, Query(alias="from")] = None,
                    year_to: Annotated[OptionalYear, Query(alias="to")] = None,
                    status: str | None = None) -> Response:
    if ext not in ("csv", "xlsx"):
        raise HTTPException(404, f"no export format {ext!r}; use csv or xlsx")
    view = _explorer_view(request, session, indicator, region, group, year_from, year_to,
                          status)
    fname = f"lantu-{view['indicator']['code']}.{ext}"
    headers = {"Content-Disposition": f'attachment; filename="{fname}"'}
    if ext == "csv":
        return Response(explorer.to_csv(view), media_type="text/csv; charset=utf-8",
                        headers=headers)
    return Response(explorer.to_xlsx(view), headers=headers,
                    media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@router.get("/targets", include_in_schema=False)
def targets_page(request: Request, session: SessionDep, user: OptionalUser,
                 region: str | None = None, indicator: str | None = None,
                 node: Annotated[str | None, Query(max_length=64)] = None,
                 status: Annotated[str | None, Query(max_length=32)] = None,
                 year: Annotated[OptionalYear, Query()] = None,
                 page: Annotated[int, Query(ge=1, le=10000), WholeNumber] = 1,
                 as_of: Annotated[OptionalYear, Query()] = None,
                 format: FormatQ = None) -> Response:
    try:
        view = targets.build_targets(session, lang=request_language(request),
                                     region=region or None, indicator=indicator or None,
                                     node=node or None, status=status or None,
                                     year=year, page=page, as_of=as_of)
    except ValidationError as exc:
        raise _bad(exc) from None
    return _page(request, "dashboard/targets.html", view, format, "targets", user)


@router.get("/comparison", include_in_schema=False)
def comparison_page(request: Request, session: SessionDep, user: OptionalUser,
                    year: Annotated[OptionalYear, Query()] = None,
                    group: Annotated[str | None, Query(max_length=64)] = None,
                    layer: Annotated[str | None, Query(max_length=64)] = None,
                    format: FormatQ = None) -> Response:
    try:
        view = compare.build_compare(session, lang=request_language(request), year=year,
                                     group=group or None, layer=layer or None)
    except ValidationError as exc:
        raise _bad(exc) from None
    return _page(request, "dashboard/compare.html", view, format, "comparison", user)
