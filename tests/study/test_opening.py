"""Opening a study for the app: first run, content problems, reloads after an edit,
a fresh Study per session, database failures in plain words; and the settings."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from quizdl.clock import Clock
from quizdl.errors import BadInput, QuizdlError
from quizdl.study.opening import explain_failure, open_study
from quizdl.study.profile_settings import changed_settings, save_settings
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


def test_explain_failure_says_what_to_do() -> None:
    locked = OperationalError("UPDATE x", {}, sqlite3.OperationalError("database is locked"))
    assert "locked by another program" in explain_failure(locked)
    damaged = OperationalError(
        "SELECT", {}, sqlite3.DatabaseError("database disk image is malformed")
    )
    assert "damaged" in explain_failure(damaged) and "quizdl restore" in explain_failure(damaged)
    assert explain_failure(BadInput("plain")) == "plain"


def test_settings_are_validated_stored_and_applied(study_at: StudyAt) -> None:
    study = study_at(NOW)
    with pytest.raises(BadInput, match="desired_retention"):
        changed_settings(study.settings, desired_retention=1.2)
    new = changed_settings(study.settings, new_per_day=3, desired_retention=0.85, rollover_hour=6)
    save_settings(study, new)
    assert study.scheduler.settings.desired_retention == 0.85
    assert study.clock.rollover_hour == 6
    reopened = study_at(NOW)
    assert reopened.settings.new_per_day == 3 and reopened.settings.desired_retention == 0.85
    assert reopened.start().new == 3
