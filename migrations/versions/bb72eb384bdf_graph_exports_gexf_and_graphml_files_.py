"""graph exports: GEXF and GraphML files prepared in the background

One row per export of the network view; the file itself lives under instance/exports/.

Revision ID: bb72eb384bdf
Revises: 172dc0ee32f5
Create Date: 2026-11-23 16:43:03.963084

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'bb72eb384bdf'
down_revision = '172dc0ee32f5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('graph_exports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('format', sa.String(length=16), nullable=False),
    sa.Column('filters', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('phase', sa.String(length=32), nullable=True),
    sa.Column('progress', sa.Float(), nullable=False),
    sa.Column('message', sa.Text(), nullable=True),
    sa.Column('file_name', sa.String(length=255), nullable=True),
    sa.Column('file_size', sa.BigInteger(), nullable=True),
    sa.Column('node_count', sa.Integer(), nullable=True),
    sa.Column('edge_count', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_graph_exports_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_graph_exports_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_graph_exports'))
    )
    with op.batch_alter_table('graph_exports', schema=None) as batch_op:
        batch_op.create_index('ix_graph_exports_workspace_created', ['workspace_id', 'created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('graph_exports', schema=None) as batch_op:
        batch_op.drop_index('ix_graph_exports_workspace_created')

    op.drop_table('graph_exports')
