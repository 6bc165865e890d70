"""Endpoints of the framework's floor: ``/healthz`` (a trivial JSON answer, no database)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()


@router.get("/healthz", include_in_schema=False)
def healthz() -> dict[str, bool]:
    """Trivial endpoint: the load benchmark's floor."""
    return {"ok": True}
