"""Web commands: ``lantu serve`` and ``lantu user add|list|disable|enable|passwd|token|lookalikes|rename``;
``serve_app`` is what ``lantu demo`` calls."""

from __future__ import annotations

import os
from typing import Annotated

import typer
from rich.table import Table

from lantu import actors
from lantu.cli import app
from lantu.cli.common import DbOption, console, err_console, friendly_errors, open_db, styled
from lantu.locale import plural

user_app = typer.Typer(help="Manage the users of the web application.", no_args_is_help=True)
app.add_typer(user_app, name="user")


def _run(database, host: str, port: int, workers: int = 1) -> None:
    import uvicorn

    database.migrate()
    if workers > 1:
        # each worker process builds its own app from the environment
        os.environ["LANTU_DATABASE_URL"] = database.url
        database.dispose()
        uvicorn.run("lantu.web.app:app_from_env", factory=True, host=host, port=port,
                    workers=workers, log_level="warning", proxy_headers=False)
    else:
        from lantu.web.app import create_app

        uvicorn.run(create_app(database), host=host, port=port, log_level="warning",
                    proxy_headers=False)


def demo_logins(database) -> list[dict]:
    """Create the demo users if absent and return their logins (see ``ensure_demo_users``)."""
    from lantu.store import supervision, users

    with database.session() as s:
        return users.ensure_demo_users(s, supervision.lead_departments(s))


def print_demo_logins(database) -> None:
    """Create the demo users if absent and print a login for each role (marked as demo)."""
    logins = demo_logins(database)
    t = Table("role", "username", "password", "department", title="Demo logins 演示账号")
    shown_reporters = 0
    for row in logins:
        if row["role"] == "reporter":
            shown_reporters += 1
            if shown_reporters > 6:
                continue
        t.add_row(row["role"], row["username"], row["password"], row["department"])
    console.print(t)
    more = sum(1 for r in logins if r["role"] == "reporter") - 6
    if more > 0:
        console.print(f"… and {more} more reporters (rep_<department>, password "
                      "rep_<department>-demo-2026); `lantu user list` shows all.")
    console.print("These demo logins are for trying Lantu only: disable them (`lantu user disable "
                  "NAME`) before real use.")


def serve_app(database, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the app on ``database`` after printing a demo login for each role."""
    database.migrate()
    print_demo_logins(database)
    console.print(styled("Serving Lantu at ", (f"http://{host}:{port}", "bold"), " (Ctrl+C to stop)"))
    _run(database, host, port)


@app.command()
@friendly_errors
def serve(db: DbOption = None,
          host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
          port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
          workers: Annotated[int, typer.Option(min=1, max=64,
                                               help="Worker processes (stateless).")] = 1) -> None:
    """Serve the web application (uvicorn)."""
    database = open_db(db)
    console.print(f"Serving Lantu at http://{host}:{port} with {plural(workers, 'worker')}")
    _run(database, host, port, workers)


@user_app.command("add")
@friendly_errors
def user_add(username: str,
             role: Annotated[str, typer.Option(help="admin | supervisor | analyst | reporter | "
                                                    "viewer")],
             department: Annotated[str | None, typer.Option(
                 help="Department code (reporters only).")] = None,
             display_name: Annotated[str, typer.Option("--name", help="Display name.")] = "",
             password: Annotated[str | None, typer.Option(
                 help="Password (asked for when absent).")] = None,
             email: Annotated[str | None, typer.Option(
                 help="E-mail address (notifications are sent there when SMTP is set).")] = None,
             db: DbOption = None) -> None:
    """Add a user."""
    from lantu.store import users

    if password is None:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    database = open_db(db)
    with database.session() as s:
        u = users.add_user(s, username, password, role, display_name=display_name,
                           department_code=department, actor=actors.CLI, email=email)
    console.print(f"Added {u.username} ({u.role}{', ' + u.department_code if u.department_code else ''}).")


@user_app.command("list")
@friendly_errors
def user_list(db: DbOption = None) -> None:
    """List the users."""
    from lantu.store import users

    database = open_db(db)
    t = Table("username", "name", "role", "department", "e-mail", "active", title="Users 用户")
    with database.session() as s:
        for u in users.list_users(s):
            t.add_row(u.username, u.display_name, u.role, u.department_code or "",
                      u.email or "", "yes" if u.active else "no")
    console.print(t)


def _set_active(username: str, active: bool, db: str | None) -> None:
    from lantu.store import users

    with open_db(db).session() as s:
        users.set_active(s, username, active, actor=actors.CLI)
    console.print(f"{'Enabled' if active else 'Disabled'} {username}.")


@user_app.command("disable")
@friendly_errors
def user_disable(username: str, db: DbOption = None) -> None:
    """Disable a user: their sessions end and their API tokens are revoked."""
    _set_active(username, False, db)


@user_app.command("enable")
@friendly_errors
def user_enable(username: str, db: DbOption = None) -> None:
    """Enable a disabled user again."""
    _set_active(username, True, db)


@user_app.command("passwd")
@friendly_errors
def user_passwd(username: str,
                password: Annotated[str | None, typer.Option(
                    help="New password (asked for when absent).")] = None,
                db: DbOption = None) -> None:
    """Set a user's password (ends their sessions)."""
    from lantu.store import users

    if password is None:
        password = typer.prompt("New password", hide_input=True, confirmation_prompt=True)
    with open_db(db).session() as s:
        users.set_password(s, username, password, actor=actors.CLI)
    console.print(f"Password of {username} changed.")


@user_app.command("token")
@friendly_errors
def user_token(username: str,
               name: Annotated[str, typer.Option(help="What the token is for.")] = "cli",
               days: Annotated[int, typer.Option(
                   help="Days the token is valid (it stops working then; make a new one).")] = 90,
               db: DbOption = None) -> None:
    """Create an API bearer token for a user (printed once), valid --days days."""
    from lantu.store import users

    with open_db(db).session() as s:
        token = users.create_api_token(s, username, name, actor=actors.CLI, days=days)
    err_console.print(f"API token for {username} (shown once; send as Authorization: Bearer):")
    print(token)


@user_app.command("tokens")
def user_tokens(username: str, db: DbOption = None) -> None:
    """List a user's API tokens (id, name, prefix, expiry; never the token)."""
    from lantu.store import users

    t = Table("id", "name", "prefix", "created", "expires", "revoked",
              title=f"API tokens of {username}")
    with open_db(db).session() as s:
        for tok in users.api_tokens(s, username):
            t.add_row(str(tok["id"]), tok["name"], tok["prefix"], str(tok["created_at"])[:16],
                      str(tok.get("expires_at") or "")[:16], str(tok.get("revoked_at") or "")[:16])
    console.print(t)


@user_app.command("revoke-token")
def user_revoke_token(token_id: int, db: DbOption = None) -> None:
    """Revoke an API token by its id (see `lantu user tokens NAME`)."""
    from lantu.store import users

    with open_db(db).session() as s:
        users.revoke_api_token(s, token_id, actor=actors.CLI)
    console.print(f"Revoked API token {token_id}.")


@user_app.command("lookalikes")
@friendly_errors
def user_lookalikes(db: DbOption = None) -> None:
    """List users whose names break the name rule or look like another user's (names kept
    from before the rule); exit code 1 when there are any. Sign-in by a name another user's
    looks like is refused until one is renamed (`lantu user rename OLD NEW`)."""
    from lantu.store import users

    with open_db(db).session() as s:
        found = users.lookalike_users(s)
    if not found:
        console.print("No user name breaks the rule or looks like another's.")
        return
    t = Table("username", "role", "active", "looks like", "breaks the rule",
              title="User names to rename 需改名的用户")
    for p in found:
        t.add_row(repr(p.username), p.role, "yes" if p.active else "no",
                  ", ".join(repr(n) for n in p.looks_like), p.problem or "")
    console.print(t)
    err_console.print(f"{plural(len(found), 'user')}: rename with `lantu user rename OLD NEW`.")
    raise typer.Exit(1)


@user_app.command("rename")
@friendly_errors
def user_rename(username: str, new_name: str, db: DbOption = None) -> None:
    """Rename a user (the name rule applies to the new name); their sessions end and their API
    tokens are revoked, as at a password change; history stays; audited."""
    from lantu.store import users

    with open_db(db).session() as s:
        u = users.rename_user(s, username, new_name, actor=actors.CLI)
    console.print(f"Renamed {username!r} to {u.username!r}; they sign in by the new name "
                  "and make new API tokens.")
