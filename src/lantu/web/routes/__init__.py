"""Every router of the web application, registered in this order by ``create_app``.

To add pages: write ``routes/<name>.py`` with ``router = APIRouter()`` and add ONE line below.
"""

from __future__ import annotations

from fastapi import APIRouter

from lantu.web.routes import (
    admin,
    api_cycle,
    api_v1,
    auth,
    cycle_pages,
    dashboard,
    groups,
    reports,
    review,
    supervision,
    system,
    users_admin,
)

ROUTERS: list[APIRouter] = [
    system.router,
    auth.router,
    cycle_pages.router,  # before supervision: /supervision/tasks/new
    supervision.router,
    admin.router,
    review.router,
    groups.router,
    users_admin.router,
    reports.router,
    dashboard.router,
    api_cycle.router,
    api_v1.router,  # last: its catch-all answers unknown /api/v1 paths with JSON 404
]
