"""Run the Alembic migrations in migrations/ against a database URL (SQLite or PostgreSQL)."""

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from .config import PROJECT_ROOT
from .db import make_engine


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    cfg.attributes["database_url"] = url
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database schema up to `revision` (creating it if the database is empty)."""
    command.upgrade(alembic_config(url), revision)


def is_current(url: str) -> bool:
    """Return True when the database schema is at the newest migration."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_heads()
    finally:
        engine.dispose()
    head = ScriptDirectory.from_config(alembic_config(url)).get_heads()
    return set(current) == set(head)
