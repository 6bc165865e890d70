"""cycle: a task's part assigned by its lead department to one of its own units (内设处室 or
责任人): ``plan_node.unit`` names the unit, ``plan_node.weight`` its share in the roll-up.

Revision ID: 0008_cycle
Revises: 0007_verdict2
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_cycle"
down_revision = "0007_verdict2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("plan_node", schema=None) as batch_op:
        batch_op.add_column(sa.Column("unit", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("weight", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("plan_node", schema=None) as batch_op:
        batch_op.drop_column("weight")
        batch_op.drop_column("unit")
