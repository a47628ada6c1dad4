"""Staff and guide views are closed by default: a view opens to anonymous people only when marked @public."""

import pytest

from server import create_app
from server.auth import for_roles, is_public

from .editor_helpers import csrf_of, ensure_csrf, sign_in

GUARDED_BLUEPRINTS = ("editor", "guide")
# The only views anyone may use without signing in; a change here is a decision, not an accident.
PUBLIC = {
    "editor.login",
    "editor.resume_expired_form",  # signs in from the expired-form page, like the login form
    "editor.logout",
    "editor.static",
    "guide.static",
    "guide.planner",
    "guide.plan_json",
    "guide.best_order_json",
    "guide.handout",
    "guide.handout_map_script",
    "guide.tour_map",
    "guide.tour_gpx",
    "guide.tour_qr",
}
VALUES = {"walk": "test-walk", "stop": "alpha", "user_id": "1", "tour_id": "1", "event": "1", "filename": "editor.css"}


def guarded_routes(app):
    """Every (method, url, endpoint) of the editor and guide blueprints, from the app's URL map."""
    routes = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] not in GUARDED_BLUEPRINTS:
            continue
        url = rule.rule
        for name in rule.arguments:
            for converter in ("", "int:", "path:"):
                url = url.replace(f"<{converter}{name}>", VALUES[name])
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes.append((method, url, rule.endpoint))
    return routes


@pytest.fixture
def fresh_app(app):
    """Another app on the same database, still open to new routes (no request has been served yet)."""
    fresh = create_app({"TESTING": True, "DATABASE_URL": app.config["DATABASE_URL"], "SESSION_COOKIE_SECURE": False})
    yield fresh
    fresh.extensions["db"].engine.dispose()


def is_marked_public(app, endpoint):
    return endpoint.endswith(".static") or is_public(app.view_functions[endpoint])


def refused(response) -> bool:
    """401, or a redirect to the sign-in page."""
    return response.status_code == 401 or (
        response.status_code == 302 and response.headers["Location"].startswith("/editor/login")
    )


def anonymous_request(client, method, url):
    token = csrf_of(client)  # a valid CSRF token, so a refusal is about the role, not CSRF
    return client.open(
        url,
        method=method,
        headers={"X-CSRF-Token": token, "If-Match": '"x"'},
        data={"csrf_token": token} if method == "POST" else None,
    )


def test_every_editor_and_guide_view_is_marked_public_or_refuses_anonymous_people(app):
    client = app.test_client()
    ensure_csrf(client)
    routes = guarded_routes(app)
    assert len(routes) >= 40, "the URL map holds every editor and guide route"
    public = {endpoint for _, _, endpoint in routes if is_marked_public(app, endpoint)}
    assert public == PUBLIC
    open_without_marking = []
    for method, url, endpoint in routes:
        if endpoint in public:
            continue
        response = anonymous_request(client, method, url)
        if not refused(response):
            open_without_marking.append((method, url, response.status_code))
    assert not open_without_marking


@pytest.mark.parametrize("blueprint", GUARDED_BLUEPRINTS)
def test_a_new_view_without_a_marking_is_refused_to_anonymous_people(fresh_app, blueprint):
    # What @bp.get("/forgotten") does when the blueprint is registered: a rule whose endpoint is in the blueprint.
    fresh_app.add_url_rule(
        f"/{blueprint}/forgotten", f"{blueprint}.forgotten", lambda: "secret drafts", methods=["GET", "POST"]
    )
    client = fresh_app.test_client()
    ensure_csrf(client)
    for method in ("GET", "POST"):
        response = anonymous_request(client, method, f"/{blueprint}/forgotten")
        assert refused(response), (method, response.status_code)
        assert b"secret drafts" not in response.data


def test_a_new_view_marked_for_admins_refuses_editors(fresh_app, accounts):
    fresh_app.add_url_rule("/editor/admins-only", "editor.admins_only", for_roles("admin")(lambda: "for admins"))
    editor, admin = fresh_app.test_client(), fresh_app.test_client()
    assert sign_in(editor, accounts["editor"]).status_code == 303
    assert sign_in(admin, accounts["admin"]).status_code == 303
    assert editor.get("/editor/admins-only").status_code == 403
    assert admin.get("/editor/admins-only").data == b"for admins"
