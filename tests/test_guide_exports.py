"""The guide's exports over HTTP: plan JSON, GPX (GDAL, gpxpy, XSD), QR code, handout and map pages."""

import json
import re
import subprocess
from pathlib import Path
from urllib.parse import urlencode

import gpxpy
import pytest
import segno

from server.domain.editing.revisions import record_revision
from server.domain.models import Stop, Walk
from server.domain.publishing.publish import publish_walk

WALK = "gent-kanazawa"
XSD = Path(__file__).parent / "schemas" / "gpx11.xsd"
URL = re.compile(r"""(?:https?:)?//[^\s"'<>)\\]+""", re.I)
# Leaflet's namespaces are identifiers, never fetched; the GPX namespace the same.
NAMESPACES = ("http://www.w3.org/", "http://www.topografix.com/GPX/1/1")


def published_stops(client, walk=WALK):
    return [f["id"] for f in client.get(f"/api/walks/{walk}/stops").get_json()["features"]]


def guide_url(path, **params):
    return f"/guide/{path}?{urlencode(params)}"


@pytest.fixture
def tour_stops(client):
    stops = published_stops(client)
    assert len(stops) >= 3, "the Ghent walk should have at least three published stops"
    return list(reversed(stops))  # not the walking order, on purpose


@pytest.fixture
def draft_walk(app):
    """A published walk 'guide-test' with stops 'open' and 'quay' published and 'secret' a draft."""
    with app.extensions["db"].session() as session:
        walk = Walk(
            slug="guide-test",
            city="Gent",
            country="BE",
            default_language="en",
            languages=["en", "nl"],
            title={"en": "Guide test"},
            intro={"en": "Intro"},
            status="published",
            path=[[3.7195, 51.0545], [3.7225, 51.0553]],
        )
        walk.stops = [
            Stop(
                slug=slug,
                position=n,
                lat=51.0546 + n / 10000,
                lon=3.7196 + n / 1000,
                status=status,
                name={"en": f"Stop {slug}"},
                summary={"en": f"About {slug}"},
                staff_note="never public",
                opening_hours="Mo-Fr 10:00-12:00" if slug == "open" else "",
            )
            for n, (slug, status) in enumerate([("open", "published"), ("secret", "draft"), ("quay", "published")], 1)
        ]
        session.add(walk)
        record_revision(session, walk, None, "guide test")
        publish_walk(session, "guide-test", None)
        session.commit()
    return "guide-test"


def external_urls(text: str, own_host: str) -> list[str]:
    return [
        url
        for url in URL.findall(text)
        if not url.startswith(NAMESPACES) and url.split("//", 1)[1].split("/")[0] != own_host
    ]


def test_plan_json_gives_legs_totals_link_and_export_urls(client, tour_stops):
    response = client.get(guide_url("plan.json", walk=WALK, stops=",".join(tour_stops), lang="en", pace="5", stay="12"))
    assert response.status_code == 200
    plan = response.get_json()
    assert [s["slug"] for s in plan["stops"]] == tour_stops
    assert len(plan["legs"]) == len(tour_stops) - 1
    assert plan["distance_m"] == pytest.approx(sum(leg["distance_m"] for leg in plan["legs"]), abs=len(tour_stops))
    assert plan["visit_minutes"] == 12 * len(tour_stops)
    assert plan["total_minutes"] == plan["walking_minutes"] + plan["visit_minutes"]
    assert plan["link"] == f"http://localhost/#/tour/{WALK}/{','.join(tour_stops)}?lang=en"
    for name in ("handout", "gpx", "map", "qr", "planner"):
        assert client.get(plan["urls"][name]).status_code == 200, name


def test_best_order_is_never_longer_and_keeps_every_stop(client, tour_stops):
    params = dict(walk=WALK, stops=",".join(tour_stops), lang="nl")
    given = client.get(guide_url("plan.json", **params)).get_json()
    better = client.get(guide_url("best-order.json", **params)).get_json()
    assert sorted(s["slug"] for s in better["stops"]) == sorted(tour_stops)
    assert better["distance_m"] <= given["distance_m"]
    chosen = client.get(guide_url("best-order.json", **params, **{"from": tour_stops[1]})).get_json()
    assert chosen["stops"][0]["slug"] == tour_stops[1]


def test_bad_tours_are_refused_with_every_problem_named(client, tour_stops):
    response = client.get(
        guide_url("plan.json", walk=WALK, stops=f"{tour_stops[0]},nowhere", lang="xx"),
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 422
    body = response.get_json()
    assert body["error"] == "invalid" and len(body["problems"]) == 2
    missing = client.get(guide_url("handout", walk="no-such-walk", stops="a"))
    assert missing.status_code == 404 and b"no-such-walk" in missing.data


def test_drafts_never_reach_a_tour(client, draft_walk):
    assert client.get(guide_url("plan.json", walk=draft_walk, stops="open,quay")).status_code == 200
    refused = client.get(guide_url("plan.json", walk=draft_walk, stops="open,secret"))
    assert refused.status_code == 422 and "secret" in refused.get_json()["message"]
    every = client.get(guide_url("plan.json", walk=draft_walk, stops="")).get_json()["walk_stops"]
    assert [s["slug"] for s in every] == ["open", "quay"]
    for path in ("handout", "map", "tour.gpx"):
        assert b"never public" not in client.get(guide_url(path, walk=draft_walk, stops="open,quay")).data


@pytest.mark.interop
def test_gpx_is_valid_gpx_11_with_waypoints_in_tour_order(client, tour_stops, tmp_path):
    response = client.get(
        guide_url(
            "tour.gpx",
            walk=WALK,
            stops=",".join(tour_stops),
            lang="en",
            start="51.0359,3.7108",
            start_label="Gent-Sint-Pieters",
        )
    )
    assert response.status_code == 200
    assert response.mimetype == "application/gpx+xml"
    assert "attachment" in response.headers["Content-Disposition"]
    names = {
        f["id"]: f["properties"]["name"]["en"] for f in client.get(f"/api/walks/{WALK}/stops").get_json()["features"]
    }
    expected = ["Gent-Sint-Pieters"] + [f"{n}. {names[slug]}" for n, slug in enumerate(tour_stops, 1)]

    gpx = gpxpy.parse(response.data.decode())
    assert [w.name for w in gpx.waypoints] == expected
    assert [p.name for p in gpx.routes[0].points] == expected
    assert all(w.description for w in gpx.waypoints[1:])

    path = tmp_path / "tour.gpx"
    path.write_bytes(response.data)
    subprocess.run(["xmllint", "--noout", "--schema", str(XSD), str(path)], check=True, capture_output=True)
    info = subprocess.run(
        ["ogrinfo", "-ro", "-al", "-q", str(path), "waypoints"], check=True, capture_output=True, text=True
    ).stdout
    assert re.findall(r"^\s+name \(String\) = (.*)$", info, flags=re.M) == expected
    layers = subprocess.run(["ogrinfo", "-ro", "-so", str(path)], check=True, capture_output=True, text=True).stdout
    assert "routes" in layers


@pytest.mark.interop
def test_gpx_follows_the_walks_path_where_the_tour_does(client):
    stops = published_stops(client)
    plan = client.get(guide_url("plan.json", walk=WALK, stops=",".join(stops))).get_json()
    along = [leg for leg in plan["legs"] if leg["follows_path"]]
    assert along, "walking the stops in walk order should follow the path somewhere"
    gpx = gpxpy.parse(client.get(guide_url("tour.gpx", walk=WALK, stops=",".join(stops))).data.decode())
    # One track for the whole tour: every leg along the path where the path covers it, straight elsewhere.
    assert len(gpx.tracks) == 1 and len(gpx.tracks[0].segments) == 1
    points = [[round(p.longitude, 6), round(p.latitude, 6)] for p in gpx.tracks[0].segments[0].points]
    expected = plan["legs"][0]["coordinates"] + [c for leg in plan["legs"][1:] for c in leg["coordinates"][1:]]
    assert points == expected
    straight = [leg for leg in plan["legs"] if not leg["follows_path"]]
    description = gpx.tracks[0].description or ""
    assert all(f"{leg['from'] + 1} → {leg['to'] + 1}" in description for leg in straight)
    assert bool(straight) == bool(description)


def test_japanese_gpx_names_stops_in_japanese_with_their_reading(client):
    features = client.get(f"/api/walks/{WALK}/stops").get_json()["features"]
    with_reading = [f for f in features if (f["properties"].get("name_reading") or {}).get("ja")][:2]
    assert with_reading, "the Ghent walk has Japanese readings"
    slugs = ",".join(f["id"] for f in with_reading)
    gpx = gpxpy.parse(client.get(guide_url("tour.gpx", walk=WALK, stops=slugs, lang="ja")).data.decode())
    assert gpx.waypoints[0].name == f"1. {with_reading[0]['properties']['name']['ja']}"
    assert gpx.waypoints[0].comment == with_reading[0]["properties"]["name_reading"]["ja"]


def test_qr_code_encodes_exactly_the_tour_link(client, tour_stops):
    response = client.get(guide_url("qr.svg", walk=WALK, stops=",".join(tour_stops), lang="ja"))
    assert response.mimetype == "image/svg+xml"
    link = f"http://localhost/#/tour/{WALK}/{','.join(tour_stops)}?lang=ja"
    expected = segno.make(link, error="m", micro=False)
    produced = re.search(rb'<path stroke="#000" d="([^"]+)"', response.data)[1]
    reference = re.search(r'<path[^>]*d="([^"]+)"', expected.svg_inline(scale=4, border=4, dark="#000"))[1]
    assert produced.decode() == reference


def test_handout_lists_every_stop_with_names_hours_and_no_other_host(client, tour_stops):
    response = client.get(
        guide_url("handout", walk=WALK, stops=",".join(tour_stops), lang="ja", date="2026-05-14", time="09:30")
    )
    html = response.data.decode()
    assert response.status_code == 200
    assert "script-src 'self';" in response.headers["Content-Security-Policy"]
    assert "<script>" not in html and " style=" not in html
    features = {f["id"]: f["properties"] for f in client.get(f"/api/walks/{WALK}/stops").get_json()["features"]}
    positions = [html.index(f'id="stop-{slug}"') for slug in tour_stops]
    assert positions == sorted(positions)
    # Readings are <ruby> over the name: the name reads whole once the reading's markup is taken out.
    plain = re.sub(r"<rp>.*?</rp>|<rt[^>]*>.*?</rt>|</?ruby>", "", html)
    for slug in tour_stops:
        props = features[slug]
        assert props["name"]["ja"] in plain
        if (props.get("name_reading") or {}).get("ja"):
            assert f'<rt class="reading">{props["name_reading"]["ja"]}</rt>' in html
        if props.get("opening_hours"):
            assert props["opening_hours"] in html
    assert "2026年5月14日" in html and "09:30" in html
    assert external_urls(html, "localhost") == []
    script = client.get(re.search(r'src="(/guide/handout-map\.js\?[^"]+)"', html)[1].replace("&amp;", "&"))
    assert script.status_code == 200 and script.mimetype == "text/javascript"
    assert external_urls(script.data.decode(), "localhost") == []
    assert script.data.decode().count("tour-marker--stop") == len(tour_stops)


def test_english_handout_shows_the_japanese_name_with_its_reading(client):
    features = client.get(f"/api/walks/{WALK}/stops").get_json()["features"]
    stop = next(f for f in features if (f["properties"].get("name_reading") or {}).get("ja"))
    html = client.get(guide_url("handout", walk=WALK, stops=stop["id"], lang="en")).data.decode()
    assert stop["properties"]["name"]["en"] in html
    name, reading = stop["properties"]["name"]["ja"], stop["properties"]["name_reading"]["ja"]
    base, _, rest = name.partition("（")
    assert f'lang="ja"><ruby>{base}<rp>（</rp><rt class="reading">{reading}</rt><rp>）</rp></ruby>' in html
    assert rest == "" or rest in html


def test_standalone_map_loads_leaflet_from_our_server_under_its_own_csp(client, tour_stops):
    response = client.get(guide_url("map", walk=WALK, stops=",".join(tour_stops), lang="en"))
    html = response.data.decode()
    assert response.status_code == 200
    assert '<script src="/vendor/leaflet/dist/leaflet.js"></script>' in html
    assert '<link rel="stylesheet" href="/vendor/leaflet/dist/leaflet.css"/>' in html
    assert external_urls(html, "localhost") == []
    assert not re.search(r"jquery|bootstrap|cdn|font-?awesome", html, re.I)
    csp = response.headers["Content-Security-Policy"]
    assert "http" not in csp and "'unsafe-inline'" not in csp and "default-src 'none'" in csp
    inline = re.findall(r"<script>(.*?)</script>", html, re.S)
    assert len(inline) == 1
    import base64
    import hashlib

    digest = base64.b64encode(hashlib.sha256(inline[0].encode()).digest()).decode()
    assert f"'sha256-{digest}'" in csp
    download = client.get(guide_url("map", walk=WALK, stops=tour_stops[0], download="1"))
    assert download.headers["Content-Disposition"] == f'attachment; filename="{WALK}-tour-map.html"'


def test_map_text_is_escaped_for_html_and_script(app, client, draft_walk):
    with app.extensions["db"].session() as session:
        stop = session.query(Stop).filter_by(slug="open").one()
        stop.name = {"en": "</script><img src=x onerror=alert(1)>`${x}`"}
        session.commit()
        publish_walk(session, "guide-test", None)
        session.commit()
    html = client.get(guide_url("map", walk=draft_walk, stops="open,quay", lang="en")).data.decode()
    assert "</script><img" not in html and "<img src=x" not in html
    body = client.get(guide_url("plan.json", walk=draft_walk, stops="open")).get_json()
    assert json.dumps(body)  # the JSON still carries the name, for the page to set as text


@pytest.mark.parametrize(
    "start, expected",
    [
        ("09:00", "Closed when you arrive at 09:00 (opening hours: Mo-Fr 10:00-12:00)."),
        ("10:30", "Open when you arrive at 10:30 (opening hours: Mo-Fr 10:00-12:00)."),
        ("", "Opening hours: Mo-Fr 10:00-12:00. Check them before the visit."),
    ],
)
def test_handout_checks_opening_hours_at_the_arrival_time(client, draft_walk, start, expected):
    params = dict(walk=draft_walk, stops="open,quay", lang="en", date="2026-05-11")  # a Monday
    html = client.get(guide_url("handout", **params, **({"time": start} if start else {}))).data.decode()
    assert expected in html


GUIDE_ROUTES = ["plan.json", "best-order.json", "handout", "handout-map.js", "map", "tour.gpx", "qr.svg"]
HOSTILE = [
    "",
    " ",
    "..",
    "<script>",
    "nowhere",
    "belfort,belfort",
    "51.0,3.7",
    "91,181",
    "-1",
    "1e309",
    "NaN",
    "9" * 40,
    "2026-02-30",
    "25:61",
    "🏮",
    "\u202e",
    "a" * 200,
    ",,,",
]


def test_hostile_tour_parameters_never_cause_a_server_error(client):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    names = st.sampled_from(
        [
            "walk",
            "stops",
            "lang",
            "start",
            "end",
            "start_label",
            "pace",
            "stay",
            "date",
            "time",
            "title",
            "from",
            "saved",
            "notes",
            "download",
        ]
    )
    values = st.sampled_from(HOSTILE) | st.text(max_size=20)
    stops = published_stops(client)

    @settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(
        route=st.sampled_from(GUIDE_ROUTES),
        params=st.dictionaries(names, values, max_size=5),
        real_stops=st.lists(st.sampled_from(stops), max_size=4),
    )
    def check(route, params, real_stops):
        query = {"walk": WALK, "stops": ",".join(real_stops), **params}
        response = client.get(f"/guide/{route}", query_string=query)
        assert response.status_code < 500, (route, query, response.data[:300])
        if route.endswith(".json") and response.status_code >= 400:
            assert {"error", "message"} <= set(response.get_json())

    check()


def test_handout_and_plan_say_the_route_is_approximate_while_the_path_is_schematic(client, tour_stops):
    assert client.get(f"/api/walks/{WALK}").get_json()["path_accuracy"] == "schematic"
    html = client.get(guide_url("handout", walk=WALK, stops=",".join(tour_stops), lang="en")).data.decode()
    assert '<p class="approximate-route">Approximate route: the path is drawn by hand' in html
    plan = client.get(guide_url("plan.json", walk=WALK, stops=",".join(tour_stops))).get_json()
    assert plan["path_accuracy"] == "schematic"
