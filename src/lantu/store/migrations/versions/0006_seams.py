"""seams: drop the ``framework`` and ``framework_node`` tables. No code ever wrote or read them
(the peer index's framework is a YAML file read by ``lantu.evaluation.peer_index``); the
downgrade recreates them as 0001 made them. The upgrade refuses to drop a table that holds rows,
so nothing anyone put there by hand is lost silently.

Revision ID: 0006_seams
Revises: 0005_hardening
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

from lantu.errors import Conflict

revision = "0006_seams"
down_revision = "0005_hardening"
branch_labels = None
depends_on = None

_TABLES = ("framework_node", "framework")  # the child first: it points at framework


def upgrade() -> None:
    if not context.is_offline_mode():
        bind = op.get_bind()
        for table in _TABLES:
            rows = bind.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()
            if rows:
                raise Conflict(
                    f"migration 0006_seams: table {table!r} holds {rows} row{'' if rows == 1 else 's'} though no part of "
                    "Lantu writes it; export them if they matter and delete them, then upgrade")
    for table in _TABLES:
        op.drop_table(table)


def downgrade() -> None:
    op.create_table(
        "framework",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name_zh", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=300), nullable=False),
        sa.Column("spec", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_framework")),
    )
    op.create_table(
        "framework_node",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("framework_code", sa.String(length=64), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("parent_code", sa.String(length=64), nullable=True),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("name_zh", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=300), nullable=False),
        sa.Column("is_indicator", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["framework_code"], ["framework.code"],
                                name=op.f("fk_framework_node_framework_code_framework")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_framework_node")),
        sa.UniqueConstraint("framework_code", "code", name=op.f("uq_framework_node_framework_code")),
    )
