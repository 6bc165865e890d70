"""Region groups (peer groups): the list, and a form for analysts and admins to add one or
replace its members. The rule is :func:`lantu.services.save_group`, as for the CLI and the API."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from lantu import services
from lantu.domain import ValidationError
from lantu.store import queries
from lantu.web.deps import DatabaseDep, Importer
from lantu.web.templating import render

router = APIRouter(include_in_schema=False)
Editor = Importer  # analysts and admins edit region groups


def _page(request: Request, database, status_code: int = 200, **extra) -> Response:
    with database.session() as s:
        names = queries.region_names(s)
    groups = [{"code": g.code, "name_zh": g.name_zh, "name_en": g.name_en, "note": g.note,
               "members": [{"code": m, "zh": names.get(m, {}).get("zh", m),
                            "en": names.get(m, {}).get("en", m)} for m in g.members]}
              for g in services.list_groups(database)]
    return render(request, "groups.html", {"groups": groups, **extra}, status_code=status_code,
                  active="groups")


@router.get("/groups")
def groups_page(request: Request, database: DatabaseDep, user: Editor) -> Response:
    return _page(request, database, saved=request.query_params.get("saved", ""))


@router.post("/groups")
def groups_save(request: Request, database: DatabaseDep, user: Editor,
                code: Annotated[str, Form(max_length=40)],
                name_zh: Annotated[str, Form(max_length=200)],
                members: Annotated[str, Form(max_length=20000)],
                name_en: Annotated[str, Form(max_length=200)] = "") -> Response:
    """Members are written one per line or separated by blanks or commas."""
    regions = [m for m in members.replace(",", " ").replace("，", " ").replace("、", " ").split() if m]
    try:
        g = services.save_group(database, code, name_zh, regions, name_en=name_en,
                                actor=user.username)
    except ValidationError as exc:
        return _page(request, database, status_code=422, error=str(exc),
                     form={"code": code, "name_zh": name_zh, "name_en": name_en, "members": members})
    return RedirectResponse(f"/groups?saved={g.code}", status_code=303)
