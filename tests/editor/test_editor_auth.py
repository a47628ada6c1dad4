"""Accounts and sessions: argon2id logins, rotated sessions, logout that ends them, limits in the database."""

import io

from server import create_app
from server.domain.accounts.login_limits import MAX_FAILURES_PER_ACCOUNT

from .editor_helpers import PASSWORD, csrf_of, ensure_csrf, post_form, sign_in


def test_editor_pages_send_anonymous_people_to_the_login_page(client):
    response = client.get("/editor/walks/test-walk")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/editor/login?next=/editor/walks/test-walk")


def test_login_rotates_the_session_and_logout_ends_it_on_the_server(app, accounts):
    client = app.test_client()
    before = ensure_csrf(client)
    assert sign_in(client, accounts["editor"]).status_code == 303
    assert csrf_of(client) != before, "a new CSRF token comes with the new session"
    assert client.get("/editor/").status_code == 200
    stolen_cookie = client.get_cookie("kotoji_session").value
    assert post_form(client, "/editor/logout").status_code == 303
    replay = app.test_client()
    replay.set_cookie("kotoji_session", stolen_cookie)
    assert replay.get("/editor/").status_code == 302, "the old cookie no longer opens a session"


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(client, accounts):
    wrong = sign_in(client, accounts["editor"], password="not the password at all")
    unknown = sign_in(client, "nobody@kotoji.test")
    assert wrong.status_code == unknown.status_code == 401
    assert b"email address or password is wrong" in wrong.data and b"email address or password is wrong" in unknown.data


def test_failed_logins_lock_the_account_across_app_instances(app, accounts):
    client = app.test_client()
    for _ in range(MAX_FAILURES_PER_ACCOUNT):
        assert sign_in(client, accounts["editor"], password="wrong password here").status_code == 401
    # Another instance (another process or machine) sharing the database sees the same count.
    other = create_app({"TESTING": True, "DATABASE_URL": app.config["DATABASE_URL"], "SESSION_COOKIE_SECURE": False})
    try:
        locked = sign_in(other.test_client(), accounts["editor"], password=PASSWORD)
    finally:
        other.extensions["db"].engine.dispose()
    assert locked.status_code == 429
    assert int(locked.headers["Retry-After"]) > 0
    assert b"Too many failed logins" in locked.data


def test_failures_from_one_address_block_it_for_every_account(app, accounts):
    client = app.test_client()
    for n in range(20):
        sign_in(client, f"guess{n}@kotoji.test", password="wrong password here")
    assert sign_in(client, accounts["admin"]).status_code == 429
    elsewhere = app.test_client()
    response = sign_in(elsewhere, accounts["admin"], environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert response.status_code == 303, "another address is not blocked"


def test_login_without_csrf_token_is_refused(client, accounts):
    response = client.post("/editor/login", data={"email": accounts["editor"], "password": PASSWORD})
    assert response.status_code == 400
    assert b"CSRF" in response.data


class UnreadableBody(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def readable(self):
        return True

    def readinto(self, buffer):
        raise AssertionError("the CSRF check read the request body")


def test_csrf_is_refused_without_reading_the_body_when_no_token_can_match(client, accounts):
    form = {
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": "100000",
        "wsgi.input": UnreadableBody(),
    }
    assert client.post("/editor/login", environ_overrides=form).status_code == 400, "no session, no token"
    ensure_csrf(client)
    with_header = {**form, "wsgi.input": UnreadableBody(), "HTTP_X_CSRF_TOKEN": "not-the-token"}
    assert client.post("/editor/login", environ_overrides=with_header).status_code == 400, "header read first"
    upload = {"CONTENT_TYPE": "application/json", "CONTENT_LENGTH": "100000", "wsgi.input": UnreadableBody()}
    assert client.put("/editor/api/walks/x/stops/y", environ_overrides=upload).status_code == 400


def test_next_parameter_cannot_send_people_to_another_site(client, accounts):
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        response = sign_in(client, accounts["editor"], next=target)
        assert response.headers["Location"] == "/editor/", target
        post_form(client, "/editor/logout")
    response = sign_in(client, accounts["editor"], next="/editor/audit")
    assert response.headers["Location"] == "/editor/audit"


def test_guides_land_on_the_guide_tools(client, accounts):
    assert sign_in(client, accounts["guide"]).headers["Location"] == "/guide/"


def test_session_cookie_is_httponly_samesite_and_secure_by_default(app, accounts):
    secure = create_app({"TESTING": True, "DATABASE_URL": app.config["DATABASE_URL"]})
    try:
        client = secure.test_client()
        response = sign_in(client, accounts["editor"])
    finally:
        secure.extensions["db"].engine.dispose()
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie


def test_admin_deactivating_an_account_ends_its_sessions(app, signed_in, accounts, session):
    from server.domain.models import User

    editor = signed_in("editor")
    admin = signed_in("admin")
    user = session.query(User).filter_by(email=accounts["editor"]).one()
    response = post_form(admin, f"/editor/users/{user.id}", {"role": "editor"})  # no "active": deactivate
    assert response.status_code == 303
    assert editor.get("/editor/").status_code == 302
    assert sign_in(app.test_client(), accounts["editor"]).status_code == 401


def test_the_last_admin_cannot_demote_themselves(signed_in, accounts, session):
    from server.domain.models import User

    admin = signed_in("admin")
    me = session.query(User).filter_by(email=accounts["admin"]).one()
    response = post_form(admin, f"/editor/users/{me.id}", {"role": "editor", "active": "on"})
    assert response.status_code == 422
    assert b"last active admin" in response.data


def test_admins_create_accounts_and_the_audit_log_records_it(signed_in):
    admin = signed_in("admin")
    response = post_form(
        admin, "/editor/users", {"email": "new@kotoji.test", "role": "guide", "password": "a long enough password"}
    )
    assert response.status_code == 303
    log = admin.get("/editor/audit").get_data(as_text=True)
    assert "user.create" in log and "new@kotoji.test" in log
    weak = post_form(admin, "/editor/users", {"email": "weak@kotoji.test", "role": "guide", "password": "short"})
    assert weak.status_code == 422 and b"at least 12 characters" in weak.data


def test_editor_pages_carry_strict_headers_and_no_inline_script(signed_in, test_walk):
    import re

    editor = signed_in("editor")
    for url in (
        "/editor/",
        "/editor/walks/test-walk",
        "/editor/walks/test-walk/stops/alpha",
        "/editor/walks/test-walk/stops/alpha/history",
        "/editor/walks/test-walk/stops/alpha/preview?lang=ja",
    ):
        response = editor.get(url)
        assert response.status_code == 200, url
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"]
        assert response.headers["Cache-Control"] == "no-store"
        html = response.get_data(as_text=True)
        # A JSON data block (`type="application/json"`, filled with |tojson) is data the browser never runs.
        assert not re.search(r'<script(?![^>]*\bsrc=)(?![^>]*type="application/json")[^>]*>', html), url
        assert not re.search(r"\sstyle=", html), url
        assert not re.search(r"\son[a-z]+=", html), url
        assert 'name="csrf-token"' in html


def test_behind_a_trusted_proxy_limits_count_the_real_address(app, accounts):
    proxied = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": app.config["DATABASE_URL"],
            "SESSION_COOKIE_SECURE": False,
            "TRUSTED_PROXIES": 1,
        }
    )
    try:
        client = proxied.test_client()
        for n in range(20):
            sign_in(
                client,
                f"guess{n}@kotoji.test",
                password="wrong password here",
                headers={"X-Forwarded-For": "203.0.113.9"},
            )
        blocked = sign_in(client, accounts["admin"], headers={"X-Forwarded-For": "203.0.113.9"})
        other = proxied.test_client()
        allowed = sign_in(other, accounts["admin"], headers={"X-Forwarded-For": "198.51.100.7"})
    finally:
        proxied.extensions["db"].engine.dispose()
    assert blocked.status_code == 429
    assert allowed.status_code == 303
