"""sources per stop; a walk's content licence, attribution and path accuracy

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 14:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("stops", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sources", sa.JSON(), nullable=False, server_default="[]"))
    with op.batch_alter_table("walks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("license", sa.String(length=40), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("attribution", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(
            sa.Column("path_accuracy", sa.String(length=16), nullable=False, server_default="schematic")
        )


def downgrade() -> None:
    with op.batch_alter_table("walks", schema=None) as batch_op:
        batch_op.drop_column("path_accuracy")
        batch_op.drop_column("attribution")
        batch_op.drop_column("license")
    with op.batch_alter_table("stops", schema=None) as batch_op:
        batch_op.drop_column("sources")
