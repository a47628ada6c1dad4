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


