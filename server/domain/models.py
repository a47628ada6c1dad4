"""The database model of DESIGN.md, in SQLAlchemy 2 (plain Python: no Flask here).

Texts per language are JSON objects {"nl": ..., "en": ..., "ja": ...}. Positions are stored as
separate lat/lon columns so both SQLite and PostgreSQL index and compare them without extensions.
"""

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from .json_types import Coordinates, JSONObject, Texts

STATUSES = ("draft", "published")
CONFIDENCES = ("high", "medium", "low")
# How far a walk's path can be trusted: drawn by hand, walked and recorded, or computed by a router.
PATH_ACCURACIES = ("schematic", "surveyed", "routed")
ROLES = ("admin", "editor", "guide")


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class Walk(Base):
    __tablename__ = "walks"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    city: Mapped[str] = mapped_column(String(120))
    country: Mapped[str] = mapped_column(String(2), default="")
    default_language: Mapped[str] = mapped_column(String(8))
    languages: Mapped[list[str]] = mapped_column(JSON)
    title: Mapped[Texts] = mapped_column(JSON, default=dict)
    intro: Mapped[Texts] = mapped_column(JSON, default=dict)
    path: Mapped[Coordinates] = mapped_column(JSON, default=list)  # LineString coordinates, [lon, lat]
    status: Mapped[str] = mapped_column(String(16), default="draft")
    notes: Mapped[str] = mapped_column(Text, default="")  # staff only, never public
    sources: Mapped[list[JSONObject]] = mapped_column(JSON, default=list)
    license: Mapped[str] = mapped_column(String(40), default="")  # SPDX id of the texts, e.g. CC-BY-4.0
    attribution: Mapped[str] = mapped_column(Text, default="")  # how to credit the texts
    path_accuracy: Mapped[str] = mapped_column(String(16), default="schematic")  # one of PATH_ACCURACIES
    # `revision` counts saved edits (optimistic concurrency); `version` counts publications and is
    # what public ETags, the offline manifest and the PWA's downloaded copies follow.
    revision: Mapped[int] = mapped_column(Integer, default=1)
    version: Mapped[int] = mapped_column(Integer, default=0)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    # The walk's stops are those not deleted: a deleted stop leaves every list, document and tour
    # (public documents at the next publication), yet keeps its row, history and slug until purged.
    stops: Mapped[list["Stop"]] = relationship(
        back_populates="walk",
        order_by="Stop.position",
        cascade="all, delete-orphan",
        foreign_keys="Stop.walk_id",
        primaryjoin="and_(Stop.walk_id == Walk.id, Stop.deleted_at.is_(None))",
    )
    deleted_stops: Mapped[list["Stop"]] = relationship(
        order_by="Stop.deleted_at.desc()",
        foreign_keys="Stop.walk_id",
        primaryjoin="and_(Stop.walk_id == Walk.id, Stop.deleted_at.is_not(None))",
        viewonly=True,
    )


class Stop(Base):
    __tablename__ = "stops"
    __table_args__ = (UniqueConstraint("walk_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    walk_id: Mapped[int] = mapped_column(ForeignKey("walks.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(Integer)  # walking order, 1-based
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    position_confidence: Mapped[str] = mapped_column(String(8), default="low")
    trigger_radius_m: Mapped[int] = mapped_column(Integer, default=30)
    name: Mapped[Texts] = mapped_column(JSON, default=dict)
    name_reading: Mapped[Texts] = mapped_column(JSON, default=dict)
    summary: Mapped[Texts] = mapped_column(JSON, default=dict)
    body: Mapped[Texts] = mapped_column(JSON, default=dict)  # sanitized HTML per language
    address: Mapped[str] = mapped_column(String(300), default="")
    opening_hours: Mapped[str] = mapped_column(String(300), default="")  # OpenStreetMap syntax
    accessibility: Mapped[JSONObject] = mapped_column(JSON, default=dict)
    # [{"media": "<sha256>.<ext>", "file": "media/name.jpg", "alt": {...}, "credit": "..."}]
    images: Mapped[list[JSONObject]] = mapped_column(JSON, default=list)
    # {"en": {"media": "<sha256>.<ext>", "file": "media/name.mp3", "transcript": "..."}}
    audio: Mapped[JSONObject] = mapped_column(JSON, default=dict)
    twin_id: Mapped[int | None] = mapped_column(ForeignKey("stops.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(16), default="draft")
    staff_note: Mapped[str] = mapped_column(Text, default="")  # never public
    # [{"title": ..., "publisher": ..., "url": "https://...", "date": "2016-10"}]: where the facts come from
    sources: Mapped[list[JSONObject]] = mapped_column(JSON, default=list)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Soft delete: set while the stop is in the walk's "Deleted" list, awaiting restore or an admin's purge.
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True, default=None)
    deleted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)

    walk: Mapped[Walk] = relationship(back_populates="stops", foreign_keys=[walk_id])
    # post_update: two twins point at each other, so one link is written after both rows exist.
    twin: Mapped["Stop | None"] = relationship(remote_side=[id], foreign_keys=[twin_id], post_update=True)


class Revision(Base):
    """An append-only record of one saved state of a walk or stop: never updated, never deleted."""

    __tablename__ = "revisions"
    __table_args__ = (UniqueConstraint("entity", "entity_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entity: Mapped[str] = mapped_column(String(16))  # "walk" or "stop"
    entity_id: Mapped[int] = mapped_column(Integer, index=True)
    number: Mapped[int] = mapped_column(Integer)  # equals the entity's `revision` after this save
    state: Mapped[JSONObject] = mapped_column(JSON)  # the whole new state
    message: Mapped[str] = mapped_column(String(300), default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Media(Base):
    """An image or audio file, content-addressed and immutable, kept in the database."""

    __tablename__ = "media"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    extension: Mapped[str] = mapped_column(String(8))
    content_type: Mapped[str] = mapped_column(String(60))
    size: Mapped[int] = mapped_column(Integer)
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    @property
    def name(self) -> str:
        return f"{self.sha256}.{self.extension}"


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # The interface language the person chose (nl, en, ja); None: follow the browser.
    language: Mapped[str | None] = mapped_column(String(8), nullable=True, default=None)


class AuditEvent(Base):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(30), default="")
    object_id: Mapped[str] = mapped_column(String(120), default="")
    details: Mapped[JSONObject] = mapped_column(JSON, default=dict)


class LoginCounter(Base):
    """Login attempts counted for one account, address or device in the window that began `at`.

    One row per key, updated atomically, so limits hold across processes and instances.
    """

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300), unique=True, index=True)  # "account:<email>", "address:<ip>", ...
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)


class StaffSession(Base):
    """A signed-in staff session, kept on the server so logout and deactivation end it everywhere."""

    __tablename__ = "staff_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 of the cookie's token
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    address: Mapped[str] = mapped_column(String(64), default="")


class SavedTour(Base):
    """A guide's tour: an ordered choice of stops of one walk, with private notes per stop."""

    __tablename__ = "saved_tours"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    walk_slug: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(8), default="nl")
    stops: Mapped[list[str]] = mapped_column(JSON, default=list)  # ordered stop slugs
    notes: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)  # stop slug -> private note
    settings: Mapped[JSONObject] = mapped_column(JSON, default=dict)  # pace, start/end points, ...
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SavedTourShare(Base):
    """A guide's saved tour shared read-only with another guide: they read it, only its owner changes it."""

    __tablename__ = "saved_tour_shares"
    __table_args__ = (UniqueConstraint("tour_id", "reader_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tour_id: Mapped[int] = mapped_column(ForeignKey("saved_tours.id", ondelete="CASCADE"), index=True)
    reader_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    tour: Mapped[SavedTour] = relationship()
    reader: Mapped[User] = relationship()


class PublishedDocument(Base):
    """A public document rendered once at publication, served as stored bytes by every instance."""

    __tablename__ = "published_documents"

    url: Mapped[str] = mapped_column(String(300), primary_key=True)  # e.g. /api/walks/x/gpx?lang=ja
    walk_slug: Mapped[str] = mapped_column(String(80), default="", index=True)
    content_type: Mapped[str] = mapped_column(String(80))
    sha256: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Last (migration 0008): SQLite reserves a trailing zeroblob without allocating it (publishing/storage.py).
    body: Mapped[bytes] = mapped_column(LargeBinary)
    gzip_body: Mapped[bytes] = mapped_column(LargeBinary)


class SiteState(Base):
    """One row: a counter bumped by every publication, so each process knows when to reload."""

    __tablename__ = "site_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    publication: Mapped[int] = mapped_column(Integer, default=0)
