"""verdict2: catalogue properties of an indicator the verdict reads — ``flow`` (yearly figures are
flows that a cumulative target sums) and ``share_of_province`` (the indicator whose provincial total
this one is a share of) — once in the data, no longer a list in the code.

Revision ID: 0007_verdict2
Revises: 0006_seams
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_verdict2"
down_revision = "0006_seams"
branch_labels = None
depends_on = None

# what the catalogue (src/lantu/defaults/data/indicators.csv) says, for a database made before
_FLOWS = ("new_urban_jobs", "new_high_tech_enterprises", "new_parking_spaces",
          "old_communities_renovated", "new_rd_institutions")


def upgrade() -> None:
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.add_column(sa.Column("flow", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column("share_of_province", sa.String(length=64), nullable=True))
    indicator = sa.table("indicator", sa.column("code", sa.String), sa.column("flow", sa.Boolean),
                         sa.column("share_of_province", sa.String))
    op.execute(indicator.update().where(indicator.c.code.in_(_FLOWS)).values(flow=True))
    op.execute(indicator.update().where(indicator.c.code == "gdp_share_of_province")
               .values(share_of_province="gdp"))


def downgrade() -> None:
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.drop_column("share_of_province")
        batch_op.drop_column("flow")
