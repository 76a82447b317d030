"""`quizdl doctor`: a healthy database, card rows that disagree with the review log,
orphaned reviews, retired cards, damaged and foreign files (left byte-identical), and
restoring a backup."""

from __future__ import annotations

import hashlib
import random
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, insert, select, update

from quizdl.cli import main
from quizdl.clock import Clock
from quizdl.kb.loader import KnowledgeBase, load
from quizdl.store import backup
from quizdl.store.db import Database
from quizdl.store.models import CardState, Review
from quizdl.study.service import Study

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@pytest.fixture(scope="module")
def shipped() -> KnowledgeBase:
    kb, problems = load()
    assert problems == []
    return kb


@pytest.fixture
def studied(database: Database, shipped: KnowledgeBase) -> Database:
    """Three days of reviews of the shipped content, through the Study use cases."""
    for day in range(3):
        study = Study(
            database, shipped, clock=Clock(fixed=T0 + timedelta(days=day)), rng=random.Random(day)
        )
        study.start()
        for n in range(6):
            if study.next_item() is None:
                break
            study.rate(1 if n % 3 == 0 else 3)
    return database


def doctor(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--lang", "en", "doctor", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def closed_file(database: Database) -> Path:
    """The SQLite file with every connection closed (no -wal beside it)."""
    path = database.file
    assert path is not None
    database.dispose()
    assert not path.with_name(path.name + "-wal").exists()
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def damage(path: Path) -> None:
    with path.open("r+b") as file:  # garble the cells of a table page
        file.seek(4 * 4096 + 8)
        file.write(b"\xa5" * 64)


def a_reviewed_card(database: Database) -> str:
    with database.sessions() as session:
        return str(session.scalars(select(Review.card_id).limit(1)).one())


def test_a_healthy_database(studied: Database, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = doctor(capsys, "--db", studied.url)
    assert code == 0, out
    assert "card rows against the review log" in out and ": ok" in out
    assert "reviews without a card row: none" in out
    assert out.rstrip().endswith("healthy.")


def test_card_rows_that_disagree_with_the_log(
    studied: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    card = a_reviewed_card(studied)
    with studied.transaction() as session:
        reps, state = session.execute(
            select(CardState.reps, CardState.state).where(CardState.card_id == card)
        ).one()
        session.execute(
            update(CardState)
            .where(CardState.card_id == card)
            .values(reps=reps + 2, state=(state + 1) % 4)
        )
    code, out, _ = doctor(capsys, "--db", studied.url)
    assert code == 1
    assert f"default  {card}: reps is {reps + 2}, the review log says {reps}" in out
    assert f"default  {card}: state is {(state + 1) % 4}, the review log says {state}" in out
    assert "2 problem(s) found; nothing was changed." in out


def test_reviews_without_a_card_row_and_retired_cards(
    studied: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    card = a_reviewed_card(studied)
    with studied.transaction() as session:
        count = len(session.scalars(select(Review.id).where(Review.card_id == card)).all())
        session.execute(delete(CardState).where(CardState.card_id == card))
        session.execute(
            insert(CardState).values(
                profile_id=1, card_id="gone/old-card", topic="gone", section="s", kind="basic"
            )
        )
    code, out, _ = doctor(capsys, "--db", studied.url)
    assert code == 1
    assert "reviews without a card row: 1" in out
    assert f"default  {card} ({count})" in out
    assert "retired cards (gone from the content, history kept): 1" in out
    assert "default  gone/old-card (0)" in out


@SQLITE_ONLY
def test_a_broken_foreign_key(studied: Database, capsys: pytest.CaptureFixture[str]) -> None:
    path = closed_file(studied)
    connection = sqlite3.connect(path)  # foreign keys are off in a plain connection
    connection.execute(
        "INSERT INTO card_states (profile_id, card_id, topic, section, kind, tags, position, "
        "state, reps, lapses, suspended, leech, retired, content_hash) "
        "VALUES (99, 'x/y', 'x', 's', 'basic', '', 0, 0, 0, 0, 0, 0, 0, '')"
    )
    connection.commit()
    connection.close()
    code, out, _ = doctor(capsys, "--db", studied.url)
    assert code == 1
    assert "foreign_key_check: 1 broken reference(s)" in out
    assert "card_states row" in out and "profiles" in out


@SQLITE_ONLY
def test_a_damaged_database_is_described_and_left_untouched(
    studied: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    path = closed_file(studied)
    made = backup.make_backup(studied, "daily", now=T0)
    assert made is not None
    damage(path)
    before, files = digest(path), names(path.parent)
    code, out, err = doctor(capsys, "--db", studied.url)
    assert code == 2 and out == ""
    assert f"{path}: the SQLite database is damaged (" in err
    assert "it was left untouched" in err
    assert f"quizdl doctor --restore {made.name}" in err
    assert digest(path) == before and names(path.parent) == files


@SQLITE_ONLY
@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"%PDF-1.7\n" + b"x" * 5000, "is not a SQLite database (it starts with b'%PDF-1.7"),
        (b"SQLite format 3\x00" + b"\x00" * 84, "the SQLite database is damaged"),
    ],
)
def test_a_foreign_file_is_described_and_left_untouched(
    database_url: str, capsys: pytest.CaptureFixture[str], content: bytes, expected: str
) -> None:
    path = Path(database_url.removeprefix("sqlite:///"))
    path.write_bytes(content)
    before = digest(path)
    code, _, err = doctor(capsys, "--db", database_url)
    assert code == 2
    assert expected in err and "left untouched" in err
    assert digest(path) == before and names(path.parent) == [path.name]


@SQLITE_ONLY
def test_someone_elses_sqlite_database_is_left_untouched(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = Path(database_url.removeprefix("sqlite:///"))
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    connection.commit()
    connection.close()
    before = digest(path)
    code, _, err = doctor(capsys, "--db", database_url)
    assert code == 2
    assert "is not a quizdl database (found tables invoices" in err
    assert digest(path) == before and names(path.parent) == [path.name]


def test_no_database_yet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("QUIZDL_HOME", str(tmp_path))
    monkeypatch.delenv("QUIZDL_DB_URL", raising=False)
    code, out, _ = doctor(capsys)
    assert code == 0 and "no database yet" in out
    code, _, err = doctor(capsys, "--db", f"sqlite:///{tmp_path / 'typo.db'}")
    assert code == 2 and "typo.db: no such file" in err
    assert names(tmp_path) == []


@SQLITE_ONLY
def test_restore_a_backup_while_the_database_is_open(
    studied: Database, shipped: KnowledgeBase, capsys: pytest.CaptureFixture[str]
) -> None:
    path = closed_file(studied)
    made = backup.make_backup(studied, "daily", now=T0)
    assert made is not None
    with studied.sessions() as session:
        reviews_then = session.scalars(select(Review.id).order_by(Review.id)).all()
    later = Study(studied, shipped, clock=Clock(fixed=T0 + timedelta(days=9)), rng=random.Random(9))
    later.start()
    assert later.next_item() is not None
    later.rate(3)
    reader = sqlite3.connect(path)  # another process with the database open
    try:
        assert reader.execute("SELECT count(*) FROM reviews").fetchone()[0] == len(reviews_then) + 1
        code, out, _ = doctor(capsys, "--db", studied.url, "--restore", made.name)
        assert code == 0
        assert reader.execute("SELECT count(*) FROM reviews").fetchone()[0] == len(reviews_then)
    finally:
        reader.close()
    (saved,) = [b for b in backup.list_backups(path) if b.reason == "pre-restore"]
    assert f"restored {path} from {made}; the previous database was saved as {saved.path}" in out
    kept = sqlite3.connect(saved.path)
    assert kept.execute("SELECT count(*) FROM reviews").fetchone()[0] == len(reviews_then) + 1
    kept.close()
    code, out, _ = doctor(capsys, "--db", studied.url)
    assert code == 0, out


@SQLITE_ONLY
def test_restore_over_a_damaged_database_keeps_the_damaged_bytes(
    studied: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    path = closed_file(studied)
    made = backup.make_backup(studied, "daily", now=T0)
    assert made is not None
    damage(path)
    damaged = path.read_bytes()
    code, _, _ = doctor(capsys, "--db", studied.url, "--restore", str(made))
    assert code == 0
    (kept,) = [b for b in backup.list_backups(path) if b.reason == "damaged"]
    assert kept.path.read_bytes() == damaged
    assert backup.check_file(path).ok
    code, out, _ = doctor(capsys, "--db", studied.url)
    assert code == 0, out


@SQLITE_ONLY
def test_restore_refuses_a_bad_backup_and_changes_nothing(
    studied: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = closed_file(studied)
    bogus = tmp_path / "bogus.db"
    bogus.write_bytes(b"hello")
    foreign = tmp_path / "foreign.db"
    connection = sqlite3.connect(foreign)
    connection.execute("CREATE TABLE notes (body TEXT)")
    connection.commit()
    connection.close()
    before = digest(path)
    for chosen, expected in (
        (str(bogus), "is not a usable backup (not-sqlite"),
        (str(foreign), "is not a quizdl database"),
        ("quizdl-2099", "is neither a file nor a backup"),
    ):
        code, _, err = doctor(capsys, "--db", studied.url, "--restore", chosen)
        assert code == 2 and expected in err, err
    assert digest(path) == before
    assert not (path.parent / "backups").exists()


@SQLITE_ONLY
def test_restore_never_replaces_a_file_that_is_not_a_database(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = Database(f"sqlite:///{tmp_path / 'other' / 'quizdl.db'}")
    try:
        from quizdl.store import migrate

        migrate.upgrade(source)
        made = backup.make_backup(source, "daily", now=T0)
    finally:
        source.dispose()
    assert made is not None
    path = Path(database_url.removeprefix("sqlite:///"))
    path.write_text("my thesis, chapter 1\n", encoding="utf-8")
    code, _, err = doctor(capsys, "--db", database_url, "--restore", str(made))
    assert code == 2 and "left untouched and nothing was restored" in err
    assert path.read_text(encoding="utf-8") == "my thesis, chapter 1\n"


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_postgresql_doctor_and_restore(
    studied: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = doctor(capsys, "--db", studied.url)
    assert code == 0, out
    assert "pg_dump" in out
    code, _, err = doctor(capsys, "--db", studied.url, "--restore", "anything")
    assert code == 2 and "pg_restore" in err
