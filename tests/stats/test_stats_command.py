"""`quizdl stats`: exit codes, JSON, the tables in English and Chinese, and a report made
while another process holds the write lock."""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from stats_history import NOW, History

from quizdl.cli import main
from quizdl.clock import Clock
from quizdl.stats import compute
from quizdl.store.db import Database


@pytest.fixture
def studied(history: History, monkeypatch: pytest.MonkeyPatch) -> Database:
    monkeypatch.setenv("QUIZDL_NOW", NOW.isoformat())
    history.profile().card("deep/a", leech=True, lapses=8, suspended=True).card("deep/b", 0)
    session = history.session(NOW - timedelta(minutes=30))
    history.review(NOW - timedelta(minutes=20), 3, session_id=session, card_id="deep/a")
    history.review(NOW - timedelta(days=1), 1, card_id="deep/a")
    return history.write()


def test_json_is_what_compute_returns(
    studied: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["stats", "--db", studied.url, "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == compute(studied, clock=Clock(fixed=NOW)).to_json()
    assert printed["today"]["reviews"] == 1
    assert printed["streak"] == {"days": 2, "studied_today": True}


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ["Due today", "Streak", "2 days", "Topics", "True retention", "Leeches"]),
        ("zh", ["今日待复习", "连续学习", "2 天", "主题", "真实保留率", "难记卡"]),
    ],
)
def test_tables_in_each_language(
    studied: Database, capsys: pytest.CaptureFixture[str], lang: str, words: list[str]
) -> None:
    assert main(["--lang", lang, "stats", "--db", studied.url]) == 0
    out = capsys.readouterr().out
    for word in words:
        assert word in out
    assert "deep/a" in out  # the leech


def test_unknown_profile_exits_2_with_a_message(
    studied: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["stats", "--db", studied.url, "--profile", "nobody", "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "no profile named 'nobody'" in captured.err
    assert "profiles: default" in captured.err


@pytest.mark.parametrize("as_json", [True, False])
def test_a_new_database_gives_zeros(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], as_json: bool
) -> None:
    url = f"sqlite:///{tmp_path / 'new' / 'quizdl.db'}"
    assert main(["stats", "--db", url, *(["--json"] if as_json else [])]) == 0
    out = capsys.readouterr().out
    if as_json:
        data = json.loads(out)
        assert (data["cards"]["total"], data["today"]["reviews"], data["topics"]) == (0, 0, [])
    else:
        assert "nothing yet" in out or "暂无" in out


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_stats_run_while_a_learner_answers_in_another_process(
    studied: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    path = make_url(studied.url).database
    assert path is not None
    writer = sqlite3.connect(path, isolation_level=None, timeout=0)
    try:  # an answer being recorded: the write lock is held, nothing committed yet
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE card_states SET reps = reps + 1")
        codes: list[int] = []
        command = threading.Thread(
            target=lambda: codes.append(main(["stats", "--db", studied.url, "--json"])),
            daemon=True,
        )
        command.start()
        command.join(timeout=15)  # waiting for the lock would take 30 s, then fail
        assert codes == [0]
        writer.execute("COMMIT")  # and the answer is recorded
    finally:
        writer.close()
    printed = json.loads(capsys.readouterr().out)
    assert printed == compute(studied, clock=Clock(fixed=NOW)).to_json()
