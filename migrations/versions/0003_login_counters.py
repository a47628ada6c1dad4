"""login limits as one counter row per key, updated atomically (no check-then-act race)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 14:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The rows were one per failure and live 15 minutes: forgetting them only lifts current limits.
    op.execute("DELETE FROM login_attempts")
    with op.batch_alter_table("login_attempts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("failures", sa.Integer(), nullable=False, server_default="0"))
        batch_op.drop_index(batch_op.f("ix_login_attempts_key"))
        batch_op.create_index(batch_op.f("ix_login_attempts_key"), ["key"], unique=True)


def downgrade() -> None:
    op.execute("DELETE FROM login_attempts")
    with op.batch_alter_table("login_attempts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_attempts_key"))
        batch_op.create_index(batch_op.f("ix_login_attempts_key"), ["key"], unique=False)
        batch_op.drop_column("failures")
