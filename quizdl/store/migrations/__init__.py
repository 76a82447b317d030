"""Alembic migrations, shipped inside the package and run by quizdl.store.migrate
(configured in code: there is no alembic.ini).

To change the schema: edit quizdl/store/models.py, then generate a revision against a
database at the current head and review it by hand::

    from alembic import command
    from quizdl.store import migrate
    from quizdl.store.db import Database

    db = Database("sqlite:////tmp/quizdl-dev.db")
    migrate.upgrade(db)
    migrate.run_alembic(db, lambda config: command.revision(
        config, "what changed", autogenerate=True, rev_id="0002_what_changed"))

then add the new id to `migrate.KNOWN_REVISIONS`. tests/store/test_migrations.py checks
that the models and the migrations agree on SQLite and PostgreSQL.
"""
