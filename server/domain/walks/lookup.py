"""Walks and stops: lookups and the plain-dict state that revisions, exports and editors share."""

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from ..errors import NotFound
from ..json_types import JSONObject
from ..models import Stop, Walk

WALK_FIELDS = (
    "city",
    "country",
    "default_language",
    "languages",
    "title",
    "intro",
    "path",
    "status",
    "notes",
    "sources",
    "license",
    "attribution",
    "path_accuracy",
)
STOP_FIELDS = (
    "position",
    "lat",
    "lon",
    "position_confidence",
    "trigger_radius_m",
    "name",
    "name_reading",
    "summary",
    "body",
    "address",
    "opening_hours",
    "accessibility",
    "images",
    "audio",
    "status",
    "staff_note",
    "sources",
)


def get_walk(session: Session, slug: str) -> Walk:
    walk = session.scalar(select(Walk).where(Walk.slug == slug))
    if walk is None:
        raise NotFound(f"There is no walk called '{slug}'.")
    return walk


def get_stop(session: Session, walk_slug: str, stop_slug: str) -> Stop:
    stop = session.scalar(select(Stop).join(Stop.walk).where(Walk.slug == walk_slug, Stop.slug == stop_slug))
    if stop is None:
        raise NotFound(f"The walk '{walk_slug}' has no stop called '{stop_slug}'.")
    return stop


def list_walks(session: Session) -> list[Walk]:
    return list(session.scalars(select(Walk).order_by(Walk.slug)))


def stop_counts(session: Session) -> dict[int, tuple[int, int]]:
    """Return walk id -> (stops, published stops), deleted stops left out, from one query.

    A list of walks needs only these numbers: loading `walk.stops` for them would read every stop
    with its texts (a 10,000-stop walk cost a worker 140 MB, kept after the page was sent).
    """
    published = func.sum(case((Stop.status == "published", 1), else_=0))
    rows = session.execute(
        select(Stop.walk_id, func.count(), published).where(Stop.deleted_at.is_(None)).group_by(Stop.walk_id)
    )
    return {walk_id: (int(total), int(public or 0)) for walk_id, total, public in rows}


def twin_candidates(session: Session, walk_slug: str) -> list[Stop]:
    """Return the stops a stop of this walk may be twinned with: every stop of the other walks."""
    return list(
        session.scalars(
            select(Stop)
            .join(Stop.walk)
            .where(Walk.slug != walk_slug, Stop.deleted_at.is_(None))
            .order_by(Walk.slug, Stop.position)
        )
    )


def twin_ref(stop: Stop) -> str | None:
    """Return the twin as '<walk>/<stop>', the form bundles and revisions use."""
    return f"{stop.twin.walk.slug}/{stop.twin.slug}" if stop.twin else None


def walk_state(walk: Walk) -> JSONObject:
    """Return the whole editable state of a walk as plain JSON data."""
    return {"slug": walk.slug, **{name: getattr(walk, name) for name in WALK_FIELDS}}


def stop_state(stop: Stop) -> JSONObject:
    """Return the whole editable state of a stop as plain JSON data."""
    return {"slug": stop.slug, **{name: getattr(stop, name) for name in STOP_FIELDS}, "twin": twin_ref(stop)}
