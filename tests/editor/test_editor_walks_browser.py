"""Build a walk without the command line (item 7): create, duplicate, archive, change its languages."""

import pytest
from sqlalchemy import select

from server.domain.models import Revision, Stop, Walk

from .browser_steps import open_signed_in

pytestmark = pytest.mark.browser


def walk_row(session, slug):
    session.expire_all()
    return session.scalar(select(Walk).where(Walk.slug == slug))


def test_an_editor_makes_a_walk_in_the_browser_and_a_refusal_keeps_the_form(page_context, accounts, session):
    page = open_signed_in(page_context, accounts["editor"], "/editor/")
    page.fill("#walk-slug", "Old Port")  # not a slug
    page.fill("#walk-city", "Gent")
    page.fill("#walk-country", "BE")
    page.uncheck("#new-walk-form input[value=ja]")
    page.select_option("#walk-default-language", "nl")
    page.fill("#walk-title-nl", "De oude haven")
    page.click("#create-walk")
    page.wait_for_selector("#new-walk-problems")
    assert "slug:" in page.inner_text("#new-walk-problems")
    assert page.input_value("#walk-title-nl") == "De oude haven" and page.input_value("#walk-city") == "Gent"
    assert not page.is_checked("#new-walk-form input[value=ja]")
    page.fill("#walk-slug", "gent-old-port")
    page.click("#create-walk")
    page.wait_for_selector("#walk-created")
    walk = walk_row(session, "gent-old-port")
    assert (walk.languages, walk.default_language, walk.title, walk.status) == (
        ["nl", "en"],
        "nl",
        {"nl": "De oude haven"},
        "draft",
    )
    # Its languages change on its page.
    page.check("#languages-form input[value=ja]")
    page.click("#languages-form button[type=submit]")
    page.wait_for_url("**/editor/walks/gent-old-port#languages-heading")
    assert walk_row(session, "gent-old-port").languages == ["nl", "en", "ja"]


def test_a_walk_is_duplicated_as_drafts_and_archived_out_of_the_list(page_context, accounts, session):
    page = open_signed_in(page_context, accounts["editor"], "/editor/walks/gent-kanazawa")
    page.fill("#copy-slug", "gent-kanazawa-winter")
    page.click("#duplicate-walk")
    page.wait_for_selector("#walk-copied")
    copy, source = walk_row(session, "gent-kanazawa-winter"), walk_row(session, "gent-kanazawa")
    assert [s.slug for s in copy.stops] == [s.slug for s in source.stops]
    assert {s.status for s in copy.stops} == {"draft"} and copy.status == "draft"
    assert (
        session.scalar(select(Revision).where(Revision.entity == "stop", Revision.entity_id == copy.stops[0].id))
        is not None
    )
    assert session.scalar(select(Stop).where(Stop.id == source.stops[0].id)).walk_id == source.id
    page.click("#archive-walk")
    page.wait_for_selector("#unarchive-walk")
    page.goto("/editor/")
    assert "gent-kanazawa-winter" in page.inner_text("#archived-walks")
    assert "gent-kanazawa-winter" not in page.inner_html("#walk-list")
    assert page.locator("#walk-list a[href='/editor/walks/gent-kanazawa'] ").count() == 1
    page.goto("/editor/walks/gent-kanazawa")
    assert page.is_disabled("#archive-walk")  # a public walk is withdrawn first
