"""Opening the database: the one way the app and every command do it.

    opened = open_database(url)     # the Database, at the current schema
    opened.database                 # a quizdl.store.db.Database; dispose() it when done
    opened.revision_before          # None: the database was new (the learner's first run)

In this order: the Database is built (a bad URL is refused); the file is looked at
through a read-only connection (migrate.current), so that a damaged file, someone else's
database or one from a newer quizdl is refused with its own message and never modified;
when the schema is about to change, the SQLite file is backed up first (backup.py); then
the schema is upgraded. The daily backup is not made here: it belongs to the start of a
study session (quizdl.study.opening.Opened.new_session, quizdl.commands.common.open_study),
not to every command that reads the database.

Every failure is a QuizdlError in plain words (explain_failure), and the Database is
disposed of before it is raised.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from quizdl.errors import QuizdlError
from quizdl.store import backup, migrate
from quizdl.store.db import Database


@dataclass(frozen=True)
class OpenedDatabase:
    database: Database
    revision_before: str | None
    """The schema revision found; None for a new (empty or missing) database."""
    backup: Path | None = None
    """The backup made before upgrading the schema, if one was."""

    @property
    def is_new(self) -> bool:
        return self.revision_before is None


def open_database(
    url: str,
    *,
    create: bool = True,
    upgrade: bool = True,
    now: datetime | None = None,
    notify: Callable[[str], None] = backup.print_notice,
) -> OpenedDatabase:
    """The database at `url`, upgraded to the current schema after a backup if an upgrade is
    due (`now` names the backup; `notify` hears of it).

    create=False: a new database is left as it is, not made (`is_new` tells), for commands
    that have nothing to do on one (export, optimize).
    upgrade=False: nothing is changed, for a caller that checks its own input before it
    upgrades (restore: a bad backup file must leave the home exactly as it was).
    """
    database = Database(url)
    try:
        found = migrate.current(database)  # refuses what is not quizdl's, untouched
        if not upgrade or found == migrate.HEAD_REVISION or (found is None and not create):
            return OpenedDatabase(database, found)
        made = backup.backup_before_upgrade(database, now=now, notify=notify)
        old, _ = migrate.upgrade(database)
        return OpenedDatabase(database, old, made)
    except SQLAlchemyError as exc:  # e.g. the write lock held by another program too long
        database.dispose()
        raise QuizdlError(explain_failure(exc)) from None
    except BaseException:
        database.dispose()
        raise


def explain_failure(exc: BaseException) -> str:
    """What went wrong with the database, in plain words, and what to do about it."""
    if isinstance(exc, QuizdlError):
        return str(exc)
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    first = text[0] if text else type(exc).__name__
    lowered = first.lower()
    if "locked" in lowered or "busy" in lowered:
        return (
            "the database is locked by another program (another quizdl?). Close it and try "
            "again; nothing was lost, and the last action was not recorded."
        )
    if "malformed" in lowered or "not a database" in lowered or "corrupt" in lowered:
        return (
            f"the database is damaged ({first}). Restore it from a backup "
            "(quizdl restore FILE), or move the file away to start afresh."
        )
    if "readonly" in lowered or "read-only" in lowered or "permission" in lowered:
        return f"the database cannot be written ({first}): check the file's permissions."
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return f"the connection to the database was lost ({first}); try again."
    return f"the database failed: {first}"
