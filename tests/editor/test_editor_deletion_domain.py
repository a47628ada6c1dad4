"""Stop deletion in the domain, without HTTP: places in the walk, twins, and what a purge leaves behind."""

import pytest
from sqlalchemy import select

from server.domain.editing.deletion import delete_stop, purge_stop, restore_deleted_stop
from server.domain.editing.saves import StopDeleted, etag_of, reorder_stops, save_stop
from server.domain.models import Revision, Stop, Walk


def walk_of(session) -> Walk:
    session.expire_all()
    return session.scalar(select(Walk).where(Walk.slug == "test-walk"))


def stop_of(session, slug) -> Stop:
    return next(s for s in [*walk_of(session).stops, *walk_of(session).deleted_stops] if s.slug == slug)


def test_restore_puts_the_stop_back_at_its_place_even_after_a_reorder(test_walk, session):
    beta = stop_of(session, "beta")
    delete_stop(session, beta, etag_of(beta), None)
    session.commit()
    assert [(s.slug, s.position) for s in walk_of(session).stops] == [("alpha", 1), ("gamma", 2)]
    walk = walk_of(session)
    reorder_stops(session, walk, ["gamma", "alpha"], etag_of(walk), None)
    session.commit()
    beta = stop_of(session, "beta")
    restore_deleted_stop(session, beta, etag_of(beta), None)
    session.commit()
    assert [(s.slug, s.position) for s in walk_of(session).stops] == [("gamma", 1), ("beta", 2), ("alpha", 3)]


def test_a_deleted_stop_refuses_saves_and_a_second_delete(test_walk, session):
    gamma = stop_of(session, "gamma")
    delete_stop(session, gamma, etag_of(gamma), None)
    session.commit()
    gamma = stop_of(session, "gamma")
    with pytest.raises(StopDeleted):
        save_stop(session, gamma, {"address": "x"}, etag_of(gamma), None)
    with pytest.raises(StopDeleted):
        delete_stop(session, gamma, etag_of(gamma), None)


def test_purging_unlinks_the_twin_with_a_revision_and_removes_the_stops_revisions(test_walk, session):
    other = session.scalar(select(Stop).join(Stop.walk).where(Walk.slug != "test-walk"))
    alpha = stop_of(session, "alpha")
    save_stop(session, alpha, {"twin": f"{other.walk.slug}/{other.slug}"}, etag_of(alpha), None)
    session.commit()
    other_revision = session.get(Stop, other.id).revision
    alpha = stop_of(session, "alpha")
    alpha_id = alpha.id
    delete_stop(session, alpha, etag_of(alpha), None)
    purge_stop(session, stop_of(session, "alpha"), None)
    session.commit()
    session.expire_all()
    other = session.get(Stop, other.id)
    assert other.twin is None and other.revision == other_revision + 1
    assert (
        session.scalars(select(Revision).where(Revision.entity == "stop", Revision.entity_id == alpha_id)).all() == []
    )
