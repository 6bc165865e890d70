"""verdict10: a catalogue property of an indicator the verdict reads — ``rate`` (``growth`` or
``reduction``: the yearly figures are rates of change in % of the year before, which a cumulative
target compounds; a sum of them is wrong). The session-10 audit found Shanxi's 十四五 target
"单位地区生产总值能耗比2020年下降14.5%" called ``pending`` for want of a 2020 *level*, though its
yearly figures are the year's reductions (2021: 下降3.2%, on track).

Revision ID: 0012_verdict10
Revises: 0011_attemptname
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_verdict10"
down_revision = "0011_attemptname"
branch_labels = None
depends_on = None

# what the catalogue (src/lantu/defaults/data/indicators.csv) says, for a database made before
_RATES = {"energy_intensity_change": "reduction"}
# flows the catalogue now marks (a five-year total of yearly amounts: 五年投入100亿元, 重点工程减排量)
_FLOWS = ("energy_intensity_change", "sci_tech_investment", "cod_reduction", "ammonia_reduction",
          "nox_reduction", "voc_reduction")


# a plain ADD/DROP COLUMN, not a batch: on SQLite a batch copies the table and drops the old one,
# which the observations' foreign keys refuse once there are rows (a downgrade of a used database)


def upgrade() -> None:
    op.add_column("indicator", sa.Column("rate", sa.String(length=16), nullable=True))
    indicator = sa.table("indicator", sa.column("code", sa.String), sa.column("flow", sa.Boolean),
                         sa.column("rate", sa.String))
    op.execute(indicator.update().where(indicator.c.code.in_(_FLOWS)).values(flow=True))
    for code, sense in _RATES.items():
        op.execute(indicator.update().where(indicator.c.code == code).values(rate=sense))


def downgrade() -> None:
    op.execute("ALTER TABLE indicator DROP COLUMN rate")  # SQLite ≥ 3.35 and PostgreSQL alike
