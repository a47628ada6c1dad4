"""Make, copy, archive walks and change their languages from the editor, without the command line."""

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..accounts.audit import record_event
from ..editing.revisions import record_revision
from ..editing.rules import TEXT_LIMITS
from ..errors import ValidationError
from ..json_types import JSONObject
from ..languages import LANGUAGES
from ..messages import _
from ..models import Stop, Walk
from .bundles import SLUG
from .lookup import STOP_FIELDS

COPIED_STOP_FIELDS = [f for f in STOP_FIELDS if f not in ("position", "status")]


def _check_new_slug(session: Session, slug: str, problems: list[str]) -> None:
    if not SLUG.match(slug or ""):
        problems.append("slug: " + _("lowercase letters, digits and dashes, such as 'gent-old-port'"))
    elif session.scalar(select(Walk.id).where(Walk.slug == slug)) is not None:
        problems.append("slug: " + _("a walk called '%(walk)s' already exists", walk=slug))


def check_languages(languages: Iterable[object] | None, default_language: object, problems: list[str]) -> list[str]:
    """Return the languages in Kotoji's order; note a problem if none, unknown ones, or no default among them."""
    chosen = [lang for lang in LANGUAGES if lang in (languages or [])]
    unknown = [str(lang)[:10] for lang in (languages or []) if lang not in LANGUAGES]
    if unknown:
        problems.append(
            "languages: "
            + _("unknown %(unknown)s (use %(languages)s)", unknown=", ".join(unknown), languages=", ".join(LANGUAGES))
        )
    if not chosen:
        problems.append("languages: " + _("choose at least one"))
    elif default_language not in chosen:
        problems.append("default language: " + _("must be one of the walk's languages"))
    return chosen


def create_walk(
    session: Session,
    slug: str,
    city: str,
    country: str,
    languages: Iterable[object] | None,
    default_language: str,
    titles: JSONObject,
    user_id: int | None,
) -> Walk:
    """Add a new, empty draft walk."""
    slug, city, country = (slug or "").strip(), (city or "").strip(), (country or "").strip().upper()
    problems: list[str] = []
    _check_new_slug(session, slug, problems)
    if not city or len(city) > 120:
        problems.append("city: " + _("is required (at most 120 characters)"))
    if country and (len(country) != 2 or not country.isalpha()):
        problems.append("country: " + _("two letters, such as BE or JP"))
    chosen = check_languages(languages, default_language, problems)
    title = {lang: (titles.get(lang) or "").strip() for lang in chosen if (titles.get(lang) or "").strip()}
    if chosen and default_language in chosen and default_language not in title:
        problems.append(f"title ({default_language}): " + _("the walk needs a title in its default language"))
    problems += [
        f"title ({lang}): at most {TEXT_LIMITS['title']} characters"
        for lang, text in title.items()
        if len(text) > TEXT_LIMITS["title"]
    ]
    if problems:
        raise ValidationError(problems)
    walk = Walk(
        slug=slug,
        city=city,
        country=country,
        languages=chosen,
        default_language=default_language,
        title=title,
        intro={},
        path=[],
        status="draft",
        notes="",
        sources=[],
        revision=1,
    )
    session.add(walk)
    session.flush()
    record_revision(session, walk, user_id, "created")
    record_event(session, user_id, "walk.create", "walk", slug)
    return walk


def duplicate_walk(session: Session, source: Walk, slug: str, user_id: int | None) -> Walk:
    """Copy a walk with all its stops under a new slug, as drafts (nothing of the copy is public)."""
    problems: list[str] = []
    _check_new_slug(session, (slug or "").strip(), problems)
    if problems:
        raise ValidationError(problems)
    copy = Walk(
        slug=slug.strip(),
        city=source.city,
        country=source.country,
        languages=list(source.languages),
        default_language=source.default_language,
        title=dict(source.title),
        intro=dict(source.intro),
        path=[list(p) for p in source.path or []],
        status="draft",
        notes=source.notes,
        sources=list(source.sources or []),
        revision=1,
    )
    copy.stops = [
        Stop(
            slug=stop.slug,
            position=stop.position,
            status="draft",
            revision=1,
            **{f: getattr(stop, f) for f in COPIED_STOP_FIELDS},
        )
        for stop in source.stops
    ]
    session.add(copy)
    session.flush()
    record_revision(session, copy, user_id, f"copied from {source.slug}")
    for stop in copy.stops:
        record_revision(session, stop, user_id, f"copied from {source.slug}/{stop.slug}")
    record_event(session, user_id, "walk.duplicate", "walk", copy.slug, source=source.slug)
    return copy


def archive_walk(session: Session, walk: Walk, archived: bool, user_id: int | None) -> None:
    """Archive a walk that is not public (it leaves the list of walks), or bring it back as a draft."""
    if archived and walk.status == "published":
        raise ValidationError(
            ["status: " + _("'%(walk)s' is public: withdraw it from the public first, then archive it", walk=walk.slug)]
        )
    new_status = "archived" if archived else "draft"
    if walk.status == new_status:
        return
    walk.status = new_status
    walk.revision += 1
    record_revision(session, walk, user_id, "archived" if archived else "taken out of the archive")
    record_event(session, user_id, "walk.archive" if archived else "walk.unarchive", "walk", walk.slug)
