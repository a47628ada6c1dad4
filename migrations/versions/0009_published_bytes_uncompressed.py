"""published_documents: PostgreSQL stores the bytes uncompressed, so a process reads a slice without the rest

A process reloading a large published document reads it in `substring` slices (publishing/publish.py,
`read_published_bytes`). On a column PostgreSQL compresses (its default, EXTENDED), every slice first
decompresses the value up to it: reading a 50 MB document in 256 KB pieces would decompress gigabytes.
EXTERNAL keeps the value out of line but uncompressed, and a slice reads only the TOAST chunks it covers.
Rows already stored compressed are written again, uncompressed (`|| ''` makes a new value, which the
new storage applies to; an unchanged value would keep its old TOAST): measured on a 45 MB document,
its 174 slices took 6.5 s compressed and 0.2 s uncompressed. The gzip is compressed already; the plain
bytes take about 3-6 times their compressed space on disk. SQLite reads blobs in pieces as they are.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 20:45:00
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def _storage(kind: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    columns = ", ".join(f"ALTER COLUMN {column} SET STORAGE {kind}" for column in ("body", "gzip_body"))
    op.execute(f"ALTER TABLE published_documents {columns}")


def upgrade() -> None:
    _storage("EXTERNAL")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "UPDATE published_documents SET body = body || ''::bytea, gzip_body = gzip_body || ''::bytea"
            " WHERE pg_column_compression(body) IS NOT NULL OR pg_column_compression(gzip_body) IS NOT NULL"
        )


def downgrade() -> None:
    _storage("EXTENDED")  # the rows stay uncompressed until they are written again
