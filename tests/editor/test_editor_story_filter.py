"""The story filter refuses scripts, handlers and dangerous links in tags, never innocent words in the text."""

import pytest
from sqlalchemy import func, select

from server.domain.models import Revision, Stop
from server.domain.walks.lookup import stop_state

from .editor_helpers import write

STOP_API = "/editor/api/walks/test-walk/stops/alpha"


def etag_of(client):
    return client.get(STOP_API).headers["ETag"]


def snapshot(session):
    session.expire_all()
    return (
        [stop_state(s) for s in session.scalars(select(Stop).order_by(Stop.id))],
        session.scalar(select(func.count()).select_from(Revision)),
    )


@pytest.mark.parametrize(
    "story",
    [
        "<p>Key data: the lantern arrived in 1971.</p>",
        "<p>Metadata: none</p>",
        "<p>An onion = a vegetable</p>",
        '<p>See <a href="https://example.org/data">the onion=data: page</a></p>',
    ],
)
def test_innocent_stories_are_kept(signed_in, test_walk, session, story):
    editor = signed_in("editor")
    response = write(editor, "PUT", STOP_API, {"body": {"en": story}}, etag_of(editor))
    assert response.status_code == 200, response.data
    assert response.get_json()["stop"]["body"]["en"] == story


@pytest.mark.parametrize(
    "story",
    [
        '<p onclick="alert(1)">x</p>',
        '<a href="javascript:alert(1)">x</a>',
        '<a href="data:text/html,x">x</a>',
        "<p>x<script>alert(1)</script></p>",
        '<a href = " JaVaScRiPt : alert(1)">x</a>',
        "<p>x<img src=x onerror=alert(1)></p>",
        '<p><a\thref="vbscript:x">y</a></p>',
    ],
)
def test_dangerous_stories_are_still_refused(signed_in, test_walk, session, story):
    editor = signed_in("editor")
    before = snapshot(session)
    response = write(editor, "PUT", STOP_API, {"body": {"en": story}}, etag_of(editor))
    assert response.status_code == 422, response.data
    assert "body (en)" in response.get_json()["message"]
    assert snapshot(session) == before
