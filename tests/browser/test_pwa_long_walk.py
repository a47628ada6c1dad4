"""A walk of 1,000 stops: the list draws only the rows near the screen, the map groups its markers.

Behaviour only (rows in the page, groups that open, every stop reachable by keyboard, the next stop
found while walking); bench/pwa_long_walk.py measures the times.
"""

import pytest

from server.domain.models import Stop, Walk
from server.domain.publishing.publish import publish_walk

pytestmark = pytest.mark.browser

LONG = "long-walk"
COUNT = 1000
MOST_ROWS = 100  # rows in the page at once: a screen's worth and some margin, never the whole walk


def long_walk(session, count=COUNT) -> None:
    """Publish a walk of `count` stops on a 40 × 25 grid over Ghent's centre (about 1.4 × 1.1 km)."""
    west, south = 3.715, 51.050
    walk = Walk(
        slug=LONG,
        city="Gent",
        country="BE",
        default_language="en",
        languages=["en"],
        title={"en": "A very long walk"},
        intro={"en": "Every corner."},
        path=[[west, south], [west + 0.02, south + 0.01]],
        status="published",
        path_accuracy="schematic",
    )
    for n in range(count):
        lon, lat = west + (n % 40) * 0.0005, south + (n // 40) * 0.0004
        walk.stops.append(
            Stop(
                slug=f"s{n + 1:04d}",
                position=n + 1,
                lat=lat,
                lon=lon,
                name={"en": f"Corner {n + 1}"},
                status="published",
            )
        )
    session.add(walk)
    session.flush()
    publish_walk(session, LONG, user_id=None)
    session.commit()


@pytest.fixture
def long_page(app, open_context):
    with app.extensions["db"].session() as session:
        long_walk(session)
    context = open_context()
    page = context.new_page()
    page.goto(f"/#/walk/{LONG}")
    page.wait_for_selector("#map[data-drawn='true']")
    return page


def rows(page) -> list[int]:
    return page.eval_on_selector_all("#stop-list > li", "items => items.map(li => Number(li.ariaPosInSet))")


def show_list(page):
    page.click("#show-list")
    page.wait_for_function("() => document.querySelectorAll('#stop-list > li').length > 0")


def test_the_list_keeps_few_rows_in_the_page_and_tells_each_its_place(long_page):
    page = long_page
    show_list(page)
    shown = rows(page)
    assert shown[0] == 1 and len(shown) < MOST_ROWS
    assert page.get_attribute("#stop-list > li", "aria-setsize") == str(COUNT)
    # the list is as tall as every row: the page scrolls to the middle and shows those rows there
    height = page.evaluate("() => document.querySelector('#stop-list').getBoundingClientRect().height")
    pitch = page.evaluate(
        "() => { const [a, b] = document.querySelectorAll('#stop-list > li');"
        " return b.getBoundingClientRect().top - a.getBoundingClientRect().top; }"
    )
    assert height >= (COUNT - 1) * pitch
    top = page.evaluate("() => document.querySelector('#stop-list').getBoundingClientRect().top + scrollY")
    page.evaluate("(y) => scrollTo(0, y)", top + 500 * pitch)
    page.wait_for_function("() => [...document.querySelectorAll('#stop-list > li')].some(li => li.ariaPosInSet == 501)")
    shown = rows(page)
    assert len(shown) < MOST_ROWS and min(shown) > 400
    assert page.evaluate("() => document.elementFromPoint(100, 10).closest('li')?.ariaPosInSet") == "501"
    scrolled = page.evaluate("() => scrollY")
    page.click("#show-map")
    page.click("#show-list")
    page.evaluate("(y) => scrollTo(0, y)", scrolled)  # the map's height differs from the list's
    page.wait_for_timeout(100)
    assert page.evaluate("() => scrollY") == scrolled
    assert page.evaluate("() => document.elementFromPoint(100, 10).closest('li')?.ariaPosInSet") == "501"


def test_the_keyboard_reaches_rows_beyond_those_first_drawn(long_page):
    page = long_page
    show_list(page)
    first_drawn = len(rows(page))
    page.focus("#stop-list > li:first-child a")
    for _ in range(first_drawn + 40):
        page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.closest('#stop-list > li')?.ariaPosInSet")
    assert focused == str(first_drawn + 41)
    assert len(rows(page)) < MOST_ROWS
    for _ in range(3):
        page.keyboard.press("Shift+Tab")
    assert page.evaluate("() => document.activeElement.closest('#stop-list > li')?.ariaPosInSet") == str(
        first_drawn + 38
    )
    page.keyboard.press("Enter")
    page.wait_for_function("(slug) => location.hash.endsWith('/' + slug)", arg=f"s{first_drawn + 38:04d}")


def markers_and_groups(page) -> tuple[int, list[int]]:
    singles = page.eval_on_selector_all("#map .stop-marker", "items => items.length")
    groups = page.eval_on_selector_all("#map .stop-cluster", "items => items.map(g => Number(g.dataset.count))")
    return singles, groups


def zoom(page) -> float:
    return float(page.get_attribute("#map", "data-view").split(",")[2])


def settled(page) -> None:
    """Wait until the map has stopped moving: no zoom animation, the same view for half a second.

    A fixed pause was not always enough on a loaded machine: a click on "whole walk" made during the
    last zoom's animation was overtaken by it.
    """
    page.wait_for_function("""() => new Promise((resolve) => {
        const map = document.querySelector('#map'), view = map.dataset.view;
        setTimeout(() => resolve(map.dataset.view === view && !map.classList.contains('leaflet-zoom-anim')), 500);
    })""")


def test_the_map_groups_stops_and_a_group_opens_on_click_and_from_the_keyboard(long_page):
    page = long_page
    singles, groups = markers_and_groups(page)
    assert groups, "the whole walk in view: stops are grouped"
    assert singles + len(groups) < 200
    assert singles + sum(groups) == COUNT, "every stop is in exactly one marker"
    before = zoom(page)
    page.click("#map .stop-cluster")
    page.wait_for_function("(z) => Number(document.querySelector('#map').dataset.view.split(',')[2]) > z", arg=before)
    settled(page)  # the markers are drawn for the new view
    after_click, after_groups = markers_and_groups(page)
    assert after_click + sum(after_groups) < COUNT, "zoomed in: only the stops near the screen"
    assert after_click > singles, "zoomed in: groups open into single stops"
    # a group is a button for the keyboard too
    page.click("#fit-walk")
    page.wait_for_function(
        "(z) => Number(document.querySelector('#map').dataset.view.split(',')[2]) < z", arg=zoom(page)
    )
    settled(page)
    before = zoom(page)
    group = page.locator("#map .stop-cluster").first
    assert "stops here" in group.get_attribute("aria-label")
    group.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("(z) => Number(document.querySelector('#map').dataset.view.split(',')[2]) > z", arg=before)


def test_walking_mode_still_finds_the_next_stop(long_page):
    page = long_page
    page.click("#start-walking")
    assert "Corner 1" in page.text_content("#next-stop")
    page.click("#i-am-here")
    page.goto(f"/#/walk/{LONG}")
    page.wait_for_function("() => document.querySelector('#next-stop').textContent.includes('Corner 2')")
    show_list(page)
    assert page.get_attribute("#stop-list > li.is-next", "data-stop") == "s0002"
    assert "is-visited" in page.get_attribute("#stop-list > li[data-stop='s0001']", "class")
