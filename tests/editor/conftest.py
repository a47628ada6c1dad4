"""Editor fixtures: staff accounts, signed-in clients and a small walk of our own to edit."""

import pytest

from server.domain.accounts.users import create_user

from .editor_helpers import PASSWORD, ROLE_EMAILS, make_test_walk, sign_in


@pytest.fixture
def test_walk(app):
    with app.extensions["db"].session() as session:
        make_test_walk(session)
    return "test-walk"


@pytest.fixture
def accounts(app):
    """One account per role: {role: email}."""
    with app.extensions["db"].session() as session:
        for role, email in ROLE_EMAILS.items():
            create_user(session, email, PASSWORD, role)
        session.commit()
    return dict(ROLE_EMAILS)


@pytest.fixture
def signed_in(app, accounts):
    """signed_in(role) -> a test client signed in with that role."""

    def make(role):
        client = app.test_client()
        response = sign_in(client, accounts[role])
        assert response.status_code == 303, response.data
        return client

    return make


@pytest.fixture
def editor_context(browser, live_server):
    """editor_context() -> a new browser profile (a second editor's browser) that may reach only 127.0.0.1."""
    contexts, escaped = [], []

    def refuse_other_hosts(route):
        if route.request.url.startswith(("http://127.0.0.1", "data:", "blob:")):
            route.continue_()
        else:
            escaped.append(route.request.url)
            route.abort()

    def make(**options):
        context = browser.new_context(base_url=live_server.url, **options)
        context.route("**/*", refuse_other_hosts)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    assert not escaped, f"requests left 127.0.0.1: {escaped}"


@pytest.fixture
def els_and_jan(app):
    """Two editors, as in the staff review: {name: email}."""
    emails = {"els": "els.editor@kotoji.test", "jan": "jan.editor@kotoji.test"}
    with app.extensions["db"].session() as session:
        for email in emails.values():
            create_user(session, email, PASSWORD, "editor")
        session.commit()
    return emails
