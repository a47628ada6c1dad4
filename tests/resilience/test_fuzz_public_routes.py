"""Hostile input on every public route: whatever the path segment or query, never a 5xx."""

import string
from urllib.parse import quote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

PUBLIC_ROUTES = [
    "/api/walks",
    "/api/walks/{walk}",
    "/api/walks/{walk}/stops",
    "/api/walks/{walk}/path",
    "/api/walks/{walk}/gpx",
    "/api/walks/{walk}/offline",
    "/api/openapi.json",
    "/ogc",
    "/ogc/conformance",
    "/ogc/api",
    "/ogc/collections",
    "/ogc/collections/{walk}",
    "/ogc/collections/{walk}/items",
    "/ogc/collections/{walk}/items/{stop}",
    "/tiles/{z}/{x}/{y}.mvt",
    "/media/{stop}.jpg",
    "/guide/",
    "/",
    "/{stop}",
]
WALKS = st.sampled_from(["gent-kanazawa", "kanazawa-gent"]) | st.text(min_size=1, max_size=40)
HOSTILE = st.sampled_from(
    [
        "..",
        "../../etc/passwd",
        "%00",
        "<script>",
        "' OR 1=1 --",
        "-1",
        "9" * 40,
        "ｇｅｎｔ",
        "🏮",
        "\u202e",
        "NaN",
        "1e309",
        "",
        " ",
    ]
)
TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30) | HOSTILE
# Header values: any visible ASCII (HTTP itself forbids control characters there).
HEADER_TEXT = st.from_regex(r"[ -~]{0,40}", fullmatch=True)
QUERY_NAMES = st.sampled_from(
    ["lang", "limit", "offset", "bbox", "f", "bbox-crs", "crs", "datetime", "stops", "pace", "start", "end", "next"]
) | st.text(string.ascii_letters, min_size=1, max_size=8)


def segment(value: str) -> str:
    return quote(value, safe="") or "x"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    route=st.sampled_from(PUBLIC_ROUTES),
    walk=WALKS,
    stop=TEXT,
    z=TEXT,
    x=TEXT,
    y=TEXT,
    query=st.lists(st.tuples(QUERY_NAMES, TEXT), max_size=4),
    gzip=st.booleans(),
    etag=HEADER_TEXT,
)
def test_public_routes_never_answer_5xx(client, route, walk, stop, z, x, y, query, gzip, etag):
    path = route.format(walk=segment(walk), stop=segment(stop), z=segment(z), x=segment(x), y=segment(y))
    query_string = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in query)
    headers = {"If-None-Match": f'"{etag}"'}
    if gzip:
        headers["Accept-Encoding"] = "gzip"
    response = client.get(path, query_string=query_string, headers=headers)
    assert response.status_code < 500, (path, query_string, response.status_code, response.data[:300])
    if path.startswith(("/api/", "/ogc")) and response.status_code >= 400:
        assert response.is_json and {"error", "message"} <= set(response.json), (path, response.data[:200])
