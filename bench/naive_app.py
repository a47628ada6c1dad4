"""The naive way to serve a walk's stops, kept only as the benchmark's baseline.

Each request reads the walk from the database, builds the GeoJSON, serializes it with json.dumps
and, when the client accepts it, gzips it; the ETag and 304 come from Flask after all that work.
This is what a plain Flask view does, and what Kotoji's published documents avoid.
Run it as `python bench/naive_app.py --port N` (DATABASE_URL names the seeded database).
"""

import gzip
import hashlib
import json
import os
import sys
from pathlib import Path

from flask import Flask, Response, abort, request

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from server.db import Database  # noqa: E402
from server.domain.errors import DomainError  # noqa: E402
from server.domain.publishing.documents import render_stops  # noqa: E402
from server.domain.walks.lookup import get_walk  # noqa: E402


def create_naive_app() -> Flask:
    """Build the baseline Flask app on the database named by DATABASE_URL."""
    app = Flask(__name__)
    database = Database(os.environ["DATABASE_URL"])

    @app.get("/api/walks/<walk>/stops")
    def stops(walk):
        with database.session() as session:
            try:
                document = render_stops(get_walk(session, walk))
            except DomainError:
                abort(404)
            body = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        response = Response(body, mimetype="application/geo+json")
        response.headers["Vary"] = "Accept-Encoding"
        # The ETag hashes the JSON: gzip output carries a timestamp, so hashing it would defeat 304.
        etag = hashlib.sha1(body).hexdigest()
        if "gzip" in request.headers.get("Accept-Encoding", ""):
            response.set_data(gzip.compress(body, compresslevel=6))
            response.headers["Content-Encoding"] = "gzip"
            etag += "-gz"
        response.set_etag(etag)
        return response.make_conditional(request)

    return app


if __name__ == "__main__":
    import click

    from server.cli.serve import run_granian

    @click.command()
    @click.option("--host", default="127.0.0.1")
    @click.option("--port", default=5001, type=int)
    @click.option("--workers", default=None, type=int)
    def main(host, port, workers):
        """Serve the baseline with the same Granian settings as `manage.py serve`."""
        run_granian("bench.naive_app:create_naive_app", host, port, workers)

    main()
