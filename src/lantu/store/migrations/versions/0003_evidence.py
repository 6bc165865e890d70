"""evidence: source quality and publication date on observations, their revisions and targets
(with why a revision is not current); milestones (dated qualitative achievements) and the plan
nodes they serve; series breaks.

Existing rows get a quality from what they already say: a ``weak_source`` flag is third party, a
figure with a government URL flagged ``preliminary`` comes from a work report, another government
URL is official other, the rest ``none`` (re-import with a ``source_quality`` column to state it).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05 00:30:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

_QUALITY_COLUMNS = ('observation', 'observation_revision', 'target')


def upgrade() -> None:
    for table in _QUALITY_COLUMNS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('source_quality', sa.String(length=24),
                                          server_default='none', nullable=False))
            batch_op.add_column(sa.Column('source_published', sa.String(length=10),
                                          server_default='', nullable=False))
            if table == 'observation_revision':
                batch_op.add_column(sa.Column('reason', sa.String(length=20),
                                              server_default='replaced', nullable=False))
    for table in _QUALITY_COLUMNS:
        op.execute(f"UPDATE {table} SET source_quality = 'official_other' "
                   "WHERE source_url LIKE '%gov.cn%'")
        if table != 'target':
            op.execute(f"UPDATE {table} SET source_quality = 'official_report' "
                       "WHERE source_url LIKE '%gov.cn%' AND flags LIKE '%preliminary%'")
            op.execute(f"UPDATE {table} SET source_quality = 'third_party' "
                       "WHERE flags LIKE '%weak_source%'")

    op.create_table('milestone_fact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region_code', sa.String(length=6), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('excerpt', sa.Text(), nullable=False),
    sa.Column('source_url', sa.Text(), nullable=False),
    sa.Column('archive', sa.String(length=500), nullable=False),
    sa.Column('start_offset', sa.Integer(), nullable=True),
    sa.Column('end_offset', sa.Integer(), nullable=True),
    sa.Column('source_quality', sa.String(length=24), nullable=False),
    sa.Column('reviewed', sa.Boolean(), nullable=False),
    sa.Column('reviewed_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('import_batch_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['import_batch_id'], ['import_batch.id'], name=op.f('fk_milestone_fact_import_batch_id_import_batch')),
    sa.ForeignKeyConstraint(['region_code'], ['region.code'], name=op.f('fk_milestone_fact_region_code_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_milestone_fact')),
    sa.UniqueConstraint('region_code', 'year', 'kind', 'text', name=op.f('uq_milestone_fact_region_code'))
    )
    with op.batch_alter_table('milestone_fact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_milestone_fact_region_code'), ['region_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_milestone_fact_year'), ['year'], unique=False)

    op.create_table('milestone_fact_node',
    sa.Column('milestone_id', sa.Integer(), nullable=False),
    sa.Column('node_code', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['milestone_id'], ['milestone_fact.id'], name=op.f('fk_milestone_fact_node_milestone_id_milestone_fact')),
    sa.PrimaryKeyConstraint('milestone_id', 'node_code', name=op.f('pk_milestone_fact_node'))
    )
    with op.batch_alter_table('milestone_fact_node', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_milestone_fact_node_node_code'), ['node_code'], unique=False)


    op.create_table('series_break',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region_code', sa.String(length=6), nullable=False),
    sa.Column('indicator_code', sa.String(length=64), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('source_url', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['indicator_code'], ['indicator.code'], name=op.f('fk_series_break_indicator_code_indicator')),
    sa.ForeignKeyConstraint(['region_code'], ['region.code'], name=op.f('fk_series_break_region_code_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_series_break')),
    sa.UniqueConstraint('region_code', 'indicator_code', 'period', name=op.f('uq_series_break_region_code'))
    )
    with op.batch_alter_table('series_break', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_series_break_indicator_code'), ['indicator_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_series_break_region_code'), ['region_code'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('series_break', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_series_break_region_code'))
        batch_op.drop_index(batch_op.f('ix_series_break_indicator_code'))
    op.drop_table('series_break')
    with op.batch_alter_table('milestone_fact_node', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_milestone_fact_node_node_code'))
    op.drop_table('milestone_fact_node')
    with op.batch_alter_table('milestone_fact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_milestone_fact_year'))
        batch_op.drop_index(batch_op.f('ix_milestone_fact_region_code'))
    op.drop_table('milestone_fact')
    for table in reversed(_QUALITY_COLUMNS):
        with op.batch_alter_table(table, schema=None) as batch_op:
            if table == 'observation_revision':
                batch_op.drop_column('reason')
            batch_op.drop_column('source_published')
            batch_op.drop_column('source_quality')
