"""Hostile tours cost little: more stops than a tour may have are refused before any other work."""

import itertools
import string
import sys
from urllib.parse import urlencode

import pytest
from werkzeug.test import EnvironBuilder

from . import test_guide_saved
from .test_guide_saved import WALK, signed_in

# The saved-tour tests' fixtures: guide accounts, and the walk's stop slugs.
accounts, stops = test_guide_saved.accounts, test_guide_saved.stops

ENDPOINTS = ("plan.json", "best-order.json", "map", "handout", "tour.gpx", "qr.svg")
# 16,000 distinct three-letter slugs: a 64 KB link, as in the red-team's report (M1).
MANY_SLUGS = ",".join("".join(t) for t in itertools.islice(itertools.product(string.ascii_lowercase, repeat=3), 16_001))


def work(app, path, **request):
    """Return how many Python and C functions the app called to answer (a measure of its work that, unlike a
    clock, does not depend on the machine or its load) and the answer. The request is built beforehand."""
    environ = EnvironBuilder(path=path, **request).get_environ()
    statuses: list[str] = []
    calls = 0

    def count(frame, event, arg):
        nonlocal calls
        calls += event in ("call", "c_call")

    def start_response(status, headers, exc_info=None):
        statuses.append(status)

    sys.setprofile(count)
    try:
        body = b"".join(app(environ, start_response))
    finally:
        sys.setprofile(None)
    return calls, (int(statuses[0][:3]), body.decode())


def normal_plan(app, stops):
    calls, (status, _) = work(app, f"/guide/plan.json?{urlencode({'walk': WALK, 'stops': ','.join(stops)})}")
    assert status == 200
    return calls


def refused_for_too_many_stops(answer) -> bool:
    status, text = answer
    return 400 <= status < 500 and "at most 60 stops" in text


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_64_kb_tour_link_is_refused_with_no_more_work_than_a_normal_plan(app, stops, endpoint):
    assert len(MANY_SLUGS) > 64_000
    normal = normal_plan(app, stops)
    hostile = f"/guide/{endpoint}?{urlencode({'walk': WALK, 'stops': MANY_SLUGS, 'lang': 'en'})}"
    refusal, answer = work(app, hostile, headers={"Accept": "application/json"})
    assert refused_for_too_many_stops(answer), answer[1][:300]
    assert refusal < 2 * normal, f"the refusal took {refusal} calls, a normal plan {normal}"


def test_a_1_mb_tour_body_is_refused_with_no_more_work_than_a_normal_plan(app, accounts, stops):
    client, token = signed_in(app, "guide@guide.test")
    normal = normal_plan(app, stops)
    many = ",".join(itertools.islice(itertools.cycle(MANY_SLUGS.split(",")), 260_000))
    body = {"parameters": {"walk": WALK, "stops": many, "lang": "en"}, "notes": {}}
    assert len(many) > 1_000_000
    cookie = client.get_cookie("kotoji_session").value
    refusal, answer = work(
        app,
        "/guide/tours",
        method="POST",
        json=body,
        headers={"X-CSRF-Token": token, "Cookie": f"kotoji_session={cookie}"},
    )
    assert refused_for_too_many_stops(answer), answer[1][:300]
    assert refusal < 2 * normal, f"the refusal took {refusal} calls, a normal plan {normal}"


def test_notes_for_more_stops_than_the_tour_has_are_refused_in_one_short_message(app, accounts, stops):
    client, token = signed_in(app, "guide@guide.test")
    notes = {f"stop-{n}": "note" for n in range(50_000)}
    body = {"parameters": {"walk": WALK, "stops": ",".join(stops), "lang": "en"}, "notes": notes}
    answer = client.post("/guide/tours", json=body, headers={"X-CSRF-Token": token})
    assert answer.status_code == 422 and len(answer.data) < 1000
    assert "at most one note per stop" in answer.get_json()["problems"][0]
