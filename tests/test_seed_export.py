"""Seeding loads the bundles once; exporting writes them back unchanged."""

import json

from sqlalchemy import func, select

from server.domain.models import Revision, Stop, Walk

from .conftest import ROUTES_DIR


def test_seed_loaded_both_walks_with_twins_linked_both_ways(session):
    walks = {w.slug: w for w in session.scalars(select(Walk))}
    assert set(walks) >= {"gent-kanazawa", "kanazawa-gent"}
    lantern = next(s for s in walks["gent-kanazawa"].stops if s.twin and s.twin.twin is s)
    assert lantern.twin.walk.slug == "kanazawa-gent"


def test_seed_is_idempotent(manage, session):
    before = session.scalar(select(func.count(Stop.id)))
    result = manage("seed")
    assert result.exit_code == 0, result.output
    assert "already in the database" in result.output
    assert session.scalar(select(func.count(Stop.id))) == before


def test_every_seeded_walk_and_stop_has_its_first_revision(session):
    stops = session.scalar(select(func.count(Stop.id)))
    walks = session.scalar(select(func.count(Walk.id)))
    assert session.scalar(select(func.count(Revision.id))) == stops + walks


def test_export_round_trips_every_bundle(manage, tmp_path):
    for folder in sorted(p.parent for p in ROUTES_DIR.glob("*/walk.json")):
        out = tmp_path / folder.name
        result = manage("export", folder.name, tmp_path)
        assert result.exit_code == 0, result.output
        for name in ("walk.json", "stops.geojson", "path.geojson"):
            original = json.loads((folder / name).read_text())
            exported = json.loads((out / name).read_text())
            assert exported == original, f"{folder.name}/{name} changed on the way through the database"


def test_exported_walks_land_in_folders_named_after_them_which_check_accepts(manage, tmp_path):
    for folder in sorted(p.parent for p in ROUTES_DIR.glob("*/walk.json")):
        assert manage("export", folder.name, tmp_path / "out").exit_code == 0
    result = manage("check", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "bundle(s) OK" in result.output


def test_export_of_unknown_walk_says_so(manage, tmp_path):
    result = manage("export", "no-such-walk", tmp_path / "x")
    assert result.exit_code == 1
    assert "There is no walk called 'no-such-walk'" in result.output


def test_create_user_refuses_a_weak_password(manage):
    result = manage("create-user", "--email", "staff@gent.example", "--role", "admin", "--password", "short")
    assert result.exit_code == 1
    assert "at least 12 characters" in result.output
    ok = manage("create-user", "--email", "staff@gent.example", "--role", "admin", "--password", "a long enough secret")
    assert ok.exit_code == 0, ok.output
