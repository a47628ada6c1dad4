"""The accounts page (review B15): clear messages, input kept, confirmation, the last admin kept, own password."""

from sqlalchemy import select

from server.domain.models import AuditEvent, User

from .editor_helpers import PASSWORD, post_form, sign_in

NEW_PASSWORD = "a brand new password here"


def user_id(session, email):
    session.expire_all()
    return session.scalar(select(User.id).where(User.email == email))


def user(session, email):
    session.expire_all()
    return session.scalar(select(User).where(User.email == email))


def audit_actions(session):
    session.expire_all()
    return [(e.action, e.object_id) for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_the_list_shows_role_status_and_last_sign_in(signed_in, accounts):
    page = signed_in("admin").get("/editor/users").get_data(as_text=True)
    row = page[page.index(accounts["admin"]) :]
    assert "administrator" in row[:2000] and "active" in row[:2000]
    guide_row = page[page.index(accounts["guide"]) :]
    assert "never" in guide_row[: guide_row.index("</tr>")], "the guide never signed in"
    assert "never" not in row[: row.index("</tr>")], "the admin just did"


def test_creating_says_so_and_a_refusal_keeps_the_typed_email_and_role(signed_in, accounts, session):
    admin = signed_in("admin")
    made = post_form(
        admin,
        "/editor/users",
        {"email": "els@kotoji.test", "role": "guide", "password": NEW_PASSWORD},
        follow_redirects=True,
    )
    assert "Account created for els@kotoji.test" in made.get_data(as_text=True)
    again = post_form(admin, "/editor/users", {"email": "ELS@kotoji.test", "role": "guide", "password": NEW_PASSWORD})
    html = again.get_data(as_text=True)
    assert again.status_code == 422 and 'id="new-account-problem"' in html and "already exists" in html
    assert 'value="ELS@kotoji.test"' in html and '<option value="guide" selected>' in html
    assert NEW_PASSWORD not in html


def test_deactivating_asks_first_then_ends_the_sessions_and_says_so(app, signed_in, accounts, session):
    editor, admin = signed_in("editor"), signed_in("admin")
    target = user_id(session, accounts["editor"])
    page = admin.get(f"/editor/users/{target}/deactivate").get_data(as_text=True)
    assert 'id="confirm-deactivate"' in page and accounts["editor"] in page
    assert post_form(admin, f"/editor/users/{target}/deactivate").status_code == 200, "no confirmation: only asks"
    assert user(session, accounts["editor"]).active
    done = post_form(
        admin, f"/editor/users/{target}/deactivate", {"confirm": accounts["editor"]}, follow_redirects=True
    )
    assert f"{accounts['editor']} is deactivated" in done.get_data(as_text=True)
    assert not user(session, accounts["editor"]).active
    assert editor.get("/editor/").status_code == 302, "signed out at once"
    back = post_form(admin, f"/editor/users/{target}/reactivate", follow_redirects=True)
    assert "can sign in again" in back.get_data(as_text=True) and user(session, accounts["editor"]).active
    assert sign_in(app.test_client(), accounts["editor"]).status_code == 303


def test_the_last_admin_cannot_be_deactivated_or_demoted_and_is_told_why(signed_in, accounts, session):
    admin = signed_in("admin")
    me = user_id(session, accounts["admin"])
    refused = post_form(admin, f"/editor/users/{me}/deactivate", {"confirm": accounts["admin"]})
    assert refused.status_code == 422 and "last active admin and cannot be deactivated" in refused.get_data(
        as_text=True
    )
    demoted = post_form(admin, f"/editor/users/{me}/role", {"role": "editor"})
    assert demoted.status_code == 422 and f'id="user-{me}-problem"' in demoted.get_data(as_text=True)
    assert user(session, accounts["admin"]).role == "admin" and user(session, accounts["admin"]).active


def test_changing_a_role_says_so_and_is_audited(signed_in, accounts, session):
    admin = signed_in("admin")
    target = user_id(session, accounts["guide"])
    page = post_form(admin, f"/editor/users/{target}/role", {"role": "editor"}, follow_redirects=True)
    assert f"Role saved for {accounts['guide']}" in page.get_data(as_text=True)
    assert user(session, accounts["guide"]).role == "editor"
    assert ("user.update", accounts["guide"]) in audit_actions(session)


def test_a_password_reset_says_so_and_only_the_new_password_works(app, signed_in, accounts, session):
    admin = signed_in("admin")
    target = user_id(session, accounts["guide"])
    empty = post_form(admin, f"/editor/users/{target}/password", {"password": ""})
    assert empty.status_code == 422 and "type the new password" in empty.get_data(as_text=True)
    page = post_form(admin, f"/editor/users/{target}/password", {"password": NEW_PASSWORD}, follow_redirects=True)
    assert f"New password set for {accounts['guide']}" in page.get_data(as_text=True)
    assert sign_in(app.test_client(), accounts["guide"]).status_code == 401
    assert sign_in(app.test_client(), accounts["guide"], password=NEW_PASSWORD).status_code == 303


def test_anyone_changes_their_own_password_and_other_devices_are_signed_out(app, signed_in, accounts, session):
    here, elsewhere = signed_in("guide"), signed_in("guide")
    wrong = post_form(
        here, "/editor/account/password", {"current": "not it", "password": NEW_PASSWORD, "repeat": NEW_PASSWORD}
    )
    assert wrong.status_code == 422 and "not your current password" in wrong.get_data(as_text=True)
    differ = post_form(
        here, "/editor/account/password", {"current": PASSWORD, "password": NEW_PASSWORD, "repeat": NEW_PASSWORD + "x"}
    )
    assert differ.status_code == 422 and "differ" in differ.get_data(as_text=True)
    done = post_form(
        here,
        "/editor/account/password",
        {"current": PASSWORD, "password": NEW_PASSWORD, "repeat": NEW_PASSWORD},
        follow_redirects=True,
    )
    assert 'id="password-changed"' in done.get_data(as_text=True)
    assert here.get("/editor/account/password").status_code == 200, "still signed in here"
    assert elsewhere.get("/editor/account/password").status_code == 302, "signed out elsewhere"
    assert sign_in(app.test_client(), accounts["guide"], password=NEW_PASSWORD).status_code == 303
    assert ("user.password", accounts["guide"]) in audit_actions(session)


def test_an_editor_on_the_accounts_page_gets_the_editors_layout_not_a_bare_403(signed_in):
    page = signed_in("editor").get("/editor/users")
    html = page.get_data(as_text=True)
    assert page.status_code == 403 and 'class="site-header"' in html and 'id="forbidden-message"' in html
