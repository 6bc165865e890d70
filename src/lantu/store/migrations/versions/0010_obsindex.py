"""obsindex: the observation table keeps two indexes instead of four.

Its unique key (region, period, indicator) already serves every lookup by region (its first
column), so the index on ``region_code`` alone only cost writes; the separate indexes on
``indicator_code`` and ``period`` become one on (indicator, period), which serves the
indicator's lookups (and, on PostgreSQL, its foreign key) and the periods held for an
indicator. Every write of an observation kept four B-trees up to date; a bulk import spent
most of its writing time on them (``benchmarks/import_speed.py``).

Revision ID: 0010_obsindex
Revises: 0009_treview
"""
from __future__ import annotations

from alembic import op

revision = "0010_obsindex"
down_revision = "0009_treview"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_observation_region_code", table_name="observation")
    op.drop_index("ix_observation_period", table_name="observation")
    op.drop_index("ix_observation_indicator_code", table_name="observation")
    op.create_index("ix_observation_indicator_period", "observation",
                    ["indicator_code", "period"])


def downgrade() -> None:
    op.drop_index("ix_observation_indicator_period", table_name="observation")
    op.create_index("ix_observation_indicator_code", "observation", ["indicator_code"])
    op.create_index("ix_observation_period", "observation", ["period"])
    op.create_index("ix_observation_region_code", "observation", ["region_code"])
