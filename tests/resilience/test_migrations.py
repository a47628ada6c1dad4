"""The schema migrates forward from the first release's schema on both databases, keeping the data."""

import pytest
from sqlalchemy import inspect, select

from server import create_app
from server.domain.walks.bundles import read_bundles
from server.domain.models import Base, Stop
from server.domain.walks.seeding import seed
from server.migrate import is_current, upgrade

from ..conftest import BACKENDS, ROUTES_DIR

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


def test_upgrade_from_the_first_release_keeps_every_stop(empty_database_url, instance_path):
    upgrade(empty_database_url, FIRST_RELEASE)
    assert not is_current(empty_database_url)
    app = create_app({"DATABASE_URL": empty_database_url})
    engine = app.extensions["db"].engine
    first_tables = set(inspect(engine).get_table_names())
    with app.extensions["db"].session() as session:
        seed(session, read_bundles(ROUTES_DIR))
        session.commit()
        before = {(s.slug, s.lat, s.lon) for s in session.scalars(select(Stop))}
    engine.dispose()

    upgrade(empty_database_url)
    assert is_current(empty_database_url)
    assert set(inspect(engine).get_table_names()) >= first_tables | set(Base.metadata.tables)
    with app.extensions["db"].session() as session:
        assert {(s.slug, s.lat, s.lon) for s in session.scalars(select(Stop))} == before
    engine.dispose()
