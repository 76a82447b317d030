"""The last session's summary, an empty database, unknown profiles, the JSON keys."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.engine import make_url
from stats_history import NOW, History, utc

from quizdl.clock import Clock
from quizdl.errors import BadInput
from quizdl.stats import compute
from quizdl.store.db import Database

# The documented keys (quizdl/stats/__init__.py): scripts rely on them.
TOP_KEYS = {
    "profile", "now", "study_day", "time_zone", "rollover_hour", "today", "due", "cards",
    "streak", "week", "reviews_per_day", "retention", "forecast", "mastery", "topics",
    "intervals", "last_session", "leeches",
}  # fmt: skip
NESTED_KEYS = {
    "today": {"reviews", "new_cards", "by_rating", "retention", "seconds"},
    "due": {"new", "learning", "review", "total"},
    "cards": {"total", "new", "learning", "review", "suspended", "leeches"},
    "streak": {"days", "studied_today"},
    "week": {"start", "reviews", "days_studied"},
    "retention": {"weeks", "months"},
}
SESSION_KEYS = {
    "id", "started_at", "ended_at", "reviews", "by_rating", "seconds", "correct", "incorrect",
}  # fmt: skip


def test_last_session_is_the_session_of_the_latest_answer(history: History, clock: Clock) -> None:
    history.profile().card("t/a")
    first = history.session(utc(2026, 11, 25, 18), ended_at=utc(2026, 11, 25, 18, 20))
    second = history.session(
        utc(2026, 11, 26, 8),
        ended_at=utc(2026, 11, 26, 8, 30),
        summary={"reviewed": 2, "by_rating": {"2": 1, "4": 1}, "correct": 2, "incorrect": 1},
    )
    history.session(utc(2026, 11, 26, 9))  # opened later, nothing answered yet
    history.review(utc(2026, 11, 25, 18, 5), 3, session_id=first)
    history.review(utc(2026, 11, 26, 8, 1), 4, session_id=second, duration_ms=1500)
    history.review(utc(2026, 11, 26, 8, 2), 2, session_id=second, duration_ms=2500)
    stats = compute(history.write(), clock=clock)
    assert stats.last_session is not None
    assert stats.last_session.to_json() == {
        "id": second,
        "started_at": "2026-11-26T08:00:00+00:00",
        "ended_at": "2026-11-26T08:30:00+00:00",
        "reviews": 2,
        "by_rating": {"1": 0, "2": 1, "3": 0, "4": 1},
        "seconds": 4.0,
        "correct": 2,
        "incorrect": 1,
    }


def test_open_session_without_summary(history: History, clock: Clock) -> None:
    history.profile().card("t/a")
    session = history.session(NOW - timedelta(minutes=10))
    history.review(NOW - timedelta(minutes=5), 1, session_id=session)
    stats = compute(history.write(), clock=clock)
    assert stats.last_session is not None
    summary = stats.last_session.to_json()
    assert (summary["ended_at"], summary["correct"], summary["reviews"]) == (None, None, 1)


def test_no_last_session_when_the_latest_answer_had_none(history: History, clock: Clock) -> None:
    history.profile().card("t/a").review(NOW - timedelta(hours=1))
    assert compute(history.write(), clock=clock).last_session is None


def test_an_empty_database_gives_zeros(database: Database, clock: Clock) -> None:
    stats = compute(database, clock=clock)
    data = stats.to_json()
    assert set(data) == TOP_KEYS
    assert data["today"] == {
        "reviews": 0,
        "new_cards": 0,
        "by_rating": {"1": 0, "2": 0, "3": 0, "4": 0},
        "retention": None,
        "seconds": 0.0,
    }
    assert data["due"] == {"new": 0, "learning": 0, "review": 0, "total": 0}
    assert set(data["cards"].values()) == {0}
    assert data["streak"] == {"days": 0, "studied_today": False}
    assert [d["reviews"] for d in data["reviews_per_day"]] == [0] * 365
    assert [d["due"] for d in data["forecast"]] == [0] * 30
    assert {r["retention"] for r in data["retention"]["weeks"] + data["retention"]["months"]} == {
        None
    }
    assert [b["cards"] for b in data["intervals"]] == [0] * 9
    assert (data["mastery"], data["topics"], data["last_session"], data["leeches"]) == (
        None,
        [],
        None,
        [],
    )


def test_a_profile_without_cards_gives_zeros(history: History, clock: Clock) -> None:
    stats = compute(history.profile().write(), clock=clock)
    assert stats.cards.total == 0
    assert stats.time_zone == "Europe/Berlin"


def test_unknown_profile_is_bad_input(history: History, clock: Clock) -> None:
    db = history.profile(name="alice").write()
    for name in ("bob", "default"):
        with pytest.raises(BadInput, match=rf"no profile named '{name}'.*profiles: alice") as err:
            compute(db, name, clock=clock)
        password = make_url(db.url).password
        assert password is None or str(password) not in str(err.value)


def test_json_keys_are_the_documented_ones(history: History, clock: Clock) -> None:
    history.profile().card("t/a", leech=True, lapses=8)
    session = history.session(NOW - timedelta(minutes=10))
    history.review(NOW - timedelta(minutes=5), session_id=session)
    data = compute(history.write(), clock=clock).to_json()
    assert set(data) == TOP_KEYS
    for key, keys in NESTED_KEYS.items():
        assert set(data[key]) == keys, key
    assert set(data["reviews_per_day"][0]) == {"day", "reviews"}
    assert set(data["forecast"][0]) == {"day", "due"}
    retention_keys = {"start", "end", "reviews", "passed", "retention"}
    assert set(data["retention"]["weeks"][0]) == set(data["retention"]["months"][0])
    assert set(data["retention"]["weeks"][0]) == retention_keys
    assert set(data["topics"][0]) == {"topic", "cards", "seen", "mastery", "due"}
    assert set(data["intervals"][0]) == {"min_days", "max_days", "cards"}
    assert set(data["last_session"]) == SESSION_KEYS
    assert set(data["leeches"][0]) == {"card_id", "topic", "lapses", "suspended"}
