"""attemptname: the login-attempt table keeps the SHA-256 of each typed name, not the name.

A password typed into the name field (a common slip) stayed in the table as it was typed, for
a day (a failure) or thirty days (a success). The throttle counts and compares names by the
digest (``lantu.store.users.attempt_name``); the rows kept are converted here, so failures
still count and known addresses stay known across the upgrade.

Revision ID: 0011_attemptname
Revises: 0010_obsindex
"""
from __future__ import annotations

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0011_attemptname"
down_revision = "0010_obsindex"
branch_labels = None
depends_on = None

_ATTEMPT = sa.table("login_attempt", sa.column("id", sa.Integer),
                    sa.column("username", sa.String(64)))


def _digest(name: str) -> str:  # as lantu.store.users.attempt_name (the migration keeps its own)
    return hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()


def upgrade() -> None:
    conn = op.get_bind()
    rows = conn.execute(sa.select(_ATTEMPT.c.id, _ATTEMPT.c.username)).all()
    for row_id, name in rows:
        conn.execute(_ATTEMPT.update().where(_ATTEMPT.c.id == row_id)
                     .values(username=_digest(name or "")))


def downgrade() -> None:
    """The names cannot be had back from their digests: the attempts are forgotten (the
    throttle starts afresh, and users sign in once to make their addresses known again)."""
    op.execute(_ATTEMPT.delete())
