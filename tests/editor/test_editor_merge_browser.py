"""Two editors in two browsers save the same stop: a three-way merge keeps both, asks only about real clashes."""

import pytest
from sqlalchemy import select

from server.domain.models import Revision, Stop

from .browser_steps import append_paragraph, open_signed_in

pytestmark = pytest.mark.browser
STOP_PAGE = "/editor/walks/gent-kanazawa/stops/stadhuis"
ELS_PARAGRAPH = "Els voegde deze alinea toe na het archiefbezoek."
JAN_SUMMARY = "ヤンが追加した説明文です。"


def stored(session) -> Stop:
    session.expire_all()
    return session.scalar(select(Stop).where(Stop.slug == "stadhuis"))


def test_the_reviews_two_editors_both_keep_their_edits_and_nobody_is_asked(editor_context, els_and_jan, session):
    els = open_signed_in(editor_context(), els_and_jan["els"], STOP_PAGE)
    jan = open_signed_in(editor_context(), els_and_jan["jan"], STOP_PAGE)

    els.fill("#name-nl", "Stadhuis (Els)")
    append_paragraph(els, "#body-nl", ELS_PARAGRAPH)
    els.click("#save-button")
    els.wait_for_selector(".save-status:has-text('Saved (revision')")

    jan.fill("#summary-ja", JAN_SUMMARY)
    jan.click("#save-button")
    jan.wait_for_selector(".save-status:has-text('Merged with')")
    status = jan.inner_text(".save-status")
    assert els_and_jan["els"] in status and "Japanese summary" in status and "Dutch name" in status
    assert jan.locator(".merge").is_hidden()
    # The page now shows the merged stop: Els's name and paragraph, Jan's summary.
    assert jan.input_value("#name-nl") == "Stadhuis (Els)"
    assert ELS_PARAGRAPH in jan.inner_text("#body-nl")
    assert jan.input_value("#summary-ja") == JAN_SUMMARY

    stop = stored(session)
    assert stop.name["nl"] == "Stadhuis (Els)"
    assert ELS_PARAGRAPH in stop.body["nl"]
    assert stop.summary["ja"] == JAN_SUMMARY
    last = session.scalar(
        select(Revision)
        .where(Revision.entity == "stop", Revision.entity_id == stop.id)
        .order_by(Revision.number.desc())
    )
    assert "merged with" in last.message


def test_a_field_both_editors_changed_is_asked_in_words_with_no_side_chosen(editor_context, els_and_jan, session):
    els = open_signed_in(editor_context(), els_and_jan["els"], STOP_PAGE)
    jan = open_signed_in(editor_context(), els_and_jan["jan"], STOP_PAGE)

    els.fill("#name-nl", "Stadhuis (Els)")
    append_paragraph(els, "#body-nl", ELS_PARAGRAPH)
    els.click("#save-button")
    els.wait_for_selector(".save-status:has-text('Saved (revision')")

    jan.fill("#summary-ja", JAN_SUMMARY)
    append_paragraph(jan, "#body-nl", "Jan schreef dit.")
    jan.click("#save-button")
    merge = jan.locator(".merge")
    merge.wait_for()
    rows = merge.locator("tbody th").all_inner_texts()
    assert rows == ["Dutch story"]  # the name and the summary were taken without a question
    assert els_and_jan["els"] in merge.inner_text()
    assert "<p>" not in merge.inner_text() and merge.locator("tbody td p").count() >= 3
    assert merge.locator("input[type=radio]:checked").count() == 0
    jan.click("text=Save the merged version")
    jan.wait_for_selector(".merge [role=alert]:has-text('Choose a version for: Dutch story')")
    assert stored(session).summary["ja"] != JAN_SUMMARY  # nothing saved without a choice

    merge.locator("input[value=theirs]").check()
    jan.click("text=Save the merged version")
    jan.wait_for_selector(".save-status:has-text('Merged with')")
    stop = stored(session)
    assert stop.name["nl"] == "Stadhuis (Els)" and ELS_PARAGRAPH in stop.body["nl"]
    assert "Jan schreef dit." not in stop.body["nl"]
    assert stop.summary["ja"] == JAN_SUMMARY
