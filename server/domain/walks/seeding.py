"""Move walks between bundles (files) and the database: `seed` loads, `export_walk` writes back."""

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..editing.revisions import record_revision
from ..json_types import JSONObject
from ..media import store_media
from ..models import Media, Stop, Walk
from ..publishing.publish import publish_walk
from .bundles import Bundle, BundleError, check_bundles
from .lookup import get_walk, stop_state, walk_state


def seed(session: Session, bundles: list[Bundle]) -> list[str]:
    """Load the bundles whose walks are not in the database yet, publish them, and return their slugs.

    Walks already present are left alone, so seeding twice changes nothing. Every bundle is
    checked first; one bad bundle loads nothing.
    """
    problems = check_bundles(bundles)
    if problems:
        raise BundleError(problems)
    existing = set(session.scalars(select(Walk.slug)))
    new = [b for b in bundles if b.slug not in existing]
    stops_by_ref: dict[str, Stop] = {f"{stop.walk.slug}/{stop.slug}": stop for stop in session.scalars(select(Stop))}
    walks = [_walk_from_bundle(session, bundle, stops_by_ref) for bundle in new]
    session.add_all(walks)
    for bundle in new:  # twins last: they may point into a walk loaded after theirs
        for feature in bundle.stops:
            twin = feature["properties"].get("twin")
            if twin:
                stops_by_ref[f"{bundle.slug}/{feature['id']}"].twin = stops_by_ref[twin]
    for bundle, walk in zip(new, walks, strict=True):
        message = f"loaded from bundle {bundle.folder.name}"
        record_revision(session, walk, None, message)
        for stop in walk.stops:
            record_revision(session, stop, None, message)
    for walk in walks:
        if walk.status == "published":
            publish_walk(session, walk.slug, user_id=None)
    return [b.slug for b in new]


def _walk_from_bundle(session: Session, bundle: Bundle, stops_by_ref: JSONObject) -> Walk:
    data = bundle.walk
    walk = Walk(
        slug=bundle.slug,
        city=data["city"],
        country=data.get("country", ""),
        default_language=data["default_language"],
        languages=data["languages"],
        title=data["title"],
        intro=data["intro"],
        path=bundle.path,
        status=data["status"],
        notes=data.get("notes", ""),
        sources=data.get("sources", []),
        license=data.get("license", ""),
        attribution=data.get("attribution", ""),
        path_accuracy=data.get("path_accuracy", "schematic"),
    )
    for position, feature in enumerate(bundle.stops, start=1):
        props = feature["properties"]
        lon, lat = feature["geometry"]["coordinates"][:2]
        stop = Stop(
            slug=feature["id"],
            position=position,
            lat=lat,
            lon=lon,
            position_confidence=props["position_confidence"],
            trigger_radius_m=props["trigger_radius_m"],
            name=props["name"],
            name_reading=props.get("name_reading") or {},
            summary=props["summary"],
            body=props["body"],
            address=props.get("address", ""),
            opening_hours=props.get("opening_hours", ""),
            accessibility=props.get("accessibility") or {},
            images=[_media_entry(session, bundle, image) for image in props.get("images") or []],
            audio={lang: _media_entry(session, bundle, item) for lang, item in (props.get("audio") or {}).items()},
            status=props["status"],
            staff_note=props.get("staff_note", ""),
            sources=props.get("sources") or [],
        )
        walk.stops.append(stop)
        stops_by_ref[f"{bundle.slug}/{stop.slug}"] = stop
    return walk


def _media_entry(session: Session, bundle: Bundle, item: JSONObject) -> JSONObject:
    media = store_media(session, bundle.media[item["file"]], label=item["file"])
    return {**item, "media": media.name}


def export_walk(session: Session, slug: str, folder: Path) -> Bundle:
    """Return the walk's current working state (drafts included) as a bundle in `folder`."""
    walk = get_walk(session, slug)
    state = walk_state(walk)
    walk_json = {
        key: state[key]
        for key in (
            "slug",
            "city",
            "country",
            "default_language",
            "languages",
            "status",
            "title",
            "intro",
            "notes",
            "sources",
            "license",
            "attribution",
            "path_accuracy",
        )
    }
    features, media = [], {}
    for stop in walk.stops:
        props = stop_state(stop)
        for item in [*props["images"], *props["audio"].values()]:
            stored = session.get(Media, item["media"].split(".")[0])
            assert stored is not None, item[
                "media"
            ]  # saving a stop checks its media exist, and media are never deleted
            media[item["file"]] = stored.data
        props["images"] = [_without_media_key(i) for i in props["images"]]
        props["audio"] = {lang: _without_media_key(a) for lang, a in props["audio"].items()}
        lat, lon = props.pop("lat"), props.pop("lon")
        for internal in ("slug", "position"):
            props.pop(internal)
        features.append(
            {
                "type": "Feature",
                "id": stop.slug,
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": props,
            }
        )
    return Bundle(Path(folder), walk_json, features, state["path"], media)


def _without_media_key(item: JSONObject) -> JSONObject:
    return {key: value for key, value in item.items() if key != "media"}
