"""The guide tools in Chromium in Dutch and Japanese: no English UI text, best order from the start point,
markers by keyboard, and the A4 handout printed in each language with its map and every stop."""

import io
import re
import unicodedata

import pytest
from babel.messages.pofile import read_po
from PIL import Image
from pypdf import PdfReader

from server.domain.accounts.users import create_user
from server.i18n import NAMES

from .test_guide_i18n import REVIEW_TOUR, WALK, gravensteen  # noqa: F401 (fixture)
from .test_translations import TRANSLATIONS

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"
PLACEHOLDERS = re.compile(r"%\(\w+\)[sd]|\{\w+\}|%%")
# Words that are the same in English and the page's language (names, units, "Kotoji"...) tell nothing.
SHARED = re.compile(r"^(?:\W|\d|Kotoji|GPX|HTML|QR|A4|km|min|m)*$")


def english_ui_phrases(language):
    """Return the English catalog texts that the `language` catalog says differently (fixed parts only)."""
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as file:
        catalog = read_po(file, locale=language)
    phrases = set()
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for english in ids:
            if english in strings:
                continue
            for part in PLACEHOLDERS.split(english):
                part = part.strip(" .:()·→,")
                # A phrase of two or more words, or one long word, is English the page should not show.
                if not SHARED.match(part) and (" " in part or len(part) >= 6):
                    phrases.add(part)
    # The language switcher names each language in that language ("English"), on purpose.
    return phrases - set(NAMES.values())


def shown_text(page):
    """Everything a person reads or hears on the page: text, labels, titles, placeholders, options."""
    return page.evaluate("""() => {
        const texts = [document.body.innerText, document.title];
        for (const el of document.querySelectorAll('[aria-label],[title],[placeholder],[alt],option,[data-confirm]')) {
            for (const name of ['aria-label', 'title', 'placeholder', 'alt', 'data-confirm']) {
                if (el.getAttribute(name)) texts.push(el.getAttribute(name));
            }
            if (el.tagName === 'OPTION') texts.push(el.textContent);
        }
        return texts.join('\\n');
    }""")


def flat(text):
    """Text as compared with a PDF's: without spaces, in compatibility form (PDFs use ⾦ for 金, ＆ for &)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).replace("‧", "・")  # Chromium prints ・ as ‧


@pytest.fixture
def guide(app):
    with app.extensions["db"].session() as session:
        create_user(session, "gids@browser.test", PASSWORD, "guide")
        session.commit()
    return "gids@browser.test"


def sign_in(page, email, next_url):
    page.goto(f"/editor/login?next={next_url}")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.press("#password", "Enter")


@pytest.mark.parametrize("language", ["nl", "ja"])
@pytest.mark.usefixtures("gravensteen")
def test_every_guide_page_in_dutch_and_japanese_shows_no_english_ui_text(browser, live_server, guide, language):
    context = browser.new_context(base_url=live_server.url, locale={"nl": "nl-BE", "ja": "ja-JP"}[language])
    page = context.new_page()
    english = english_ui_phrases(language)
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))

    def check(where):
        text = re.sub(r"https?://\S+", " ", shown_text(page))  # links are addresses, not UI text
        found = sorted(phrase for phrase in english if phrase in text)
        assert not found, f"{language} {where}: English UI text {found}"

    page.goto("/editor/login")
    assert page.get_attribute("html", "lang") == language
    check("login")
    page.goto("/guide/nothing-here")
    check("error page")
    tour = (
        f"{REVIEW_TOUR}&lang={language}&time=09:30&date=2026-05-14&start_label=Station"
        "&waypoints=Lunch%7C51.0556,3.7220%7Cbelfort%7C45"
    )
    sign_in(page, guide, f"/guide/%3F{tour.replace('&', '%26')}")
    page.wait_for_function("() => document.querySelectorAll('#tour-stops li').length === 4")
    page.fill("#note-kask", "Sleutel bij de portier")
    page.click("#save-tour")
    page.wait_for_function("() => new URLSearchParams(location.search).get('saved')")
    page.click("#best-order")
    page.wait_for_function("() => document.querySelector('#order-status').textContent !== ''")
    check("planner")
    assert re.search(r"\d\d:\d\d", page.text_content("#tour-stops")), "clock times once a start time is set"
    page.goto("/guide/tours")
    check("my tours")
    page.goto(f"/guide/handout?{tour}")
    check("handout")
    page.goto(f"/guide/map?{tour}")
    check("standalone map")
    assert not problems, problems
    context.close()


@pytest.mark.usefixtures("gravensteen")
def test_best_order_uses_the_start_point_typed_after_ticking_the_stops(page_context):
    """B6: tick four stops, then type the start: best order starts from it and finds the 1.9 km."""
    page = page_context.new_page()
    page.goto(f"/guide/?walk={WALK}&lang=en")
    for slug in ("stadhuis", "gravensteen", "belfort", "kask"):
        page.wait_for_selector(f"#choose-{slug}")
        page.check(f"#choose-{slug}")
        page.wait_for_selector(f'#tour-stops li[data-slug="{slug}"]')
    page.fill("#start-position", "51,0359 3,7108")  # comma decimals, as a Flemish guide types them
    page.press("#start-position", "Tab")
    page.wait_for_function("() => document.querySelector('#order-from').options[0].text === 'The start point'")
    assert page.input_value("#order-from") == ""
    page.click("#best-order")
    page.wait_for_function("() => document.querySelector('#tour-stops li').dataset.slug === 'kask'")
    status = page.text_content("#order-status")
    assert re.search(r"Best order found: (1\.[89]|2\.0) km shorter", status), status
    assert "from the start point" in status


def test_planner_markers_toggle_with_tab_and_enter_or_space(page_context):
    page = page_context.new_page()
    page.goto(f"/guide/?walk={WALK}&lang=en")
    marker = "#planner-map .tour-marker--candidate"
    page.wait_for_selector(marker)
    page.focus(marker)
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelectorAll('#tour-stops li').length === 1")
    assert page.evaluate("document.activeElement.classList.contains('tour-marker--stop')")
    page.keyboard.press(" ")
    page.wait_for_function("() => document.querySelectorAll('#tour-stops li').length === 0")


@pytest.mark.parametrize("language", ["nl", "en", "ja"])
@pytest.mark.usefixtures("gravensteen")
def test_the_a4_handout_prints_the_map_and_every_stop_in_each_language(page_context, live_server, language):
    page = page_context.new_page()
    features = page.request.get(f"{live_server.url}/api/walks/{WALK}/stops").json()["features"]
    slugs = [f["id"] for f in features]
    page.goto(f"/guide/handout?walk={WALK}&lang={language}&stops={','.join(slugs)}&start=51.0359,3.7108")
    page.wait_for_function(
        "n => document.querySelectorAll('.handout-map .tour-marker--stop').length === n", arg=len(slugs)
    )
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    assert float(pdf.pages[0].mediabox.width) == pytest.approx(595.3, abs=1.5)  # A4
    text = flat("".join(p.extract_text() for p in pdf.pages))
    scan = {"nl": "Scanomdezetour", "en": "Scantoopenthistour", "ja": "スマートフォンでスキャン"}[language]
    assert scan in text
    for feature in features:
        name = feature["properties"]["name"].get(language) or feature["properties"]["name"]["en"]
        assert flat(name) in text, f"{name} missing from the {language} handout"
    # The map as printed (print media), rendered to PNG: the tour's red legs and every numbered marker.
    page.emulate_media(media="print")
    image = Image.open(io.BytesIO(page.locator(".handout-map .folium-map").screenshot())).convert("RGB")
    red = sum(1 for r, g, b in image.get_flattened_data() if abs(r - 0xB3) < 40 and g < 90 and b < 90)
    assert red > 500, f"the {language} handout's map shows no route ({red} red pixels)"
    numbers = page.eval_on_selector_all(".handout-map .tour-marker--stop", "m => m.map(x => x.textContent)")
    assert sorted(numbers, key=int) == [str(n) for n in range(1, len(slugs) + 1)]


def test_the_downloaded_map_works_from_disk_without_a_network(browser, live_server, tmp_path):
    """B7: the downloaded HTML map carries Leaflet and its styles inside, so it opens from the Downloads folder."""
    context = browser.new_context()
    response = context.request.get(
        f"{live_server.url}/guide/map?{REVIEW_TOUR.replace('gravensteen,', '')}&download=1&lang=nl"
    )
    html = response.text()
    assert "attachment" in response.headers["content-disposition"]
    assert not re.search(r'(?:src|href)="/', html), "a root-relative URL would fail from disk"
    path = tmp_path / "tour-map.html"
    path.write_text(html, encoding="utf-8")
    requests = []
    context.route(
        "**/*",
        lambda route: (
            (requests.append(route.request.url), route.abort())
            if not route.request.url.startswith(("file:", "data:"))
            else route.continue_()
        ),
    )
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(path.as_uri())
    page.wait_for_function("() => document.querySelectorAll('.tour-marker--stop').length === 3")
    assert page.locator(".tour-marker--start").count() == 1
    assert page.locator(".leaflet-overlay-pane path").count() >= 3  # the legs are drawn
    assert not errors and not requests, (errors, requests)
    context.close()


def test_the_share_link_carries_the_guides_title_start_end_and_time_to_the_app(page_context, live_server):
    page = page_context.new_page()
    query = (
        f"walk={WALK}&stops=stadhuis,belfort&lang=nl&title=Delegatie Kanazawa&start=51.0359,3.7108"
        "&start_label=Station Gent-Sint-Pieters&end=51.0573,3.7208&end_label=Korenmarkt"
        "&date=2026-05-14&time=09:30"
    )
    plan = page.request.get(f"{live_server.url}/guide/plan.json?{query}").json()
    link = plan["link"]
    for part in (
        "title=Delegatie%20Kanazawa",
        "start=51.035900%2C3.710800",
        "start_label=Station%20Gent-Sint-Pieters",
        "end_label=Korenmarkt",
        "time=09%3A30",
        "date=2026-05-14",
    ):
        assert part in link, (part, link)
    page.goto(link)
    page.wait_for_function("() => document.querySelector('#walk-title')?.textContent.includes('Delegatie Kanazawa')")
    note = page.text_content("#tour-note")
    assert "Station Gent-Sint-Pieters" in note and "09:30" in note and "Korenmarkt" in note
