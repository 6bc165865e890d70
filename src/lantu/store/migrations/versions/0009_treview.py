"""treview: targets carry the review marker ``machine_read`` (read by ``lantu extract`` or the
default's build, no person has confirmed it), the same concept as the observation flag
``machine_read`` and the milestone's ``reviewed`` false (:mod:`lantu.domain.review`).

A database made before said it only in the target's free-text note ("machine-read by lantu
extract, not reviewed by a person", written by ``scripts/extract_corpus.py``); the upgrade reads
that note ONCE to set the marker, after which nothing reads the note as a flag.

Revision ID: 0009_treview
Revises: 0008_cycle
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_treview"
down_revision = "0008_cycle"
branch_labels = None
depends_on = None

#: how the default's build worded it before the column existed
_NOTE = "machine-read by lantu extract%"


def upgrade() -> None:
    with op.batch_alter_table("target", schema=None) as batch_op:
        batch_op.add_column(sa.Column("machine_read", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    target = sa.table("target", sa.column("note", sa.Text),
                      sa.column("machine_read", sa.Boolean))
    op.execute(target.update().where(target.c.note.like(_NOTE)).values(machine_read=True))


def downgrade() -> None:
    with op.batch_alter_table("target", schema=None) as batch_op:
        batch_op.drop_column("machine_read")
