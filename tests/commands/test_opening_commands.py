"""Every command opens the database the same way (quizdl.store.opening): an old schema is
backed up before it is upgraded, a home that is not a quizdl database or is damaged is
refused in plain words and left exactly as it was, and only a study session makes the daily
backup, not a command that reads (stats, export, optimize)."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

import pytest

from quizdl.cli import main
from quizdl.commands.common import open_study
from quizdl.store import backup, migrate
from quizdl.store.db import Database
from quizdl.study import repo
from tests.store.test_migrations import folder_bytes, refused_home

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
OLDER = migrate.KNOWN_REVISIONS[-2]


@pytest.fixture(autouse=True)
def fixed_now(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZDL_NOW", NOW.isoformat())
    monkeypatch.setenv("QUIZDL_HOME", str(tmp_path / "quizdl-home"))
    monkeypatch.setenv("TZ", "UTC")


def make_home(folder: Path, *, revision: str = migrate.HEAD_REVISION) -> str:
    """A quizdl database with one profile in `folder`, at `revision`; returns its URL."""
    url = f"sqlite:///{folder / 'quizdl.db'}"
    database = Database(url)
    try:
        migrate.upgrade(database)
        with database.transaction() as session:
            repo.ensure_profile(session, "default", NOW)
        if revision != migrate.HEAD_REVISION:
            migrate.downgrade(database, revision)
    finally:
        database.dispose()
    return url


@pytest.fixture
def json_backup(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A JSON backup of another home with one profile (something to restore)."""
    (tmp_path / "source").mkdir()
    url = make_home(tmp_path / "source")
    path = tmp_path / "backup.json"
    assert main(["export", "--format", "json", "-o", str(path), "--db", url]) == 0
    capsys.readouterr()
    return path


# What each command is asked, with "{out}" for a file it may write and "{backup}" for the
# JSON backup to restore.
COMMANDS: dict[str, tuple[str, ...]] = {
    "stats": ("stats", "--json"),
    "export": ("export", "--format", "json", "-o", "{out}"),
    "optimize": ("optimize", "--json"),
    "restore --merge": ("restore", "{backup}", "--merge"),
}


def argv(command: str, url: str, out: Path, json_backup: Path) -> list[str]:
    words = [w.format(out=out, backup=json_backup) for w in COMMANDS[command]]
    return [*words, "--db", url]


def told(lang: str, db_file: Path, made: Path) -> str:
    if lang == "zh":
        return f"quizdl: 升级 {db_file} 的数据库结构之前，已把它备份到 {made}\n"
    return f"quizdl: backed up {db_file} to {made} before upgrading its schema\n"


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("command", COMMANDS)
def test_an_old_schema_is_backed_up_before_the_upgrade(
    command: str,
    lang: str,
    tmp_path: Path,
    json_backup: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    url = make_home(home, revision=OLDER)
    code = main(["--lang", lang, *argv(command, url, tmp_path / "out.json", json_backup)])
    err = capsys.readouterr().err
    # optimize opens the database, then finds too few reviews to fit: bad input, exit 2
    assert code == (2 if command == "optimize" else 0), err
    (made,) = backup.list_backups(home / "quizdl.db")
    assert made.reason == "pre-migration"
    assert told(lang, home / "quizdl.db", made.path) in err  # in the language asked for
    database = Database(url)
    try:
        assert migrate.current(database) == migrate.HEAD_REVISION
    finally:
        database.dispose()


def test_a_refused_restore_neither_backs_up_nor_upgrades(
    tmp_path: Path, json_backup: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    url = make_home(home, revision=OLDER)
    before = folder_bytes(home)
    assert main(["restore", str(json_backup), "--db", url]) == 2  # the home holds data
    err = capsys.readouterr().err
    assert "already holds data" in err and "nothing was changed" in err
    assert folder_bytes(home) == before


REFUSED = ["damaged: truncated in the middle", "another application's database", "png image"]
REFUSING_COMMANDS = [*COMMANDS, "restore", "review"]


@pytest.mark.parametrize("case", REFUSED)
@pytest.mark.parametrize("command", REFUSING_COMMANDS)
def test_a_home_that_is_not_a_quizdl_database_is_left_as_it_was(
    command: str,
    case: str,
    tmp_path: Path,
    json_backup: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    home = tmp_path / "home"
    path, expected, before = refused_home(case, home)
    url = f"sqlite:///{path}"
    if command == "restore":
        words = ["restore", str(json_backup), "--db", url]
    elif command == "review":
        words = ["review", "--db", url]
    else:
        words = argv(command, url, tmp_path / "out.json", json_backup)
    assert main(words) == 2
    out, err = capsys.readouterr()
    assert out == "" and f"{path}: " in err and expected in err and "left untouched" in err
    assert folder_bytes(home) == before


@pytest.mark.parametrize("command", ["stats", "export", "optimize"])
def test_only_a_study_session_makes_the_daily_backup(
    command: str, tmp_path: Path, json_backup: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    url = make_home(home)
    main(argv(command, url, tmp_path / "out.json", json_backup))
    capsys.readouterr()
    assert backup.list_backups(home / "quizdl.db") == []
    session = argparse.Namespace(db=url, content=[], lang="en", profile="default")
    open_study(session).db.dispose()  # what `quizdl review` does before its session starts
    (made,) = backup.list_backups(home / "quizdl.db")
    assert (made.reason, made.taken_at) == ("daily", NOW)
