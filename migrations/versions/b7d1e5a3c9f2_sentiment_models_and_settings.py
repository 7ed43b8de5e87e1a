"""sentiment models learned from a workspace's corrections; corrections say "person"

Revision ID: b7d1e5a3c9f2
Revises: 9c2e4f7a1b3d
Create Date: 2026-12-06 08:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7d1e5a3c9f2'
down_revision = '9c2e4f7a1b3d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'sentiment_models',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('workspace_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('started_at', sa.DateTime(), nullable=True),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('phase', sa.String(length=16), nullable=True),
        sa.Column('progress', sa.Float(), nullable=False),
        sa.Column('message', sa.Text(), nullable=True),
        sa.Column('corrections', sa.Integer(), nullable=False),
        sa.Column('quality', sa.JSON(), nullable=False),
        sa.Column('languages', sa.JSON(), nullable=False),
        sa.Column('seconds', sa.Float(), nullable=True),
        sa.Column('labelled', sa.BigInteger(), nullable=False),
        sa.Column('labelled_up_to', sa.BigInteger(), nullable=False),
        sa.Column('blob', sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_sentiment_models_workspace_id_workspaces'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sentiment_models')),
    )
    with op.batch_alter_table('sentiment_models', schema=None) as batch_op:
        batch_op.create_index('ix_sentiment_models_workspace', ['workspace_id', 'created_at'], unique=False)
    op.create_table(
        'sentiment_settings',
        sa.Column('workspace_id', sa.Integer(), nullable=False),
        sa.Column('use_model', sa.Boolean(), nullable=False),
        sa.Column('learn_from_imported', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_sentiment_settings_workspace_id_workspaces'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('workspace_id', name=op.f('pk_sentiment_settings')),
    )
    # a person's correction was stored as "manual"; the sources are now imported, computed,
    # model and person
    op.execute("UPDATE mentions SET sentiment_source = 'person' WHERE sentiment_source = 'manual'")


def downgrade():
    op.execute("UPDATE mentions SET sentiment_source = 'manual' WHERE sentiment_source = 'person'")
    op.execute("UPDATE mentions SET sentiment_source = 'computed' WHERE sentiment_source = 'model'")
    op.drop_table('sentiment_settings')
    with op.batch_alter_table('sentiment_models', schema=None) as batch_op:
        batch_op.drop_index('ix_sentiment_models_workspace')
    op.drop_table('sentiment_models')
