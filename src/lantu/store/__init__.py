"""Persistence: SQLAlchemy schema, Alembic migrations and repositories (the only layer that writes)."""

from lantu.store.db import Database

__all__ = ["Database", "open_database"]


def open_database(url: str | None = None, *, migrate: bool = True) -> Database:
    """Open Lantu's database (``url``, else ``LANTU_DATABASE_URL``, else the SQLite file in
    ``LANTU_HOME``) and bring its schema up to date."""
    from lantu.config import get_settings

    db = Database(url or get_settings().resolved_database_url())
    if migrate:
        db.migrate()
    return db
