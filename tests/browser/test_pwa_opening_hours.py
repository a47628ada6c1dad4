"""Opening hours read for now, in the stop's own time zone, from the data on the phone."""

import pytest

from server.domain.editing.saves import etag_of, save_stop
from server.domain.publishing.publish import publish_walk
from server.domain.walks.lookup import get_stop

from .pwa_pages import WALK

pytestmark = pytest.mark.browser


def set_hours(app, stop_slug, hours):
    with app.extensions["db"].session() as session:
        stop = get_stop(session, WALK, stop_slug)
        save_stop(session, stop, {"opening_hours": hours}, etag_of(stop), None, "test hours")
        publish_walk(session, WALK, None)
        session.commit()


# 1 December 2026 is a Tuesday; Ghent is at UTC+1 in winter.
@pytest.mark.parametrize(
    "lang, moment, hours, expected",
    [
        ("nl", "2026-12-01T12:00:00Z", "Mo-Su 10:00-17:00", "Nu open · sluit om 17:00"),
        ("ja", "2026-12-01T12:00:00Z", "Mo-Su 10:00-17:00", "営業中・17:00まで"),
        ("nl", "2026-12-01T07:00:00Z", "Mo-Su 10:00-17:00; PH off", "Nu gesloten · opent om 10:00"),
        ("ja", "2026-12-01T12:00:00Z", "Tu off; Mo,We-Su 10:00-17:00", "本日休業"),
        ("en", "2026-12-01T17:30:00Z", "Mo-Su 10:00-17:00", "Closed now · closed for the rest of today"),
    ],
)
def test_a_stop_says_whether_it_is_open_now(app, open_context, lang, moment, hours, expected):
    set_hours(app, "smak", hours)
    context = open_context(locale=lang, timezone_id="Asia/Tokyo")  # a phone still on home time
    page = context.new_page()
    page.clock.set_fixed_time(moment)
    page.goto(f"/#/stop/{WALK}/smak")
    page.wait_for_selector("#stop-view:not([hidden]) .stop__open-now")
    assert page.text_content(".stop__open-now") == expected
