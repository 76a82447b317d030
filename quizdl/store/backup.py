"""Backups of the SQLite database: before every migration, once a study day at the first
session, before a restore; the newest N are kept (config.toml: [backup] keep = N).

A backup is taken with SQLite's online backup API, which copies the database as one
consistent snapshot even while another process is writing to it (in WAL mode readers
never wait for writers), and the copy is checked (PRAGMA quick_check) before it gets its
final name, so a half-written backup never looks like a good one. Each backup is a
single self-contained file (rollback journal, not WAL) named

    backups/<stem>-YYYYmmdd-HHMMSS[-reason].db      (time in UTC)

in a `backups` folder beside the database file: $QUIZDL_HOME/backups for the default
database, the --db file's own folder otherwise. <stem> is the database file's name
without `.db` (`quizdl` for the default), so two databases in one folder never prune
each other's backups.

PostgreSQL is backed up by its administrator (pg_dump); quizdl makes no backups of it.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import sqlite3
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from quizdl.clock import Clock
from quizdl.config_file import FILE_NAME as CONFIG_FILE
from quizdl.config_file import config_table
from quizdl.errors import BadInput, QuizdlError
from quizdl.lang import Lang, Said
from quizdl.store.db import Database, home_dir

BACKUP_FOLDER = "backups"
DEFAULT_KEEP = 10
CONFIG_SECTION = "backup"
TIME_FORMAT = "%Y%m%d-%H%M%S"
REASON = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
POSTGRES_MESSAGE = (
    "quizdl makes no backups of a PostgreSQL database: that is its administrator's job "
    "(pg_dump, or the server's own backups)"
)
POSTGRES_MESSAGE_ZH = (
    "quizdl 不备份 PostgreSQL 数据库：这是数据库管理员的事（pg_dump，或服务器自己的备份）"
)
BUSY_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class BackupFile:
    path: Path
    taken_at: datetime  # UTC, from the name
    reason: str | None
    size: int


def backup_folder(db_file: Path) -> Path:
    return db_file.parent / BACKUP_FOLDER


def _pattern(db_file: Path) -> re.Pattern[str]:
    stem = re.escape(db_file.stem)
    return re.compile(rf"{stem}-(\d{{8}}-\d{{6}})(?:-({REASON.pattern}))?\.db")


def list_backups(db_file: Path) -> list[BackupFile]:
    """The backups of `db_file`, oldest first."""
    folder = backup_folder(db_file)
    if not folder.is_dir():
        return []
    pattern = _pattern(db_file)
    found: list[BackupFile] = []
    for path in folder.iterdir():
        match = pattern.fullmatch(path.name)
        if match is None or not path.is_file():
            continue
        try:
            taken = datetime.strptime(match.group(1), TIME_FORMAT).replace(tzinfo=UTC)
        except ValueError:
            continue  # digits that are no date (20261399-...): not one of ours
        found.append(BackupFile(path, taken, match.group(2), path.stat().st_size))
    return sorted(found, key=lambda b: (b.taken_at, b.path.name))


def load_keep(home: Path | None = None) -> int:
    """[backup] keep from config.toml in QUIZDL_HOME: how many backups to keep (default 10)."""
    path = (home or home_dir()) / CONFIG_FILE
    keep = config_table(path, CONFIG_SECTION).get("keep", DEFAULT_KEEP)
    if isinstance(keep, bool) or not isinstance(keep, int) or not 1 <= keep <= 1000:
        raise BadInput(
            f"{path}: {CONFIG_SECTION}.keep must be a whole number from 1 to 1000 "
            f"(how many backups to keep), found {keep!r}",
            zh=f"{path}：{CONFIG_SECTION}.keep 必须是 1 到 1000 的整数（保留几份备份），"
            f"现在是 {keep!r}",
        )
    return keep


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy of the SQLite database `source` as a new single file `target`."""
    reader = sqlite3.connect(source, timeout=BUSY_TIMEOUT_S)
    try:
        writer = sqlite3.connect(target)
        try:
            reader.backup(writer)  # all pages in one step: one read transaction, one snapshot
            writer.execute("PRAGMA journal_mode=DELETE")  # no -wal file beside a backup
            verdict = writer.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            writer.close()
    finally:
        reader.close()
    if verdict != "ok":
        target.unlink(missing_ok=True)
        raise QuizdlError(
            f"the backup of {source} failed its check ({verdict}); none was made",
            zh=f"{source} 的备份没有通过检查（{verdict}），没有留下备份",
        )


def make_backup(
    database: Database, reason: str | None, *, now: datetime, keep: int | None = DEFAULT_KEEP
) -> Path | None:
    """Back up the database file now; prune to the newest `keep` (None: prune nothing).
    None when there is nothing to back up (PostgreSQL, no file yet)."""
    db_file = database.file
    if db_file is None or not db_file.is_file() or db_file.stat().st_size == 0:
        return None
    if reason is not None and not REASON.fullmatch(reason):
        raise ValueError(f"a backup reason is lower-case words joined by '-', found {reason!r}")
    folder = backup_folder(db_file)
    stamp = now.astimezone(UTC).strftime(TIME_FORMAT)
    suffix, counter = (f"-{reason}" if reason else ""), 1
    target = folder / f"{db_file.stem}-{stamp}{suffix}.db"
    while target.exists():  # two backups in one second
        counter += 1
        target = folder / f"{db_file.stem}-{stamp}-{reason or 'copy'}-{counter}.db"
    partial = target.with_name(target.name + ".part")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _remove_stale_parts(folder)
        copy_database(db_file, partial)
        os.replace(partial, target)
    except (sqlite3.Error, OSError) as error:  # OSError: a folder that cannot be written
        with contextlib.suppress(OSError):  # (or a file where the folder should be)
            partial.unlink(missing_ok=True)
        raise QuizdlError(
            f"could not back up {db_file} to {folder}: {error}",
            zh=f"无法把 {db_file} 备份到 {folder}：{error}",
        ) from None
    if keep is not None:
        prune(db_file, keep)
    return target


STALE_PART_S = 3600.0  # no backup takes an hour: an older .part was left by a killed process


def _remove_stale_parts(folder: Path) -> None:
    for part in folder.glob("*.db.part"):
        try:
            if time.time() - part.stat().st_mtime > STALE_PART_S:
                part.unlink()
        except OSError:  # gone meanwhile, or not ours to remove: leave it
            pass


def prune(db_file: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups of `db_file`; returns what was deleted."""
    backups = list_backups(db_file)
    doomed = [b.path for b in backups[: max(0, len(backups) - max(keep, 1))]]
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed


def print_notice(message: Said, lang: Lang = "en") -> None:
    """What a command says about a backup it made: on stderr, so stdout stays its output."""
    print(f"quizdl: {message.said(lang)}", file=sys.stderr)


def notice_printer(lang: Lang) -> Callable[[Said], None]:
    """print_notice in `lang`: what a command passes as open_database's `notify`."""
    return functools.partial(print_notice, lang=lang)


def backup_before_upgrade(
    database: Database,
    *,
    now: datetime | None = None,
    keep: int | None = None,
    notify: Callable[[Said], None] = print_notice,
) -> Path | None:
    """Back up the database when `migrate.upgrade` is about to change its schema. Call it
    right before `migrate.upgrade` (quizdl.store.opening.open_database does). Refuses
    (BadInput) what is not a quizdl database, as `upgrade` would, without touching it."""
    from quizdl.store import migrate

    revision = migrate.current(database)
    if revision is None or revision == migrate.HEAD_REVISION:
        return None  # a new database, or nothing to migrate
    if database.file is None:
        if not database.is_sqlite:
            notify(
                Said(
                    f"{POSTGRES_MESSAGE}; back it up now if it has no recent backup",
                    f"{POSTGRES_MESSAGE_ZH}。如果它最近没有备份，请现在备份",
                )
            )
        return None
    at = now or Clock.from_env().now()
    path = make_backup(database, "pre-migration", now=at, keep=keep or load_keep())
    if path is not None:
        where = migrate.describe(database)
        notify(
            Said(
                f"backed up {where} to {path} before upgrading its schema",
                f"升级 {where} 的数据库结构之前，已把它备份到 {path}",
            )
        )
    return path


def daily_backup(
    database: Database, *, clock: Clock | None = None, keep: int | None = None
) -> Path | None:
    """Back up the database unless a backup was made since the current study day began
    (its rollover in `clock`: pass the profile's, Study.clock). Call it at the start of a
    study session, once the database is open (quizdl.store.opening.open_database)."""
    pending = start_daily_backup(database, clock=clock, keep=keep)
    return None if pending is None else pending.wait()


class BackgroundBackup:
    """A backup made on a thread of its own, so that a session starts at once: the copy of
    a large database takes seconds (about 2.7 s for 650 MB), and SQLite's backup and check
    run outside Python's lock, in a read snapshot that never blocks the session's writes.
    The thread is not a daemon: a process that exits normally finishes the backup first;
    one that is killed leaves a `.part` file, never a backup that looks whole."""

    def __init__(self, database: Database, db_file: Path, now: datetime, keep: int) -> None:
        self.db_file = db_file
        self.path: Path | None = None
        self.error: Said | None = None
        self._thread = threading.Thread(
            target=self._run, args=(database, now, keep), name="quizdl-backup", daemon=False
        )

    def _run(self, database: Database, now: datetime, keep: int) -> None:
        try:
            self.path = make_backup(database, "daily", now=now, keep=keep)
        except QuizdlError as error:
            self.error = Said(str(error), error.said("zh"))
        except Exception as error:  # a thread has no one to raise to: keep it for the learner
            self.error = Said(
                f"could not back up {self.db_file}: {error}", f"无法备份 {self.db_file}：{error}"
            )
        finally:
            with _RUNNING_LOCK:
                _RUNNING.pop(self.db_file, None)

    def start(self) -> None:
        self._thread.start()

    def wait(self, timeout: float | None = None) -> Path | None:
        """The backup made (None if there was nothing to back up); QuizdlError if it failed."""
        self._thread.join(timeout)
        if self.error is not None:
            raise QuizdlError(self.error.en, zh=self.error.zh)
        return self.path


_RUNNING: dict[Path, BackgroundBackup] = {}
_RUNNING_LOCK = threading.Lock()


def start_daily_backup(
    database: Database, *, clock: Clock | None = None, keep: int | None = None
) -> BackgroundBackup | None:
    """Start the study day's backup in the background (see daily_backup), or None when
    there is none to make: PostgreSQL, one made already today, or one under way."""
    db_file = database.file
    if db_file is None:
        return None
    clock = clock or Clock.from_env()
    now = clock.now()
    today = clock.today_start(now)
    keep = keep or load_keep()
    with _RUNNING_LOCK:
        running = _RUNNING.get(db_file)
        if running is not None:
            return running
        if any(b.taken_at >= today for b in list_backups(db_file)):
            return None
        pending = BackgroundBackup(database, db_file, now, keep)
        _RUNNING[db_file] = pending
    pending.start()
    return pending


SQLITE_MAGIC = b"SQLite format 3\x00"


@dataclass(frozen=True)
class FileHealth:
    """What a look at a SQLite file found: `kind` is "missing", "empty", "not-sqlite",
    "damaged" or "ok"; `detail` says what was seen (the first bytes, SQLite's words)."""

    path: Path
    kind: str
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.kind == "ok"


def open_read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot change the file. With no -wal file beside it nothing is
    mid-write, so the file is opened as immutable (no lock, no -shm created); a live
    writer's log must be read too, through an ordinary read-only connection."""
    has_log = path.with_name(path.name + "-wal").exists()
    uri = f"{path.resolve().as_uri()}?{'mode=ro' if has_log else 'immutable=1'}"
    return sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S)


def check_file(path: Path, *, full: bool = True) -> FileHealth:
    """PRAGMA quick_check, then (with `full`) integrity_check, on a read-only connection."""
    if not path.exists():
        return FileHealth(path, "missing")
    if not path.is_file():
        return FileHealth(path, "not-sqlite", "it is a folder or a device, not a file")
    if path.stat().st_size == 0:
        return FileHealth(path, "empty")
    with path.open("rb") as file:
        head = file.read(len(SQLITE_MAGIC))
    if head != SQLITE_MAGIC:
        return FileHealth(path, "not-sqlite", f"it starts with {head!r}")
    try:
        connection = open_read_only(path)
        try:
            for pragma in ("quick_check", "integrity_check") if full else ("quick_check",):
                found = [str(row[0]) for row in connection.execute(f"PRAGMA {pragma}")]
                if found != ["ok"]:
                    lines = [
                        line.strip()
                        for text in found
                        for line in text.splitlines()
                        if line.strip() and not line.startswith("***")  # "*** in database main"
                    ]
                    more = f" and {len(lines) - 3} more" if len(lines) > 3 else ""
                    return FileHealth(path, "damaged", f"{pragma}: {'; '.join(lines[:3])}{more}")
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        return FileHealth(path, "damaged", str(error))
    return FileHealth(path, "ok")
