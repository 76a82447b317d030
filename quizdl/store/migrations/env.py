"""Alembic's entry point. quizdl.store.migrate hands over an open connection inside a
transaction, so every run of migrations is one transaction, on SQLite as on PostgreSQL.

Note for future revisions on SQLite: batch operations that rebuild a table with foreign
keys pointing at it need `PRAGMA foreign_keys=OFF`, which SQLite ignores inside a
transaction; such a revision must switch it off before migrate.run_alembic begins.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from quizdl.store.models import Base


def run_migrations() -> None:
    if context.is_offline_mode():
        raise RuntimeError("quizdl's migrations run online only, through quizdl.store.migrate")
    connection = context.config.attributes.get("connection")
    if not isinstance(connection, Connection):
        raise RuntimeError("quizdl's migrations run through quizdl.store.migrate (no connection)")
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite cannot ALTER most things: Alembic rebuilds the table ("move and copy").
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
