"""What `quizdl doctor` checks beyond the file itself, and how it restores a backup.

The consistency checks read the database through a connection that cannot write (for
SQLite an immutable or read-only one), on SQLite and PostgreSQL alike: every card row
must agree with the review log (reps = number of reviews; state, due and last_review as
the last review left them), every review must have its card row, and the card rows whose
card is gone from the content are listed (they keep their history, as retired cards).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, and_, create_engine, func, select
from sqlalchemy.pool import NullPool

from quizdl.errors import BadInput, QuizdlError
from quizdl.store.backup import (
    BUSY_TIMEOUT_S,
    TIME_FORMAT,
    backup_folder,
    check_file,
    copy_database,
    list_backups,
    make_backup,
    open_read_only,
    prune,
)
from quizdl.store.db import Database
from quizdl.store.models import CARDS, PROFILES, REVIEWS


@dataclass(frozen=True)
class Mismatch:
    """A card row that disagrees with its review log in `field`."""

    profile: str
    card_id: str
    field: str
    stored: str
    from_log: str


@dataclass(frozen=True)
class CardCount:
    profile: str
    card_id: str
    reviews: int


@dataclass
class Consistency:
    cards: int = 0
    reviews: int = 0
    mismatches: list[Mismatch] = field(default_factory=list)
    reviews_without_card: list[CardCount] = field(default_factory=list)
    retired: list[CardCount] = field(default_factory=list)
    foreign_keys: list[str] = field(default_factory=list)

    @property
    def problems(self) -> int:
        return len(self.mismatches) + len(self.reviews_without_card) + len(self.foreign_keys)


@contextmanager
def _reader(database: Database) -> Iterator[Connection]:
    path = database.file
    if path is not None:
        engine = create_engine(
            "sqlite://", creator=lambda: open_read_only(path), poolclass=NullPool
        )
        try:
            with engine.connect() as connection:
                yield connection
        finally:
            engine.dispose()
        return
    with database.engine.connect() as connection:
        try:
            yield connection
        finally:
            connection.rollback()  # read only: nothing to keep


def _text(value: object) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="seconds")
    return "none" if value is None else str(value)


def check_consistency(database: Database, known_cards: Collection[str] | None) -> Consistency:
    """Compare every card row with the review log. `known_cards`: the card ids of the
    content (None: rely on the rows' retired flag to list retired cards)."""
    result = Consistency()
    with _reader(database) as connection:
        profiles = connection.execute(select(PROFILES.c.id, PROFILES.c.name))
        names = {row.id: row.name for row in profiles}
        for row in connection.execute(_cards_with_their_last_review()):
            result.cards += 1
            result.reviews += row.n or 0
            profile = names.get(row.profile_id, f"#{row.profile_id}")
            result.mismatches.extend(_compare(profile, row))
            gone = row.retired if known_cards is None else row.card_id not in known_cards
            if gone:
                result.retired.append(CardCount(profile, row.card_id, row.n or 0))
        for row in connection.execute(_reviews_without_card()):
            profile = names.get(row.profile_id, f"#{row.profile_id}")
            result.reviews_without_card.append(CardCount(profile, row.card_id, row.n))
            result.reviews += row.n
        if connection.dialect.name == "sqlite":
            for fk in connection.exec_driver_sql("PRAGMA foreign_key_check"):
                result.foreign_keys.append(
                    f"{fk[0]} row {fk[1]} refers to a missing row of {fk[2]}"
                )
    return result


def _cards_with_their_last_review() -> Any:
    key = (REVIEWS.c.profile_id, REVIEWS.c.card_id)
    counts = select(*key, func.count().label("n"), func.max(REVIEWS.c.reviewed_at).label("latest"))
    counts_q = counts.group_by(*key).subquery()
    order = (REVIEWS.c.reviewed_at.desc(), REVIEWS.c.id.desc())
    ranked = select(
        *key,
        REVIEWS.c.state_after,
        REVIEWS.c.due_after,
        func.row_number().over(partition_by=key, order_by=order).label("rank"),
    ).subquery()
    last = select(ranked).where(ranked.c.rank == 1).subquery()

    def same(table: Any) -> Any:
        return and_(table.c.profile_id == CARDS.c.profile_id, table.c.card_id == CARDS.c.card_id)

    return (
        select(
            CARDS.c.profile_id,
            CARDS.c.card_id,
            CARDS.c.state,
            CARDS.c.due,
            CARDS.c.last_review,
            CARDS.c.reps,
            CARDS.c.retired,
            counts_q.c.n,
            counts_q.c.latest,
            last.c.state_after,
            last.c.due_after,
        )
        .select_from(CARDS.outerjoin(counts_q, same(counts_q)).outerjoin(last, same(last)))
        .order_by(CARDS.c.profile_id, CARDS.c.card_id)
    )


def _reviews_without_card() -> Any:
    joined = REVIEWS.outerjoin(
        CARDS,
        and_(CARDS.c.profile_id == REVIEWS.c.profile_id, CARDS.c.card_id == REVIEWS.c.card_id),
    )
    key = (REVIEWS.c.profile_id, REVIEWS.c.card_id)
    return (
        select(*key, func.count().label("n"))
        .select_from(joined)
        .where(CARDS.c.card_id.is_(None))
        .group_by(*key)
        .order_by(*key)
    )


def _compare(profile: str, row: Any) -> Iterator[Mismatch]:
    reviews = row.n or 0
    if row.reps != reviews:
        yield Mismatch(profile, row.card_id, "reps", str(row.reps), str(reviews))
    if reviews == 0:
        if row.state != 0 or row.last_review is not None:
            yield Mismatch(profile, row.card_id, "state", str(row.state), "0 (never reviewed)")
        return
    expected = (
        ("state", row.state, row.state_after),
        ("due", row.due, row.due_after),
        ("last_review", row.last_review, row.latest),
    )
    for name, stored, from_log in expected:
        if stored != from_log:
            yield Mismatch(profile, row.card_id, name, _text(stored), _text(from_log))


def find_backup(db_file: Path, chosen: str) -> Path:
    """`chosen` as a path, else as a file name (or a unique start of one) in the backups."""
    as_path = Path(chosen).expanduser()
    if as_path.is_file():
        return as_path
    backups = list_backups(db_file)
    matches = [b.path for b in backups if b.path.name.startswith(chosen)]
    if len(matches) == 1:
        return matches[0]
    listed = ", ".join(b.path.name for b in backups[-5:]) or "none"
    what = "names several backups" if matches else "is neither a file nor a backup"
    raise BadInput(
        f"{chosen!r} {what} of {db_file} (in {backup_folder(db_file)}: {listed}); "
        "give the path or the full name of one backup"
    )


@dataclass(frozen=True)
class Restored:
    source: Path
    saved_current: Path | None  # the backup of what was there before


def restore(database: Database, chosen: Path, *, now: datetime, keep: int) -> Restored:
    """Replace the database with the backup `chosen`, after checking the backup and after
    backing up the current file. A healthy current database is overwritten in place
    through the backup API, which is safe while another process has it open; a damaged
    one is first copied byte for byte (with its -wal log) beside the backups."""
    from quizdl.store import migrate

    db_file = database.file
    if db_file is None:
        raise BadInput(f"{migrate.describe(database)}: restore works on a SQLite file only")
    health = check_file(chosen)
    if not health.ok:
        raise BadInput(f"{chosen}: is not a usable backup ({health.kind}: {health.detail})")
    probe = Database(f"sqlite:///{chosen}")
    try:
        if migrate.current(probe) is None:  # BadInput for someone else's database
            raise BadInput(f"{chosen}: is an empty database, not a backup of quizdl's")
    finally:
        probe.dispose()
    current = check_file(db_file)
    saved: Path | None = None
    if current.kind == "not-sqlite":
        raise BadInput(
            f"{db_file}: is not a SQLite database ({current.detail}); it was left untouched and "
            "nothing was restored. Move it away first if it is to be replaced."
        )
    if current.ok:
        migrate.current(database)  # refuses someone else's database before anything is written
        saved = make_backup(database, "pre-restore", now=now, keep=None)
        _restore_in_place(chosen, db_file)
    elif current.kind == "damaged":
        saved = _keep_damaged(db_file, now)
        _replace_file(chosen, db_file)
    else:  # missing or empty: nothing to lose
        _replace_file(chosen, db_file)
    after = check_file(db_file)
    if not after.ok:
        raise QuizdlError(f"{db_file}: the restored database failed its check ({after.detail})")
    prune(db_file, keep)
    return Restored(chosen, saved)


def _restore_in_place(source: Path, db_file: Path) -> None:
    reader = open_read_only(source)
    try:
        writer = sqlite3.connect(db_file, timeout=BUSY_TIMEOUT_S)
        try:
            reader.backup(writer)
        finally:
            writer.close()
    finally:
        reader.close()


def _keep_damaged(db_file: Path, now: datetime) -> Path:
    """Copy a damaged database (and its -wal log) byte for byte into the backups folder."""
    folder = backup_folder(db_file)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = now.astimezone(UTC).strftime(TIME_FORMAT)
    target = folder / f"{db_file.stem}-{stamp}-damaged.db"
    counter = 1
    while target.exists():
        counter += 1
        target = folder / f"{db_file.stem}-{stamp}-damaged-{counter}.db"
    for suffix in ("", "-wal"):
        source = db_file.with_name(db_file.name + suffix)
        if source.exists():
            copy = target.with_name(target.name + suffix)
            copy.write_bytes(source.read_bytes())
    return target


def _replace_file(source: Path, db_file: Path) -> None:
    """Put a copy of `source` at `db_file`, atomically; the old -wal and -shm go, since a
    log left beside a different database would be replayed into it."""
    db_file.parent.mkdir(parents=True, exist_ok=True)
    partial = db_file.with_name(db_file.name + ".restoring")
    partial.unlink(missing_ok=True)
    copy_database(source, partial)
    for suffix in ("-wal", "-shm", "-journal"):
        db_file.with_name(db_file.name + suffix).unlink(missing_ok=True)
    os.replace(partial, db_file)
