"""The guide tools and shared pages speak the person's language: account, then browser, then English."""

import re

import pytest

from server.domain.editing.saves import create_stop
from server.domain.models import User, Walk
from server.domain.publishing.publish import publish_walk

from .test_guide_saved import PASSWORD, accounts, signed_in  # noqa: F401 (fixture)

WALK = "gent-kanazawa"
REVIEW_TOUR = f"walk={WALK}&stops=stadhuis,gravensteen,belfort,kask&start=51.0359,3.7108"


@pytest.fixture
def gravensteen(app):
    """The stop the review added to the Ghent walk: the Gravensteen, north of the City Hall."""
    with app.extensions["db"].session() as session:
        walk = session.query(Walk).filter_by(slug=WALK).one()
        stop = create_stop(
            session,
            walk,
            "gravensteen",
            {
                "lat": 51.0573,
                "lon": 3.7208,
                "name": {
                    "nl": "Gravensteen",
                    "en": "Gravensteen (Castle of the Counts)",
                    "ja": "グラーヴェンステーン城",
                },
            },
            None,
        )
        stop.status = "published"
        session.commit()
        publish_walk(session, WALK, None)
        session.commit()


def html_lang(response):
    return re.search(r'<html lang="(\w+)"', response.get_data(as_text=True))[1]


def test_the_browser_language_is_used_else_english(client):
    assert html_lang(client.get("/guide/")) == "en"
    dutch = client.get("/guide/", headers={"Accept-Language": "nl-BE,nl;q=0.9,en;q=0.5"})
    assert html_lang(dutch) == "nl" and "Tour plannen" in dutch.get_data(as_text=True)
    japanese = client.get("/guide/", headers={"Accept-Language": "ja-JP"})
    assert html_lang(japanese) == "ja" and "ツアーを計画" in japanese.get_data(as_text=True)
    assert html_lang(client.get("/guide/", headers={"Accept-Language": "fr-FR"})) == "en"


def test_the_switcher_is_on_every_guide_and_staff_page(client, gravensteen):
    for url in ("/guide/", "/editor/login", f"/guide/handout?{REVIEW_TOUR}"):
        body = client.get(url).get_data(as_text=True)
        if "handout" in url:
            continue  # the handout is for the group: in the tour's language, not the guide's
        assert 'action="/i18n/language"' in body, url


def test_the_switcher_remembers_the_choice_for_visitors_in_a_cookie(client):
    client.get("/guide/")
    with client.session_transaction() as cookie:
        token = cookie["csrf"]
    response = client.post(
        "/i18n/language", data={"language": "ja", "next": "/guide/?walk=gent-kanazawa", "csrf_token": token}
    )
    assert response.status_code == 303 and response.headers["Location"] == "/guide/?walk=gent-kanazawa"
    assert html_lang(client.get("/guide/", headers={"Accept-Language": "nl"})) == "ja"


def test_a_signed_in_persons_saved_language_wins_over_the_browser(app, accounts):  # noqa: F811
    client, token = signed_in(app, "guide@guide.test")
    client.post("/i18n/language", data={"language": "nl", "next": "/guide/tours", "csrf_token": token})
    with app.extensions["db"].session() as session:
        assert session.query(User).filter_by(email="guide@guide.test").one().language == "nl"
    client.delete_cookie("kotoji_ui_lang")
    page = client.get("/guide/tours", headers={"Accept-Language": "ja"})
    assert html_lang(page) == "nl" and "Mijn tours" in page.get_data(as_text=True)


def test_the_switcher_refuses_other_languages_and_foreign_redirects(client):
    client.get("/guide/")
    with client.session_transaction() as cookie:
        token = cookie["csrf"]
    assert client.post("/i18n/language", data={"language": "fr", "csrf_token": token}).status_code == 400
    away = client.post("/i18n/language", data={"language": "nl", "next": "//evil.example/", "csrf_token": token})
    assert away.headers["Location"] == "/guide/"


def test_scripts_get_the_catalog_as_json_with_an_etag(client):
    response = client.get("/i18n/ja.json")
    assert response.status_code == 200 and response.headers["ETag"]
    messages = response.get_json()["messages"]
    assert messages["Link copied."] == "リンクをコピーしました。"
    assert messages["{count} stop"] == ["{count}か所"]
    assert client.get("/i18n/ja.json", headers={"If-None-Match": response.headers["ETag"]}).status_code == 304
    assert client.get("/i18n/fr.json").status_code == 404


def test_guide_json_errors_and_error_pages_speak_the_language(client):
    error = client.get("/guide/plan.json?walk=nope", headers={"Accept-Language": "ja"})
    assert error.status_code == 404 and error.get_json()["message"] == "'nope'という公開中の散策コースはありません。"
    problems = client.get(f"/guide/plan.json?walk={WALK}&start=abc", headers={"Accept-Language": "nl"}).get_json()
    assert problems["problems"] == ["start: geef een positie als 'breedtegraad, lengtegraad', bv. 51,0359, 3,7108."]
    page = client.get("/guide/nothing-here", headers={"Accept-Language": "nl", "Accept": "text/html"})
    assert page.status_code == 404 and html_lang(page) == "nl"
    assert "Deze pagina of dit bestand bestaat niet." in page.get_data(as_text=True)


def test_the_login_page_is_translated(client):
    page = client.get("/editor/login", headers={"Accept-Language": "ja"}).get_data(as_text=True)
    assert '<html lang="ja"' in page and "ログイン" in page and "メールアドレス" in page


@pytest.mark.parametrize(
    ("language", "date_text", "number"),
    [
        ("nl", "14 mei 2026", re.compile(r"\d,\d km")),
        ("ja", "2026年5月14日", re.compile(r"\d\.\d km")),
        ("en", "May 14, 2026", re.compile(r"\d\.\d km")),
    ],
)
def test_the_handout_writes_dates_and_numbers_the_languages_way(client, gravensteen, language, date_text, number):
    query = f"{REVIEW_TOUR}&lang={language}&date=2026-05-14&time=09:30"
    page = client.get(f"/guide/handout?{query}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert f'<html lang="{language}"' in page and date_text in page and number.search(page)


def test_best_order_starts_at_the_guides_start_point_review_case(client, gravensteen):
    """The review's case: start 51.0359, 3.7108 with four stops; the best order is 1.9 km shorter."""
    given = client.get(f"/guide/plan.json?{REVIEW_TOUR}").get_json()
    best = client.get(f"/guide/best-order.json?{REVIEW_TOUR}").get_json()
    assert given["distance_m"] - best["distance_m"] == pytest.approx(1900, abs=150)
    assert best["legs"][0]["from"] == "start"


def test_best_order_ends_at_the_end_point_or_back_at_the_start(client, gravensteen):
    loop = client.get(f"/guide/best-order.json?{REVIEW_TOUR}&loop=1").get_json()
    assert loop["loop"] and loop["end"]["coordinates"] == loop["start"]["coordinates"]
    assert loop["legs"][-1]["to"] == "end"
    fixed = client.get(f"/guide/best-order.json?{REVIEW_TOUR}&end=51.0573,3.7208").get_json()
    assert fixed["legs"][-1]["to"] == "end" and fixed["end"]["coordinates"] == [3.7208, 51.0573]


def test_comma_decimals_minutes_per_stop_and_clock_times(client):
    plan = client.get(
        f"/guide/plan.json?walk={WALK}&stops=stadhuis,belfort&start=51,0359 3,7108&stays=belfort:25&time=09:30&pace=4,5"
    ).get_json()
    assert plan["start"]["coordinates"] == [3.7108, 51.0359]
    assert [s["stay_minutes"] for s in plan["stops"]] == [10, 25]
    assert plan["visit_minutes"] == 35
    assert re.fullmatch(r"\d\d:\d\d", plan["stops"][0]["arrival_clock"]) and plan["end_clock"]


def test_saved_tours_show_times_in_the_walks_city(app, accounts):  # noqa: F811
    client, token = signed_in(app, "guide@guide.test")
    client.post(
        "/guide/tours", json={"parameters": {"walk": WALK, "stops": "stadhuis"}}, headers={"X-CSRF-Token": token}
    )
    page = client.get("/guide/tours").get_data(as_text=True)
    assert "Europe/Brussels" in page and "UTC" not in page


@pytest.mark.usefixtures("gravensteen")
def test_waypoints_join_the_tour_after_their_stop_with_their_own_minutes(client):
    query = (
        f"{REVIEW_TOUR}&waypoints=Lunch|51,0556 3,7220|belfort|45;Meeting point|51.0361,3.7110||0&time=09:30&lang=nl"
    )
    plan = client.get(f"/guide/plan.json?{query}").get_json()
    assert [w["label"] for w in plan["waypoints"]] == ["Lunch", "Meeting point"]
    places = [leg["to"] for leg in plan["legs"]]
    assert places == ["w1", 0, 1, 2, "w0", 3]  # the meeting point first, lunch after the Belfry (stop 3)
    assert plan["visit_minutes"] == 4 * 10 + 45
    best = client.get(f"/guide/best-order.json?{query}").get_json()
    lunch = [leg["to"] for leg in best["legs"]].index("w0")
    assert best["stops"][best["legs"][lunch]["from"]]["slug"] == "belfort"  # lunch stays after its stop
    handout = client.get(f"/guide/handout?{query}").get_data(as_text=True)
    assert "naar Lunch." in handout
    gpx = client.get(f"/guide/tour.gpx?{query}").get_data(as_text=True)
    assert "<name>Lunch</name>" in gpx and "<type>waypoint</type>" in gpx
