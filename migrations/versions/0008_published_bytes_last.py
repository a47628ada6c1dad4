"""published_documents: the bytes become the last columns on SQLite, so publishing reserves them for free

SQLite's zeroblob(N) reserves a blob without allocating it only where nothing but zero-length fields
follow it in the row; elsewhere the insert builds the whole row in memory (a 40 MB document took
three times that). Publishing inserts zeroblobs of the documents' sizes and then writes the bytes
with incremental blob I/O, so the bytes move to the end. PostgreSQL is left as it is: its bytes
arrive through COPY, where the order of the columns does not matter.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 19:50:00
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

BYTES_LAST = ("url", "walk_slug", "content_type", "sha256", "version", "published_at", "body", "gzip_body")
AS_CREATED = ("url", "walk_slug", "content_type", "body", "gzip_body", "sha256", "version", "published_at")


def _reorder(order: tuple[str, ...]) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    with op.batch_alter_table("published_documents", recreate="always", partial_reordering=[order]):
        pass  # the table is copied into the new column order, its index with it


def upgrade() -> None:
    _reorder(BYTES_LAST)


def downgrade() -> None:
    _reorder(AS_CREATED)
