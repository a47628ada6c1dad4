"""The schema migrates forward from the first release's schema on both databases, keeping the data."""

import pytest
from sqlalchemy import Engine, MetaData, create_engine, inspect, select, text

from server import create_app
from server.domain.models import Base, Stop
from server.migrate import is_current, upgrade

from ..conftest import BACKENDS

FIRST_RELEASE = "0001"


@pytest.fixture(params=BACKENDS)
def empty_database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    server = request.getfixturevalue("postgres")
    name = f"kotoji_empty_{abs(hash(str(tmp_path))) % 10**8}"
    server.drop_database(name)
    server._execute(f"CREATE DATABASE {name}")
    yield server.url(name)
    server.drop_database(name)


def test_upgrade_from_the_first_release_keeps_every_stop(empty_database_url, sqlite_template, instance_path):
    upgrade(empty_database_url, FIRST_RELEASE)
    assert not is_current(empty_database_url)
    app = create_app({"DATABASE_URL": empty_database_url})
    engine = app.extensions["db"].engine
    first_tables = set(inspect(engine).get_table_names())
    copy_into_older_schema(f"sqlite:///{sqlite_template}", engine)
    with engine.connect() as connection:
        before = set(connection.execute(text("SELECT slug, lat, lon FROM stops")).all())
    assert before
    engine.dispose()

    upgrade(empty_database_url)
    assert is_current(empty_database_url)
    assert set(inspect(engine).get_table_names()) >= first_tables | set(Base.metadata.tables)
    with app.extensions["db"].session() as session:
        assert {(s.slug, s.lat, s.lon) for s in session.scalars(select(Stop))} == before
    engine.dispose()


def copy_into_older_schema(source_url: str, target: Engine) -> None:
    """Copy the seeded walks into a database at an older schema: the columns that schema has, in FK order.

    Seeding through today's models would write today's columns, which the first release did not have.
    """
    source = create_engine(source_url)
    old, new = MetaData(), MetaData()
    old.reflect(target)
    new.reflect(source)
    try:
        with source.connect() as reading, target.begin() as writing:
            for table in old.sorted_tables:
                if table.name == "alembic_version":
                    continue
                columns = [new.tables[table.name].c[column.name] for column in table.columns]
                rows = [dict(row) for row in reading.execute(select(*columns)).mappings()]
                # Rows pointing at rows of their own table (twin stops) get those links once all are in.
                own = [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]
                if rows:
                    writing.execute(table.insert(), [{**row, **dict.fromkeys(own)} for row in rows])
                for row in rows if own else []:
                    writing.execute(table.update().where(table.c.id == row["id"]).values({c: row[c] for c in own}))
    finally:
        source.dispose()


def test_upgrade_gives_stops_their_soft_delete_columns_and_keeps_them_live(
    empty_database_url, sqlite_template, instance_path
):
    upgrade(empty_database_url, "0006")
    app = create_app({"DATABASE_URL": empty_database_url})
    engine = app.extensions["db"].engine
    assert "deleted_at" not in {c["name"] for c in inspect(engine).get_columns("stops")}
    copy_into_older_schema(f"sqlite:///{sqlite_template}", engine)
    engine.dispose()

    upgrade(empty_database_url)
    assert {"deleted_at", "deleted_by"} <= {c["name"] for c in inspect(engine).get_columns("stops")}
    with app.extensions["db"].session() as session:
        stops = session.scalars(select(Stop)).all()
        assert stops and all(s.deleted_at is None for s in stops)
        assert all(len(s.walk.stops) > 0 for s in stops), "existing stops stay in their walks"
    engine.dispose()
