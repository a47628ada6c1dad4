"""Draw the walking path on the walk page in Chromium (issue 13 item 9), save it, publish it, see it public."""

import json
import re

import pytest
from sqlalchemy import select

from server.domain.basemap.street_routes import lonlat_to_tile, tile_to_lonlat
from server.domain.models import Stop, Walk

from .browser_steps import open_signed_in
from .editor_helpers import PATH

pytestmark = pytest.mark.browser


def stored_path(session):
    session.expire_all()
    return session.scalar(select(Walk).where(Walk.slug == "test-walk")).path


def centre_of(page, selector):
    box = page.locator(selector).bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def drag(page, selector, dx, dy):
    x, y = centre_of(page, selector)
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 6):
        page.mouse.move(x + dx * step / 5, y + dy * step / 5)
    page.mouse.up()


def test_an_editor_draws_moves_inserts_deletes_undoes_saves_and_publishes_a_path(
    page_context, accounts, test_walk, session
):
    page = open_signed_in(page_context, accounts["editor"], "/editor/walks/test-walk")
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    summary = page.locator("#path-summary")
    page.wait_for_selector("#path-summary:has-text('4 points')")
    page.locator("#path-map").scroll_into_view_if_needed()
    assert page.locator("#path-map [data-vertex]").count() == 4
    assert page.locator("#path-map [data-midpoint]").count() == 3
    assert "Every stop is on the path" in page.inner_text("#path-warnings")

    # Draw: two clicks on the map add two points at the end.
    box = page.locator("#path-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] - 60, box["y"] + 60)
    page.mouse.click(box["x"] + box["width"] - 40, box["y"] + 40)
    page.wait_for_selector("#path-summary:has-text('6 points')")
    assert page.is_visible("#path-unsaved")

    # Move the first point by dragging it; insert one by dragging the handle between points 1 and 2.
    drag(page, "#path-map [data-vertex='0']", -30, 25)
    page.wait_for_selector("#path-status:has-text('Point 1 moved')")
    drag(page, "#path-map [data-midpoint='0']", 0, 40)
    page.wait_for_selector("#path-summary:has-text('7 points')")

    # Delete a point with the keyboard, then undo the deletion with Ctrl+Z.
    page.click("#path-map [data-vertex='3']")
    page.keyboard.press("Delete")
    page.wait_for_selector("#path-summary:has-text('6 points')")
    page.keyboard.press("Control+z")
    page.wait_for_selector("#path-summary:has-text('7 points')")
    assert "Undone: Point 4 deleted." in page.inner_text("#path-status")
    # Arrow keys move the chosen point a metre at a time.
    page.focus("#path-map [data-vertex='6']")
    page.keyboard.press("ArrowUp")
    page.wait_for_selector("#path-status:has-text('Point 7 moved')")
    length_text = summary.inner_text()
    assert "min on foot at 75 m per minute" in length_text

    # Reversing puts the stops out of order: the warning says so at once; reversing again clears it.
    page.click("#path-reverse")
    page.wait_for_selector("#path-warnings:has-text('but the walk visits them the other way round')")
    page.click("#path-undo")
    page.wait_for_selector("#path-warnings:has-text('Every stop is on the path')")

    # Preview shows the line without handles and the server's word on it; nothing is saved yet.
    page.click("#path-preview")
    page.wait_for_selector("#path-status:has-text('Preview')")
    assert page.locator("#path-map [data-vertex]").count() == 0
    assert stored_path(session) == PATH
    page.click("#path-preview")
    assert page.locator("#path-map [data-vertex]").count() == 7

    page.click("#path-save")
    page.wait_for_selector("#path-status:has-text('Saved as walk revision 2')")
    saved = stored_path(session)
    assert len(saved) == 7 and saved[0] != PATH[0] and saved[2:5] == PATH[1:4]
    assert not page.is_visible("#path-unsaved")

    page.click("#publish-button")
    page.wait_for_selector("text=Published as version")
    public = json.loads(page.request.get("/api/walks/test-walk").body())
    assert public["path"]["coordinates"] == [[round(v, 6) for v in p] for p in saved]
    assert public["path_accuracy"] == "schematic"
    history = page.request.get("/editor/walks/test-walk/history").text()
    assert "path drawn in the editor (7 points, schematic)" in history
    assert not errors, errors


def test_a_colleagues_newer_path_is_shown_and_nothing_is_lost(editor_context, els_and_jan, test_walk, session):
    els = open_signed_in(editor_context(), els_and_jan["els"], "/editor/walks/test-walk")
    jan = open_signed_in(editor_context(), els_and_jan["jan"], "/editor/walks/test-walk")
    for page in (els, jan):
        page.wait_for_selector("#path-summary:has-text('4 points')")
        page.locator("#path-map").scroll_into_view_if_needed()
    box = jan.locator("#path-map").bounding_box()
    jan.mouse.click(box["x"] + box["width"] - 50, box["y"] + 50)
    jan.click("#path-save")
    jan.wait_for_selector("#path-status:has-text('Saved as walk revision 2')")
    theirs = stored_path(session)
    assert len(theirs) == 5

    els.click("#path-map [data-vertex='1']")
    els.keyboard.press("Delete")
    els.click("#path-save")
    els.wait_for_selector("#path-conflict:has-text('someone else changed the path meanwhile')")
    assert els_and_jan["jan"] in els.inner_text("#path-conflict")
    assert stored_path(session) == theirs  # her save did not overwrite his
    els.click("#path-load-theirs")
    els.wait_for_selector("#path-summary:has-text('5 points')")
    # Her own drawing is one undo away, and saving it now is a choice made with his in view.
    els.keyboard.press("Control+z")
    els.wait_for_selector("#path-summary:has-text('3 points')")
    els.click("#path-save")
    els.wait_for_selector("#path-status:has-text('Saved as walk revision 3')")
    assert stored_path(session) == [PATH[0], *PATH[2:]]


def test_follow_the_streets_without_a_basemap_draws_a_straight_leg_and_says_so(
    page_context, accounts, test_walk, session
):
    alpha = session.scalar(select(Stop).where(Stop.slug == "alpha"))
    alpha.name = {**alpha.name, "en": '<img src=x onerror="document.title=1">Alpha'}
    session.commit()
    page = open_signed_in(page_context, accounts["editor"], "/editor/walks/test-walk")
    page.wait_for_selector("#path-summary:has-text('4 points')")
    # A stop's name on the map is text, never markup.
    assert '<img src=x onerror="document.title=1">Alpha' in page.inner_text("#path-map .path-stop-label >> nth=0")
    assert page.locator("#path-map .path-stop-label img").count() == 0
    page.locator("#path-map").scroll_into_view_if_needed()
    page.click("#path-streets")
    assert page.get_attribute("#path-streets", "aria-pressed") == "true"
    box = page.locator("#path-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] - 50, box["y"] + 50)
    page.wait_for_selector("#path-status:has-text('No basemap is installed')")
    assert "5 points" in page.inner_text("#path-summary")
    assert "schematic" in page.inner_text("#path-accuracy")
    # Split at a stop: a point appears where the path passes it.
    page.select_option("#path-split-stop", "beta")
    page.click("#path-split")
    page.wait_for_selector("#path-summary:has-text('6 points')")
    assert "stop beta" in page.inner_text("#path-status")


def test_with_a_basemap_the_editor_follows_its_street_and_saves_the_path_as_routed(
    page_context, accounts, installed, session
):
    # The synthetic basemap has one street per z15 tile, down the middle: put the stops beside it.
    tx, ty = (int(v) for v in lonlat_to_tile(3.7209, 51.0546, 15))
    street_lon = tile_to_lonlat(tx + 0.5, ty, 15)[0]
    walk = session.scalar(select(Walk).where(Walk.slug == "basemap-proef"))
    walk.path = []
    for stop, (east, north) in zip(walk.stops, [(0, 0), (0.0003, 0.003), (0, 0.0015)], strict=True):
        stop.lon, stop.lat = round(street_lon + east, 7), round(51.0546 + north, 7)
    session.commit()
    page = open_signed_in(page_context, accounts["editor"], "/editor/walks/basemap-proef")
    page.wait_for_selector("#path-status:has-text('no path yet')")
    page.locator("#path-map").scroll_into_view_if_needed()
    page.click("#path-streets")
    page.wait_for_selector("#path-map .leaflet-tile")  # the basemap is drawn under the stops
    # Click where stops 1 and 3 are: both on the street (a click on a stop reaches the map beneath).
    page.mouse.click(*centre_of(page, "#path-map .path-stop >> nth=0"))
    page.wait_for_selector("#path-summary:has-text('1 point')")
    page.mouse.click(*centre_of(page, "#path-map .path-stop >> nth=2"))
    page.wait_for_selector("#path-status:has-text('Followed the streets')")
    assert "routed" in page.inner_text("#path-accuracy")
    page.click("#path-save")
    page.wait_for_selector("#path-status:has-text('Saved as walk revision')")
    session.expire_all()
    walk = session.scalar(select(Walk).where(Walk.slug == "basemap-proef"))
    assert walk.path_accuracy == "routed" and len(walk.path) >= 3
    assert any(abs(lon - street_lon) < 1e-6 for lon, _ in walk.path[1:-1])  # along the street itself


def test_the_path_length_is_written_the_way_the_pages_language_writes_numbers(
    editor_context, accounts, test_walk, session
):
    walk = session.scalar(select(Walk).where(Walk.slug == "test-walk"))
    walk.path = [*PATH, [3.7330, 51.0600]]  # about 1.1 km in all
    session.commit()
    page = open_signed_in(editor_context(locale="nl-BE"), accounts["editor"], "/editor/walks/test-walk")
    assert page.get_attribute("html", "lang") == "nl"
    page.wait_for_selector("#path-summary:has-text('km')")
    assert re.search(r"(?<![\d.,])1,\d\d km", page.inner_text("#path-summary")), page.inner_text("#path-summary")
