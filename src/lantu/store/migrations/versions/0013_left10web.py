"""left10web: a notification keeps what it says as a message key and its parameters; a user
whose password holds their name (found at sign-in) must change it.

Titles and e-mails were written in Chinese when the event happened, so an English page showed
them in Chinese. ``message_key`` and ``params`` let the reader's page say them in its language
(``lantu.store.notify.notice_text``); rows made before keep only their title and body, and are
shown as they were written.

Revision ID: 0013_left10web
Revises: 0012_verdict10
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_left10web"
down_revision = "0012_verdict10"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ALTER TABLE … ADD/DROP COLUMN, not a batch: on SQLite a batch recreates the table,
    # and dropping user_account with its foreign keys on deletes every row that cascades from
    # it (notifications, sessions, tokens)
    op.add_column("notification", sa.Column("message_key", sa.String(length=80), nullable=True))
    op.add_column("notification", sa.Column("params", sa.JSON(), nullable=True))
    op.add_column("user_account", sa.Column("password_must_change", sa.Boolean(),
                                            nullable=False, server_default=sa.false()))


def downgrade() -> None:
    """The keys go; every row keeps the title and body it was written with (in Chinese). A
    password to be changed is no longer asked for (it is asked again at the next sign-in)."""
    op.drop_column("user_account", "password_must_change")
    op.drop_column("notification", "params")
    op.drop_column("notification", "message_key")
