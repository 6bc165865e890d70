"""Reading a text in the web (analysts and admins): upload a work report or bulletin, review
each extracted figure, target and milestone beside its clause (accept, edit, reject), import the
accepted ones with their source, all or nothing. Thin: reading, extracting and importing are
:mod:`lantu.textreview` (the readers and extractors of ``lantu extract``, the import service and
gate of every table import); a review waits in the import staging area between requests and is
swept like a table preview (:mod:`lantu.web.staging`)."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import secrets
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from lantu import services, textreview
from lantu.domain import MILESTONE_KINDS, QUALIFIERS, SOURCE_QUALITIES, ValidationError
from lantu.ingest.tables import ImportRefused
from lantu.ingest.textio import TextReadError, read_text
from lantu.store import repo
from lantu.store.files import UploadRefused
from lantu.store.models import PlanNodeRow
from lantu.web import staging
from lantu.web.api_schemas import Year
from lantu.web.deps import (
    DatabaseDep,
    DbId,
    Importer,
    OneBuild,
    SessionDep,
    SettingsDep,
    UserError,
)
from lantu.web.templating import render

router = APIRouter(prefix="/review", include_in_schema=False)
_TOKEN = re.compile(r"^r-u(\d+)-[0-9a-f]{32}$")
Text = Annotated[str, Form(max_length=500)]


def _staging(home: Path) -> Path:
    return staging.directory(home)


@contextlib.contextmanager
def _locked(home: Path) -> Iterator[None]:
    """Hold the staging area's lock (``flock`` on its directory, so across worker processes)
    while a review is read, changed and written back, or imported and removed."""
    fd = os.open(_staging(home), os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def _write(path: Path, data: bytes) -> None:
    """Write a staged file atomically (readable by the server's user only)."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    tmp.replace(path)


def _path(home: Path, token: str, user_id: int) -> Path:
    """The staged review ``token`` of this user, else 404 (expired, or someone else's)."""
    m = _TOKEN.fullmatch(token)
    path = _staging(home) / f"{token}.json"
    if not m or m.group(1) != str(user_id) or not path.is_file():  # text to text (probe23)
        raise UserError(404, "this review has expired or belongs to someone else; upload the "
                             "text again", "rv.gone")
    return path


def _load(home: Path, token: str, user_id: int) -> tuple[Path, dict[str, Any]]:
    path = _path(home, token, user_id)
    return path, json.loads(path.read_text(encoding="utf-8"))


def _mine(home: Path, user_id: int) -> list[dict[str, Any]]:
    """The user's reviews still staged, newest first."""
    out = []
    for p in _staging(home).glob(f"r-u{user_id}-*.json"):
        try:
            r = json.loads(p.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        out.append({"token": p.stem, "file": r["file"], "created_at": r["created_at"],
                    "items": len(r["items"]),
                    "decided": sum(it["status"] != "pending" for it in r["items"])})
    return sorted(out, key=lambda r: r["created_at"], reverse=True)


def _upload_page(request: Request, session, settings, user, *, status_code: int = 200,
                 error: str = "", form: dict | None = None) -> Response:
    return render(request, "review/upload.html", {
        "mine": _mine(settings.home, user.id), "error": error,
        "regions": list(repo.regions(session))[:2000],
        "form": form or {"year": date.today().year, "kind": "auto", "region": ""},
        "kinds": textreview.DOC_KINDS}, status_code=status_code, active="review")


@router.get("")
def upload_page(request: Request, session: SessionDep, settings: SettingsDep,
                user: Importer) -> Response:
    return _upload_page(request, session, settings, user)


@router.post("", dependencies=[OneBuild])  # a text read and its figures extracted
def upload(request: Request, session: SessionDep, database: DatabaseDep, settings: SettingsDep,
           user: Importer, file: Annotated[UploadFile, File()],
           region: Annotated[str, Form(max_length=100)],
           year: Annotated[Year, Form()],
           kind: Annotated[str, Form(max_length=10)] = "auto") -> Response:
    """Read the uploaded text (type by content, size limit), extract, stage the review."""
    form = {"region": region, "year": year, "kind": kind}
    original = Path((file.filename or "").replace("\\", "/")).name or "text"
    data = file.file.read(settings.upload_max_bytes + 1)
    try:
        ext = textreview.upload_extension(data, original, max_bytes=settings.upload_max_bytes)
    except UploadRefused as exc:
        return _upload_page(request, session, settings, user, status_code=exc.status,
                            error=str(exc), form=form)
    code = services.catalogue(database).region(region.strip())
    if code is None:
        return _upload_page(request, session, settings, user, status_code=422, form=form,
                            error=f"unknown region {region!r}: give a GB/T 2260 code or a name")
    token = f"r-u{user.id}-{secrets.token_hex(16)}"
    raw = _staging(settings.home) / f"{token}{ext}"
    _write(raw, data)
    try:
        doc = read_text(raw)
        review = textreview.build_review(doc, file=original, region_code=code, year=year,
                                         doc_kind=kind, actor=user.username)
    except (TextReadError, ValidationError) as exc:
        reason = exc.reason if isinstance(exc, TextReadError) else str(exc)
        return _upload_page(request, session, settings, user, status_code=422, form=form,
                            error=f"{original}: {reason}")
    finally:
        raw.unlink(missing_ok=True)
    _write(raw.with_name(f"{token}.json"), json.dumps(review, ensure_ascii=False).encode())
    return RedirectResponse(f"/review/{token}", status_code=303)


def _num(v: float | None) -> str:
    """A number as a person types it (no exponent, no trailing zeros): 12000, 5571.17."""
    return "" if v is None else f"{v:.10f}".rstrip("0").rstrip(".")


def _review_page(request: Request, database, token: str, review: dict, *,
                 status_code: int = 200, **extra: Any) -> Response:
    items = review["items"]
    with database.session() as s:
        indicators = {i.code: i for i in repo.indicators(s)}
    counts = {s: sum(it["status"] == s for it in items) for s in textreview.STATUSES}
    return render(request, "review/review.html", {
        "token": token, "r": review, "items": items, "counts": counts,
        "segments": textreview.segments(review["text"], items),
        "qualifiers": QUALIFIERS, "figure_kinds": textreview.FIGURE_KINDS,
        "milestone_kinds": MILESTONE_KINDS, "qualities": SOURCE_QUALITIES[:4],
        "indicators": indicators, "num": _num, "error": None, "problems": None, **extra}, status_code=status_code, active="review")


@router.get("/{token}")
def review_page(request: Request, database: DatabaseDep, settings: SettingsDep, user: Importer,
                token: str) -> Response:
    _, review = _load(settings.home, token, user.id)
    return _review_page(request, database, token, review)


@router.post("/{token}/items/{item_id}")
def decide(request: Request, database: DatabaseDep, settings: SettingsDep, user: Importer,
           token: str, item_id: DbId,
           action: Annotated[str, Form(max_length=10)],
           value: Annotated[str, Form(max_length=40)] = "",
           value_high: Annotated[str, Form(max_length=40)] = "",
           period: Annotated[str, Form(max_length=10)] = "",
           year: Annotated[str, Form(max_length=10)] = "",
           qualifier: Annotated[str, Form(max_length=10)] = "",
           indicator: Annotated[str, Form(max_length=100)] = "",
           kind: Annotated[str, Form(max_length=20)] = "",
           text: Annotated[str, Form(max_length=textreview.MAX_TEXT)] = "",
           nodes: Text = "") -> Response:
    """Accept, reject, reset or edit (and so accept) one item."""
    known = None
    if action == "edit":
        with database.session() as s:
            known = set(s.scalars(select(PlanNodeRow.code)))
    error = None
    with _locked(settings.home):  # read, change, write: one decision at a time
        path, review = _load(settings.home, token, user.id)
        item = next((it for it in review["items"] if it["id"] == item_id), None)
        if item is None:
            raise UserError(404, f"no item {item_id} in this review", "rv.no_item")
        try:
            textreview.decide(item, action, nodes=known if item["type"] == "milestone" else None,
                              form={"value": value, "value_high": value_high, "period": period,
                                    "year": year, "qualifier": qualifier,
                                    "indicator": indicator, "kind": kind, "text": text,
                                    "nodes": nodes})
        except ValidationError as exc:
            error = {"item": item_id, "message": str(exc)}
        else:
            _write(path, json.dumps(review, ensure_ascii=False).encode())
    if error:
        _, fresh = _load(settings.home, token, user.id)
        return _review_page(request, database, token, fresh, status_code=422, error=error)
    return RedirectResponse(f"/review/{token}#item-{item_id}", status_code=303)


@router.post("/{token}/import")
def import_accepted(request: Request, database: DatabaseDep, settings: SettingsDep,
                    user: Importer, token: str, source_url: Text = "", archive: Text = "",
                    document: Text = "",
                    source_quality: Annotated[str, Form(max_length=30)] = "") -> Response:
    """Import the accepted items with their source, all or nothing; the review is then gone."""
    source = {"source_url": source_url, "archive": archive, "document": document,
              "source_quality": source_quality}
    with _locked(settings.home):  # imported once: a second click finds the review gone
        path, review = _load(settings.home, token, user.id)
        try:
            result = textreview.import_review(database, review, actor=user.username,
                                              source_url=source_url, archive=archive,
                                              document=document, quality=source_quality)
        except ImportRefused as exc:
            return _review_page(request, database, token, review, status_code=422,
                                problems=exc.problems, source=source)
        except ValidationError as exc:
            return _review_page(request, database, token, review, status_code=422,
                                source=source, error={"item": None, "message": str(exc)})
        path.unlink(missing_ok=True)
    accepted = [it for it in review["items"] if it["status"] == "accepted"]
    with database.session() as s:
        indicators = {i.code: i for i in repo.indicators(s)}
    return render(request, "review/done.html", {
        "r": review, "result": result, "accepted": accepted, "indicators": indicators,
        "num": _num}, active="review")


@router.post("/{token}/discard")
def discard(settings: SettingsDep, user: Importer, token: str) -> Response:
    _path(settings.home, token, user.id).unlink(missing_ok=True)
    return RedirectResponse("/review", status_code=303)
