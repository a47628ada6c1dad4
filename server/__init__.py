"""Kotoji's Flask application: `create_app` is the one place where it is assembled."""

import os

from flask import Flask

from . import config, db, errors, security
from .api.published import PublishedDocuments, PublishedDocumentsMiddleware


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: settings, database, blueprints (one per audience), security headers."""
    app = Flask(__name__, instance_path=os.environ.get("KOTOJI_INSTANCE_PATH") or None,
                instance_relative_config=True)
    config.load_config(app, test_config)
    db.init_app(app)
    errors.init_app(app)
    security.init_app(app)

    from .api import bp as api_bp
    from .web import bp as web_bp

    app.register_blueprint(api_bp, url_prefix="/api")
    app.register_blueprint(web_bp)  # last: it owns "/" and the PWA's files

    database = app.extensions["db"]
    documents = PublishedDocuments(database.sessions, app.config["PUBLICATION_CHECK_SECONDS"])
    app.extensions["published_documents"] = documents
    app.wsgi_app = PublishedDocumentsMiddleware(app.wsgi_app, documents)
    return app
