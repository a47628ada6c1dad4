"""Immutable URLs (media by hash, versioned tiles) are answered from memory after the first time."""

from sqlalchemy import delete

from server.domain.media import store_media
from server.domain.models import Media

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
