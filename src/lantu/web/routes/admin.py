"""Data import (dry-run preview, then confirm), the audit log and the user's own account page
(API tokens)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from lantu import services
from lantu.domain.errors import LantuError
from lantu.ingest.tables import ImportRefused
from lantu.store import auditlog, queries, supervision
from lantu.store import users as user_store
from lantu.store.passwords import password_problem
from lantu.web import staging
from lantu.web.api_schemas import WholeNumber
from lantu.web.deps import (
    Auditor,
    CurrentUser,
    DatabaseDep,
    DbId,
    Importer,
    OneBuild,
    SessionDep,
    SettingsDep,
    UserError,
    client_ip,
    set_session_cookie,
    signed_in,
)
from lantu.web.edge import header_text
from lantu.web.routes.auth import throttled_message
from lantu.web.templating import render, request_language

router = APIRouter(include_in_schema=False)
IMPORT_EXT = (".csv", ".xlsx")
PREVIEW_ROWS = 500
PAGE = 50


@router.get("/import")
def import_page(request: Request, user: Importer) -> Response:
    return render(request, "import.html", {"stage": "upload"}, active="import")


@router.post("/import", dependencies=[OneBuild])  # a table read and checked: seconds
def import_preview(request: Request, database: DatabaseDep, settings: SettingsDep,
                         user: Importer, file: Annotated[UploadFile, File()],
                         sheet: Annotated[str, Form(max_length=100)] = "") -> Response:
    # the name is the last part of the client's path, bounded (lantu.web.deps._form_limits)
    original = file.filename or ""
    ext = Path(original).suffix.lower()
    if ext not in IMPORT_EXT:
        raise UserError(415, "upload a .csv or .xlsx table", "err.import_type")
    data = file.file.read(settings.upload_max_bytes + 1)
    if len(data) > settings.upload_max_bytes:
        raise UserError(413, f"the file is larger than {settings.upload_max_bytes} bytes",
                        "err.too_large", limit=settings.upload_max_bytes)
    return _preview(request, database, settings, user, data, ext, original, sheet)


def _preview(request: Request, database, settings, user, data: bytes, ext: str, original: str,
             sheet: str, *, status_code: int = 200, note: str | None = None) -> Response:
    """Stage ``data`` and show what importing it would do; what it would do (its digest) is
    staged beside it, so that the confirm writes that or nothing (probe19)."""
    staged = staging.stage(settings.home, user.id, ext, data,
                           {"sheet": sheet, "file": original})
    try:
        result = services.import_file(database, staged, actor=user.username, dry_run=True,
                                      sheet=sheet or None, display_name=original)
    except ImportRefused as exc:
        staging.discard(staged)
        return render(request, "import.html", {"stage": "refused", "file": original,
                                               "problems": exc.problems}, status_code=422,
                      active="import")
    except LantuError as exc:
        staging.discard(staged)
        return render(request, "import.html", {"stage": "refused", "file": original,
                                               "problems": [], "message": str(exc)},
                      status_code=422, active="import")
    if result.writes:
        staging.annotate(staged, digest=result.digest)
    else:  # nothing to confirm: nothing kept waiting for the sweep
        staging.discard(staged)
    return render(request, "import.html", {
        "stage": "preview", "file": original, "result": result, "token": staged.name,
        "sheet": sheet, "changes": result.changes[:PREVIEW_ROWS], "note": note,
        "more": max(0, len(result.changes) - PREVIEW_ROWS)}, status_code=status_code,
        active="import")


@router.post("/import/confirm")
def import_confirm(request: Request, database: DatabaseDep, settings: SettingsDep,
                   user: Importer, token: Annotated[str, Form(max_length=100)]) -> Response:
    """Import a preview of the user's, once: the sheet and the file's name are the preview's
    (:func:`lantu.web.staging.claim`), whatever the form says, and it writes what the preview
    showed or nothing: when another import changed the same figures meanwhile, the file is
    previewed again (409) and the user confirms that."""
    claimed = staging.claim(settings.home, token, user.id)
    if claimed is None:
        raise UserError(404, "this preview has expired, was imported already or belongs to "
                             "someone else; upload the file again", "err.preview_gone")
    staged, shown = claimed
    file = str(shown.get("file") or "")
    sheet = str(shown.get("sheet") or "")
    try:
        result = services.import_file(database, staged, actor=user.username, dry_run=False,
                                      sheet=sheet or None, display_name=file,
                                      expect=shown.get("digest"))
    except services.PreviewOutdated:
        return _preview(request, database, settings, user, staged.read_bytes(),
                        staged.suffix, file, sheet, status_code=409,
                        note="probe19.preview_outdated")
    except ImportRefused as exc:
        return render(request, "import.html", {"stage": "refused", "file": file,
                                               "problems": exc.problems}, status_code=422,
                      active="import")
    finally:
        staged.unlink(missing_ok=True)
    return render(request, "import.html", {"stage": "done", "file": file, "result": result},
                  active="import")


@router.get("/audit")
def audit_page(request: Request, session: SessionDep, user: Auditor,
               actor: str | None = None, entity: str | None = None, action: str | None = None,
               page: Annotated[int, Query(ge=1, le=1_000_000), WholeNumber] = 1) -> Response:
    page = max(1, page)
    rows, total = auditlog.audit_page(session, actor=actor or None, entity=entity or None,
                                      action=action or None, limit=PAGE,
                                      offset=(page - 1) * PAGE)
    lang = request_language(request)
    names = {"departments": queries.department_names(session),
             "regions": queries.region_names(session)}
    for r in rows:
        r["detail_items"] = auditlog.detail_items(r["detail"], lang, **names)
    return render(request, "audit.html", {
        "rows": rows, "total": total, "page": page, "pages": max(1, -(-total // PAGE)),
        "facets": auditlog.audit_facets(session),
        "filters": {"actor": actor or "", "entity": entity or "", "action": action or ""},
    }, active="audit")


@router.get("/account")
def account(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    return render(request, "account.html", {
        "tokens": user_store.api_tokens(session, user.username),
        "new_token": None, "changed": request.query_params.get("changed"),
        "department": supervision.department_names(session).get(user.department_code or "")})


@router.post("/account/tokens", dependencies=[Depends(signed_in)])
def new_token(request: Request, session: SessionDep, database: DatabaseDep, user: CurrentUser,
              name: Annotated[str, Form(min_length=1, max_length=100)],
              password: Annotated[str, Form(max_length=256)] = "") -> Response:
    """A new API token: the password is asked again (throttled like a login), so a stolen
    session cookie alone cannot mint a lasting credential."""
    outcome = user_store.check_login(database, user.username, password, client_ip(request))
    if outcome.user is None:
        return render(request, "account.html", {
            "tokens": user_store.api_tokens(session, user.username), "new_token": None,
            "token_error": throttled_message(outcome) if outcome.throttled else
            "sec6.login_lookalike" if outcome.lookalike else "ac.wrong_password"},
            status_code=429 if outcome.throttled else 403)
    token = user_store.create_api_token(session, user.username, name.strip())
    return render(request, "account.html", {
        "tokens": user_store.api_tokens(session, user.username), "new_token": token})


@router.post("/account/password", dependencies=[Depends(signed_in)])
def change_password(request: Request, session: SessionDep, database: DatabaseDep,
                    settings: SettingsDep,
                    user: CurrentUser, current: Annotated[str, Form(max_length=256)],
                    new: Annotated[str, Form(max_length=256)],
                    again: Annotated[str, Form(max_length=256)]) -> Response:
    """Change one's own password: the current one is checked (and throttled like a login);
    all sessions end, and a new one starts for this browser."""
    ip = client_ip(request)
    error, detail = None, ""
    outcome = user_store.check_login(database, user.username, current, ip)
    if outcome.throttled:
        error = throttled_message(outcome)
    elif outcome.lookalike:
        error = "sec6.login_lookalike"
    elif outcome.user is None:
        error = "ac.wrong_password"
    elif new != again:
        error = "ac.mismatch"
    elif reason := password_problem(new, user.username, display_name=user.display_name,
                                    email=user.email):
        error, detail = "ac.weak_password", reason
    if error:
        return render(request, "account.html", {
            "tokens": user_store.api_tokens(session, user.username), "new_token": None,
            "pw_error": error, "pw_detail": detail},
            status_code=429 if outcome.throttled else 422)  # as the sign-in and the token form
    user_store.set_password(session, user.username, new, actor=user.username)
    token, _csrf = user_store.start_session(session, user, settings.session_max_age, ip=ip,
                                            user_agent=header_text(request.scope, b"user-agent"))
    response = RedirectResponse("/account?changed=1", status_code=303)
    set_session_cookie(response, request, token, settings.session_max_age)
    return response


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(session: SessionDep, user: CurrentUser, token_id: DbId) -> Response:
    if token_id not in {t["id"] for t in user_store.api_tokens(session, user.username)}:
        raise HTTPException(404, "no such token")
    user_store.revoke_api_token(session, token_id, actor=user.username)
    return RedirectResponse("/account", status_code=303)
