"""The guide tools in Chromium: planner by keyboard and on a phone, link → PWA, handout map and PDF."""

import io
import re
import unicodedata

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from server.domain.models import Stop, Walk
from server.domain.publishing.publish import publish_walk

pytestmark = pytest.mark.browser

WALK = "gent-kanazawa"
MARKUP_NAME = "<b>x</b>&amp;"  # refused at input today; the maps must show it as text anyway


def stop_features(live_server, page):
    return page.request.get(f"{live_server.url}/api/walks/{WALK}/stops").json()["features"]


def watch_console(page):
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def tour_order(page):
    return page.eval_on_selector_all("#tour-stops li", "items => items.map(li => li.dataset.slug)")


def test_planner_link_opens_exactly_those_stops_in_that_order_in_the_pwa(page_context, live_server):
    page = page_context.new_page()
    problems = watch_console(page)
    page.goto(f"/guide/?walk={WALK}&lang=ja")
    features = stop_features(live_server, page)
    slugs = [f["id"] for f in features]
    wanted = [slugs[2], slugs[0], slugs[-1]]
    # Choose three stops with the keyboard only: focus each checkbox and press Space.
    for slug in wanted:
        page.wait_for_selector(f"#choose-{slug}")
        page.focus(f"#choose-{slug}")
        page.keyboard.press("Space")
        page.wait_for_function(
            "n => document.querySelectorAll('#tour-stops li').length === n", arg=wanted.index(slug) + 1
        )
    assert tour_order(page) == wanted
    # Move the last stop up with the keyboard: Tab to its "up" button and press Enter.
    page.focus(f'#tour-stops li[data-slug="{wanted[2]}"] button[data-action="↑"]')
    page.keyboard.press("Enter")
    page.wait_for_function(
        "s => document.querySelector('#tour-stops li:nth-child(2)').dataset.slug === s", arg=wanted[2]
    )
    order = [wanted[0], wanted[2], wanted[1]]
    assert tour_order(page) == order
    focused = page.evaluate("document.activeElement.closest('li')?.dataset.slug")
    assert focused == wanted[2], "focus stays on the moved stop"

    link = page.input_value("#share-link")
    assert link == f"{live_server.url}/#/tour/{WALK}/{','.join(order)}?lang=ja"
    assert f"stops={'%2C'.join(order)}" in page.url  # the planner's own URL holds the tour too

    page.goto(link)
    page.wait_for_function("n => document.querySelectorAll('#stop-list li[data-stop]').length === n", arg=len(order))
    shown = page.eval_on_selector_all("#stop-list li[data-stop]", "items => items.map(li => li.dataset.stop)")
    assert shown == order
    names = page.eval_on_selector_all("#stop-list .stop-list__name", "items => items.map(n => n.textContent)")
    by_slug = {f["id"]: f["properties"]["name"]["ja"] for f in features}
    assert names == [by_slug[slug] for slug in order]
    assert not problems, problems


def test_best_order_by_keyboard_never_lengthens_the_tour(page_context, live_server):
    page = page_context.new_page()
    slugs = [f["id"] for f in stop_features(live_server, page)]
    shuffled = slugs[::2] + slugs[1::2]
    page.goto(f"/guide/?walk={WALK}&lang=en&stops={','.join(shuffled)}")
    page.wait_for_function("n => document.querySelectorAll('#tour-stops li').length === n", arg=len(shuffled))
    before = page.request.get(f"{live_server.url}/guide/plan.json?walk={WALK}&stops={','.join(shuffled)}").json()
    page.focus("#best-order")
    page.keyboard.press("Enter")
    page.wait_for_function(
        """given => {
        const wanted = new URLSearchParams(location.search).get("stops");
        const shown = [...document.querySelectorAll("#tour-stops li")].map((li) => li.dataset.slug).join(",");
        return wanted !== given && shown === wanted;
    }""",
        arg=",".join(shuffled),
    )
    after_order = tour_order(page)
    after = page.request.get(f"{live_server.url}/guide/plan.json?walk={WALK}&stops={','.join(after_order)}").json()
    assert sorted(after_order) == sorted(shuffled)
    assert after["distance_m"] < before["distance_m"]
    assert f"{after['distance_m'] / 1000:.1f} km" in page.text_content("#summary")


def test_planner_fits_a_phone_and_a_tap_on_the_map_adds_a_stop(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.route(re.compile(r"^(?!http://127\.0\.0\.1).*"), lambda route: route.abort())
    page.goto(f"/guide/?walk={WALK}&lang=nl")
    page.wait_for_selector(".tour-marker--candidate")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.locator(".tour-marker--candidate").first.tap()
    page.wait_for_selector("#tour-stops li")
    assert len(tour_order(page)) == 1
    for selector in ("#best-order", "#copy-link", "#tour-stops button"):
        box = page.locator(selector).first.bounding_box()
        assert box["height"] >= 44, f"{selector} is too small to tap"
    context.close()


def hover_every_marker(page, markers):
    """Move the mouse over every marker as Leaflet sees it; return the texts of the tooltips that open."""
    page.eval_on_selector_all(
        markers, "all => all.forEach((m) => m.dispatchEvent(new MouseEvent('mouseover', {bubbles: true})))"
    )
    return page.eval_on_selector_all(".leaflet-tooltip", "all => all.map((t) => t.textContent)")


def test_map_tooltips_show_a_stop_name_as_text_never_as_html(page_context, session):
    stop = session.scalar(
        select(Stop).join(Stop.walk).where(Walk.slug == WALK, Stop.status == "published").order_by(Stop.position)
    )
    stop.name = {language: MARKUP_NAME for language in stop.name}
    session.commit()
    publish_walk(session, WALK, None)
    session.commit()
    page = page_context.new_page()
    page.goto(f"/guide/?walk={WALK}&lang=en")
    page.wait_for_selector(f'#planner-map .leaflet-marker-icon[title^="{MARKUP_NAME}"]')
    assert MARKUP_NAME in hover_every_marker(page, "#planner-map .leaflet-marker-icon")
    page.goto(f"/guide/handout?walk={WALK}&lang=en&stops={stop.slug}")
    page.wait_for_selector(".handout-map .tour-marker--stop")
    assert hover_every_marker(page, ".handout-map .leaflet-marker-icon") == [f"1. {MARKUP_NAME}"]
    assert page.locator(".leaflet-tooltip b").count() == 0


def test_handout_renders_the_map_and_prints_every_stop_on_a4(page_context, live_server):
    page = page_context.new_page()
    problems = watch_console(page)
    features = stop_features(live_server, page)
    slugs = [f["id"] for f in features]
    page.goto(f"/guide/handout?walk={WALK}&lang=en&stops={','.join(slugs)}&start=51.0359,3.7108&start_label=Station")
    page.wait_for_function(
        "n => document.querySelectorAll('.handout-map .tour-marker--stop').length === n", arg=len(slugs)
    )
    assert page.locator(".handout-map .tour-marker--start").count() == 1
    assert page.locator(".handout-map path.leaflet-interactive, .handout-map svg path").count() >= len(slugs)
    numbers = page.eval_on_selector_all(".handout-map .tour-marker--stop", "m => m.map(x => x.textContent)")
    assert sorted(numbers, key=int) == [str(n) for n in range(1, len(slugs) + 1)]
    assert page.evaluate("document.querySelector('img.qr').naturalWidth") > 0
    page.wait_for_selector(".handout-map [data-basemap-ready='yes'][data-basemap='none']")  # no basemap installed
    assert not problems, problems  # no CSP violation, no missing file

    # Letter paper asked for, but the handout's own CSS (@page size: A4) decides.
    pdf = PdfReader(io.BytesIO(page.pdf(format="Letter", prefer_css_page_size=True, print_background=True)))
    pages = [re.sub(r"\s+", " ", p.extract_text()) for p in pdf.pages]
    width, height = float(pdf.pages[0].mediabox.width), float(pdf.pages[0].mediabox.height)
    assert width == pytest.approx(595.3, abs=1.5) and height == pytest.approx(841.9, abs=1.5)  # A4 in points
    for feature in features:
        name = re.sub(r"\s+", " ", feature["properties"]["name"]["en"])
        lat, lon = feature["geometry"]["coordinates"][1], feature["geometry"]["coordinates"][0]
        position = f"{lat:.5f}, {lon:.5f}"
        # Nothing cut at a page break: each stop's name and its position print on the same page.
        assert any(name in text and position in text for text in pages), f"{name} is missing or split"
    assert page.evaluate("getComputedStyle(document.querySelector('.handout-stop')).breakInside") == "avoid"


def test_japanese_handout_prints_names_with_their_reading(page_context, live_server):
    page = page_context.new_page()
    features = [f for f in stop_features(live_server, page) if (f["properties"].get("name_reading") or {}).get("ja")]
    page.goto(f"/guide/handout?walk={WALK}&lang=ja&stops={','.join(f['id'] for f in features)}")
    page.wait_for_selector(".handout-map .tour-marker--stop")
    text = printed_letters("".join(p.extract_text() for p in PdfReader(io.BytesIO(page.pdf(format="A4"))).pages))
    for feature in features:
        assert printed_letters(feature["properties"]["name_reading"]["ja"]) in text


def printed_letters(text: str) -> str:
    """Keep the letters of `text`, folded as NFKC, so the comparison holds whatever Japanese font printed it.

    Fonts map glyphs back to text differently: with Noto Sans CJK, pypdf reads 金 as the Kangxi radical
    ⾦ (U+2FA6, which NFKC folds back) and the middle dot ・ as ‧ (punctuation, which is dropped).
    """
    folded = unicodedata.normalize("NFKC", text)
    return "".join(c for c in folded if unicodedata.category(c)[0] in "LN")


def test_standalone_map_shows_every_stop_under_its_own_csp(page_context, live_server):
    page = page_context.new_page()
    problems = watch_console(page)
    slugs = [f["id"] for f in stop_features(live_server, page)]
    response = page.goto(f"/guide/map?walk={WALK}&lang=nl&stops={','.join(slugs)}")
    assert "default-src 'none'" in response.headers["content-security-policy"]
    page.wait_for_function("n => document.querySelectorAll('.tour-marker--stop').length === n", arg=len(slugs))
    page.focus(".tour-marker--stop")
    assert page.evaluate("document.activeElement.classList.contains('tour-marker')")
    assert not problems, problems


def test_a_signed_in_guide_saves_a_tour_with_a_private_note_and_finds_it_again(app, page_context, live_server):
    from server.domain.accounts.users import create_user

    with app.extensions["db"].session() as session:
        create_user(session, "guide@browser.test", "correct horse battery staple", "guide")
        session.commit()
    page = page_context.new_page()
    problems = watch_console(page)
    slugs = [f["id"] for f in stop_features(live_server, page)][:2]
    page.goto(f"/editor/login?next=/guide/%3Fwalk%3D{WALK}%26stops%3D{'%252C'.join(slugs)}")
    page.fill("#email", "guide@browser.test")
    page.fill("#password", "correct horse battery staple")
    page.press("#password", "Enter")
    page.wait_for_selector(f"#note-{slugs[0]}")
    page.fill(f"#note-{slugs[0]}", "Meet by the fountain; count the children")
    page.click("#save-tour")
    page.wait_for_function("() => new URLSearchParams(location.search).get('saved')")
    assert "Saved" in page.text_content("#save-status")

    page.reload()
    page.wait_for_function(f"() => document.querySelector('#note-{slugs[0]}')?.value.includes('fountain')")
    page.click("#handout-notes-link")
    page.wait_for_selector(".guide-note")
    assert "count the children" in page.text_content(".guide-note")
    page.goto("/guide/tours")
    assert page.locator(".saved-tours li").count() == 1
    assert not problems, problems


def test_handout_and_standalone_map_draw_the_walks_own_basemap(page_context, installed):
    page = page_context.new_page()
    problems = watch_console(page)
    stops = "stop-3,stop-1,stop-2"
    page.goto(f"/guide/handout?walk=basemap-proef&lang=en&stops={stops}")
    page.wait_for_selector(".handout-map [data-basemap='vector'][data-basemap-ready='yes']")
    page.wait_for_function("() => document.querySelectorAll('.handout-map canvas.leaflet-tile-loaded').length > 0")
    assert page.locator(".handout-map .tour-marker--stop").count() == 3
    text = PdfReader(io.BytesIO(page.pdf(format="A4"))).pages[0].extract_text()
    assert "OpenStreetMap" in text  # the basemap's attribution prints with it
    page.goto(f"/guide/map?walk=basemap-proef&lang=en&stops={stops}")
    page.wait_for_function("() => document.querySelectorAll('canvas.leaflet-tile-loaded').length > 0")
    assert not problems, problems
