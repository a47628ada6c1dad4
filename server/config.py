"""Settings: defaults in code, secrets and deployment settings from the environment or instance folder."""

import os
import secrets
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def load_config(app, overrides: dict | None) -> None:
    """Fill app.config from defaults, then the environment, then `overrides` (tests)."""
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(
        DATABASE_URL=os.environ.get("DATABASE_URL") or f"sqlite:///{instance / 'kotoji.sqlite3'}",
        ROUTES_DIR=os.environ.get("KOTOJI_ROUTES_DIR") or str(PROJECT_ROOT / "routes"),
        PWA_DIR=str(PROJECT_ROOT / "pwa"),
        # How long a process trusts its copy of the published documents before asking the database
        # whether anything was published meanwhile (by this or another instance).
        PUBLICATION_CHECK_SECONDS=float(os.environ.get("KOTOJI_PUBLICATION_CHECK_SECONDS", "1")),
        # Memory per process for answers of immutable URLs (media, tiles) kept after the first request:
        # bytes counted as body + path + a fixed overhead per answer, and at most this many answers.
        IMMUTABLE_CACHE_BYTES=int(os.environ.get("KOTOJI_IMMUTABLE_CACHE_BYTES", str(16 * 1024 * 1024))),
        IMMUTABLE_CACHE_ENTRIES=int(os.environ.get("KOTOJI_IMMUTABLE_CACHE_ENTRIES", "4096")),
        MAX_CONTENT_LENGTH=int(os.environ.get("KOTOJI_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024))),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=os.environ.get("KOTOJI_INSECURE_COOKIES") != "1",
        SESSION_COOKIE_NAME="kotoji_session",
        # How many reverse proxies (nginx, a load balancer) stand in front and set X-Forwarded-*.
        # Login limits per address count the client's address only when this is right.
        TRUSTED_PROXIES=int(os.environ.get("KOTOJI_TRUSTED_PROXIES", "0")),
    )
    app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY") or _instance_secret(instance)
    if overrides:
        app.config.update(overrides)


def _instance_secret(instance: Path) -> str:
    """Return the instance's secret key, creating it once (never a built-in default)."""
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
