"""Answers per study day (rollover hour, DST), the week, the streak."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from stats_history import NOW, History, utc

from quizdl.clock import Clock
from quizdl.stats import compute

# (answer time in UTC, the study day it belongs to in Berlin with a 04:00 rollover)
AROUND_CHANGES = [
    (utc(2026, 3, 28, 2, 59), date(2026, 3, 27)),  # 03:59 CET: before the rollover
    (utc(2026, 3, 28, 3, 0), date(2026, 3, 28)),  # 04:00 CET
    (utc(2026, 3, 29, 1, 30), date(2026, 3, 28)),  # 03:30 CEST: clocks jumped at 02:00
    (utc(2026, 3, 29, 2, 0), date(2026, 3, 29)),  # 04:00 CEST (a fixed +1 would say 03:00)
    (utc(2026, 10, 24, 1, 59), date(2026, 10, 23)),  # 03:59 CEST
    (utc(2026, 10, 25, 0, 30), date(2026, 10, 24)),  # 02:30 CEST, first pass
    (utc(2026, 10, 25, 1, 30), date(2026, 10, 24)),  # 02:30 CET, second pass
    (utc(2026, 10, 25, 2, 30), date(2026, 10, 24)),  # 03:30 CET (a fixed +2 would say 04:30)
    (utc(2026, 10, 25, 3, 0), date(2026, 10, 25)),  # 04:00 CET
]


def test_answers_per_day_follow_study_days_across_rollover_and_dst(
    history: History, clock: Clock
) -> None:
    history.profile().card("t/a")
    for at, _ in AROUND_CHANGES:
        history.review(at)
    history.review(utc(2025, 11, 26, 12))  # study day 2025-11-26: one day before the window
    stats = compute(history.write(), clock=clock)

    per_day = {d.day: d.count for d in stats.reviews_per_day}
    assert len(stats.reviews_per_day) == 365
    assert stats.reviews_per_day[0].day == date(2025, 11, 27)
    assert stats.reviews_per_day[-1].day == date(2026, 11, 26)
    expected = {
        date(2026, 3, 27): 1,
        date(2026, 3, 28): 2,
        date(2026, 3, 29): 1,
        date(2026, 10, 23): 1,
        date(2026, 10, 24): 3,
        date(2026, 10, 25): 1,
    }
    assert {day: n for day, n in per_day.items() if n} == expected
    # The same, counted one answer at a time by the clock's own rule.
    berlin = Clock(ZoneInfo("Europe/Berlin"), 4)
    assert Counter(berlin.study_day(at) for at, _ in AROUND_CHANGES) == expected
    assert all(berlin.study_day(at) == day for at, day in AROUND_CHANGES)


def test_rollover_hour_and_zone_come_from_the_profile(history: History, clock: Clock) -> None:
    # Rollover at 06:00 in Tokyo (UTC+9, no DST): 2026-11-25 20:59 UTC is 05:59 on the 26th,
    # still the study day of the 25th; 21:00 UTC is 06:00, the 26th.
    history.profile(settings={"timezone": "Asia/Tokyo", "rollover_hour": 6}).card("t/a")
    history.review(utc(2026, 11, 25, 20, 59)).review(utc(2026, 11, 25, 21, 0))
    stats = compute(history.write(), clock=clock)
    assert (stats.time_zone, stats.rollover_hour) == ("Asia/Tokyo", 6)
    assert stats.study_day == date(2026, 11, 26)  # 18:30 in Tokyo
    per_day = {d.day: d.count for d in stats.reviews_per_day if d.count}
    assert per_day == {date(2026, 11, 25): 1, date(2026, 11, 26): 1}
    assert stats.today.reviews == 1


def test_week_counts_monday_to_today(history: History, clock: Clock) -> None:
    history.profile().card("t/a")
    history.review(utc(2026, 11, 22, 12))  # Sunday: last week
    history.review(utc(2026, 11, 23, 3, 0)).review(utc(2026, 11, 23, 20))  # Monday 04:00, 21:00
    history.review(utc(2026, 11, 25, 12)).review(NOW - timedelta(minutes=5))
    stats = compute(history.write(), clock=clock)
    assert stats.week.to_json() == {"start": "2026-11-23", "reviews": 4, "days_studied": 3}


def test_streak_alive_until_today_ends(history: History, clock: Clock) -> None:
    history.profile().card("t/a")
    for days_ago in (1, 2, 4):  # a gap three days ago
        history.review(NOW - timedelta(days=days_ago))
    stats = compute(history.write(), clock=clock)
    assert stats.streak.to_json() == {"days": 2, "studied_today": False}
    history.review(NOW - timedelta(minutes=1))
    stats = compute(history.write(), clock=clock)
    assert stats.streak.to_json() == {"days": 3, "studied_today": True}


def test_streak_longer_than_the_window_is_counted_to_its_start(
    history: History, clock: Clock
) -> None:
    # One answer at 12:00 Berlin time on each of the last 800 study days, then a gap.
    history.profile().card("t/a")
    berlin = ZoneInfo("Europe/Berlin")
    today = date(2026, 11, 26)
    for k in range(800):
        day = today - timedelta(days=k)
        history.review(datetime(day.year, day.month, day.day, 12, tzinfo=berlin))
    history.review(datetime(2024, 9, 1, 12, tzinfo=berlin))  # long before the gap
    stats = compute(history.write(), clock=clock)
    assert stats.streak.to_json() == {"days": 800, "studied_today": True}
    assert sum(d.count for d in stats.reviews_per_day) == 365
