"""Settings: defaults in code, secrets and deployment settings from the environment or instance folder."""

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def basemap_folder(app: Flask) -> Path:
    """Return the folder holding the basemap archives (the instance folder's basemap/)."""
    return Path(app.config.get("BASEMAP_DIR") or Path(app.instance_path) / "basemap")


def routes_folder() -> Path:
    """Return the folder of walk bundles that `seed` and `check` read (KOTOJI_ROUTES_DIR, else routes/)."""
    return Path(os.environ.get("KOTOJI_ROUTES_DIR") or PROJECT_ROOT / "routes")


def database_url(url: str) -> str:
    """Accept the postgres:// spelling that Heroku-style hosts hand out, as SQLAlchemy does not."""
    return "postgresql://" + url.removeprefix("postgres://") if url.startswith("postgres://") else url


def load_config(app: Flask, overrides: Mapping[str, Any] | None) -> None:
    """Fill app.config from defaults, then the environment, then `overrides` (tests)."""
    instance = Path(app.instance_path)
    instance.mkdir(mode=0o700, parents=True, exist_ok=True)  # the database, secret key and basemap: ours alone
    app.config.from_mapping(
        DATABASE_URL=database_url(os.environ.get("DATABASE_URL") or f"sqlite:///{instance / 'kotoji.sqlite3'}"),
        ROUTES_DIR=str(routes_folder()),
        PWA_DIR=str(PROJECT_ROOT / "pwa"),
        # How long a process trusts its copy of the published documents before asking the database
        # whether anything was published meanwhile (by this or another instance).
        PUBLICATION_CHECK_SECONDS=float(os.environ.get("KOTOJI_PUBLICATION_CHECK_SECONDS", "1")),
        # How long a browser or shared cache may keep a published document (walk data, OGC) without
        # asking again: a publication reaches every reader within this. Tests of the cache set it small.
        PUBLIC_MAX_AGE_SECONDS=int(os.environ.get("KOTOJI_PUBLIC_MAX_AGE_SECONDS", "60")),
        # Memory per process for answers of immutable URLs (media, tiles) kept after the first request:
        # bytes counted as body + path + a fixed overhead per answer, and at most this many answers.
        IMMUTABLE_CACHE_BYTES=int(os.environ.get("KOTOJI_IMMUTABLE_CACHE_BYTES", str(16 * 1024 * 1024))),
        IMMUTABLE_CACHE_ENTRIES=int(os.environ.get("KOTOJI_IMMUTABLE_CACHE_ENTRIES", "4096")),
        MAX_CONTENT_LENGTH=int(os.environ.get("KOTOJI_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024))),
        # `manage.py serve` (server/request_buffering.py): a request body must arrive within
        # BODY_TIMEOUT_SECONDS plus one second per BODY_MIN_RATE bytes, or it is refused with 408;
        # only complete requests reach the APP_THREADS threads that run the app. They share one GIL;
        # on the hot path 1, 2 and 4 measured the same CPU per request, and several keep slow requests
        # (database, password hashing) from queueing the fast ones.
        BODY_TIMEOUT_SECONDS=float(os.environ.get("KOTOJI_BODY_TIMEOUT_SECONDS", "20")),
        BODY_MIN_RATE=float(os.environ.get("KOTOJI_BODY_MIN_RATE", "500")),
        APP_THREADS=int(os.environ.get("KOTOJI_APP_THREADS", "4")),
        # Password checks (argon2id, 64 MiB and ~0.1-0.5 s of CPU each) running at once per process, and
        # how long a sign-in waits for one before it is answered 503 with Retry-After. Peak memory for
        # sign-ins is about SIGN_IN_CONCURRENCY x 64 MiB per worker (bench/sign_in_memory.py measures it).
        SIGN_IN_CONCURRENCY=int(os.environ.get("KOTOJI_SIGN_IN_CONCURRENCY", "2")),
        SIGN_IN_WAIT_SECONDS=float(os.environ.get("KOTOJI_SIGN_IN_WAIT_SECONDS", "3")),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=os.environ.get("KOTOJI_INSECURE_COOKIES") != "1",
        SESSION_COOKIE_NAME="kotoji_session",
        # How many reverse proxies (nginx, a load balancer) stand in front and set X-Forwarded-*.
        # Login limits per address count the client's address only when this is right.
        TRUSTED_PROXIES=int(os.environ.get("KOTOJI_TRUSTED_PROXIES", "0")),
        # The site's origin (https://walks.gent.be): absolute links are built from it, never from the
        # Host header. Unset, only this machine's own names are served (public_url.py says why).
        PUBLIC_URL=os.environ.get("KOTOJI_PUBLIC_URL") or None,
    )
    app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY") or _instance_secret(instance)
    if overrides:
        app.config.update(overrides)


def _instance_secret(instance: Path) -> str:
    """Return the instance's secret key, creating it once (never a built-in default)."""
    path = instance / "secret_key"
    if not path.exists():
        # Written to a private file first and linked into place whole: never readable by others, not
        # even for a moment, and a worker starting at the same time never reads half a key.
        draft = instance / f".secret_key-{os.getpid()}-{secrets.token_hex(4)}"
        with os.fdopen(os.open(draft, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600), "w") as file:
            file.write(secrets.token_hex(32))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass  # another process made it first: use theirs
        finally:
            draft.unlink()
    return path.read_text().strip()
