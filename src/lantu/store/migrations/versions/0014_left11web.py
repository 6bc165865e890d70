"""left11web: a task version's reason, when the system wrote it (延期, 销号, 重新打开, 交办, …),
keeps a message key and its parameters, and is said in the reader's language
(``lantu.store.assignment.version_reason``), as notifications are since 0013_left10web.

Rows made before keep their reason as written, except the four fixed words the system wrote in
English whatever the page ("assigned", "as loaded", "split" and "uploaded blueprint …"), which
are given their key here: nothing a person typed is rewritten. ``reason`` keeps the Chinese text
it was said in when written, for a reader of the table and a downgrade.

Revision ID: 0014_left11web
Revises: 0013_left10web
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_left11web"
down_revision = "0013_left10web"
branch_labels = None
depends_on = None

#: the reasons the system wrote in English before, and their keys
FIXED = {"assigned": "ver.assigned", "as loaded": "ver.loaded", "split": "ver.split"}
ZH = {"assigned": "交办", "as loaded": "载入时的版本", "split": "拆分"}


def upgrade() -> None:
    # plain ADD COLUMN, not a batch: a batch recreates the table on SQLite (see 0013)
    op.add_column("task_version", sa.Column("message_key", sa.String(length=80), nullable=True))
    op.add_column("task_version", sa.Column("params", sa.JSON(), nullable=True))
    tv = sa.table("task_version", sa.column("id", sa.Integer), sa.column("reason", sa.Text),
                  sa.column("message_key", sa.String), sa.column("params", sa.JSON))
    for written, key in FIXED.items():
        op.execute(tv.update().where(tv.c.reason == written).values(
            message_key=key, params={}, reason=ZH[written]))
    # "uploaded blueprint <file>": the file's name is its parameter
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, reason FROM task_version "
                                "WHERE reason LIKE 'uploaded blueprint%'")).all()
    for row_id, reason in rows:
        source = reason[len("uploaded blueprint"):].strip()
        conn.execute(tv.update().where(tv.c.id == row_id).values(
            message_key="ver.uploaded", params={"source": source},
            reason=f"上传规划纲要 {source}".strip()))


def downgrade() -> None:
    """The keys go; every row keeps the reason it was said in, in Chinese."""
    op.drop_column("task_version", "params")
    op.drop_column("task_version", "message_key")
