"""Kotoji's Flask application: `create_app` is the one place where it is assembled."""

import os
from collections.abc import Mapping
from typing import Any

from flask import Flask

from . import auth, config, db, errors, i18n, public_url, published, routing, security


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: settings, database, blueprints (one per audience), security headers."""
    app = Flask(__name__, instance_path=os.environ.get("KOTOJI_INSTANCE_PATH") or None, instance_relative_config=True)
    config.load_config(app, test_config)
    public_url.init_app(app)
    routing.init_app(app)
    db.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    auth.init_app(app)
    i18n.init_app(app)

    from .api import bp as api_bp
    from .api.openapi import bp as openapi_bp
    from .editor import bp as editor_bp
    from .guide import bp as guide_bp
    from .ogc import bp as ogc_bp
    from .tiles import bp as tiles_bp
    from .web import bp as web_bp

    app.register_blueprint(openapi_bp, url_prefix="/api")  # before api: its catch-all 404 comes last
    app.register_blueprint(api_bp, url_prefix="/api")
    app.register_blueprint(ogc_bp, url_prefix="/ogc")
    app.register_blueprint(editor_bp, url_prefix="/editor")
    app.register_blueprint(guide_bp, url_prefix="/guide")
    app.register_blueprint(tiles_bp, url_prefix="/tiles")
    app.register_blueprint(web_bp)  # last: it owns "/" and the PWA's files

    published.init_app(app)  # last but one: its WSGI layers answer published bytes before Flask
    # Flask documents wrapping wsgi_app in middleware; its annotations declare it a method.
    app.wsgi_app = security.StrictTransportSecurity(  # type: ignore[method-assign]
        app.wsgi_app, app.config["TRUSTED_PROXIES"]
    )
    return app
