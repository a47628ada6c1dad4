"""Hostile and random text into every text field of the editor and the guide tools, on each backend.

Whatever the text, never a 5xx: either a clear 422 naming the field, or the text is stored and reads
back exactly (trimmed, as documented); a text that still holds a character no text may hold after
trimming is always refused; and the published GPX stays well-formed XML.
"""

import re
from urllib.parse import quote

import gpxpy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.domain.editing.rich_text import sanitize_html

from ..hostile_inputs import HOSTILE_TEXTS, NEVER_STORED
from .editor_helpers import post_form, write

EXAMPLES = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
STOP_API = "/editor/api/walks/test-walk/stops/alpha"
WALK_API = "/editor/api/walks/test-walk"
TRICKY = "\x00\x01\x08\x0b\x0c\x1b\x1c\x1f\x7f\x85\t\n\r \u202e\u200d\ufeff\ufffe\uffff\ud800\udfff{}%<>&'\"#"
# Random text leaning on the characters that broke things: controls, NUL, surrogates, template and markup syntax.
TEXT = st.sampled_from(HOSTILE_TEXTS) | st.text(
    st.sampled_from(TRICKY) | st.characters(exclude_categories=()), max_size=40
)
LANGUAGE_TEXTS = ("name", "name_reading", "summary", "accessibility")
STOP_TEXTS = ("address", "opening_hours", "staff_note")


def client_for(signed_in, role):
    """One signed-in client per test: fixtures are not rebuilt between Hypothesis examples."""
    clients = signed_in.__dict__.setdefault("clients", {})
    if role not in clients:
        clients[role] = signed_in(role)
    return clients[role]


def must_refuse(text: str) -> bool:
    return bool(NEVER_STORED.search(text.strip()))


def refused_clearly(response, field):
    assert response.status_code == 422, (field, response.status_code, response.data[:300])
    message = response.get_json()["message"]
    assert field in message, (field, message)


def accepted(response, field, text) -> bool:
    """Assert the answer is a clear refusal or a success (a refusal when it must be); True on success."""
    assert response.status_code < 500, (field, repr(text)[:200], response.data[:300])
    if must_refuse(text) or response.status_code >= 300:
        refused_clearly(response, field)
        return False
    return True


def stored_story(html: str) -> dict:
    html = sanitize_html(html)
    return {"en": html} if re.sub(r"<[^>]*>|&nbsp;|\s", "", html) else {}


@EXAMPLES
@given(field=st.sampled_from(LANGUAGE_TEXTS + STOP_TEXTS + ("body", "message")), text=TEXT)
def test_every_stop_text_is_refused_clearly_or_read_back_exactly(signed_in, test_walk, field, text):
    editor = client_for(signed_in, "editor")
    value = {"en": text} if field in LANGUAGE_TEXTS else {"en": f"<p>{text}</p>"} if field == "body" else text
    payload = {"address": "Korenmarkt 1", "message": text} if field == "message" else {field: value}
    response = write(editor, "PUT", STOP_API, payload, editor.get(STOP_API).headers["ETag"])
    if accepted(response, field, text) and field != "message":
        stored = editor.get(STOP_API).get_json()["stop"][field]
        if field in LANGUAGE_TEXTS:
            assert stored == ({"en": text.strip()} if text.strip() else {}), (field, repr(text)[:200])
        elif field == "body":
            assert stored == stored_story(f"<p>{text}</p>"), repr(text)[:200]
        else:
            assert stored == text.strip(), (field, repr(text)[:200])


@EXAMPLES
@given(field=st.sampled_from(("title", "intro", "city", "country", "notes", "sources")), text=TEXT)
def test_every_walk_text_is_refused_clearly_or_read_back_exactly(signed_in, test_walk, field, text):
    editor = client_for(signed_in, "editor")
    value = {"en": text} if field in ("title", "intro") else [text] if field == "sources" else text
    response = write(editor, "PUT", WALK_API, {field: value}, editor.get(WALK_API).headers["ETag"])
    if accepted(response, "sources[1]" if field == "sources" else field, text):
        stored = editor.get(WALK_API).get_json()["walk"][field]
        if field in ("title", "intro"):
            assert stored.get("en") == (text.strip() or None), (field, repr(text)[:200])
        elif field == "sources":
            assert stored == ([text.strip()] if text.strip() else []), repr(text)[:200]
        else:
            assert stored == (text.strip().upper() if field == "country" else text.strip()), repr(text)[:200]


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=TEXT, summary=TEXT)
def test_published_gpx_stays_well_formed_whatever_the_texts(signed_in, test_walk, client, name, summary):
    editor = client_for(signed_in, "editor")
    name, summary = f"N {name}", f"S {summary}"  # never blank: publishing needs both in every language
    texts = {"name": {"nl": "Naam", "en": name, "ja": "名前"}, "summary": {"nl": "x", "en": summary, "ja": "x"}}
    response = write(editor, "PUT", STOP_API, texts, editor.get(STOP_API).headers["ETag"])
    assert response.status_code < 500, response.data[:300]
    assert must_refuse(name) or must_refuse(summary) or response.status_code in (200, 422)
    published = post_form(editor, "/editor/walks/test-walk/publish")
    assert published.status_code == 303, published.data[:300]
    stored = editor.get(STOP_API).get_json()["stop"]["name"]["en"]
    for url in (
        "/api/walks/test-walk/gpx?lang=en",
        "/guide/tour.gpx?walk=test-walk&stops=alpha,beta&lang=en&start=51.0546,3.7196",
    ):
        answer = client.get(url)
        assert answer.status_code == 200, (url, answer.data[:300])
        gpx = gpxpy.parse(answer.get_data(as_text=True))  # raises on XML that is not well-formed
        assert f"1. {stored}" in [w.name for w in gpx.waypoints], (url, repr(stored)[:200])


@EXAMPLES
@given(field=st.sampled_from(("title", "start_label", "end_label", "notes.alpha")), text=TEXT)
def test_every_saved_tour_text_is_refused_clearly_or_read_back_exactly(signed_in, test_walk, field, text):
    guide = client_for(signed_in, "guide")
    values = {
        "title": "Class 5B",
        "start_label": "Station",
        "end_label": "Belfry",
        "notes.alpha": "Meet here",
        field: text,
    }
    body = {
        "parameters": {
            "walk": "test-walk",
            "stops": "alpha,beta",
            "lang": "en",
            "title": values["title"],
            "start": "51.0546,3.7196",
            "start_label": values["start_label"],
            "end": "51.0553,3.7225",
            "end_label": values["end_label"],
        },
        "notes": {"alpha": values["notes.alpha"]},
    }
    response = write(guide, "POST", "/guide/tours", body)
    assert response.status_code < 500, (field, repr(text)[:200], response.data[:300])
    if must_refuse(text) or response.status_code != 201:
        refused_clearly(response, field)
        return
    saved = guide.get(f"/guide/tours/{response.get_json()['id']}.json").get_json()
    stored = {
        "title": saved["title"],
        "start_label": saved["parameters"].get("start_label", ""),
        "end_label": saved["parameters"].get("end_label", ""),
        "notes.alpha": saved["notes"].get("alpha", ""),
    }
    assert stored[field] == text.strip(), (field, repr(text)[:200], stored)


LINK_TEXTS = ("title", "start_label", "end_label")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    field=st.sampled_from(LINK_TEXTS + ("lang", "stops", "pace", "stay", "date", "time", "start", "end", "from")),
    text=TEXT,
    route=st.sampled_from(("plan.json", "tour.gpx", "handout", "qr.svg", "best-order.json")),
)
def test_tour_link_parameters_never_answer_5xx_and_the_gpx_stays_xml(client, field, text, route):
    params = {
        "walk": "gent-kanazawa",
        "stops": "belfort,kask",
        "lang": "en",
        "start": "51.0359,3.7108",
        "end": "51.0545,3.7195",
        field: text,
    }
    # A URL carries bytes: a lone surrogate can only arrive as invalid UTF-8, which the server reads as U+FFFD.
    query = "&".join(
        f"{name}={quote(value.encode('utf-8', 'surrogatepass'), safe='')}" for name, value in params.items()
    )
    response = client.get(f"/guide/{route}?{query}")
    assert response.status_code < 500, (route, field, repr(text)[:200], response.data[:300])
    if field not in LINK_TEXTS or re.search("[\ud800-\udfff]", text):
        return
    if must_refuse(text):
        assert 400 <= response.status_code < 500, (route, field, repr(text)[:200])
        assert f"{field}: contains" in response.get_data(as_text=True), (route, field, response.data[:300])
    elif response.status_code == 200 and route == "plan.json" and field != "title":
        point = response.get_json()["start" if field == "start_label" else "end"]
        assert point["label"] == text.strip(), (field, repr(text)[:200])
    elif response.status_code == 200 and route == "tour.gpx":
        gpx = gpxpy.parse(response.get_data(as_text=True))  # raises on XML that is not well-formed
        if field == "title" and text.strip():
            assert gpx.name == text.strip(), repr(text)[:200]
