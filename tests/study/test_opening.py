"""Opening a study for the app: first run, content problems, reloads after an edit,
a fresh Study per session (the first of a study day backing the database up), an old
schema backed up before its upgrade, database failures in plain words; and the settings."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from quizdl.clock import Clock
from quizdl.errors import BadInput, QuizdlError
from quizdl.store import backup, migrate
from quizdl.store.db import Database
from quizdl.study.opening import Opened, explain_failure, open_study
from quizdl.study.profile_settings import BadSetting, changed_settings, save_settings
from quizdl.study.service import Study
from tests.study.conftest import NOW, SAMPLE_CONTENT, StudyAt


def test_first_run_creates_the_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'home' / 'quizdl.db'}"
    opened = open_study(url, content=[SAMPLE_CONTENT], shipped=False, clock=Clock(fixed=NOW))
    assert opened.first_run and opened.problems == []
    assert sorted(opened.study.reconciled.added)[:1] == ["sample-basics/adam-author"]
    again = open_study(url, content=[SAMPLE_CONTENT], shipped=False, clock=Clock(fixed=NOW))
    assert not again.first_run


def test_content_problems_are_collected_and_the_rest_loads(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("topic: {id: Not An Id}\n", encoding="utf-8")
    opened = open_study(
        f"sqlite:///{tmp_path / 'q.db'}", content=[SAMPLE_CONTENT, bad], shipped=False
    )
    assert opened.problems and all("bad.yaml" in p for p in opened.problems)
    assert len(opened.study.kb.cards) == 9


def test_a_reload_keeps_progress_and_flags_the_edit(tmp_path: Path) -> None:
    folder = tmp_path / "content"
    folder.mkdir()
    topic = folder / "sample-basics.yaml"
    topic.write_text((SAMPLE_CONTENT / "sample-basics.yaml").read_text("utf-8"), "utf-8")
    opened = open_study(f"sqlite:///{tmp_path / 'q.db'}", content=[folder], shipped=False)
    study = opened.study
    study.start()
    study.show("sample-basics/relu")
    study.rate(3)
    topic.write_text(topic.read_text("utf-8").replace("element-wise", "per element"), "utf-8")
    assert opened.reload_content() == []
    assert "sample-basics/relu" in study.reconciled.changed
    assert "per element" in study.kb.cards["sample-basics/relu"].back.en  # type: ignore[union-attr]
    fresh = opened.new_session()
    assert fresh is opened.study and fresh.kb is study.kb
    fresh.start()
    assert fresh.end().reviewed == 0  # a new session counts from zero


def test_a_damaged_database_is_refused_in_plain_words(tmp_path: Path) -> None:
    path = tmp_path / "q.db"
    path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    with pytest.raises(QuizdlError) as caught:
        open_study(f"sqlite:///{path}", content=[SAMPLE_CONTENT], shipped=False)
    assert str(path) in str(caught.value)


LOST = OperationalError("SELECT", {}, Exception("server closed"), connection_invalidated=True)
FAILURES = {
    "locked": (sqlite3.OperationalError("database is locked"), "locked by another program", "锁住"),
    "damaged": (
        sqlite3.DatabaseError("database disk image is malformed"),
        "quizdl doctor --restore BACKUP",
        "已损坏（database disk image is malformed）。请从备份恢复",
    ),
    "read-only": (
        sqlite3.OperationalError("attempt to write a readonly database"),
        "check the file's permissions",
        "请检查文件的权限",
    ),
    "other": (sqlite3.OperationalError("disk I/O error"), "failed: disk I/O error", "出错：disk"),
}


@pytest.mark.parametrize("kind", FAILURES)
def test_explain_failure_says_what_to_do_in_both_languages(kind: str) -> None:
    orig, english, chinese = FAILURES[kind]
    exc = OperationalError("UPDATE x", {}, orig)
    assert english in explain_failure(exc) and english in explain_failure(exc, "en")
    assert chinese in explain_failure(exc, "zh") and english not in explain_failure(exc, "zh")


def test_explain_failure_of_a_lost_connection_and_of_quizdl_errors() -> None:
    assert "connection to the database was lost" in explain_failure(LOST)
    assert "与数据库的连接断开了" in explain_failure(LOST, "zh")
    assert explain_failure(BadInput("plain")) == "plain"
    assert explain_failure(BadInput("plain"), "zh") == "plain"  # no Chinese: the English
    assert explain_failure(BadInput("plain", zh="中文"), "zh") == "中文"


def test_settings_are_validated_stored_and_applied(study_at: StudyAt) -> None:
    study = study_at(NOW)
    with pytest.raises(BadSetting, match="desired_retention") as caught:
        changed_settings(study.settings, desired_retention=1.2)
    assert caught.value.field == "desired_retention"
    assert str(caught.value) == "setting 'desired_retention': at most 0.99 (found 1.2)"
    assert caught.value.said("zh") == "设置 'desired_retention'：不能大于 0.99（现在是 1.2）"
    with pytest.raises(BadSetting, match="new_per_day") as caught:
        changed_settings(study.settings, new_per_day=-3)
    assert caught.value.reason == {"en": "at least 0", "zh": "不能小于 0"}
    with pytest.raises(BadSetting) as caught:
        changed_settings(study.settings, leech_action="delete")
    assert caught.value.field == "leech_action" and "取值无效" in caught.value.said("zh")
    new = changed_settings(study.settings, new_per_day=3, desired_retention=0.85, rollover_hour=6)
    save_settings(study, new)
    assert study.scheduler.settings.desired_retention == 0.85
    assert study.clock.rollover_hour == 6
    reopened = study_at(NOW)
    assert reopened.settings.new_per_day == 3 and reopened.settings.desired_retention == 0.85
    assert reopened.start().new == 3


def open_on(url: str, at: datetime) -> Opened:
    clock = Clock(UTC, 4, fixed=at)  # study days end at 04:00 UTC
    return open_study(url, content=[SAMPLE_CONTENT], shipped=False, clock=clock)


def session(opened: Opened) -> Study:
    """A new session, its day's backup (made in the background) waited for."""
    study = opened.new_session()
    if opened.day_backup is not None:
        opened.day_backup.wait()
    return study


def test_the_first_session_of_a_study_day_backs_the_database_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text("[backup]\nkeep = 2\n", encoding="utf-8")
    monkeypatch.setenv("QUIZDL_HOME", str(home))
    db_file = tmp_path / "quizdl.db"
    url = f"sqlite:///{db_file}"

    def taken() -> list[tuple[datetime, str | None]]:
        return [(b.taken_at, b.reason) for b in backup.list_backups(db_file)]

    day_one = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
    opened = open_on(url, day_one)
    assert taken() == []  # opening the app is not a session
    session(opened).start()
    assert taken() == [(day_one, "daily")]
    session(opened).start()  # the second session of the day
    opened.study.db.dispose()
    late = datetime(2026, 11, 27, 3, 59, tzinfo=UTC)  # still the same study day
    reopened = open_on(url, late)
    session(reopened)
    reopened.study.db.dispose()
    assert taken() == [(day_one, "daily")]
    # The next study days: one backup each, the newest two kept (config.toml keep = 2).
    days = [datetime(2026, 11, 27 + n, 4, 0, tzinfo=UTC) for n in range(3)]
    for day in days:
        opened = open_on(url, day)
        session(opened)
        opened.study.db.dispose()
    assert taken() == [(days[1], "daily"), (days[2], "daily")]
    made = backup.list_backups(db_file)[-1].path
    copy = sqlite3.connect(f"{made.as_uri()}?mode=ro", uri=True)
    try:  # a whole database: the profile and the session of the first day are in it
        assert copy.execute("SELECT count(*) FROM study_sessions").fetchone() == (2,)
    finally:
        copy.close()


def test_the_app_backs_up_an_old_schema_before_upgrading_it(tmp_path: Path) -> None:
    db_file = tmp_path / "quizdl.db"
    url = f"sqlite:///{db_file}"
    open_on(url, NOW).study.db.dispose()
    database = Database(url)
    migrate.downgrade(database, migrate.KNOWN_REVISIONS[-2])
    database.dispose()
    opened = open_on(url, NOW)
    opened.study.db.dispose()
    assert not opened.first_run
    (made,) = backup.list_backups(db_file)
    assert made.reason == "pre-migration"
    (notice,) = opened.notices
    assert notice.said("en") == f"backed up {db_file} to {made.path} before upgrading its schema"
    assert notice.said("zh") == f"升级 {db_file} 的数据库结构之前，已把它备份到 {made.path}"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"SQLite format 3\x00" + b"\x00" * 100, "the SQLite database is damaged"),
        (b"my notes, not a database\n" * 40, "is not a SQLite database"),
    ],
)
def test_a_file_that_cannot_be_opened_is_left_as_it_was(
    tmp_path: Path, content: bytes, expected: str
) -> None:
    path = tmp_path / "quizdl.db"
    path.write_bytes(content)
    with pytest.raises(BadInput) as caught:
        open_on(f"sqlite:///{path}", NOW)
    assert str(caught.value).startswith(f"{path}: ") and expected in str(caught.value)
    assert [p.name for p in tmp_path.iterdir()] == ["quizdl.db"] and path.read_bytes() == content


def test_the_days_backup_never_holds_up_the_session(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The copy runs on a thread of its own: the session starts, and answers are committed,
    while it is still being made (here, held until the test lets it go)."""
    monkeypatch.setenv("QUIZDL_HOME", str(tmp_path / "home"))
    db_file = tmp_path / "quizdl.db"
    opened = open_on(f"sqlite:///{db_file}", NOW)
    release = threading.Event()
    copy = backup.copy_database

    def held_copy(source: Path, target: Path) -> None:
        assert release.wait(30), "the test never let the backup go"
        copy(source, target)

    monkeypatch.setattr(backup, "copy_database", held_copy)
    study = opened.new_session()
    pending = opened.day_backup
    assert pending is not None and backup.list_backups(db_file) == []
    assert opened.new_session() is not study and opened.day_backup is pending  # one at a time
    opened.study.start()
    opened.study.next_item()
    recorded = opened.study.rate(3)  # committed while the backup waits
    assert recorded.card_id
    release.set()
    made = pending.wait(30)
    assert made is not None and [b.path for b in backup.list_backups(db_file)] == [made]
    opened.study.db.dispose()


def test_a_failed_backup_is_told_to_the_learner(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUIZDL_HOME", str(tmp_path / "home"))
    opened = open_on(f"sqlite:///{tmp_path / 'quizdl.db'}", NOW)
    blocked = tmp_path / "backups"
    blocked.write_text("a file where the backups folder should be", encoding="utf-8")
    opened.new_session()
    assert opened.day_backup is not None
    with pytest.raises(QuizdlError, match="could not back up"):
        opened.day_backup.wait(30)
    (notice,) = opened.take_notices()
    assert "could not back up" in str(notice) and str(tmp_path / "backups") in str(notice)
    assert notice.said("zh").startswith(f"无法把 {tmp_path / 'quizdl.db'} 备份到 {blocked}：")
    assert opened.take_notices() == []  # told once
    opened.study.db.dispose()
