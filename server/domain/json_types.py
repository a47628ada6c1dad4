"""Names for the shapes of JSON the domain stores and exchanges, so signatures say what they carry."""

from typing import Any

# A JSON object as parsed or about to be serialised: its values are any JSON value.
JSONObject = dict[str, Any]
# Texts per language, {"nl": ..., "en": ..., "ja": ...}.
Texts = dict[str, str]
# A LineString's coordinates, [[lon, lat], ...].
Coordinates = list[list[float]]
