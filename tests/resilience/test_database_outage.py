"""When the database goes away the site says so clearly (503), keeps serving what is published, and
recovers by itself when the database returns; a full disk is refused cleanly."""

import pytest

from server import create_app
from server.domain.media import store_media

from ..sample_media import TINY_PNG
from ..tcp_proxy import TcpProxy


@pytest.fixture
def postgres_behind_proxy(postgres):
    name = postgres.create_database()
    host_port = postgres.url(name).split("@", 1)[1].split("/", 1)[0]
    host, port = host_port.split(":")
    proxy = TcpProxy((host, int(port)))
    yield proxy, f"postgresql://postgres@127.0.0.1:{proxy.port}/{name}"
    proxy.close()
    postgres.drop_database(name)


def make_app(url, instance_path):
    return create_app({"TESTING": True, "DATABASE_URL": url, "PUBLICATION_CHECK_SECONDS": 0})


def add_media(app, data: bytes = TINY_PNG) -> str:
    with app.extensions["db"].session() as session:
        media = store_media(session, data)
        session.commit()
        return f"/media/{media.name}"


def test_losing_the_database_mid_service_gives_503_then_recovers(postgres_behind_proxy, instance_path):
    proxy, url = postgres_behind_proxy
    app = make_app(url, instance_path)
    client = app.test_client()
    seen_media, unseen_media = add_media(app), add_media(app, TINY_PNG + b"\0")
    assert client.get(seen_media).status_code == 200
    assert client.get("/api/walks/gent-kanazawa/stops").status_code == 200

    proxy.cut()
    down = client.get(unseen_media)
    assert down.status_code == 503
    assert down.json["error"] == "unavailable"
    assert "cannot reach its database" in down.json["message"]
    assert down.headers["Retry-After"]
    # What a tourist already had stays available without the database: published documents and
    # immutable media this process has served before.
    assert client.get("/api/walks/gent-kanazawa/stops").status_code == 200
    assert client.get(seen_media).status_code == 200

    proxy.restore()
    assert client.get(unseen_media).status_code == 200
    app.extensions["db"].engine.dispose()


def test_starting_without_the_database_gives_503_until_it_comes(postgres_behind_proxy, instance_path):
    proxy, url = postgres_behind_proxy
    proxy.cut()
    app = make_app(url, instance_path)
    client = app.test_client()
    for path in ("/api/walks", "/api/walks/gent-kanazawa/stops"):
        response = client.get(path)
        assert response.status_code == 503, path
        assert response.json["error"] == "unavailable"
    proxy.restore()
    assert client.get("/api/walks/gent-kanazawa/stops").status_code == 200
    app.extensions["db"].engine.dispose()


def test_an_unopenable_sqlite_file_is_a_clear_503(instance_path, tmp_path):
    app = make_app(f"sqlite:///{tmp_path}/no/such/folder/kotoji.sqlite3", instance_path)
    response = app.test_client().get("/media/" + "0" * 64 + ".png")
    assert response.status_code == 503
    assert "cannot reach its database" in response.json["message"]


def test_a_full_disk_refuses_the_upload_and_keeps_the_data(sqlite_template, instance_path, tmp_path):
    """SQLite's max_page_count makes the database file 'full' exactly as a full disk would."""
    import io
    import shutil

    from PIL import Image
    from sqlalchemy import event, func, select, text

    from server.domain.accounts.users import create_user
    from server.domain.models import Media

    from ..editor.editor_helpers import PASSWORD, csrf_of, sign_in

    shutil.copy(sqlite_template, tmp_path / "full.sqlite3")
    app = create_app(
        {"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'full.sqlite3'}", "SESSION_COOKIE_SECURE": False}
    )
    with app.extensions["db"].session() as session:
        create_user(session, "editor@kotoji.test", PASSWORD, "editor")
        session.commit()
    client = app.test_client()
    assert sign_in(client, "editor@kotoji.test").status_code == 303
    engine = app.extensions["db"].engine
    engine.dispose()

    @event.listens_for(engine, "connect")
    def _cap(connection, _record):
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count = {pages + 8}")

    photo = io.BytesIO()
    Image.effect_noise((1200, 900), 90).convert("RGB").save(photo, "JPEG", quality=95)  # ~1 MB of noise
    response = client.post(
        "/editor/api/media",
        data={"file": (io.BytesIO(photo.getvalue()), "lantern.jpg")},
        headers={"X-CSRF-Token": csrf_of(client)},
    )
    assert response.status_code == 507, response.data
    assert "storage is full" in response.json["message"]
    assert "Nothing was changed" in response.json["message"]
    with app.extensions["db"].session() as session:
        assert session.scalar(select(func.count()).select_from(Media)) == 0  # nothing partial
        assert session.scalar(text("PRAGMA integrity_check")) == "ok"
    engine.dispose()
