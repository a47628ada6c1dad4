"""In Chromium: a guide opens a tour a colleague shares read-only, cannot edit its notes, saves their own copy;
the owner stops sharing from "My tours"."""

import pytest

from .test_guide_saved import PASSWORD, accounts, save, signed_in, stops  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser


def sign_in(page, email, next_url):
    page.goto(f"/editor/login?next={next_url}")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.press("#password", "Enter")


def test_a_shared_tour_opens_read_only_and_is_saved_as_the_readers_own_copy(
    app,
    accounts,  # noqa: F811
    stops,  # noqa: F811
    browser,
    live_server,
):
    owner, token = signed_in(app, "guide@guide.test")
    tour = save(owner, token, stops, {stops[0]: "Key at the porter's lodge"}, title="Delegation").get_json()
    owner.post(f"/guide/tours/{tour['id']}/share", data={"csrf_token": token, "email": "other-guide@guide.test"})

    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, "other-guide@guide.test", "/guide/tours")
    page.wait_for_selector("#shared-with-me")
    shared_list = page.locator(".shared-tours")
    assert "guide@guide.test" in shared_list.inner_text()
    shared_list.get_by_role("link", name="Delegation").click()
    page.wait_for_function("() => document.querySelector('#save-status').textContent.includes('read only')")
    note = page.locator(f"#note-{stops[0]}")
    assert note.input_value() == "Key at the porter's lodge"
    assert note.evaluate("area => area.readOnly")
    assert page.text_content("#save-tour") == "Save as my own tour"
    assert not page.locator("#handout-notes-link").is_hidden()  # the reader prints it with the notes

    page.click("#save-tour")
    page.wait_for_function(f"() => new URLSearchParams(location.search).get('saved') !== '{tour['id']}'")
    # Now theirs to change: the notes become editable and the button saves changes to their copy.
    page.wait_for_function(f"() => !document.querySelector('#note-{stops[0]}').readOnly")
    assert page.text_content("#save-tour") == "Save changes"
    page.goto("/guide/tours")
    mine = page.locator(".saved-tours").first.inner_text()
    assert "Delegation" in mine  # their own copy, in their own list

    # The owner stops sharing: the reader no longer finds or opens it.
    owner_page = context.browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    sign_in(owner_page, "guide@guide.test", "/guide/tours")
    owner_page.get_by_role("button", name="Stop sharing Delegation with other-guide@guide.test").click()
    owner_page.wait_for_selector("p.done")
    assert "other-guide@guide.test" not in owner_page.locator(".saved-tours").first.inner_text()
    page.goto("/guide/tours")
    assert "Delegation" not in page.locator("#shared-with-me ~ *").all_inner_texts()[0]
    assert page.goto(f"/guide/tours/{tour['id']}").status == 404
    assert not errors, errors
    owner_page.context.close()
    context.close()
