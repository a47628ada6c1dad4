"""Walk bundles: the portable files of a walk in `routes/<slug>/` (see docs/bundle-format.md).

`read_bundle` parses one folder, `check_bundles` lists every problem in a set of bundles (each message
names the file, the stop and the field), `bundle_warnings` what may be wrong but does not block,
`write_bundle` writes a walk back in the same format. The checks shared with editor saves and imports
live in `validation`.
"""

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..control_characters import nested_character_problems
from ..editing.rich_text import sanitize_html
from ..geometry import distance_m, distance_to_path_m, valid_position
from ..json_input import json_problem
from ..json_types import Coordinates, JSONObject
from ..languages import LANGUAGES, missing_languages
from ..models import CONFIDENCES, PATH_ACCURACIES, STATUSES
from .validation import (
    LICENSES,
    clean_sources,
    geojson_problems,
    opening_hours_problems,
    path_problems,
    position_problems,
    reading_problems,
    unreachable_radius_warning,
    usable_path,
)

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")  # \Z: "$" would let a final line break through
MEDIA_EXTENSIONS = {"jpg", "jpeg", "png", "webp", "mp3", "ogg", "oga", "wav", "m4a"}
TRIGGER_RADIUS_M = (10, 300)
# A stop further than this from its walk's path is almost certainly a typo in its coordinates.
MAX_STOP_TO_PATH_M = 75
MAX_STOP_TO_WALK_M = 25_000


@dataclass
class Bundle:
    """One walk as read from its folder."""

    folder: Path
    walk: JSONObject
    stops: list[JSONObject]  # GeoJSON features, in walking order
    path: Coordinates  # LineString coordinates
    media: dict[str, bytes] = field(default_factory=dict)  # "media/x.jpg" -> bytes
    documents: JSONObject = field(default_factory=dict)  # file name -> the GeoJSON as read, for the structural check

    @property
    def slug(self) -> str:
        slug: str = self.walk.get("slug", self.folder.name)
        return slug


class BundleError(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def _load_json(path: Path, problems: list[str]) -> object:
    try:
        value, problem = json_problem(path.read_bytes())
    except FileNotFoundError:
        problems.append(f"{path}: file is missing")
        return None
    if problem:
        problems.append(f"{path}: {problem}")
    return value


def read_bundle(folder: Path) -> Bundle:
    """Read a bundle folder; raise BundleError if its files cannot be read at all."""
    folder = Path(folder)
    problems: list[str] = []
    walk = _load_json(folder / "walk.json", problems)
    stops = _load_json(folder / "stops.geojson", problems)
    path = _load_json(folder / "path.geojson", problems)
    if problems:
        raise BundleError(problems)
    if not isinstance(walk, dict):
        problems.append(f"{folder / 'walk.json'}: must be a JSON object")
    if not (
        isinstance(stops, dict) and stops.get("type") == "FeatureCollection" and isinstance(stops.get("features"), list)
    ):
        problems.append(f"{folder / 'stops.geojson'}: must be a GeoJSON FeatureCollection")
    geometry = (path or {}).get("geometry") if isinstance(path, dict) else None
    if not (
        isinstance(geometry, dict)
        and geometry.get("type") == "LineString"
        and isinstance(geometry.get("coordinates"), list)
    ):
        problems.append(f"{folder / 'path.geojson'}: must be a GeoJSON Feature with a LineString geometry")
    if problems:
        raise BundleError(problems)
    media = {}
    media_folder = folder / "media"
    if media_folder.is_dir():
        for file in sorted(media_folder.iterdir()):
            if file.is_file():
                media[f"media/{file.name}"] = file.read_bytes()
    assert isinstance(walk, dict) and isinstance(stops, dict) and isinstance(geometry, dict)  # checked above
    return Bundle(
        folder, walk, stops["features"], geometry["coordinates"], media, {"stops.geojson": stops, "path.geojson": path}
    )


def read_bundles(routes_dir: Path) -> list[Bundle]:
    """Read every bundle folder under `routes_dir` (folders holding a walk.json), sorted by name."""
    folders = sorted(p.parent for p in Path(routes_dir).glob("*/walk.json"))
    bundles, problems = [], []
    for folder in folders:
        try:
            bundles.append(read_bundle(folder))
        except BundleError as exc:
            problems.extend(exc.problems)
    if problems:
        raise BundleError(problems)
    return bundles


def check_bundles(bundles: list[Bundle]) -> list[str]:
    """Return every problem found in `bundles`, each a sentence naming file, stop and field."""
    problems: list[str] = []
    stops_by_ref = {}
    for bundle in bundles:
        problems += _check_walk(bundle)
        for feature in bundle.stops:
            if isinstance(feature, dict) and isinstance(feature.get("id"), str):
                stops_by_ref[f"{bundle.slug}/{feature['id']}"] = (bundle, feature)
    seen_walks = set()
    for bundle in bundles:
        if bundle.slug in seen_walks:
            problems.append(f"{bundle.folder}: walk slug '{bundle.slug}' is used by another bundle")
        seen_walks.add(bundle.slug)
        seen_stops: set[str] = set()
        for index, feature in enumerate(bundle.stops, start=1):
            problems += _check_stop(bundle, index, feature, seen_stops, stops_by_ref)
    return problems


def _check_walk(bundle: Bundle) -> list[str]:
    where = bundle.folder / "walk.json"
    walk, problems = bundle.walk, [f"{where}: {problem}" for problem in nested_character_problems(bundle.walk)]
    if not SLUG.match(str(walk.get("slug", ""))):
        problems.append(f"{where}: slug must be lowercase letters, digits and dashes (got {walk.get('slug')!r})")
    elif walk["slug"] != bundle.folder.name:
        problems.append(f"{where}: slug '{walk['slug']}' differs from the folder name '{bundle.folder.name}'")
    if not str(walk.get("city", "")).strip():
        problems.append(f"{where}: city is missing")
    languages = walk.get("languages")
    if not (isinstance(languages, list) and languages and all(lang in LANGUAGES for lang in languages)):
        problems.append(f"{where}: languages must be a list drawn from {', '.join(LANGUAGES)}")
        languages = list(LANGUAGES)
    if walk.get("default_language") not in languages:
        problems.append(f"{where}: default_language must be one of the walk's languages {languages}")
    if walk.get("status") not in STATUSES:
        problems.append(f"{where}: status must be one of {', '.join(STATUSES)}")
    for text_field in ("title", "intro"):
        missing = missing_languages(walk.get(text_field), languages)
        if missing:
            problems.append(f"{where}: {text_field} is missing in {', '.join(missing)}")
    problems += _licence_problems(where, walk)
    for name, document in bundle.documents.items():
        problems += geojson_problems(document, str(bundle.folder / name))
    problems += path_problems(bundle.path, str(bundle.folder / "path.geojson"))
    return problems


def _licence_problems(where: Path, walk: JSONObject) -> list[str]:
    """How the walk's texts may be reused and credited, and how far its path can be trusted."""
    problems = []
    if walk.get("license") not in LICENSES:
        problems.append(f"{where}: license must be one of {', '.join(LICENSES)} (the licence of the walk's texts)")
    if not str(walk.get("attribution", "")).strip():
        problems.append(f"{where}: attribution is missing (how to credit the texts)")
    if walk.get("path_accuracy") not in PATH_ACCURACIES:
        problems.append(f"{where}: path_accuracy must be one of {', '.join(PATH_ACCURACIES)}")
    return problems


def _check_stop(
    bundle: Bundle, index: int, feature: object, seen: set[str], stops_by_ref: dict[str, tuple[Bundle, JSONObject]]
) -> list[str]:
    where = f"{bundle.folder / 'stops.geojson'}: feature {index}"
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        return [f"{where}: must be a GeoJSON Feature"]
    slug = feature.get("id")
    if not isinstance(slug, str) or not SLUG.match(slug):
        return [f"{where}: id must be a slug of lowercase letters, digits and dashes (got {slug!r})"]
    where = f"{bundle.folder / 'stops.geojson'}: stop '{slug}'"
    problems = []
    if slug in seen:
        problems.append(f"{where}: the id is used twice in this walk")
    seen.add(slug)
    props = feature.get("properties")
    if not isinstance(props, dict):
        return problems + [f"{where}: properties must be an object"]
    problems += [f"{where}: {problem}" for problem in nested_character_problems(props)]
    coordinates, position = _stop_position(where, feature)
    problems += position
    problems += _stop_field_problems(where, props)
    problems += _stop_text_problems(where, props, bundle.walk.get("languages") or list(LANGUAGES))
    if coordinates:
        problems += _stop_place_problems(where, coordinates, usable_path(bundle.path), props.get("status"))
    problems += opening_hours_problems(props.get("opening_hours", ""), f"{where}: opening_hours")
    problems += reading_problems(
        (props.get("name") or {}).get("ja"), (props.get("name_reading") or {}).get("ja"), f"{where}: name_reading (ja)"
    )
    sources, source_problems = clean_sources(props.get("sources"), f"{where}: sources")
    problems += source_problems
    if props.get("status") == "published" and not sources:
        problems.append(f"{where}: sources: a published stop needs at least one source for its facts")
    problems += _check_media(bundle, where, props)
    problems += _check_twin(bundle, where, slug, props.get("twin"), stops_by_ref)
    return problems


def _stop_position(where: str, feature: JSONObject) -> tuple[list[float] | None, list[str]]:
    """Return the stop's coordinates (None when unusable) and the problems with them."""
    problems: list[str] = []
    geometry = feature["geometry"] if isinstance(feature.get("geometry"), dict) else {}
    coordinates = geometry.get("coordinates") if geometry.get("type") == "Point" else None
    if not (
        isinstance(coordinates, list)
        and len(coordinates) in (2, 3)
        and all(isinstance(n, (int, float)) for n in coordinates[:2])
        and valid_position(*coordinates[:2])
    ):
        problems.append(f"{where}: geometry must be a Point with [longitude, latitude] in range (got {coordinates!r})")
        coordinates = None
    else:
        problems += position_problems(coordinates, f"{where}: geometry")
    return coordinates, problems


def _stop_field_problems(where: str, props: JSONObject) -> list[str]:
    problems = []
    if props.get("status") not in STATUSES:
        problems.append(f"{where}: status must be one of {', '.join(STATUSES)}")
    if props.get("position_confidence") not in CONFIDENCES:
        problems.append(f"{where}: position_confidence must be one of {', '.join(CONFIDENCES)}")
    radius = props.get("trigger_radius_m")
    if not (isinstance(radius, int) and TRIGGER_RADIUS_M[0] <= radius <= TRIGGER_RADIUS_M[1]):
        problems.append(
            f"{where}: trigger_radius_m must be a whole number of metres from "
            f"{TRIGGER_RADIUS_M[0]} to {TRIGGER_RADIUS_M[1]} (got {radius!r})"
        )
    return problems


def _stop_text_problems(where: str, props: JSONObject, languages: Sequence[str]) -> list[str]:
    problems = []
    for text_field in ("name", "summary", "body"):
        if not isinstance(props.get(text_field), (dict, type(None))):
            problems.append(f"{where}: {text_field} must be an object of texts per language")
            continue
        missing = missing_languages(props.get(text_field), languages)
        if missing:
            problems.append(f"{where}: {text_field} is missing in {', '.join(missing)}")
    body = props["body"] if isinstance(props.get("body"), dict) else {}
    for lang, html in body.items():
        if not isinstance(html, str):
            problems.append(f"{where}: body ({lang}) must be text")
        elif sanitize_html(html) != html.strip():
            problems.append(
                f"{where}: body ({lang}) holds markup outside the allowed tags "
                "(p, a, em, strong, ul, ol, li, br, h3, ruby, rt, rp) or unsafe links"
            )
    return problems


def _stop_place_problems(where: str, coordinates: list[float], path: list[list[float]], status: object) -> list[str]:
    """A published stop lies near the walk's path, and any stop near its start (else lon/lat are swapped)."""
    problems = []
    if path and status == "published":
        off = distance_to_path_m(tuple(coordinates[:2]), path)
        if off > MAX_STOP_TO_PATH_M:
            problems.append(
                f"{where}: is {off:.0f} m from the walk's path (at most {MAX_STOP_TO_PATH_M} m): "
                "check its coordinates or the path"
            )
    if path and distance_m(tuple(coordinates[:2]), tuple(path[0])) > MAX_STOP_TO_WALK_M:
        problems.append(
            f"{where}: lies more than {MAX_STOP_TO_WALK_M // 1000} km from the walk's start: "
            "are longitude and latitude swapped?"
        )
    return problems


def bundle_warnings(bundles: list[Bundle]) -> list[str]:
    """Return what may be wrong without blocking: trigger circles the path never enters."""
    warnings = []
    for bundle in bundles:
        for feature in bundle.stops:
            props = (feature.get("properties") or {}) if isinstance(feature, dict) else {}
            coordinates = (feature.get("geometry") or {}).get("coordinates") if isinstance(feature, dict) else None
            warning = unreachable_radius_warning(
                coordinates,
                props.get("trigger_radius_m"),
                bundle.path,
                f"{bundle.folder / 'stops.geojson'}: stop '{feature.get('id')}'",
            )
            if warning and props.get("status") == "published":
                warnings.append(warning)
    return warnings


def _check_media(bundle: Bundle, where: str, props: JSONObject) -> list[str]:
    problems: list[str] = []
    images, audio = props.get("images") or [], props.get("audio") or {}
    if not isinstance(images, list):
        problems.append(f"{where}: images must be a list")
        images = []
    if not isinstance(audio, dict):
        problems.append(f"{where}: audio must be an object per language")
        audio = {}
    files = [(f"images[{n}]", image) for n, image in enumerate(images)]
    files += [(f"audio ({lang})", item) for lang, item in audio.items()]
    for label, item in files:
        name = item.get("file") if isinstance(item, dict) else None
        if not isinstance(name, str) or name not in bundle.media:
            problems.append(f"{where}: {label} names file {name!r}, which is not in {bundle.folder / 'media'}")
        elif name.rsplit(".", 1)[-1].lower() not in MEDIA_EXTENSIONS:
            problems.append(f"{where}: {label} file {name!r} is not an image or audio format Kotoji accepts")
    return problems


def _check_twin(
    bundle: Bundle, where: str, slug: str, twin: object, stops_by_ref: dict[str, tuple[Bundle, JSONObject]]
) -> list[str]:
    if twin is None:
        return []
    if not isinstance(twin, str) or twin not in stops_by_ref:
        return [f"{where}: twin {twin!r} does not name a stop as '<walk>/<stop>' in any bundle"]
    twin_bundle, twin_feature = stops_by_ref[twin]
    if twin_bundle.slug == bundle.slug:
        return [f"{where}: twin '{twin}' is in the same walk; a twin stands in the other city"]
    # Twins link both ways: the twin must link back to a stop of this walk that links to it.
    back = (twin_feature.get("properties") or {}).get("twin")
    back_target = stops_by_ref.get(back) if isinstance(back, str) else None
    links_back = (
        back_target is not None
        and back_target[0].slug == bundle.slug
        and (back_target[1].get("properties") or {}).get("twin") == twin
    )
    if not links_back:
        return [
            f"{where}: twin '{twin}' does not link back to this walk "
            f"(its twin is {back!r}; set it to '{bundle.slug}/{slug}')"
        ]
    return []


def write_bundle(bundle: Bundle, folder: Path) -> None:
    """Write `bundle` into `folder` (created if needed) in the bundle format."""
    folder = Path(folder)
    (folder / "media").mkdir(parents=True, exist_ok=True)
    _write_json(folder / "walk.json", bundle.walk)
    _write_json(folder / "stops.geojson", {"type": "FeatureCollection", "features": bundle.stops})
    _write_json(
        folder / "path.geojson",
        {
            "type": "Feature",
            "properties": {},
            "geometry": {"type": "LineString", "coordinates": bundle.path},
        },
    )
    for name, data in bundle.media.items():
        (folder / name).write_bytes(data)
    if not any((folder / "media").iterdir()):
        (folder / "media").rmdir()


NUMBER_LIST = re.compile(r"\[\s+(-?[\d.eE+-]+(?:,\s+-?[\d.eE+-]+)*)\s+\]")


def _write_json(path: Path, data: object) -> None:
    """Write indented JSON with each coordinate pair on one line, so diffs stay readable."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    text = NUMBER_LIST.sub(lambda m: "[" + ", ".join(n.strip() for n in m[1].split(",")) + "]", text)
    path.write_text(text + "\n", encoding="utf-8")
