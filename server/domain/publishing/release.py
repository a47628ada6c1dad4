"""Publishing from the editor: check that what goes public is complete, then publish a new version."""

from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..accounts.audit import record_event
from ..control_characters import nested_character_problems
from ..errors import ValidationError
from ..languages import missing_languages
from ..messages import _
from ..models import Stop, Walk
from ..walks.lookup import get_walk
from .documents import is_public_stop_of, public_stops, published_stop_rows
from .publish import publish_walk, unpublish_walk

PUBLIC_TEXTS = (
    "name",
    "name_reading",
    "summary",
    "body",
    "address",
    "opening_hours",
    "accessibility",
    "images",
    "audio",
)


def publication_problems(walk: Walk, stops: Iterable[Stop] | None = None) -> list[str]:
    """Return what must be fixed before the walk can go public (only published stops count).

    `stops`: the walk's published stops when they should not all be loaded at once (`published_stop_rows`).
    """
    problems = [f"walk {problem}" for problem in nested_character_problems({"title": walk.title, "intro": walk.intro})]
    languages = walk.languages
    for name in ("title", "intro"):
        missing = missing_languages(getattr(walk, name), languages)
        if missing:
            problems.append(f"walk {name}: " + _("missing in %(languages)s", languages=", ".join(missing)))
    checked = 0
    for stop in public_stops(walk) if stops is None else stops:
        checked += 1
        where = _("stop '%(stop)s'", stop=stop.slug)
        # Texts saved before such characters were refused would make the GPX invalid XML.
        texts = {name: getattr(stop, name) for name in PUBLIC_TEXTS}
        problems += [f"{where}: {problem}" for problem in nested_character_problems(texts)]
        for name in ("name", "summary", "body"):
            missing = missing_languages(getattr(stop, name), languages)
            if missing:
                missing_text = _("%(field)s is missing in %(languages)s", field=name, languages=", ".join(missing))
                problems.append(f"{where}: {missing_text}")
        for n, image in enumerate(stop.images, start=1):
            missing = missing_languages(image.get("alt"), languages)
            if missing:
                alt_text = _(
                    "images[%(number)d] needs alt text in %(languages)s "
                    "(describe the picture for people who cannot see it)",
                    number=n,
                    languages=", ".join(missing),
                )
                problems.append(f"{where}: {alt_text}")
        for lang, audio in stop.audio.items():
            if not (audio.get("transcript") or "").strip():
                problems.append(f"{where}: " + _("audio (%(language)s) needs a transcript", language=lang))
        if not stop.sources:
            sources = _("add at least one source (title, publisher, url, date) for its facts")
            problems.append(f"{where}: sources: {sources}")
    if not checked:
        problems.append(_("no stop is set to published"))
    return problems


def publish(session: Session, slug: str, user_id: int | None) -> int:
    """Publish the walk as a new version after checking it; return the version."""
    walk = get_walk(session, slug)
    # Checked a batch at a time, as publishing renders them: a big walk is never loaded all at once.
    problems = publication_problems(walk, published_stop_rows(session, walk))
    if problems:
        raise ValidationError(problems)
    version = publish_walk(session, slug, user_id)
    stops = select(Stop.slug).where(is_public_stop_of(walk)).order_by(Stop.position)
    record_event(
        session,
        user_id,
        "walk.publish",
        "walk",
        slug,
        version=version,
        stops=list(session.scalars(stops)),
    )
    return version


def unpublish(session: Session, slug: str, user_id: int | None) -> None:
    """Withdraw the walk from the public."""
    unpublish_walk(session, slug, user_id)
    record_event(session, user_id, "walk.unpublish", "walk", slug)


def stop_completeness(stop: Stop, languages: Sequence[str]) -> dict[str, list[str]]:
    """Return, per language, the stop's texts still missing, in words (what the editor's indicator shows)."""
    missing: dict[str, list[str]] = {lang: [] for lang in languages}
    # The same words as the indicator's script (completeness.js) uses while the editor types.
    for name, words in (
        ("name", _("name")),
        ("summary", _("summary")),
        ("body", _("story")),
        ("accessibility", _("accessibility")),
    ):
        for lang in missing_languages(getattr(stop, name), languages):
            missing[lang].append(words)
    for n, image in enumerate(stop.images, start=1):
        for lang in missing_languages(image.get("alt"), languages):
            missing[lang].append(_("image %(number)d alt text", number=n))
    for lang, audio in stop.audio.items():
        if lang in missing and not (audio.get("transcript") or "").strip():
            missing[lang].append(_("audio transcript"))
    return missing
