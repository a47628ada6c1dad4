"""What staff should know about a drawn path: stops it misses, and stops it visits out of their order.

These are warnings, not refusals: a path may leave a stop aside on purpose (a view across a square).
The path editor computes the same warnings live in the browser (path-checks.js); these are the
server's word, returned with every save and tested without a browser.
"""

from dataclasses import dataclass

from ..json_types import Coordinates, JSONObject
from ..messages import _
from .path import PathMeasure

# A stop is on the path when the path passes within its trigger radius plus this margin (GPS error).
NEAR_PATH_MARGIN_M = 25


@dataclass(frozen=True)
class StopOnPath:
    slug: str
    lon: float
    lat: float
    trigger_radius_m: float


def path_warnings(path: Coordinates, stops: list[StopOnPath]) -> list[JSONObject]:
    """Return warnings {kind: 'far'|'order', stop, message} for stops in walking order along `path`."""
    measure = PathMeasure(path)
    if measure.length_m == 0 and len(path) < 2:
        return []
    warnings: list[JSONObject] = []
    previous = None
    for stop in stops:
        place = measure.locate((stop.lon, stop.lat))
        if place is None:
            return []
        allowed = (stop.trigger_radius_m or 0) + NEAR_PATH_MARGIN_M
        if place.offset_m > allowed:
            warnings.append(
                {
                    "kind": "far",
                    "stop": stop.slug,
                    "message": _(
                        "Stop '%(stop)s' is %(distance)s m from the path "
                        "(its trigger radius is %(radius)s m, so at most %(allowed)s m): "
                        "visitors following the path will not be told about it.",
                        stop=stop.slug,
                        distance=format(place.offset_m, ".0f"),
                        radius=format(stop.trigger_radius_m, "g"),
                        allowed=format(allowed, "g"),
                    ),
                }
            )
            continue  # a stop off the path has no place in its order
        if previous is not None and place.chainage_m < previous[1]:
            warnings.append(
                {
                    "kind": "order",
                    "stop": stop.slug,
                    "message": _(
                        "The path reaches stop '%(stop)s' before stop '%(previous)s', "
                        "but the walk visits them the other way round: reverse the path or change the order.",
                        stop=stop.slug,
                        previous=previous[0],
                    ),
                }
            )
        previous = (stop.slug, place.chainage_m)
    return warnings
