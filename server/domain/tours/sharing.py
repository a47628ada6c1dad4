"""Saved tours shared read-only between guides: the owner shares and stops sharing, readers read and duplicate.

Every read goes through `readable_saved_tour`, which asks the database for the share each time, so a
tour is readable by its owner and by the guides it is shared with now, and by no one else: to anyone
else it is "not found", so ids reveal nothing. Only the owner may change, delete or share it.
"""

from typing import Any, cast

from sqlalchemy import delete, select
from sqlalchemy.engine import CursorResult  # what a bulk DELETE returns: it has rowcount, a Result has not
from sqlalchemy.orm import Session

from ..accounts.audit import record_event
from ..accounts.users import normalize_email
from ..errors import NotFound, ReadOnly, ValidationError
from ..messages import _
from ..models import SavedTour, SavedTourShare, User

GUIDE_ROLES = ("guide", "admin")  # the accounts that have saved tours


def _share(session: Session, tour_id: int, reader_id: int) -> SavedTourShare | None:
    return session.scalar(
        select(SavedTourShare).where(SavedTourShare.tour_id == tour_id, SavedTourShare.reader_id == reader_id)
    )


def readable_saved_tour(session: Session, tour_id: int, reader_id: int) -> SavedTour:
    """Return the saved tour if `reader_id` owns it or it is shared with them now, else raise NotFound."""
    saved = session.get(SavedTour, tour_id)
    if saved is None or (saved.owner_id != reader_id and _share(session, tour_id, reader_id) is None):
        raise NotFound(_("You have no saved tour with that number."))
    return saved


def owned_saved_tour(session: Session, tour_id: int, owner_id: int) -> SavedTour:
    """Return the owner's saved tour for a change; a reader of a shared tour is told it is read-only."""
    saved = readable_saved_tour(session, tour_id, owner_id)
    if saved.owner_id != owner_id:
        raise ReadOnly(_("This tour is shared with you to read only: duplicate it to make changes."))
    return saved


def share_saved_tour(session: Session, tour_id: int, owner_id: int, email: str) -> User:
    """Share the owner's tour read-only with the active guide account at `email`; sharing twice is one share."""
    saved = owned_saved_tour(session, tour_id, owner_id)
    address = normalize_email(email or "")
    reader = session.scalar(
        select(User).where(User.email == address, User.active.is_(True), User.role.in_(GUIDE_ROLES))
    )
    if reader is None or reader.id == owner_id:
        raise ValidationError(
            ["email: " + _("no other active guide account has the address %(email)s.", email=address[:120])]
        )
    if _share(session, saved.id, reader.id) is None:
        session.add(SavedTourShare(tour_id=saved.id, reader_id=reader.id))
        session.flush()
        record_event(session, owner_id, "tour.share", "saved_tour", saved.id, reader=reader.id)
    return reader


def stop_sharing(session: Session, tour_id: int, owner_id: int, reader_id: int) -> None:
    """Take the reader's access to the owner's tour away (nothing to do if it was not shared with them)."""
    saved = owned_saved_tour(session, tour_id, owner_id)
    removed = cast(
        CursorResult[Any],
        session.execute(
            delete(SavedTourShare).where(SavedTourShare.tour_id == saved.id, SavedTourShare.reader_id == reader_id)
        ),
    ).rowcount
    if removed:
        record_event(session, owner_id, "tour.unshare", "saved_tour", saved.id, reader=reader_id)


def readers_of(session: Session, tour_ids: list[int]) -> dict[int, list[User]]:
    """Return, per tour id, the guides it is shared with, by email address."""
    readers: dict[int, list[User]] = {tour_id: [] for tour_id in tour_ids}
    if not tour_ids:
        return readers
    rows = session.execute(
        select(SavedTourShare.tour_id, User)
        .join(User, User.id == SavedTourShare.reader_id)
        .where(SavedTourShare.tour_id.in_(tour_ids))
        .order_by(User.email)
    )
    for tour_id, user in rows:
        readers[tour_id].append(user)
    return readers


def tours_shared_with(session: Session, reader_id: int) -> list[tuple[SavedTour, User]]:
    """Return the tours other guides share with the reader, newest first, each with its owner."""
    rows = session.execute(
        select(SavedTour, User)
        .join(SavedTourShare, SavedTourShare.tour_id == SavedTour.id)
        .join(User, User.id == SavedTour.owner_id)
        .where(SavedTourShare.reader_id == reader_id)
        .order_by(SavedTour.updated_at.desc(), SavedTour.id.desc())
    )
    return [(saved, owner) for saved, owner in rows]
