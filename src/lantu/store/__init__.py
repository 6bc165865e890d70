"""Persistence: SQLAlchemy schema, Alembic migrations and repositories (the only layer that writes)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lantu.store.db import Database

if TYPE_CHECKING:
    from lantu.errors import LantuError

__all__ = ["Database", "machine_refused", "open_database"]


def open_database(url: str | None = None, *, migrate: bool = True) -> Database:
    """Open Lantu's database (``url``, else ``LANTU_DATABASE_URL``, else the SQLite file in
    ``LANTU_HOME``) and bring its schema up to date."""
    from sqlalchemy.exc import ArgumentError, DatabaseError, NoSuchModuleError

    from lantu.config import get_settings
    from lantu.errors import Unavailable, UsageError

    given = url or get_settings().resolved_database_url()
    try:
        db = Database(given)
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:  # `--db notaurl`: a
        # traceback (probe22); a driver Lantu does not ship (mysql://) alike
        what = "names a database Lantu has no driver for" if not isinstance(
            exc, ArgumentError) else "is not a database URL"
        raise UsageError(f"--db {given}: {what}; give sqlite:///path/lantu.db or "
                         "postgresql+psycopg://user@host/name") from None
    try:  # the one place every command and the server opens it: a clear error, exit 3 / 503
        with db.engine.connect():
            pass
    except DatabaseError as exc:  # a SQLite file in a missing folder, a server not running,
        # a file that is no SQLite database (`--db sqlite:///data.csv`, probe18: a traceback,
        # the file left as it was): a traceback before (probe16); the address without its
        # password, the driver's reason
        where = db.engine.url.render_as_string(hide_password=True)
        why = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
        raise Unavailable(f"{where}: the database cannot be opened ({why}); check the path and "
                          "that its folder exists") from None
    if migrate:
        db.migrate()
    return db


#: what a database driver says when the machine, not the input, refuses a write (SQLite,
#: PostgreSQL): a full disk, a read-only file or file system, an I/O error, a lock held too long
_MACHINE_REFUSALS = ("database or disk is full", "disk i/o error", "readonly database",
                     "read-only file system", "no space left on device", "could not extend file",
                     "database is locked")


def machine_refused(exc: BaseException) -> LantuError | None:
    """The error to say for ``exc`` when it is the machine refusing a write to the database
    (exit 3, no traceback; probe18: a full disk gave a traceback), else None. The transaction
    under way is rolled back by the driver: nothing of it is written."""
    from sqlalchemy.exc import DBAPIError

    from lantu.errors import Unavailable

    if not isinstance(exc, DBAPIError):
        return None
    why = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
    if not any(m in why.lower() for m in _MACHINE_REFUSALS):
        return None
    return Unavailable(f"the database cannot be written ({why}): the change under way was not "
                       "saved; free disk space or check the file's permissions, then run the "
                       "command again")
