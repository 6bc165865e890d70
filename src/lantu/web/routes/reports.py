"""Report downloads: the monitoring report (监测报告), the supervision bulletin (督办通报) and the
task table (任务分解表) — the same documents as ``lantu report`` / ``lantu export tasks``.

Thin: building is in :mod:`lantu.reports.service`; its errors (a bad period 422, a missing
converter 503) are answered by the app's one handler (:mod:`lantu.web.errors`). Any signed-in user may download; the bulletin
is not for reporters (as the bulletin page), and a reporter's task table holds only the tasks of
their own department.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from lantu.reports import service
from lantu.reports.fonts import FontSet
from lantu.store.queries import report_choices
from lantu.supervise.bulletin import bulletin_month
from lantu.web.api_schemas import OptionalMonth, OptionalPeriod
from lantu.web.deps import (
    BULLETIN_ROLES,
    BulletinReader,
    CurrentUser,
    DatabaseDep,
    OneBuild,
    SessionDep,
    SettingsDep,
)
from lantu.web.templating import render

router = APIRouter(prefix="/reports", include_in_schema=False)


def today() -> date:
    return date.today()


@router.get("")
def downloads_page(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    """The download forms: the monitoring report (region, year, DOCX or PDF, standard fonts),
    the bulletin of a month (not for reporters) and the task table (XLSX)."""
    choices = report_choices(session)
    last_year = str(today().year - 1)
    years = choices["years"]
    return render(request, "reports.html", {
        **choices, "default_year": last_year if last_year in years else (years[0] if years
                                                                           else last_year),
        "month": bulletin_month(today()), "bulletin": user.role in BULLETIN_ROLES,
        "sub": "downloads"}, active="supervision")


def _download(built: service.Built, *, inline: bool = False) -> Response:
    disposition = "inline" if inline else "attachment"
    ascii_name = built.filename.encode("ascii", "replace").decode().replace("?", "_")
    return Response(built.content, media_type=built.media_type, headers={
        "Content-Disposition": f"{disposition}; filename=\"{ascii_name}\"; "
                               f"filename*=UTF-8''{quote(built.filename)}",
        "Cache-Control": "private, no-store"})


FontsQ = Annotated[str, Query(pattern="^(installed|standard)$",
                             description="installed: the faces of this machine (substitutes "
                                         "named in the file); standard: the faces GB/T 9704 "
                                         "names, for a machine that has them")]


def _fonts(choice: str) -> FontSet | None:
    return FontSet.standard() if choice == "standard" else None


@router.get("/monitoring", dependencies=[OneBuild])
def monitoring(database: DatabaseDep, user: CurrentUser, region: str = "140100",
               period: OptionalPeriod = None, format: str = "docx",
               fonts: FontsQ = "installed") -> Response:
    """The monitoring report of ``region`` for ``period`` (default: last year)."""
    if format not in {f.value for f in service.ReportFormat}:
        raise HTTPException(422, f"format must be docx, pdf or html, got {format!r}")
    built = service.monitoring_report(database, region, period or str(today().year - 1),
                                      fmt=format, fonts=_fonts(fonts))
    return _download(built, inline=format == "html")


@router.get("/bulletin", dependencies=[OneBuild])
def bulletin(database: DatabaseDep, settings: SettingsDep, user: BulletinReader,
             month: OptionalMonth = None, format: str = "docx",
             fonts: FontsQ = "installed") -> Response:
    """The bulletin of ``month`` (default: the last month ended, ``bulletin_month``; not for
    reporters)."""
    if format not in ("docx", "pdf"):
        raise HTTPException(422, f"format must be docx or pdf, got {format!r}")
    built = service.bulletin_report(database, month or bulletin_month(today()), fmt=format,
                                    warn_days=settings.warn_days, today=today(),
                                    fonts=_fonts(fonts))
    return _download(built)


@router.get("/tasks.xlsx", dependencies=[OneBuild])
def tasks(database: DatabaseDep, user: CurrentUser, fonts: FontsQ = "installed") -> Response:
    """The task table; a reporter gets the tasks their department leads or supports."""
    department = None
    if user.role == "reporter":
        if not user.department_code:
            raise HTTPException(403, "this reporter account has no department")
        department = user.department_code
    built = service.task_table(database, department=department, today=today(),
                               fonts=_fonts(fonts))
    return _download(built)
