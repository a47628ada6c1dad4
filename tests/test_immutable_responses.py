"""Immutable URLs (media by hash, versioned tiles) are answered from memory after the first time."""

import json
import tracemalloc

import mercantile
from sqlalchemy import delete

from server import create_app
from server.domain.media import store_media
from server.domain.models import Media
from server.published.immutable import ENTRY_OVERHEAD_BYTES, ImmutableResponses

from .basemap_walk import PATH, WALK
from .sample_media import TINY_PNG


def test_a_media_file_once_served_is_answered_from_memory_with_its_etag(app, client):
    with app.extensions["db"].session() as session:
        name = store_media(session, TINY_PNG).name
        session.commit()
    first = client.get(f"/media/{name}")
    assert first.status_code == 200 and first.data == TINY_PNG
    with app.extensions["db"].session() as session:  # gone from the database: memory must answer
        session.execute(delete(Media))
        session.commit()
    again = client.get(f"/media/{name}")
    assert again.status_code == 200 and again.data == TINY_PNG
    assert again.headers["Cache-Control"] == first.headers["Cache-Control"]
    assert again.headers["ETag"] == first.headers["ETag"]
    unchanged = client.get(f"/media/{name}", headers={"If-None-Match": first.headers["ETag"]})
    assert unchanged.status_code == 304 and unchanged.data == b""
    assert unchanged.headers["ETag"] == first.headers["ETag"]


def test_errors_are_not_remembered(app, client):
    missing = "/media/" + "a" * 64 + ".png"
    assert client.get(missing).status_code == 404
    with app.extensions["db"].session() as session:
        name = store_media(session, TINY_PNG).name
        session.commit()
    assert client.get(f"/media/{name}").status_code == 200
    assert client.get(missing).status_code == 404


# --- Bounded memory whatever URLs a client invents (red-team H2) ---


def immutable_app(body_for_path):
    """A WSGI app answering every GET with an immutable 200 whose body `body_for_path` chooses."""

    def app(environ, start_response):
        body = body_for_path(environ["PATH_INFO"])
        start_response(
            "200 OK",
            [
                ("Content-Type", "application/octet-stream"),
                ("ETag", '"x"'),
                ("Cache-Control", "public, max-age=31536000, immutable"),
                ("Content-Length", str(len(body))),
            ],
        )
        return [body]

    return app


def get(cache, path):
    statuses = []
    body = b"".join(cache({"REQUEST_METHOD": "GET", "PATH_INFO": path}, lambda s, h: statuses.append(s)))
    return statuses[0], body


def test_the_cache_never_holds_more_entries_than_its_cap():
    cache = ImmutableResponses(immutable_app(lambda path: b"tile"), max_bytes=10**9, max_entries=50)
    for n in range(2000):
        assert get(cache, f"/tiles/v/15/{n}/1.mvt") == ("200 OK", b"tile")
    assert cache.entries == 50
    assert get(cache, "/tiles/v/15/1999/1.mvt") == ("200 OK", b"tile")  # the latest are kept


def test_the_cache_counts_a_fixed_overhead_per_entry_against_its_bytes():
    cache = ImmutableResponses(
        immutable_app(lambda path: b"x"), max_bytes=100 * ENTRY_OVERHEAD_BYTES, max_entries=10**9
    )
    for n in range(2000):
        get(cache, f"/media/{n:064x}.png")
    assert cache.bytes <= cache.max_bytes and cache.entries < 100


def test_empty_bodies_are_answered_but_never_remembered():
    cache = ImmutableResponses(immutable_app(lambda path: b""), max_bytes=10**9, max_entries=10**9)
    for n in range(500):
        assert get(cache, f"/tiles/v/15/{n}/1.mvt") == ("200 OK", b"")
    assert cache.entries == 0 and cache.bytes == 0


def test_the_counted_bytes_cover_what_the_entries_really_cost():
    headers_like_flask = immutable_app(lambda path: path.encode())
    cache = ImmutableResponses(headers_like_flask, max_bytes=10**9, max_entries=10**9)
    get(cache, "/tiles/v/0/0/0.mvt")  # first use allocates lasting things (caches of the interpreter)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for n in range(3000):
            get(cache, f"/tiles/v/15/{n}/{n}.mvt")
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert 0 < grown < cache.bytes, (grown, cache.bytes)


def test_non_canonical_tile_numbers_are_404_and_add_no_entry(installed, app, client):
    template = json.loads(client.get(f"/api/walks/{WALK}").data)["basemap"]["tiles"]
    tile = mercantile.tile(*PATH[0], 15)
    cache = app.extensions["immutable_responses"]
    assert client.get(template.format(z=15, x=tile.x, y=tile.y)).status_code == 200
    assert cache.entries == 1
    version = template.split("/")[2]
    for spelling in (f"0{tile.x}", f"000{tile.x}", "".join(chr(0xFF10 + int(d)) for d in str(tile.x))):
        answer = client.get(f"/tiles/{version}/15/{spelling}/{tile.y}.mvt")
        assert answer.status_code == 404 and answer.is_json, spelling
    assert client.get(f"/tiles/{version}/015/{tile.x}/{tile.y}.mvt").status_code == 404
    far = mercantile.tile(3.90, 51.20, 15)  # no map data there: an empty 200, not remembered
    assert client.get(template.format(z=15, x=far.x, y=far.y)).data == b""
    assert cache.entries == 1


def test_other_spellings_of_a_media_url_are_404_and_add_no_entry(app, client):
    with app.extensions["db"].session() as session:
        name = store_media(session, TINY_PNG).name
        session.commit()
    cache = app.extensions["immutable_responses"]
    assert client.get(f"/media/{name}").status_code == 200 and cache.entries == 1
    sha256, extension = name.split(".")
    for other in (
        f"{sha256.upper()}.{extension}",
        f"{sha256}.{extension.upper()}",
        f"{sha256}.jpg",
        f"0{sha256}.{extension}",
        f"{sha256[:-1]}.{extension}",
    ):
        assert client.get(f"/media/{other}").status_code == 404, other
    assert cache.entries == 1


def test_many_distinct_tile_and_media_urls_keep_the_cache_under_its_cap(installed, database_url, instance_path):
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "IMMUTABLE_CACHE_BYTES": 256 * 1024})
    try:
        client = app.test_client()
        template = json.loads(client.get(f"/api/walks/{WALK}").data)["basemap"]["tiles"]
        listed = [
            e["url"]
            for e in json.loads(client.get(f"/api/walks/{WALK}/offline").data)["urls"]
            if e["url"].startswith("/tiles/") and e["bytes"]
        ]
        cache = app.extensions["immutable_responses"]
        statuses = set()
        for n in range(1500):
            x, y = divmod(n, 60)
            for url in (
                template.format(z=15, x=16700 + x, y=10930 + y),  # hits and empty tiles
                listed[n % len(listed)] if n % 3 else f"/media/{n:064x}.jpg",
            ):  # tiles; misses
                for encoding in ("gzip", "identity"):
                    statuses.add(client.get(url, headers={"Accept-Encoding": encoding}).status_code)
            assert cache.bytes <= 256 * 1024
        assert statuses == {200, 404}
        assert 0 < cache.entries <= 256 * 1024 // ENTRY_OVERHEAD_BYTES
    finally:
        app.extensions["db"].engine.dispose()
