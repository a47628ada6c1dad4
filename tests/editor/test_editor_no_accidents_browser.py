"""No lost input and no one-click accidents: B4, B5, B10, B12 as the review reproduced them, in Chromium."""

import pytest
from sqlalchemy import select

from server.domain.models import Stop, Walk

from .browser_steps import open_signed_in

pytestmark = pytest.mark.browser
WALK_PAGE = "/editor/walks/gent-kanazawa"
STOP_PAGE = "/editor/walks/gent-kanazawa/stops/belfort"


def order(session, walk="gent-kanazawa"):
    session.expire_all()
    return list(session.scalars(select(Stop.slug).join(Stop.walk).where(Walk.slug == walk).order_by(Stop.position)))


def test_a_refused_new_stop_keeps_what_was_typed_with_the_message_at_the_field(page_context, accounts, session):
    page = open_signed_in(page_context, accounts["editor"], WALK_PAGE)
    page.fill("#new-slug", "vismijn")
    page.fill("#new-name", "Oude Vismijn")
    page.fill("#new-lat", "3.7208")  # swapped, as in the review
    page.fill("#new-lon", "51.0573")
    page.click("#new-stop-form button[type=submit]")
    page.wait_for_selector("#new-lat-problem")
    assert page.locator(".site-header").count() == 1  # the editor's layout, not a bare 422
    assert "swapped" in page.inner_text("#new-lat-problem")
    assert [page.input_value(f"#new-{name}") for name in ("slug", "name", "lat", "lon")] == [
        "vismijn",
        "Oude Vismijn",
        "3.7208",
        "51.0573",
    ]
    page.fill("#new-lat", "51.0573")
    page.fill("#new-lon", "")  # an empty longitude: said at the longitude
    page.click("#new-stop-form button[type=submit]")
    page.wait_for_selector("#new-lon-problem")
    assert page.input_value("#new-name") == "Oude Vismijn"


def test_two_editors_reorder_from_stale_pages_without_a_bare_412(editor_context, accounts, session):
    first = open_signed_in(editor_context(), accounts["editor"], WALK_PAGE)
    second = open_signed_in(editor_context(), accounts["admin"], WALK_PAGE)
    start = order(session)
    first.click(f"button[aria-label='Move {start[1]} up']")
    first.wait_for_url(f"**{WALK_PAGE}#stop-{start[1]}")
    second.click(f"button[aria-label='Move {start[3]} down']")  # page loaded before the first move
    second.wait_for_url(f"**{WALK_PAGE}#stop-{start[3]}")
    assert second.locator(".site-header").count() == 1
    expected = [start[1], start[0], start[2], start[4], start[3], *start[5:]]
    assert order(session) == expected


def test_reordering_is_no_conflict_for_a_colleague_editing_the_walk_texts(editor_context, accounts, session):
    texts = open_signed_in(editor_context(), accounts["editor"], WALK_PAGE)
    mover = open_signed_in(editor_context(), accounts["admin"], WALK_PAGE)
    start = order(session)
    mover.click(f"button[aria-label='Move {start[1]} up']")
    mover.wait_for_url(f"**#stop-{start[1]}")
    texts.fill("#title-nl", "Gent–Kanazawa, herzien")
    texts.click("#walk-form button[type=submit]")
    texts.wait_for_selector("#walk-form .save-status:has-text('Saved (revision')")
    assert texts.locator("#walk-form .merge").is_hidden()
    session.expire_all()
    assert session.scalar(select(Walk).where(Walk.slug == "gent-kanazawa")).title["nl"] == "Gent–Kanazawa, herzien"
    assert order(session)[0] == start[1]


def test_withdrawing_asks_first_naming_the_walk_and_then_says_it_is_not_public(editor_context, accounts):
    context = editor_context()
    editor = open_signed_in(context, accounts["editor"], WALK_PAGE)
    editor.click("#withdraw-link")
    editor.wait_for_selector("#withdraw-consequences")
    assert "gent-kanazawa" in editor.inner_text("#confirm-withdraw")
    assert "disappear" in editor.inner_text("#withdraw-consequences")
    assert context.request.get("/api/walks/gent-kanazawa").status == 200  # nothing happened yet
    editor.click("#keep-public")
    assert context.request.get("/api/walks/gent-kanazawa").status == 200
    editor.click("#withdraw-link")
    editor.click("#confirm-withdraw")
    editor.wait_for_selector("#withdrawn-notice")
    assert "not public" in editor.inner_text("#walk-status")
    assert context.request.get("/api/walks/gent-kanazawa").status == 404


def test_a_tap_on_the_stop_map_does_not_move_the_stop_and_a_placement_can_be_undone(editor_context, accounts):
    context = editor_context(viewport={"width": 820, "height": 1180}, has_touch=True)
    page = open_signed_in(context, accounts["editor"], STOP_PAGE)
    page.wait_for_selector("#stop-map.leaflet-container .stop-marker")
    before = page.input_value("#lat"), page.input_value("#lon")
    page.locator("#stop-map").scroll_into_view_if_needed()
    box = page.locator("#stop-map").bounding_box()
    page.touchscreen.tap(box["x"] + box["width"] / 2 + 60, box["y"] + box["height"] / 2 - 40)
    assert (page.input_value("#lat"), page.input_value("#lon")) == before
    page.tap("#place-mode")
    page.touchscreen.tap(box["x"] + box["width"] / 2 + 60, box["y"] + box["height"] / 2 - 40)
    assert page.input_value("#lat") != before[0]
    page.tap("#undo-move")
    after = float(page.input_value("#lat")), float(page.input_value("#lon"))
    assert after == pytest.approx((float(before[0]), float(before[1])))


def test_use_my_current_position_places_the_stop_and_shows_the_accuracy(editor_context, accounts):
    context = editor_context(
        viewport={"width": 390, "height": 844},
        has_touch=True,
        permissions=["geolocation"],
        geolocation={"latitude": 51.05361, "longitude": 3.72487, "accuracy": 12},
    )
    page = open_signed_in(context, accounts["editor"], STOP_PAGE)
    page.wait_for_selector("#stop-map.leaflet-container .stop-marker")
    page.tap("#use-my-position")
    page.wait_for_selector("#map-status:has-text('accurate to about 12 m')")
    position = float(page.input_value("#lat")), float(page.input_value("#lon"))
    assert position == pytest.approx((51.05361, 3.72487))
