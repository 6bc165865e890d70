"""The JSON API under ``/api/v1`` (schema at ``/api/v1/openapi.json``).

Every endpoint needs a bearer token (``Authorization: Bearer <token>``, see ``lantu user token``)
or a browser session. Lists are paginated with ``limit``/``offset`` and carry the ``total``.
Errors are JSON ``{"detail": ..., "error": ...}`` (422 also lists ``errors`` by field): the
route class :class:`ApiRoute` turns every exception of a route into that shape, so the API
answers the same way whatever the app's HTML error pages do.

Routes are thin: queries live in :mod:`lantu.store.queries`, the index in
:mod:`lantu.web.dashboard.compare`, the target statuses in :mod:`lantu.web.dashboard.status`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.routing import APIRoute
from pydantic import StringConstraints
from starlette.exceptions import HTTPException as StarletteHTTPException

from lantu import services
from lantu.domain import ValidationError
from lantu.domain.periods import read_period
from lantu.domain.regions import REGION_CODE_PATTERN
from lantu.errors import LantuError
from lantu.security_log import security_event
from lantu.store import queries, repo
from lantu.store.models_web import ROLES
from lantu.web import access
from lantu.web import api_schemas as s
from lantu.web.api_schemas import (
    OptionalMonth,
    OptionalPeriod,
    OptionalYear,
    WholeNumber,
    Year,
    row_id,
)
from lantu.web.dashboard import compare
from lantu.web.dashboard.overview import task_timing
from lantu.web.dashboard.status import evaluate_row
from lantu.web.dashboard.targets import target_outcome
from lantu.web.deps import (
    UNSAFE_METHODS,
    ApiUser,
    DatabaseDep,
    DbId,
    OneBuild,
    SessionDep,
    optional_user,
    refuse_writes,
)
from lantu.web.errors import MAX_ERRORS, error_response, lantu_error_response


def _field(loc: tuple) -> str:
    parts = [str(p) for p in loc if p not in ("query", "path", "body", "header")]
    return ".".join(parts) or ".".join(str(p) for p in loc)


def writers(*roles: str) -> dict[str, Any]:
    """What a write route of the API declares (its ``openapi_extra``): the roles that may ever
    call it. :class:`ApiRoute` asks it before the body is read, and the OpenAPI document shows
    it (``x-roles``). Finer rules (a reporter's own department, a task's state) stay where
    they are; this is the door."""
    unknown = set(roles) - set(ROLES)
    if not roles or unknown:
        raise ValueError(f"writers() needs roles of {ROLES}, got {roles!r}")
    return {"x-roles": list(roles)}


#: the department line's dependencies (:mod:`lantu.web.access`) and the path parameter each
#: reads: a write route that declares one has it asked before its body is read too (404 for
#: another department's task)
_LINE: dict[Callable[..., Any], str] = {access.visible_task: "node_id",
                                        access.visible_node: "node_id",
                                        access.visible_report: "report_id"}


class ApiRoute(APIRoute):
    """An API route whose errors are always JSON ``{"detail", "error"}``, and whose writes
    are let in before their body is read.

    FastAPI parses a JSON body before it solves any dependency (a body that is no JSON is a
    422 at once) and validates its shape before the route runs: a role checked in a dependency
    or in the route came after the 422, which told anyone the shape of a write they may not
    make. So every POST/PUT/PATCH/DELETE route of the API declares who may call it
    (``openapi_extra=writers(...)``; one that does not is refused when the app is built), and
    its handler first asks, before the body is touched: a user (401); where the route keeps to
    the department line, a task or report of their own (404, as the route's dependencies
    answer); one of those roles (403) — only then is the body read and its shape checked.
    """

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, endpoint, **kwargs)
        self.write_roles: tuple[str, ...] | None = None
        if self.methods & UNSAFE_METHODS:
            roles = (self.openapi_extra or {}).get("x-roles")
            if not roles:
                raise TypeError(f"the API write route {sorted(self.methods)} {path} must "
                                "declare who may call it: openapi_extra=writers(...)")
            self.write_roles = tuple(roles)
        self.line = [(d.call, _LINE[d.call]) for d in self.dependant.dependencies
                     if d.call in _LINE]

    async def _let_in(self, request: Request) -> None:
        """The door of a write (see the class): 401, 404 or 403 before the body is read."""
        user = await optional_user(request)  # a bad token is its own 401
        if user is None:
            raise HTTPException(401, "authentication required: send Authorization: Bearer "
                                     "<token>", headers={"WWW-Authenticate": "Bearer"})
        for call, name in self.line:  # first, as the route's own dependencies: another
            raw = request.path_params.get(name)  # department's task does not exist (404)
            if isinstance(raw, str) and (row := row_id(raw)) is not None:
                await run_in_threadpool(_ask_line, request, call, row, user)
        roles = self.write_roles or ()
        if user.role not in roles:
            security_event("permission_refused", user=user.username, role=user.role,
                           needs=",".join(roles), path=request.url.path[:200])
            raise HTTPException(403, f"role {user.role!r} may not {request.method} "
                                     f"{self.path} ({', '.join(roles)} only)")

    def get_route_handler(self) -> Callable:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            request = ApiRequest(request.scope, request.receive)
            try:
                try:
                    if self.write_roles is not None and request.method in UNSAFE_METHODS:
                        await self._let_in(request)
                    return await handler(request)
                except BaseException:
                    # answered below, inside FastAPI's dependency stack: the request's session
                    # would see no error and commit what was written before it
                    refuse_writes(request)
                    raise
            except RequestValidationError as exc:
                errors = [{"field": _field(tuple(e.get("loc", ()))), "reason": str(e.get("msg"))}
                          for e in exc.errors()]
                # the words of the errors the answer lists (error_response bounds the list)
                detail = "; ".join(f"{e['field']}: {e['reason']}" for e in errors[:MAX_ERRORS])
                return error_response(422, f"invalid request: {detail}", errors)
            except StarletteHTTPException as exc:  # FastAPI's own (a body it cannot parse)
                return error_response(exc.status_code, str(exc.detail),
                                      getattr(exc, "errors", None), headers=exc.headers)
            except LantuError as exc:
                answer = lantu_error_response(exc)
                if exc.http_status == 401:  # LoginRequired (a route needing a user)
                    answer.headers["WWW-Authenticate"] = "Bearer"
                return answer

        return route


class ApiRequest(Request):
    """A request of the API: its JSON body is read with the API's rule for numbers
    (:func:`lantu.web.api_schemas.json_float`: ``1e-400`` is not silently 0, :data:`Number`
    refuses it naming the field) — FastAPI's way of reading a body its own way, a ``Request``
    subclass made by the route class."""

    async def json(self) -> Any:
        if not hasattr(self, "_api_json"):
            try:  # each key of an object once (s.json_object): 422 naming the key
                self._api_json = json.loads(await self.body(), parse_float=s.json_float,
                                            object_pairs_hook=s.json_object)
            except s.DuplicateKey as exc:
                raise BodyRefused(422, f"invalid request: {exc.key}: {exc}",
                                  [{"field": exc.key, "reason": str(exc)}]) from None
        return self._api_json


class BodyRefused(StarletteHTTPException, LantuError):
    """A body the API's reading refuses before its shape is checked (FastAPI passes an
    ``HTTPException`` raised while reading on; any other error becomes its bare 400): answered
    by :class:`ApiRoute` in the one error shape, with its field."""

    def __init__(self, status: int, detail: str, errors: list[dict[str, str]]) -> None:
        super().__init__(status, detail)
        self.errors = errors


def _ask_line(request: Request, call: Callable[..., Any], row_id: int, user: Any) -> None:
    """Ask a department-line dependency of a route in a short transaction of its own."""
    with request.app.state.database.session() as session:
        call(row_id, session, user)


ERRORS = {400: {"model": s.ErrorPublic,
               "description": "hostile input: a NUL byte, a value the database cannot hold"},
          401: {"model": s.ErrorPublic, "description": "no or invalid token"},
          422: {"model": s.ErrorPublic, "description": "invalid parameter (named)"}}
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": s.ErrorPublic, "description": "no such object"}}
#: a costly build refused while another of the same user runs (deps.one_build_at_a_time)
BUSY: dict[int | str, dict[str, Any]] = {429: {"model": s.ErrorPublic,
              "description": "another build of yours is running: try again after Retry-After"}}

router = APIRouter(prefix="/api/v1", route_class=ApiRoute, tags=["api"], responses=ERRORS)

Limit = Annotated[int, Query(ge=1, le=1000, description="page size"), WholeNumber]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="items to skip"), WholeNumber]
# the shape of the domain's region code, comma-separated (the domain checks the province part)
RegionCode = Annotated[str, StringConstraints(
    pattern=rf"^({REGION_CODE_PATTERN})(,({REGION_CODE_PATTERN}))*$", max_length=700)]
Code = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.\-]+(,[A-Za-z0-9_.\-]+)*$",
                                        max_length=700)]
RegionCodes = Annotated[list[RegionCode] | None,
                        Query(description="region codes: repeat or comma-separate")]
Codes = Annotated[list[Code] | None, Query(description="codes: repeat or comma-separate")]


def _split(values: list[str] | None) -> list[str]:
    out: list[str] = []
    for v in values or []:
        out += [p.strip() for p in v.split(",") if p.strip()]
    return out


def _periods(values: list[str] | None) -> list[str]:
    """The periods a list is filtered by, each read by the one reader of a typed period
    (:func:`lantu.domain.periods.read_period`): a period outside the year rule, or no period,
    is a 422 naming it — never an empty list that reads as "no figures"."""
    out = []
    for text in _split(values):
        try:
            out.append(read_period(text))
        except ValueError as exc:
            raise ValidationError(str(exc), field="period") from None
    return out


def _known(session, kind: str, codes: list[str]) -> None:
    bad = queries.unknown_codes(session, kind, codes)
    if bad:
        raise ValidationError(f"unknown {kind} {', '.join(repr(b) for b in bad)}", field=kind)


# -- reference data ----------------------------------------------------------------------------


@router.get("/regions", response_model=s.RegionListPublic, summary="Regions")
def list_regions(session: SessionDep, user: ApiUser,
                 level: Annotated[str | None, Query(pattern="^(country|province|city|county|zone)$")] = None
                 ) -> dict[str, Any]:
    data = [{"code": r.code, "name_zh": r.name_zh, "name_en": r.name_en, "level": r.level,
             "parent": r.parent} for r in repo.regions(session) if not level or r.level == level]
    return {"data": data, "count": len(data)}


@router.get("/regions/{code}", response_model=s.RegionPublic, responses=NOT_FOUND,
            summary="One region")
def get_region(code: Annotated[str, Path(max_length=20)], session: SessionDep,
               user: ApiUser) -> dict[str, Any]:
    reg = next((r for r in repo.regions(session) if r.code == code), None)
    if reg is None:
        raise HTTPException(404, f"no region {code!r}")
    return {"code": reg.code, "name_zh": reg.name_zh, "name_en": reg.name_en, "level": reg.level,
            "parent": reg.parent}


def _group(g: Any) -> dict[str, Any]:
    return {"code": g.code, "name_zh": g.name_zh, "name_en": g.name_en, "members": list(g.members)}


@router.get("/region-groups", response_model=s.RegionGroupListPublic, summary="Region groups")
@router.get("/groups", response_model=s.RegionGroupListPublic, summary="Region groups (peer groups)")
def list_groups(session: SessionDep, user: ApiUser) -> dict[str, Any]:
    data = [_group(g) for g in repo.region_groups(session)]
    return {"data": data, "count": len(data)}


def _write_group(body: s.RegionGroupCreate, database: Any, user: Any, *, create_only: bool
                 ) -> tuple[dict[str, Any], bool]:
    if user.role not in ("admin", "analyst"):
        raise HTTPException(403, f"role {user.role!r} may not write region groups "
                                 "(admin or analyst only)")
    group, created = services.write_group(database, body.code, body.name_zh, body.members,
                                          name_en=body.name_en, note=body.note,
                                          actor=user.username, create_only=create_only)
    return _group(group), created


@router.post("/groups", response_model=s.RegionGroupPublic, status_code=201,
             responses={403: {"model": s.ErrorPublic, "description": "role may not write"},
                        409: {"model": s.ErrorPublic, "description": "the group exists: PUT "
                              "/api/v1/groups/{code} replaces it"}},
             summary="Create a region group (admin, analyst)",
             openapi_extra=writers("admin", "analyst"))
def create_group(body: s.RegionGroupCreate, database: DatabaseDep, user: ApiUser,
                 response: Response) -> dict[str, Any]:
    """Members may be any GB/T 2260 division (added to the database when first used) or a
    region of the database (a planning zone); an unknown one is a 422 naming it. A group of
    that code exists already: 409, nothing changed (``PUT /api/v1/groups/{code}`` replaces)."""
    group, _created = _write_group(body, database, user, create_only=True)
    response.headers["Location"] = _group_location(group["code"])
    return group


def _group_location(code: str) -> str:
    """Where a group created is (``Location`` of a 201): ``GET /api/v1/groups/{code}``."""
    return f"/api/v1/groups/{quote(code, safe='')}"


@router.get("/groups/{code}", response_model=s.RegionGroupPublic, responses=NOT_FOUND,
            summary="One region group")
def get_group(code: Annotated[str, Path(min_length=2, max_length=40)], session: SessionDep,
              user: ApiUser) -> dict[str, Any]:
    """The group ``code`` (where a ``201`` of ``POST``/``PUT`` points), 404 when there is none."""
    group = next((g for g in repo.region_groups(session) if g.code == code), None)
    if group is None:
        raise HTTPException(404, f"no region group {code!r}")
    return _group(group)


@router.put("/groups/{code}", response_model=s.RegionGroupPublic,
            responses={201: {"model": s.RegionGroupPublic,
                             "description": "created: there was no group of that code "
                                            "(`Location` names it)"},
                       403: {"model": s.ErrorPublic, "description": "role may not write"}},
            summary="Create or replace a region group (admin, analyst)",
            openapi_extra=writers("admin", "analyst"))
def replace_group(code: Annotated[str, Path(min_length=2, max_length=40)],
                  body: s.RegionGroupCreate, database: DatabaseDep, user: ApiUser,
                  response: Response) -> dict[str, Any]:
    """Replace the name and members of group ``code`` — **200** — or create it when there is
    none — **201** with ``Location`` (RFC 9110 §9.3.4: a PUT that creates says so); the body's
    ``code`` must be the path's. ``POST /api/v1/groups`` creates only (409 when it exists)."""
    if body.code.strip() != code:
        raise ValidationError(f"the body's code {body.code!r} is not the path's {code!r}",
                              field="code")
    group, created = _write_group(body, database, user, create_only=False)
    if created:
        response.status_code = 201
        response.headers["Location"] = _group_location(group["code"])
    return group


def _indicator(code: str, m: dict[str, Any]) -> dict[str, Any]:
    return {"code": code, "name_zh": m["zh"], "name_en": m["en"], "unit": m["unit"],
            "direction": m["direction"], "pillar": m["pillar"], "note": m["note"] or ""}


@router.get("/indicators", response_model=s.IndicatorListPublic, summary="Indicators")
def list_indicators(session: SessionDep, user: ApiUser,
                    with_data: Annotated[bool, Query(description="only those with observations")] = False
                    ) -> dict[str, Any]:
    meta = queries.indicator_meta(session)
    keep = set(queries.indicators_with_data(session)) if with_data else set(meta)
    data = [_indicator(c, m) for c, m in meta.items() if c in keep]
    return {"data": data, "count": len(data)}


@router.get("/indicators/{code}", response_model=s.IndicatorPublic, responses=NOT_FOUND,
            summary="One indicator")
def get_indicator(code: Annotated[str, Path(max_length=64)], session: SessionDep,
                  user: ApiUser) -> dict[str, Any]:
    meta = queries.indicator_meta(session)
    if code not in meta:
        raise HTTPException(404, f"no indicator {code!r}")
    return _indicator(code, meta[code])


# -- observations ------------------------------------------------------------------------------


def _observation(o: dict[str, Any]) -> dict[str, Any]:
    return {"id": o["id"], "region_code": o["region_code"], "period": o["period"],
            "indicator": o["indicator"], "value": o["value"], "unit": o["unit"],
            "flags": o["flags"], "version": o["version"], "updated_at": o["updated_at"],
            "source": {"url": o["source_url"], "file": o["source_file"], "excerpt": o["excerpt"],
                       "note": o["source_note"] or ""}}


@router.get("/observations", response_model=s.ObservationListPublic, summary="Observations")
def list_observations(
    session: SessionDep, user: ApiUser,
    region: RegionCodes = None, indicator: Codes = None,
    period: Annotated[list[str] | None, Query(description="exact periods, e.g. 2022 (repeat or "
                                                        "comma-separate)")] = None,
    group: Annotated[str | None, Query(description="a region group: its members")] = None,
    period_from: Annotated[OptionalPeriod, Query(alias="from", description="the first period, "
                                                 "e.g. 2020 or 2020Q1")] = None,
    period_to: Annotated[OptionalPeriod, Query(alias="to", description="the last period "
                                               "(its quarters and months too)")] = None,
    limit: Limit = 100, offset: Offset = 0,
) -> dict[str, Any]:
    """Observations with their source, filtered by region (or group), indicator and period,
    ordered by region, indicator and period. Unknown codes are a 422 naming them."""
    regions = _split(region)
    inds = _split(indicator)
    _known(session, "region", regions)
    _known(session, "indicator", inds)
    if group:
        members = queries.group_members(session, group)
        if members is None:
            raise ValidationError(f"unknown region group {group!r}", field="group")
        regions = [r for r in members if not regions or r in regions] or ["-"]
    total, rows = queries.observations_page(
        session, regions=regions, indicators=inds, periods=_periods(period),
        period_from=period_from, period_to=(period_to + "\uffff") if period_to else None,
        limit=limit, offset=offset)
    return {"total": total, "limit": limit, "offset": offset,
            "data": [_observation(o) for o in rows]}


def _detail(session, obs_id: int) -> dict[str, Any]:
    o = queries.observation(session, obs_id)
    if o is None:
        raise HTTPException(404, f"no observation {obs_id}")
    hist = queries.revisions_of(session, [obs_id]).get(obs_id, [])
    return {**_observation(o), "history": hist}


@router.get("/observations/{obs_id}", response_model=s.ObservationDetailPublic,
            responses=NOT_FOUND, summary="One observation with its revision history")
def get_observation(obs_id: DbId, session: SessionDep,
                    user: ApiUser) -> dict[str, Any]:
    return _detail(session, obs_id)


@router.post("/observations", response_model=s.ObservationCreateResult, status_code=201,
             responses={403: {"model": s.ErrorPublic, "description": "role may not write"}},
             summary="Insert or revise one observation (admin, analyst)",
             openapi_extra=writers("admin", "analyst"))
def create_observation(body: s.ObservationCreate, session: SessionDep,
                       user: ApiUser) -> dict[str, Any]:
    """Same region, period and indicator as a stored observation: a revision (the old value is
    kept in its history); identical: unchanged. The store writes and audits it."""
    from lantu.domain import Observation, Source

    if user.role not in ("admin", "analyst"):
        raise HTTPException(403, f"role {user.role!r} may not write observations "
                                 "(admin or analyst only)")
    # the region: any GB/T 2260 division or a region of the database — the gate decides
    # (lantu.store.repo.admissible_regions), as for `lantu import`
    _known(session, "indicator", [body.indicator])
    obs = Observation(body.region_code, body.period, body.indicator, body.value, body.unit,
                      frozenset(body.flags), Source(url=body.source_url, excerpt=body.excerpt))
    action = services.record_observation(session, obs, actor=user.username)
    _, rows = queries.observations_page(session, regions=[obs.region_code],
                                        indicators=[obs.indicator_code],
                                        periods=[str(obs.period)], limit=1)
    return {"action": action, "observation": _detail(session, rows[0]["id"])}


# -- milestones --------------------------------------------------------------------------------


_MILESTONE_KEYS = tuple(s.MilestoneFactPublic.model_fields)


@router.get("/milestones", response_model=s.MilestoneFactListPublic, summary="Milestones",
            responses={422: {"model": s.ErrorPublic, "description": "unknown region"}})
def list_milestones(
    session: SessionDep, user: ApiUser, region: RegionCodes = None,
    year: Annotated[OptionalYear, Query(description="the year achieved")] = None,
    node: Annotated[str | None, Query(max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$",
                                      description="a plan node: milestones serving it or a node below")] = None,
    limit: Limit = 100, offset: Offset = 0,
) -> dict[str, Any]:
    """Milestones (designations, completions, events, firsts) by region, year and plan node,
    oldest first (:func:`lantu.store.evidence.milestones_for`). Unknown regions are a 422."""
    from lantu.store.evidence import milestones_for

    regions = _split(region)
    _known(session, "region", regions)
    rows = milestones_for(session, regions or None, node_codes=[node] if node else None,
                          since_year=year, until_year=year)
    return {"total": len(rows), "limit": limit, "offset": offset,
            "data": [{k: r[k] for k in _MILESTONE_KEYS} for r in rows[offset : offset + limit]]}


# -- targets -----------------------------------------------------------------------------------


@router.get("/targets", response_model=s.TargetListPublic, summary="Targets with their status")
def list_targets(session: SessionDep, user: ApiUser, region: RegionCodes = None,
                 indicator: Codes = None, limit: Limit = 100, offset: Offset = 0,
                 lang: Annotated[str, Query(pattern="^(zh|en)$")] = "zh",
                 as_of: Annotated[OptionalYear, Query(
                     description="the evaluated year every target is judged as of (default: "
                                 "the year the plan's verdict shows)")] = None) -> dict[str, Any]:
    """Targets with their source and their evaluation as of the evaluated year, by the
    verdict's rule (:func:`lantu.evaluation.verdict.region_targets`)."""
    from lantu.evaluation.verdict import evaluated_year

    regions, inds = _split(region), _split(indicator)
    _known(session, "region", regions)
    _known(session, "indicator", inds)
    total, rows = queries.target_rows(session, regions=regions, indicators=inds, limit=limit,
                                      offset=offset)
    judged = _judged(session, rows, evaluated_year(session, regions, as_of))
    data = [_target(r, judged[r["id"]], lang) for r in rows]
    return {"total": total, "limit": limit, "offset": offset, "data": data}


def _judged(session, rows: list[dict[str, Any]], year: int) -> dict[Any, Any]:
    """Target id → its judgement as of ``year`` (the verdict's rule, region by region)."""
    from lantu.evaluation.verdict import region_targets

    out: dict[Any, Any] = {}
    for code in dict.fromkeys(r["region_code"] for r in rows):
        codes = sorted({r["indicator"] for r in rows if r["region_code"] == code})
        out.update((row["id"], t) for row, t in region_targets(session, code, year, codes))
    return out


def _target(r: dict[str, Any], judged, lang: str) -> dict[str, Any]:
    """A target row (:func:`lantu.store.queries.target_rows`) with its evaluation, as the API
    shows it (``TargetPublic``)."""
    ev = evaluate_row(r, judged, lang)
    return {
        **{k: r[k] for k in ("id", "region_code", "indicator", "plan", "base_period",
                             "base_value", "target_period", "kind", "value", "value_high",
                             "qualifier", "binding", "unit", "source_quality", "machine_read")},
        "plan": r["plan"] or "", "unit": r["unit"] or "",
        "source": {"url": r["source_url"], "file": r["source_file"], "excerpt": r["excerpt"]},
        "evaluation": {k: ev[k] for k in ("status", "colour", "arrow", "met", "year", "since",
                                          "measured", "current", "gap", "explanation")}
        | {"outcome": target_outcome(ev, r["target_period"])},
    }


@router.post("/targets", response_model=s.TargetCreateResult, status_code=201,
             responses={403: {"model": s.ErrorPublic, "description": "role may not write"}},
             summary="Insert one target, or mark a stored machine-read one reviewed (admin, analyst)",
             openapi_extra=writers("admin", "analyst"))
def create_target(body: s.TargetCreate, session: SessionDep, user: ApiUser,
                  lang: Annotated[str, Query(pattern="^(zh|en)$")] = "zh") -> dict[str, Any]:
    """A person writing a target has reviewed it (``machine_read`` false unless the body says
    true). The same gate as an import; the store writes and audits it."""
    from lantu.domain import Source, Target

    if user.role not in ("admin", "analyst"):
        raise HTTPException(403, f"role {user.role!r} may not write targets "
                                 "(admin or analyst only)")
    _known(session, "indicator", [body.indicator])
    target = Target(body.region_code, body.indicator, body.target_period, body.kind, body.value,
                    value_high=body.value_high, qualifier=body.qualifier, binding=body.binding,
                    base_period=body.base_period, base_value=body.base_value, unit=body.unit,
                    plan=body.plan, machine_read=body.machine_read,
                    source=Source(url=body.source_url, excerpt=body.excerpt,
                                  quality=body.source_quality))
    action, target_id = services.record_target(session, target, actor=user.username)
    from lantu.evaluation.verdict import evaluated_year

    _, rows = queries.target_rows(session, ids=[target_id])
    judged = _judged(session, rows, evaluated_year(session, [target.region_code]))
    return {"action": action, "target": _target(rows[0], judged[target_id], lang)}


# -- plans and tasks ---------------------------------------------------------------------------


@router.get("/plans", response_model=s.PlanListPublic, summary="Plans")
def list_plans(session: SessionDep, user: ApiUser) -> dict[str, Any]:
    data = queries.plans(session)
    return {"data": data, "count": len(data)}


@router.get("/plans/{code}", response_model=s.PlanTreePublic, responses=NOT_FOUND,
            summary="A plan with its goals and tasks as a tree")
def get_plan(code: Annotated[str, Path(max_length=64)], session: SessionDep,
             user: ApiUser) -> dict[str, Any]:
    plan = queries.plan_header(session, code)
    if plan is None:
        raise HTTPException(404, f"no plan {code!r}")
    today = date.today()
    nodes = queries.plan_nodes(session, code)
    built: dict[int, dict[str, Any]] = {}
    roots: list[dict[str, Any]] = []
    for n in nodes:
        d = n.as_dict()
        d.pop("parent_id")
        d.pop("depth")
        d["timing"] = task_timing(n, today) if n.kind == "task" else None
        d["children"] = []
        built[n.id] = d
        (built[n.parent_id]["children"] if n.parent_id in built else roots).append(d)
    return {**plan, "children": roots}


# -- progress reports --------------------------------------------------------------------------


@router.get("/progress-reports", response_model=s.ProgressReportListPublic,
            summary="Progress reports (reporters: their own department only)")
def list_reports(session: SessionDep, user: ApiUser,
                 status: Annotated[str | None, Query(pattern="^(draft|submitted|returned|approved)$")] = None,
                 department: Annotated[str | None, Query(max_length=64)] = None,
                 month: Annotated[OptionalMonth, Query(description="YYYY-MM")] = None,
                 limit: Limit = 100, offset: Offset = 0) -> dict[str, Any]:
    """Reports the token's user may see, newest first: a reporter only their department's,
    others every report submitted at least once (the rule of :mod:`lantu.store.supervision`)."""
    from lantu.store import supervision

    rows = supervision.report_list(session, user, status=status, department=department,
                                   month=month, limit=limit, offset=offset)
    data = [{"id": r["id"], "task_code": r["task_code"], "task_title": r["task_title"],
             "department_code": r["department"], "month": r["month"], "percent": r["percent"],
             "status": r["status"], "text": r["text"], "submitted_at": r["submitted_at"],
             "reviewed_at": r["reviewed_at"], "review_comment": r["review_comment"] or "",
             "updated_at": r["updated_at"]} for r in rows]
    total = supervision.count_visible_reports(session, user, status=status,
                                              department=department, month=month)
    return {"total": total, "limit": limit, "offset": offset, "data": data}


# -- index -------------------------------------------------------------------------------------


@router.get("/index", response_model=s.IndexResultsPublic, responses={**NOT_FOUND, **BUSY},
            dependencies=[OneBuild],
            summary="The peer index (as on the comparison page) with rank intervals and filled cells")
def get_index(session: SessionDep, user: ApiUser,
              year: Annotated[OptionalYear, Query()] = None,
              group: Annotated[str | None, Query(max_length=64)] = None,
              lang: Annotated[str, Query(pattern="^(zh|en)$")] = "zh") -> dict[str, Any]:
    view = compare.build_compare(session, lang=lang, year=year, group=group or None)
    ix = view["index"]
    return {"group": view["group"], "year": view["year"], "data_version": view["data_version"],
            "spec": ix["spec"], "framework": ix["framework"], "results": ix["results"],
            "dropped": ix["dropped"], "imputed": ix["imputed"], "uncertainty": ix["ua"]}


# -- the verdict -------------------------------------------------------------------------------


@router.get("/evaluation", response_model=s.VerdictPublic, summary="The verdict",
            responses={422: {"model": s.ErrorPublic}, **BUSY},
            dependencies=[OneBuild])
def get_evaluation(
    session: SessionDep, user: ApiUser,
    region: Annotated[str, Query(max_length=20, description="region code, e.g. 140100")],
    year: Annotated[Year, Query(description="evaluated year")],
    plan: Annotated[str | None, Query(max_length=64)] = None,
    group: Annotated[str | None, Query(max_length=64, description="peer group of the index")] = None,
) -> dict[str, Any]:
    """Every goal and task of the plan: its indicators against the targets in force in
    ``year``, status and reason, milestones; the peer index; primacy
    (:func:`lantu.evaluation.evaluate`, the same as ``lantu evaluate --format json``)."""
    from lantu.evaluation import evaluate

    return evaluate(session, region=region, year=year, plan=plan, group=group).to_json()


@router.api_route("/{rest:path}",
                  methods=["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"],
                  include_in_schema=False, openapi_extra=writers(*ROLES))
def not_found(request: Request, rest: str) -> Response:
    """What no route of the API answers: 405 naming every method of the path when it is an
    endpoint (a write method on a read route was a 404 "no API endpoint", an OPTIONS an
    ``Allow`` of one of its routes only), else 404."""
    allowed = methods_at(request.scope["path"])
    if allowed:
        return error_response(405, f"{request.method} is not a method of /api/v1/{rest}",
                              headers={"Allow": ", ".join(sorted(allowed))})
    return error_response(404, f"no API endpoint /api/v1/{rest}")


def methods_at(path: str) -> set[str]:
    """The methods the routes of the app answer at ``path`` (this catch-all's aside)."""
    from lantu.web.routes import ROUTERS

    methods = {method for r in ROUTERS for route in r.routes
               if isinstance(route, APIRoute) and route.endpoint is not not_found
               and route.path_regex.match(path) for method in route.methods}
    return methods | {"HEAD"} if "GET" in methods else methods  # HEAD: edge.HeadAsGet


__all__ = ["router", "error_response"]

