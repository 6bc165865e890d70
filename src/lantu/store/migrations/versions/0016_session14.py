"""session14: 新型研发机构数量 (``new_rd_institutions``) counts the stock, not the year's new ones.

The catalogue marked it a flow (0007: "yearly figures are flows that a cumulative target sums"),
while its name, the extraction rules and the gold read it as a stock ("新型研发机构总数63家", 合肥
2026; "培育新型研发机构350家" by 2026 as a level): a flow's five-year goal is read as a sum and a
cumulative target would add the stocks up. The catalogue (indicators.csv) now says flow 0; a
database made before is told the same. The downgrade marks it a flow again.

Revision ID: 0016_session14
Revises: 0015_left12
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016_session14"
down_revision = "0015_left12"
branch_labels = None
depends_on = None

_INDICATOR = sa.table("indicator", sa.column("code", sa.String), sa.column("flow", sa.Boolean))


def upgrade() -> None:
    op.execute(_INDICATOR.update().where(_INDICATOR.c.code == "new_rd_institutions")
               .values(flow=False))


def downgrade() -> None:
    op.execute(_INDICATOR.update().where(_INDICATOR.c.code == "new_rd_institutions")
               .values(flow=True))
