"""Persistence: SQLAlchemy schema, Alembic migrations and repositories (the only layer that writes)."""

from lantu.store.db import Database

__all__ = ["Database", "open_database"]


def open_database(url: str | None = None, *, migrate: bool = True) -> Database:
    """Open Lantu's database (``url``, else ``LANTU_DATABASE_URL``, else the SQLite file in
    ``LANTU_HOME``) and bring its schema up to date."""
    from sqlalchemy.exc import OperationalError

    from lantu.config import get_settings
    from lantu.errors import Unavailable

    db = Database(url or get_settings().resolved_database_url())
    try:  # the one place every command and the server opens it: a clear error, exit 3 / 503
        with db.engine.connect():
            pass
    except OperationalError as exc:  # a SQLite file in a missing folder, a server not running:
        # a traceback before (probe16); the address without its password, the driver's reason
        where = db.engine.url.render_as_string(hide_password=True)
        why = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
        raise Unavailable(f"{where}: the database cannot be opened ({why}); check the path and "
                          "that its folder exists") from None
    if migrate:
        db.migrate()
    return db
