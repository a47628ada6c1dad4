"""Directions along the route: distance along the path, an arrow that turns with the phone, off-route."""

import json
import math
from itertools import pairwise

import pytest

from .pwa_pages import (
    FAKE_GEOLOCATION,
    METRE_IN_DEGREES,
    PHONE,
    WALK,
    open_app,
    published_stops,
    wait_for_map,
)

pytestmark = pytest.mark.browser


def walk_path(app):
    return json.loads(app.extensions["published_documents"].get(f"/api/walks/{WALK}").body)["path"]["coordinates"]


def metres_from_path(path, lon, lat):
    scale = math.cos(math.radians(lat)) / METRE_IN_DEGREES

    def flat(p):
        return (p[0] * scale, p[1] / METRE_IN_DEGREES)

    px, py = flat((lon, lat))
    best = math.inf
    for a, b in pairwise(path):
        (ax, ay), (bx, by) = flat(a), flat(b)
        dx, dy = bx - ax, by - ay
        share = max(0, min(1, ((px - ax) * dx + (py - ay) * dy) / ((dx * dx + dy * dy) or 1)))
        best = min(best, math.hypot(px - ax - share * dx, py - ay - share * dy))
    return best


def open_walking(app, open_context):
    context = open_context(**PHONE)
    context.add_init_script(FAKE_GEOLOCATION)
    page = open_app(context, f"/#/walk/{WALK}")
    wait_for_map(page, len(published_stops(app)))
    page.click("#start-walking")
    return page


def fix(page, lon, lat, accuracy=8):
    page.evaluate("([lon, lat, accuracy]) => kotojiTestGeolocation.fix(lon, lat, accuracy)", [lon, lat, accuracy])


def test_distance_to_the_next_stop_is_measured_along_the_path(app, open_context):
    page = open_app(open_context(), "/#/")
    way = page.evaluate(
        """async (m) => {
        const { RouteLine } = await import('/js/route-line.js');
        // 100 m east, then 100 m north; the stop at the end, the walker at the start
        const east = 100 * m / Math.cos(51.05 * Math.PI / 180);
        const line = new RouteLine([[3.72, 51.05], [3.72 + east, 51.05], [3.72 + east, 51.05 + 100 * m]]);
        return line.wayAlong([3.72, 51.05], [3.72 + east, 51.05 + 100 * m]);
    }""",
        METRE_IN_DEGREES,
    )
    assert way["distance"] == pytest.approx(200, abs=2)  # not the 141 m straight line
    assert way["offset"] == pytest.approx(0, abs=0.5)
    assert way["leftOnPath"] == pytest.approx(200, abs=2)

    page = open_walking(app, open_context)
    lon, lat = walk_path(app)[0]
    fix(page, lon, lat)
    assert "along the route" in page.text_content("#next-stop")
    assert "min left of the whole walk" in page.text_content("#walk-left")


def test_off_the_route_the_walker_is_told_and_shown_the_way_back(app, open_context):
    path = walk_path(app)
    (lon1, lat1), (lon2, lat2) = path[0], path[1]
    # 120 m to the side of the first stretch of path
    length = math.hypot((lon2 - lon1) * math.cos(math.radians(lat1)), lat2 - lat1)
    side_lon = lon1 - (lat2 - lat1) / length * 120 * METRE_IN_DEGREES / math.cos(math.radians(lat1))
    side_lat = lat1 + (lon2 - lon1) * math.cos(math.radians(lat1)) / length * 120 * METRE_IN_DEGREES
    assert metres_from_path(path, side_lon, side_lat) > 80
    page = open_walking(app, open_context)
    fix(page, lon1, lat1)
    assert page.is_hidden("#off-route")
    fix(page, side_lon, side_lat)
    assert page.is_visible("#off-route")
    assert "off the route" in page.text_content("#off-route")
    fix(page, side_lon, side_lat, accuracy=90)  # a poor fix says nothing new
    fix(page, lon1, lat1)
    assert page.is_hidden("#off-route")


def test_the_arrow_turns_with_the_way_the_phone_points(app, open_context):
    stops = published_stops(app)
    lon, lat = stops[0]["geometry"]["coordinates"]
    page = open_walking(app, open_context)
    fix(page, lon - 0.003, lat)  # the next stop is to the east
    relative = int(page.get_attribute("#next-arrow", "data-relative"))
    assert 75 <= relative <= 105  # north-up: east is to the right
    assert page.text_content("#next-arrow-note") == "Arrow: north is up"
    page.click("#use-compass")
    page.wait_for_selector("#use-compass", state="hidden")  # the compass listens
    # Facing east. Sent on every poll: Chromium may send its own "no sensor" reading after ours.
    page.wait_for_function(
        """() => {
        window.dispatchEvent(new DeviceOrientationEvent(
            'ondeviceorientationabsolute' in window ? 'deviceorientationabsolute' : 'deviceorientation',
            { alpha: 270, beta: 0, gamma: 0, absolute: true }));
        return document.querySelector('#next-arrow-note').textContent === 'Arrow: ahead is up';
    }""",
        polling=200,
    )
    relative = int(page.get_attribute("#next-arrow", "data-relative"))
    assert relative <= 15 or relative >= 345  # straight ahead
