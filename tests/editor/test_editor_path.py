"""Draw the walking path in the editor (issue 13 item 9): the path API, its checks, 412s, history and routing."""

import json

import pytest
from sqlalchemy import select

from server.domain.basemap.street_routes import lonlat_to_tile, tile_to_lonlat
from server.domain.models import AuditEvent, Walk

from .editor_helpers import PATH, post_form, write

PATH_API = "/editor/api/walks/test-walk/path"
DRAWN = [[3.7195, 51.0545], [3.7203, 51.05475], [3.7210, 51.0550], [3.7224, 51.0552]]


def stored(session, slug="test-walk") -> Walk:
    session.expire_all()
    return session.scalar(select(Walk).where(Walk.slug == slug))


def test_the_path_comes_with_its_stops_pace_warnings_and_etag(signed_in, test_walk):
    answer = signed_in("editor").get(PATH_API)
    body = answer.get_json()
    assert answer.headers["ETag"] == body["etag"] and body["path"] == PATH
    assert [s["slug"] for s in body["stops"]] == ["alpha", "beta", "gamma"]
    assert body["stops"][0]["trigger_radius_m"] == 30 and body["pace_m_per_min"] == 75
    assert body["warnings"] == [] and body["streets"] is False and body["length_m"] > 0


def test_a_drawn_path_is_saved_as_one_walk_revision_with_its_accuracy(signed_in, test_walk, session):
    editor = signed_in("editor")
    etag = editor.get(PATH_API).headers["ETag"]
    before = stored(session).revision
    saved = write(editor, "PUT", PATH_API, {"path": DRAWN, "path_accuracy": "routed"}, etag)
    assert saved.status_code == 200, saved.data
    walk = stored(session)
    assert (walk.path, walk.path_accuracy, walk.revision) == (DRAWN, "routed", before + 1)
    assert saved.headers["ETag"] != etag and saved.get_json()["changed"] is True
    assert "walk.path" in set(session.scalars(select(AuditEvent.action)))
    history = editor.get("/editor/walks/test-walk/history").get_data(as_text=True)
    assert "path drawn in the editor (4 points, routed)" in history
    again = write(editor, "PUT", PATH_API, {"path": DRAWN, "path_accuracy": "routed"}, saved.headers["ETag"])
    assert again.get_json()["changed"] is False and stored(session).revision == before + 1


@pytest.mark.parametrize(
    "body, expected",
    [
        ({"path": [[3.72, 51.05]]}, "at least two points"),
        ({"path": []}, "at least two points"),
        ({}, "path: missing"),
        ({"path": [[3.72 + i * 1e-5, 51.05] for i in range(5001)]}, "more than the 5000"),
        ({"path": [[3.7195, 91.0], [3.7205, 51.0548]]}, "not a valid [longitude, latitude] pair"),
        ({"path": [[3.7195, 51.0545], [-200, 51.0548]]}, "not a valid [longitude, latitude] pair"),
        ({"path": [[3.7195, 51.0545], ["3.72", "51.05"]]}, "not a valid [longitude, latitude] pair"),
        ({"path": [[3.7195, 51.0545], [True, 51.05]]}, "not a valid [longitude, latitude] pair"),
        ({"path": [[3.7195, 51.0545], [3.72051234567, 51.0548]]}, "at most 7 decimals"),
        ({"path": [[3.7195, 51.0545], [3.7495, 51.0548]]}, "at most 1000 m between vertices"),
        ({"path": DRAWN, "path_accuracy": "guessed"}, "path_accuracy: must be one of"),
        ({"path": DRAWN, "title": {"en": "sneaky"}}, "title: is not part of a path save"),
        ({"path": DRAWN, "message": "two\nlines\u0007"}, "message"),
        ({"path": DRAWN, "message": 42}, "message: must be text"),
    ],
    ids=[
        "one point",
        "no points",
        "no path",
        "too many points",
        "latitude out of range",
        "longitude out of range",
        "strings",
        "booleans",
        "noise decimals",
        "a 2 km jump",
        "unknown accuracy",
        "other fields",
        "control characters in the message",
        "a message that is not text",
    ],
)
def test_a_bad_path_is_refused_with_words_and_changes_nothing(signed_in, test_walk, session, body, expected):
    editor = signed_in("editor")
    etag = editor.get(PATH_API).headers["ETag"]
    refused = write(editor, "PUT", PATH_API, body, etag)
    assert refused.status_code == 422, refused.data
    assert expected in json.dumps(refused.get_json()["problems"])
    walk = stored(session)
    assert walk.path == PATH and walk.revision == 1


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_not_a_number_is_refused(signed_in, test_walk, session, constant):
    editor = signed_in("editor")
    etag = editor.get(PATH_API).headers["ETag"]
    raw = f'{{"path": [[3.7195, 51.0545], [{constant}, 51.0548]]}}'
    refused = write(editor, "PUT", PATH_API, None, etag, data=raw, content_type="application/json")
    assert refused.status_code == 422 and stored(session).path == PATH


def test_a_save_without_if_match_is_refused(signed_in, test_walk, session):
    refused = write(signed_in("editor"), "PUT", PATH_API, {"path": DRAWN})
    assert refused.status_code == 428 and stored(session).path == PATH


def test_a_colleagues_newer_path_is_never_overwritten_silently(signed_in, test_walk, session):
    els, jan = signed_in("editor"), signed_in("admin")
    etag = els.get(PATH_API).headers["ETag"]
    theirs = [[3.7195, 51.0545], [3.7225, 51.0553]]
    assert write(jan, "PUT", PATH_API, {"path": theirs}, jan.get(PATH_API).headers["ETag"]).status_code == 200
    refused = write(els, "PUT", PATH_API, {"path": DRAWN}, etag)
    assert refused.status_code == 412
    body = refused.get_json()
    assert body["current"]["path"] == theirs and body["saved_by"] == "admin@kotoji.test"
    assert refused.headers["ETag"] == body["current_etag"]
    assert stored(session).path == theirs
    # Having seen theirs, she may choose to save hers over it: that is a new revision, not a loss.
    kept = write(els, "PUT", PATH_API, {"path": DRAWN}, body["current_etag"])
    assert kept.status_code == 200 and stored(session).path == DRAWN


def test_a_colleagues_text_edit_is_no_conflict_for_the_path(signed_in, test_walk, session):
    els, jan = signed_in("editor"), signed_in("admin")
    etag = els.get(PATH_API).headers["ETag"]
    walk_etag = jan.get("/editor/api/walks/test-walk").headers["ETag"]
    assert write(jan, "PUT", "/editor/api/walks/test-walk", {"city": "Ghent"}, walk_etag).status_code == 200
    saved = write(els, "PUT", PATH_API, {"path": DRAWN}, etag)
    assert saved.status_code == 200, saved.data
    walk = stored(session)
    assert (walk.path, walk.city, walk.revision) == (DRAWN, "Ghent", 3)


def test_a_path_change_is_restored_from_the_walk_history(signed_in, test_walk, session):
    editor = signed_in("editor")
    saved = write(
        editor, "PUT", PATH_API, {"path": DRAWN, "path_accuracy": "routed"}, editor.get(PATH_API).headers["ETag"]
    )
    restored = post_form(
        editor, "/editor/walks/test-walk/restore", {"revision": "1", "if_match": saved.headers["ETag"]}
    )
    assert restored.status_code == 303
    walk = stored(session)
    assert (walk.path, walk.path_accuracy) == (PATH, "schematic")


def test_guides_cannot_draw_and_a_write_needs_the_csrf_token(signed_in, test_walk, session):
    guide = signed_in("guide")
    assert write(guide, "PUT", PATH_API, {"path": DRAWN}, '"walk-1-r1"').status_code == 403
    editor = signed_in("editor")
    etag = editor.get(PATH_API).headers["ETag"]
    no_token = editor.put(PATH_API, json={"path": DRAWN}, headers={"If-Match": etag})
    assert no_token.status_code in (400, 403) and stored(session).path == PATH


def test_the_preview_check_says_what_saving_would_warn_and_saves_nothing(signed_in, test_walk, session):
    editor = signed_in("editor")
    reversed_path = write(editor, "POST", f"{PATH_API}/check", {"path": PATH[::-1]}).get_json()
    assert [w["kind"] for w in reversed_path["warnings"]] == ["order", "order"]
    short = write(editor, "POST", f"{PATH_API}/check", {"path": PATH[:2]}).get_json()
    assert [(w["kind"], w["stop"]) for w in short["warnings"]] == [("far", "gamma")]
    assert write(editor, "POST", f"{PATH_API}/check", {"path": [[0, 0]]}).status_code == 422
    assert stored(session).revision == 1


ROUTE_API = "/editor/api/walks/test-walk/street-route"


def test_without_a_basemap_a_leg_is_a_straight_segment_and_says_so(signed_in, test_walk):
    answer = write(signed_in("editor"), "POST", ROUTE_API, {"from": [3.7195, 51.0545], "to": [3.7225, 51.0553]})
    body = answer.get_json()
    assert body["routed"] is False and body["path"] == [[3.7195, 51.0545], [3.7225, 51.0553]]
    assert "No basemap is installed" in body["message"]


@pytest.mark.parametrize("point", [[3.7, 95], [3.7], "here", [None, 51.0], [True, 51.0]])
def test_a_route_between_bad_points_is_refused(signed_in, test_walk, point):
    answer = write(signed_in("editor"), "POST", ROUTE_API, {"from": [3.7195, 51.0545], "to": point})
    assert (
        answer.status_code == 422 and "to: send the point as [longitude, latitude]" in answer.get_json()["problems"][0]
    )


def test_with_the_basemap_installed_a_leg_follows_its_street(signed_in, installed, session):
    # The synthetic basemap has one street per z15 tile: down the middle of the tile.
    tx, ty = (int(v) for v in lonlat_to_tile(3.7209, 51.0546, 15))
    street_lon = tile_to_lonlat(tx + 0.5, ty, 15)[0]
    start = [round(street_lon + 0.0003, 7), round(tile_to_lonlat(tx, ty + 0.3, 15)[1], 7)]
    end = [round(street_lon - 0.0002, 7), round(tile_to_lonlat(tx, ty + 0.7, 15)[1], 7)]
    editor = signed_in("editor")
    route = "/editor/api/walks/basemap-proef/street-route"
    body = write(editor, "POST", route, {"from": start, "to": end}).get_json()
    assert body["routed"] is True, body
    assert body["path"][0] == start and body["path"][-1] == end
    inner = body["path"][1:-1]
    assert len(inner) >= 2 and all(abs(lon - street_lon) < 1e-6 for lon, _ in inner)
    off_street = [round(street_lon + 0.003, 7), end[1]]  # ~200 m from the street
    body = write(editor, "POST", route, {"from": start, "to": off_street}).get_json()
    assert body["routed"] is False and "within 80 m" in body["message"] and body["path"] == [start, off_street]
    assert editor.get("/editor/api/walks/basemap-proef/path").get_json()["streets"] is True
