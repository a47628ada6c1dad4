"""No code path empties a stored field unless the request or the file explicitly sets it empty."""

import pytest
from sqlalchemy import select

from server.domain.editing.merging import merge_states
from server.domain.editing.rules import STOP_EDITABLE
from server.domain.models import Stop
from server.domain.walks.lookup import stop_state

from .editor_helpers import write
from .test_editor_import import collection, feature, send

STOP_API = "/editor/api/walks/test-walk/stops/alpha"
FILLED = {"name", "summary", "body", "accessibility", "staff_note", "lat", "lon", "trigger_radius_m", "status"}


def alpha(session) -> dict:
    session.expire_all()
    return stop_state(session.scalar(select(Stop).where(Stop.slug == "alpha")))


@pytest.mark.parametrize("sent", sorted(set(STOP_EDITABLE) - {"lat", "lon", "twin", "images", "audio"}))
def test_a_save_that_leaves_a_field_out_keeps_every_other_field(signed_in, test_walk, session, sent):
    editor = signed_in("editor")
    before = alpha(session)
    etag = editor.get(STOP_API).headers["ETag"]
    value = before[sent]
    response = write(editor, "PUT", STOP_API, {sent: value}, etag)
    assert response.status_code == 200, response.data
    after = alpha(session)
    assert {k: v for k, v in after.items() if k != sent} == {k: v for k, v in before.items() if k != sent}


def test_an_import_with_only_a_position_and_a_merge_of_nothing_keep_every_text(signed_in, test_walk, session):
    editor = signed_in("editor")
    before = alpha(session)
    assert FILLED <= {k for k, v in before.items() if v not in ("", {}, [], None)}
    assert send(editor, collection(feature("alpha", 3.71961, 51.05461))).status_code == 200
    after = alpha(session)
    assert {k: v for k, v in after.items() if k not in ("lat", "lon")} == {
        k: v for k, v in before.items() if k not in ("lat", "lon")
    }
    assert send(editor, collection(feature("alpha", 3.71961, 51.05461, summary={"nl": None}))).status_code == 200
    assert "nl" not in alpha(session)["summary"] and alpha(session)["summary"]["en"] == before["summary"]["en"]
    merged = merge_states(before, before, {}, STOP_EDITABLE)["merged"]
    assert {k: merged[k] for k in merged} == {k: before[k] for k in merged}
