"""advocacy: the daily aggregate of sentiment per author, crisis alerts, competitors and webhook

Revision ID: e3a9c4d2b8f1
Revises: e3a9c4d2f6b1
Create Date: 2026-12-06 10:05:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e3a9c4d2b8f1'
down_revision = 'e3a9c4d2f6b1'
branch_labels = None
depends_on = None


def _tally_columns():
    return [
        sa.Column('platform', sa.String(length=32), nullable=False),
        sa.Column('followers', sa.BigInteger(), nullable=True),
        sa.Column('positive', sa.Integer(), nullable=False),
        sa.Column('neutral', sa.Integer(), nullable=False),
        sa.Column('negative', sa.Integer(), nullable=False),
    ]


def upgrade():
    op.create_table(
        'advocacy_days',
        sa.Column('workspace_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        *_tally_columns(),
        sa.ForeignKeyConstraint(['author_id'], ['authors.id'], name=op.f('fk_advocacy_days_author_id_authors'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_advocacy_days_workspace_id_workspaces'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('workspace_id', 'author_id', 'day', name=op.f('pk_advocacy_days')),
    )
    op.create_index('ix_advocacy_days_workspace_day', 'advocacy_days', ['workspace_id', 'day'], unique=False)
    op.create_table(
        'advocacy_topic_days',
        sa.Column('workspace_id', sa.Integer(), nullable=False),
        sa.Column('topic', sa.String(length=200), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        *_tally_columns(),
        sa.ForeignKeyConstraint(['author_id'], ['authors.id'], name=op.f('fk_advocacy_topic_days_author_id_authors'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_advocacy_topic_days_workspace_id_workspaces'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('workspace_id', 'topic', 'author_id', 'day', name=op.f('pk_advocacy_topic_days')),
    )
    op.create_index('ix_advocacy_topic_days_topic', 'advocacy_topic_days', ['workspace_id', 'topic', 'day'], unique=False)
    op.create_table(
        'advocacy_voice_days',
        sa.Column('workspace_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('brand', sa.String(length=200), nullable=False),
        sa.Column('mentions', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_advocacy_voice_days_workspace_id_workspaces'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('workspace_id', 'day', 'brand', name=op.f('pk_advocacy_voice_days')),
    )
    op.create_table(
        'advocacy_state',
        sa.Column('workspace_id', sa.Integer(), nullable=False),
        sa.Column('built_at', sa.DateTime(), nullable=True),
        sa.Column('seconds', sa.Float(), nullable=True),
        sa.Column('timezone', sa.String(length=64), nullable=False),
        sa.Column('mentions_upto', sa.BigInteger(), nullable=False),
        sa.Column('verdicts', sa.String(length=64), nullable=False),
        sa.Column('terms', sa.JSON(), nullable=False),
        sa.Column('stale', sa.Boolean(), nullable=False),
        sa.Column('cube', sa.LargeBinary(), nullable=True),
        sa.Column('cube_meta', sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_advocacy_state_workspace_id_workspaces'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('workspace_id', name=op.f('pk_advocacy_state')),
    )
    op.create_table(
        'advocacy_settings',
        sa.Column('workspace_id', sa.Integer(), nullable=False),
        sa.Column('competitors', sa.JSON(), nullable=False),
        sa.Column('webhook_url', sa.String(length=1000), nullable=True),
        sa.Column('webhook_secret', sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_advocacy_settings_workspace_id_workspaces'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('workspace_id', name=op.f('pk_advocacy_settings')),
    )
    op.create_table(
        'advocacy_alerts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('workspace_id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('starts_at', sa.DateTime(), nullable=False),
        sa.Column('ends_at', sa.DateTime(), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.Column('baseline_mean', sa.Float(), nullable=True),
        sa.Column('baseline_sd', sa.Float(), nullable=True),
        sa.Column('threshold', sa.Float(), nullable=True),
        sa.Column('mention_id', sa.Integer(), nullable=True),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('best_score', sa.Float(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('acknowledged_at', sa.DateTime(), nullable=True),
        sa.Column('acknowledged_by_id', sa.Integer(), nullable=True),
        sa.Column('delivery', sa.String(length=8), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('delivered_at', sa.DateTime(), nullable=True),
        sa.Column('delivery_error', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['acknowledged_by_id'], ['users.id'], name=op.f('fk_advocacy_alerts_acknowledged_by_id_users'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['author_id'], ['authors.id'], name=op.f('fk_advocacy_alerts_author_id_authors'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['mention_id'], ['mentions.id'], name=op.f('fk_advocacy_alerts_mention_id_mentions'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_advocacy_alerts_workspace_id_workspaces'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_advocacy_alerts')),
        sa.UniqueConstraint('workspace_id', 'key', name=op.f('uq_advocacy_alerts_workspace_id_key')),
    )
    op.create_index('ix_advocacy_alerts_open', 'advocacy_alerts', ['workspace_id', 'acknowledged_at', 'starts_at'], unique=False)


def downgrade():
    op.drop_index('ix_advocacy_alerts_open', table_name='advocacy_alerts')
    op.drop_table('advocacy_alerts')
    op.drop_table('advocacy_settings')
    op.drop_table('advocacy_state')
    op.drop_table('advocacy_voice_days')
    op.drop_index('ix_advocacy_topic_days_topic', table_name='advocacy_topic_days')
    op.drop_table('advocacy_topic_days')
    op.drop_index('ix_advocacy_days_workspace_day', table_name='advocacy_days')
    op.drop_table('advocacy_days')
