#!/usr/bin/env python3
"""Print how fast the editor saves stops (validated, If-Match, one revision each) and imports features.

Runs on a temporary SQLite database (or DATABASE_URL's PostgreSQL): `python bench/editor_saves.py`.
"""

import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "editor"))

from editor_helpers import PASSWORD, csrf_of, make_test_walk, sign_in  # noqa: E402

from server import create_app  # noqa: E402
from server.domain.accounts.users import create_user  # noqa: E402
from server.migrate import upgrade  # noqa: E402

SAVES = 300
FEATURES = 2000


def main():
    folder = tempfile.mkdtemp()
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{folder}/bench.sqlite3"
    os.environ["KOTOJI_INSTANCE_PATH"] = folder
    upgrade(url)
    app = create_app({"DATABASE_URL": url, "SESSION_COOKIE_SECURE": False})
    with app.extensions["db"].session() as session:
        make_test_walk(session)
        create_user(session, "bench@kotoji.test", PASSWORD, "editor")
        session.commit()
    client = app.test_client()
    sign_in(client, "bench@kotoji.test")
    api = "/editor/api/walks/test-walk/stops/alpha"
    etag = client.get(api).headers["ETag"]
    started = time.perf_counter()
    for n in range(SAVES):
        response = client.put(
            api,
            json={"summary": {"en": f"Summary number {n}"}},
            headers={"If-Match": etag, "X-CSRF-Token": csrf_of(client)},
        )
        etag = response.headers["ETag"]
    elapsed = time.perf_counter() - started
    print(
        f"stop saves: {SAVES} in {elapsed:.2f} s = {SAVES / elapsed:.0f} saves/s ({1000 * elapsed / SAVES:.1f} ms each)"
    )
    features = [
        {
            "type": "Feature",
            "id": f"bench-{n}",
            "geometry": {"type": "Point", "coordinates": [3.72, 51.055]},
            "properties": {"name": {"en": f"Stop {n}"}},
        }
        for n in range(FEATURES)
    ]
    body = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    started = time.perf_counter()
    response = client.post(
        "/editor/walks/test-walk/import",
        content_type="multipart/form-data",
        data={"csrf_token": csrf_of(client), "file": (io.BytesIO(body), "bench.geojson")},
    )
    elapsed = time.perf_counter() - started
    print(
        f"GeoJSON import: {FEATURES} new stops in {elapsed:.2f} s ({response.status_code}) "
        f"= {FEATURES / elapsed:.0f} features/s, one transaction"
    )
    app.extensions["db"].engine.dispose()


if __name__ == "__main__":
    main()
