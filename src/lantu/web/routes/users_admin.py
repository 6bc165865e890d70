"""The user administration page (admins): list, add, rename, disable and enable users, reset a
password, set role, department and e-mail; names that look like another user's are marked for
renaming. Thin: every form calls the same store function as the
``lantu user`` commands (:mod:`lantu.store.users`); its rules refuse bad input with the field."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from lantu.domain.errors import ValidationError
from lantu.store import supervision as sv
from lantu.store import users
from lantu.store.models_web import ROLES
from lantu.store.users import User
from lantu.web.deps import SessionDep, UserError, require_role, signed_in
from lantu.web.templating import render

router = APIRouter(prefix="/admin/users", include_in_schema=False,
                   dependencies=[Depends(signed_in)])
Admin = Annotated[User, Depends(require_role("admin"))]
Name = Annotated[str, Form(max_length=64)]


def _back(saved: str) -> RedirectResponse:
    return RedirectResponse(f"/admin/users?saved={saved}", status_code=303)


def _refused(exc: ValidationError) -> UserError:
    return UserError(422, str(exc))


@router.get("")
def users_page(request: Request, session: SessionDep, user: Admin) -> Response:
    return render(request, "users.html", {
        "users": users.list_users(session), "roles": ROLES,
        "depts": sv.department_names(session), "saved": request.query_params.get("saved"),
        "lookalikes": {p.username: p for p in users.lookalike_users(session)}},
        active="users")


@router.post("")
def add(session: SessionDep, user: Admin, username: Name, password: Annotated[str, Form()],
        role: Annotated[str, Form(max_length=20)],
        department: Annotated[str, Form(max_length=64)] = "",
        email: Annotated[str, Form(max_length=254)] = "",
        display_name: Annotated[str, Form(max_length=200)] = "") -> Response:
    try:
        users.add_user(session, username, password, role, display_name=display_name,
                       department_code=department or None, email=email or None,
                       actor=user.username)
    except ValidationError as exc:
        raise _refused(exc) from None
    return _back("added")


@router.post("/{username}/update")
def update(session: SessionDep, user: Admin, username: str,
           role: Annotated[str, Form(max_length=20)],
           department: Annotated[str, Form(max_length=64)] = "",
           email: Annotated[str, Form(max_length=254)] = "") -> Response:
    try:
        users.update_user(session, username, role=role, department_code=department or None,
                          email=email or None, actor=user.username)
    except ValidationError as exc:
        raise _refused(exc) from None
    return _back("updated")


@router.post("/{username}/active")
def set_active(session: SessionDep, user: Admin, username: str,
               active: Annotated[bool, Form()]) -> Response:
    if username == user.username and not active:
        raise UserError(422, "you cannot disable yourself")
    try:
        users.set_active(session, username, active, actor=user.username)
    except ValidationError as exc:
        raise _refused(exc) from None
    return _back("enabled" if active else "disabled")


@router.post("/{username}/password")
def reset_password(session: SessionDep, user: Admin, username: str,
                   password: Annotated[str, Form()]) -> Response:
    if username == user.username:  # the account page asks the current password first
        raise UserError(422, "change your own password on the account page (/account)",
                        "probe8.own_password")
    try:
        users.set_password(session, username, password, actor=user.username)
    except ValidationError as exc:
        raise _refused(exc) from None
    return _back("password")


@router.post("/{username}/rename")
def rename(session: SessionDep, user: Admin, username: str, new_name: Name) -> Response:
    """``lantu user rename OLD NEW`` on the page: the same rule (:func:`users.rename_user`:
    the name rule and the look-alike key, audited, the renamed user's sessions end). An admin
    who renames themself signs in again by the new name."""
    try:
        users.rename_user(session, username, new_name, actor=user.username)
    except ValidationError as exc:
        raise _refused(exc) from None
    if username == user.username:
        return RedirectResponse("/login", status_code=303)
    return _back("renamed")
