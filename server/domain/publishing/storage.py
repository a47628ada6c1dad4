"""A published document written into the database a piece at a time, never as one value in memory.

SQLite gets a row of zero-filled blobs of the right sizes, then the bytes through its incremental
blob I/O; PostgreSQL gets the row through COPY, its bytes sent as they are read. Either way the
row is the one an ORM insert of the whole bytes would make, in the caller's transaction. Documents
of one piece or less (most of them) are simply written whole.
"""

import binascii
import sqlite3
from datetime import UTC, datetime
from select import select as wait_for_sockets
from typing import cast

import psycopg
from sqlalchemy import delete, func, insert, literal_column, select
from sqlalchemy.orm import Session, defer

from ..models import PublishedDocument
from . import spool
from .spool import SpooledDocument

_COPY = (
    "COPY published_documents (url, walk_slug, content_type, sha256, version, published_at, body, gzip_body) FROM STDIN"
)


def write_document(
    session: Session, url: str, walk_slug: str, content_type: str, version: int, document: SpooledDocument
) -> None:
    """Replace the published document at `url` with `document`'s bytes and gzip.

    A document of a piece or less is written whole, updating its row when there is one: on PostgreSQL
    a second publication then waits for the first instead of inserting beside it (every publication
    writes the walk index). A bigger one (a walk's own: the walk's row, locked by publishing, keeps its
    publications one at a time) replaces its row, the bytes written in pieces.
    """
    document.finish()
    fields = {"walk_slug": walk_slug, "content_type": content_type, "sha256": document.sha256, "version": version}
    dialect = session.get_bind().dialect.name
    if document.size + document.gzip_size <= spool.PIECE_BYTES or dialect not in ("sqlite", "postgresql"):
        _write_whole(session, url, fields, document)
        return
    stale = session.identity_map.get(session.identity_key(PublishedDocument, url))
    if stale is not None:
        session.expunge(stale)  # the row is rewritten below the ORM: a loaded copy would lie
    # The old bytes are replaced without being read: a big walk's would be tens of MB.
    session.execute(delete(PublishedDocument).where(PublishedDocument.url == url))
    row = {"url": url, **fields, "published_at": datetime.now(UTC)}
    if dialect == "sqlite":
        _write_sqlite(session, row, document)
    else:
        _write_postgresql(session, row, document)


def _write_whole(session: Session, url: str, fields: dict[str, object], document: SpooledDocument) -> None:
    deferred = [defer(PublishedDocument.body), defer(PublishedDocument.gzip_body)]  # replaced without being read
    record = session.get(PublishedDocument, url, options=deferred) or PublishedDocument(url=url)
    for name, value in fields.items():
        setattr(record, name, value)
    record.body, record.gzip_body = b"".join(document.plain_pieces()), b"".join(document.gzip_pieces())
    record.published_at = datetime.now(UTC)
    session.add(record)
    session.flush()
    session.expunge(record)  # its bytes are in the database now; the session need not hold them


def _write_sqlite(session: Session, row: dict[str, object], document: SpooledDocument) -> None:
    sizes = {"body": func.zeroblob(document.size), "gzip_body": func.zeroblob(document.gzip_size)}
    session.execute(insert(PublishedDocument).values(**row, **sizes))
    rowid: int = session.execute(
        select(literal_column("rowid")).select_from(PublishedDocument).where(PublishedDocument.url == row["url"])
    ).scalar_one()
    raw = cast(sqlite3.Connection, session.connection().connection.dbapi_connection)
    for column, pieces in (("body", document.plain_pieces()), ("gzip_body", document.gzip_pieces())):
        with raw.blobopen("published_documents", column, rowid) as blob:
            for piece in pieces:
                blob.write(piece)


def _write_postgresql(session: Session, row: dict[str, object], document: SpooledDocument) -> None:
    published_at = cast(datetime, row["published_at"]).isoformat()
    fields = [str(row[name]) for name in ("url", "walk_slug", "content_type", "sha256", "version")] + [published_at]
    raw = cast(psycopg.Connection, session.connection().connection.dbapi_connection)
    with raw.cursor() as cursor, cursor.copy(_COPY) as copy:
        copy.write("\t".join(_copy_text(field) for field in fields).encode())
        for pieces in (document.plain_pieces(), document.gzip_pieces()):
            copy.write(b"\t\\\\x")  # bytea in hex: "\x" then two digits a byte ("\\": COPY's escape)
            for piece in pieces:
                copy.write(binascii.hexlify(piece))
                _drain(raw)
        copy.write(b"\n")


def _drain(connection: psycopg.Connection) -> None:
    """Wait until libpq has sent what it holds of the COPY.

    On Linux psycopg leaves a COPY's data in libpq's buffer until it ends, so a 50 MB document
    (100 MB in hex) would sit in this process whenever the server reads slower than we write.
    """
    pgconn = connection.pgconn
    while pgconn.flush() == 1:  # 1: some is still buffered, the socket took what it could
        wait_for_sockets([], [pgconn.socket], [])


def _copy_text(value: str) -> str:
    """Return `value` as a field of COPY's text format (backslash, tab and line ends escaped)."""
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
