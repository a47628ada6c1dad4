"""Imports are all or nothing (errors name feature and field); exports round-trip; a crash mid-import loses nothing."""

import io
import json
import zipfile

from sqlalchemy import func, select

from server.domain.models import AuditEvent, Revision, Stop, Walk
from server.domain.walks.lookup import stop_state

from .editor_helpers import post_form

IMPORT = "/editor/walks/test-walk/import"


def walk_snapshot(session):
    session.expire_all()
    walk = session.scalar(select(Walk).where(Walk.slug == "test-walk"))
    return ([stop_state(s) for s in walk.stops], session.scalar(select(func.count()).select_from(Revision)))


def send(client, content: bytes, name="stops.geojson"):
    return post_form(client, IMPORT, {"file": (io.BytesIO(content), name)}, content_type="multipart/form-data")


def feature(slug, lon, lat, **props):
    return {
        "type": "Feature",
        "id": slug,
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": props,
    }


def collection(*features):
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def test_geojson_import_updates_and_adds_stops(signed_in, test_walk, session):
    editor = signed_in("editor")
    response = send(
        editor,
        collection(
            feature("alpha", 3.71965, 51.05462, name={"nl": "Alfa", "en": "Alpha", "ja": "アルファ"}),
            feature("epsilon", 3.7220, 51.0552, name={"nl": "Epsilon"}, status="published"),
        ),
    )
    assert response.status_code == 200, response.data
    assert "epsilon" in response.get_data(as_text=True)
    session.expire_all()
    alpha = session.scalar(select(Stop).where(Stop.slug == "alpha"))
    assert alpha.name["ja"] == "アルファ" and alpha.lon == 3.71965
    epsilon = session.scalar(select(Stop).where(Stop.slug == "epsilon"))
    assert epsilon.status == "draft", "new stops arrive as drafts for review"


def test_one_bad_feature_imports_nothing_and_the_error_names_feature_and_field(signed_in, test_walk, session):
    editor = signed_in("editor")
    before = walk_snapshot(session)
    response = send(
        editor,
        collection(
            feature("alpha", 3.7197, 51.0547, name={"en": "Fine"}),
            feature("new-stop", 3.7220, 51.0552, name={"en": "Fine too"}),
            feature("beta", 3.7210, 51.0550, summary={"en": "<script>alert(1)</script>"}),
            feature("delta", 3.7210, 95.0),
        ),
    )
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "Nothing was imported" in text
    assert "feature 3 (&#39;beta&#39;): summary (en): plain text only" in text
    assert "feature 4 (&#39;delta&#39;): lat (latitude): must be between -90 and 90" in text
    assert walk_snapshot(session) == before


def test_not_geojson_at_all_is_refused(signed_in, test_walk, session):
    editor = signed_in("editor")
    before = walk_snapshot(session)
    for content in (b"{not json", b'{"type": "Feature"}', b"\x89PNG\r\n\x1a\n"):
        assert send(editor, content).status_code == 422
    assert walk_snapshot(session) == before


def test_gpx_waypoints_move_stops_by_id_or_name(signed_in, test_walk, session):
    editor = signed_in("editor")
    gpx = b"""<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">
  <wpt lat="51.05471" lon="3.71972"><name>alpha</name></wpt>
  <wpt lat="51.05505" lon="3.72101"><name>Name beta en</name></wpt>
</gpx>"""
    assert send(editor, gpx, "positions.gpx").status_code == 200
    session.expire_all()
    assert session.scalar(select(Stop.lat).where(Stop.slug == "alpha")) == 51.05471
    assert session.scalar(select(Stop.lon).where(Stop.slug == "beta")) == 3.72101
    unknown = gpx.replace(b"<name>alpha</name>", b"<name>nowhere</name>")
    response = send(editor, unknown, "positions.gpx")
    assert response.status_code == 422 and "waypoint 1 (&#39;nowhere&#39;)" in response.get_data(as_text=True)


def test_export_gives_a_bundle_that_imports_back_unchanged(signed_in, test_walk, session):
    editor = signed_in("editor")
    response = editor.get("/editor/walks/test-walk/export")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert {"test-walk/walk.json", "test-walk/stops.geojson", "test-walk/path.geojson"} <= set(archive.namelist())
    stops = archive.read("test-walk/stops.geojson")
    assert b"secret note about gamma" in stops, "staff exports keep drafts and notes"
    before = walk_snapshot(session)
    assert send(editor, stops).status_code == 200
    assert walk_snapshot(session) == before, "re-importing an export changes nothing"
    assert session.scalar(select(AuditEvent).where(AuditEvent.action == "walk.import")) is not None


def test_a_gpx_track_or_geojson_line_becomes_the_path_as_a_walk_revision(signed_in, test_walk, session):
    editor = signed_in("editor")
    gpx = b"""<?xml version="1.0"?><gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1">
<trk><trkseg><trkpt lat="51.0545" lon="3.7195"/><trkpt lat="51.0550" lon="3.7210"/>
<trkpt lat="51.0553" lon="3.7225"/></trkseg></trk></gpx>"""
    assert send(editor, gpx, "path.gpx").status_code == 200
    session.expire_all()
    walk = session.scalar(select(Walk).where(Walk.slug == "test-walk"))
    assert walk.path == [[3.7195, 51.0545], [3.721, 51.055], [3.7225, 51.0553]] and walk.revision == 2
    bad = json.dumps(
        {
            "type": "Feature",
            "properties": {},
            "geometry": {"type": "LineString", "coordinates": [[3.72, 51.05], [51.05, 200]]},
        }
    ).encode()
    response = send(editor, bad, "path.geojson")
    assert response.status_code == 422 and "path position 2" in response.get_data(as_text=True)
    session.expire_all()
    assert session.scalar(select(Walk).where(Walk.slug == "test-walk")).revision == 2
