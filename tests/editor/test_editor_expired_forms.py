"""A plain form refused for its CSRF token shows the editor's page with what was typed, never a bare 400."""

import re

from sqlalchemy import select

from server.domain.models import User, Walk

from .editor_helpers import PASSWORD, csrf_of, post_form

NEW_STOP = "/editor/walks/test-walk/stops/new"
TYPED = {"slug": "vismijn", "name": "Oude Vismijn", "lat": "51.0573", "lon": "3.7208"}


def stop_slugs(session):
    session.expire_all()
    return [s.slug for s in session.scalar(select(Walk).where(Walk.slug == "test-walk")).stops]


def hidden_fields(html: str) -> dict[str, list[str]]:
    """Return the hidden fields of the expired-form page's own form."""
    form = html[html.index('id="expired-form"') :]
    fields: dict[str, list[str]] = {}
    for name, value in re.findall(
        r'<input type="hidden" name="([^"]*)" value="([^"]*)">', form[: form.index("</form>")]
    ):
        fields.setdefault(name, []).append(value)
    return fields


def form_action(html: str) -> str:
    return re.search(r'<form method="post" class="grid" id="expired-form"\s+action="([^"]*)"', html).group(1)


def test_a_stale_token_shows_what_was_typed_and_sending_it_again_saves_it(signed_in, test_walk, session):
    editor = signed_in("editor")
    refused = editor.post(NEW_STOP, data={**TYPED, "csrf_token": "an-old-token"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert 'class="site-header"' in html and 'id="expired-explanation"' in html, "the editor's layout, in words"
    assert "Oude Vismijn" in html and "51.0573" in html
    assert "vismijn" not in stop_slugs(session), "nothing changed"
    fields = hidden_fields(html)
    assert fields["csrf_token"] == [csrf_of(editor)] and form_action(html) == NEW_STOP
    again = editor.post(form_action(html), data={k: v[0] for k, v in fields.items()})
    assert again.status_code == 303 and "vismijn" in stop_slugs(session)


def test_after_signing_out_elsewhere_the_page_signs_in_and_keeps_the_input(signed_in, accounts, test_walk, session):
    editor = signed_in("editor")
    old_token = csrf_of(editor)
    post_form(editor, "/editor/logout")  # "another tab": the session and its token are gone
    editor.get("/editor/login")  # where that tab lands
    refused = editor.post(NEW_STOP, data={**TYPED, "csrf_token": old_token})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "You are signed out" in html and 'id="resume-email"' in html
    carried = {k: v[0] for k, v in hidden_fields(html).items()}
    assert carried["carried:name"] == "Oude Vismijn" and carried["action"] == NEW_STOP

    wrong = editor.post("/editor/resume", data={**carried, "email": accounts["editor"], "password": "nope"})
    assert wrong.status_code == 401 and "Oude Vismijn" in wrong.get_data(as_text=True), "a typo loses nothing"
    resumed = editor.post(
        "/editor/resume",
        data={
            **{k: v[0] for k, v in hidden_fields(wrong.get_data(as_text=True)).items()},
            "email": accounts["editor"],
            "password": PASSWORD,
        },
    )
    html = resumed.get_data(as_text=True)
    assert resumed.status_code == 200 and 'id="send-again"' in html
    fields = {k: v[0] for k, v in hidden_fields(html).items()}
    assert fields["name"] == "Oude Vismijn" and fields["csrf_token"] == csrf_of(editor)
    assert editor.post(form_action(html), data=fields).status_code == 303
    assert "vismijn" in stop_slugs(session)


def test_a_browser_our_pages_never_gave_a_token_is_refused_unread_with_advice(client, test_walk, session):
    page = client.post(NEW_STOP, data={**TYPED, "csrf_token": "forged"})
    html = page.get_data(as_text=True)
    assert page.status_code == 400 and 'id="expired-not-kept"' in html and "Oude Vismijn" not in html
    assert "vismijn" not in stop_slugs(session)


def test_a_form_sent_after_the_session_ended_signs_in_on_the_page_and_keeps_the_input(
    signed_in, test_walk, session, app
):
    from server.domain.models import StaffSession

    editor = signed_in("editor")
    with app.extensions["db"].session() as other:  # the server ends the session (idle too long)
        other.query(StaffSession).delete()
        other.commit()
    refused = post_form(editor, NEW_STOP, TYPED)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 401 and 'id="resume-email"' in html and "Oude Vismijn" in html
    assert "vismijn" not in stop_slugs(session)


def test_a_password_is_never_echoed_back_but_asked_again(signed_in, accounts, session):
    admin = signed_in("admin")
    data = {"email": "new.editor@kotoji.test", "password": "a long secret password", "role": "editor"}
    html = admin.post("/editor/users", data={**data, "csrf_token": "stale"}).get_data(as_text=True)
    assert "a long secret password" not in html and "new.editor@kotoji.test" in html
    assert 'id="expired-password" name="password" type="password"' in html
    session.expire_all()
    assert session.scalar(select(User).where(User.email == data["email"])) is None


def test_the_sign_in_page_left_open_too_long_asks_again_with_the_email_kept(client, accounts):
    client.get("/editor/login")
    page = client.post("/editor/login", data={"email": accounts["editor"], "password": PASSWORD, "csrf_token": "old"})
    html = page.get_data(as_text=True)
    assert page.status_code == 400 and 'id="login-problem"' in html and accounts["editor"] in html


def test_scripts_still_get_the_json_error(signed_in, test_walk):
    editor = signed_in("editor")
    answer = editor.put("/editor/api/walks/test-walk", json={}, headers={"X-CSRF-Token": "old", "If-Match": '"x"'})
    assert answer.status_code == 400 and "CSRF" in answer.get_json()["message"]


def test_the_form_goes_back_only_to_editor_pages(signed_in, test_walk):
    editor = signed_in("editor")
    html = editor.post(
        "/editor/resume",
        data={"csrf_token": csrf_of(editor), "action": "https://evil.example/x", "email": "x", "password": "y"},
    ).get_data(as_text=True)
    assert "evil.example" not in html
