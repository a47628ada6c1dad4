"""saved_tour_shares: a saved tour shared read-only with another guide account (issue 15, item 11)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 17:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "saved_tour_shares",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tour_id", sa.Integer(), nullable=False),
        sa.Column("reader_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["tour_id"], ["saved_tours.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["reader_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("tour_id", "reader_id"),
    )
    op.create_index("ix_saved_tour_shares_tour_id", "saved_tour_shares", ["tour_id"])
    op.create_index("ix_saved_tour_shares_reader_id", "saved_tour_shares", ["reader_id"])


def downgrade() -> None:
    op.drop_index("ix_saved_tour_shares_reader_id", table_name="saved_tour_shares")
    op.drop_index("ix_saved_tour_shares_tour_id", table_name="saved_tour_shares")
    op.drop_table("saved_tour_shares")
