"""left12: Lantu's own actors are marked ``lantu <command>`` (:mod:`lantu.actors`), a name no
user can have (a user name holds no blank), instead of the bare words ``init``, ``demo`` and
``cli``, which a user could be named: a user named ``init`` was shown as "系统初始化".

Rows written before say ``init``, ``demo`` or ``cli``; they are given the marked name, except
where a user of that very name exists (then the row may be theirs, and it stays as written: it
is shown as the user). Nothing else is rewritten; the downgrade writes the bare words back.

Revision ID: 0015_left12
Revises: 0014_left11web
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_left12"
down_revision = "0014_left11web"
branch_labels = None
depends_on = None

#: the bare words the system wrote, and its marked names (lantu.actors)
MARKED = {"init": "lantu init", "demo": "lantu demo", "cli": "lantu cli"}
#: the columns that hold who did something, by name
COLUMNS = (("audit_log", "actor"), ("task_event", "actor"), ("task_version", "actor"),
           ("import_batch", "created_by"), ("observation", "created_by"),
           ("observation_revision", "recorded_by"), ("observation_revision", "replaced_by"))


def _rewrite(pairs: dict[str, str], *, skip_users: bool) -> None:
    conn = op.get_bind()
    users = {name for (name,) in conn.execute(sa.text("SELECT username FROM user_account"))}
    for old, new in pairs.items():
        if skip_users and old in users:
            continue
        for table, column in COLUMNS:
            t = sa.table(table, sa.column(column, sa.String))
            conn.execute(t.update().where(t.c[column] == old).values({column: new}))


def upgrade() -> None:
    _rewrite(MARKED, skip_users=True)


def downgrade() -> None:
    _rewrite({new: old for old, new in MARKED.items()}, skip_users=False)
