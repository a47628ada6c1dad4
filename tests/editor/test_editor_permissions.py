"""Every editor route × anonymous / guide / editor / admin gives the expected answer."""

import pytest

from .editor_helpers import csrf_of, ensure_csrf

ROLES = ("anonymous", "guide", "editor", "admin")
PUBLIC = {"editor.login", "editor.static", "editor.logout", "editor.resume_expired_form"}
ADMIN_ONLY = {
    "editor.users",
    "editor.create_user_account",
    "editor.update_user_account",
    "editor.audit_log",
    "editor.purge_stop_form",
    "editor.change_user_role",
    "editor.reset_user_password",
    "editor.deactivate_user",
    "editor.reactivate_user",
}
EVERY_ROLE = {"editor.own_password"}  # a person's own password: guides too
VALUES = {"walk": "test-walk", "stop": "alpha", "user_id": "1", "event": "1", "filename": "editor.css"}


def editor_routes(app):
    """Every (method, url, endpoint) the editor blueprint answers."""
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("editor."):
            continue
        url = rule.rule
        for name in rule.arguments:
            url = (
                url.replace(f"<{name}>", VALUES[name])
                .replace(f"<int:{name}>", VALUES[name])
                .replace(f"<path:{name}>", VALUES[name])
            )
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes.append((method, url, rule.endpoint))
    return routes


def expected(role, method, url, endpoint):
    """Return 'allowed', 'login' (sent to sign in), 'unauthorized' (401) or 'forbidden' (403)."""
    if endpoint in ("editor.login", "editor.resume_expired_form") and method == "POST":
        return "unauthorized"  # open to all; these empty credentials are simply wrong
    if endpoint in PUBLIC:
        return "allowed"
    if role == "anonymous":
        return "login" if method == "GET" and not url.startswith("/editor/api/") else "unauthorized"
    if endpoint in EVERY_ROLE:
        return "allowed"
    if endpoint in ADMIN_ONLY:
        return "allowed" if role == "admin" else "forbidden"
    return "allowed" if role in ("editor", "admin") else "forbidden"


def outcome(response):
    if response.status_code == 302 and "/editor/login" in response.headers.get("Location", ""):
        return "login"
    return {401: "unauthorized", 403: "forbidden"}.get(response.status_code, "allowed")


@pytest.mark.parametrize("role", ROLES)
def test_every_editor_route_answers_each_role_as_expected(app, accounts, test_walk, role):
    from .editor_helpers import sign_in

    client = app.test_client()
    if role == "anonymous":
        ensure_csrf(client)  # a valid token, so the answer is about the role, not CSRF
    else:
        assert sign_in(client, accounts[role]).status_code == 303
    routes = editor_routes(app)
    assert len(routes) >= 25, "every editor route is in the matrix"
    wrong = []
    for method, url, endpoint in routes:
        if endpoint == "editor.logout":
            continue  # it would end the session the rest of the matrix needs; tested in test_editor_auth
        response = client.open(
            url,
            method=method,
            headers={"X-CSRF-Token": csrf_of(client), "If-Match": '"x"'},
            data={"csrf_token": csrf_of(client)} if method == "POST" else None,
        )
        want = expected(role, method, url, endpoint)
        if outcome(response) != want or response.status_code >= 500:
            wrong.append((role, method, url, response.status_code, want))
    assert not wrong, wrong
