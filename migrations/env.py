"""Alembic environment: the URL comes from the caller (server/migrate.py), never from a file."""

from alembic import context

from server.db import make_engine
from server.domain.models import Base

config = context.config
url = config.attributes["database_url"]

engine = make_engine(url)
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=url.startswith("sqlite"))
    with context.begin_transaction():
        context.run_migrations()
engine.dispose()
