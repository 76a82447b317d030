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

Every failure is a QuizdlError in plain words, English and Chinese (failure), and the Database is
disposed of before it is raised.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from quizdl.errors import QuizdlError
from quizdl.lang import Said
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
    notify: Callable[[Said], None] = backup.print_notice,
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
        raise failure(exc) from None
    except BaseException:
        database.dispose()
        raise


def explain_failure(exc: BaseException, lang: str = "en") -> str:
    """What went wrong with the database, in plain words and in `lang`, and what to do."""
    return failure(exc).said(lang)


def failure(exc: BaseException) -> QuizdlError:
    """A database failure as a QuizdlError in plain words, in English and Chinese."""
    if isinstance(exc, QuizdlError):
        return exc
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    first = text[0] if text else type(exc).__name__
    lowered = first.lower()
    if "locked" in lowered or "busy" in lowered:
        return QuizdlError(
            "the database is locked by another program (another quizdl?). Close it and try "
            "again; nothing was lost, and the last action was not recorded.",
            zh="数据库被另一个程序锁住了（另一个 quizdl？）。关掉它再试一次；"
            "没有丢失任何记录，刚才的操作没有记下。",
        )
    if "malformed" in lowered or "not a database" in lowered or "corrupt" in lowered:
        return QuizdlError(
            f"the database is damaged ({first}). Restore it from a backup (quizdl doctor "
            "lists them; quizdl doctor --restore BACKUP), or move the file away to start afresh.",
            zh=f"数据库已损坏（{first}）。请从备份恢复（quizdl doctor 列出备份；"
            "quizdl doctor --restore 备份），或把文件移走，从头开始。",
        )
    if "readonly" in lowered or "read-only" in lowered or "permission" in lowered:
        return QuizdlError(
            f"the database cannot be written ({first}): check the file's permissions.",
            zh=f"数据库无法写入（{first}）：请检查文件的权限。",
        )
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return QuizdlError(
            f"the connection to the database was lost ({first}); try again.",
            zh=f"与数据库的连接断开了（{first}）；请再试一次。",
        )
    return QuizdlError(f"the database failed: {first}", zh=f"数据库出错：{first}")
