"""Study days as UTC ranges (across DST), weeks, months and the streak rule."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from quizdl.clock import Clock
from quizdl.stats.periods import (
    day_ranges,
    months_back,
    next_month,
    runs_to_window_start,
    streak,
    week_start,
)

BERLIN = Clock(ZoneInfo("Europe/Berlin"), 4)


def test_day_ranges_tile_time_and_last_23_or_25_hours_across_dst() -> None:
    # 2026: CET -> CEST on Sunday 29 March at 02:00, back on Sunday 25 October at 03:00.
    # Both jumps fall before the 04:00 rollover, so the Saturday study day is the odd one.
    ranges = day_ranges(BERLIN, date(2026, 3, 27), date(2026, 3, 30))
    hours = [(r.end - r.start) / timedelta(hours=1) for r in ranges]
    assert hours == [24, 23, 24, 24]
    assert ranges[0].start == datetime(2026, 3, 27, 3, tzinfo=UTC)  # 04:00 CET
    assert ranges[2].start == datetime(2026, 3, 29, 2, tzinfo=UTC)  # 04:00 CEST
    autumn = day_ranges(BERLIN, date(2026, 10, 23), date(2026, 10, 26))
    assert [(r.end - r.start) / timedelta(hours=1) for r in autumn] == [24, 25, 24, 24]
    for run in (ranges, autumn):
        assert all(a.end == b.start for a, b in pairwise(run))
        # Every instant of a range belongs to that study day by the clock's own rule.
        for r in run:
            assert BERLIN.study_day(r.start) == r.day
            assert BERLIN.study_day(r.end - timedelta(microseconds=1)) == r.day


def test_day_ranges_empty_when_last_precedes_first() -> None:
    assert day_ranges(BERLIN, date(2026, 1, 2), date(2026, 1, 1)) == []


def test_weeks_start_on_monday_and_months_count_back_across_years() -> None:
    assert week_start(date(2026, 11, 26)) == date(2026, 11, 23)  # a Thursday
    assert week_start(date(2026, 11, 23)) == date(2026, 11, 23)
    assert week_start(date(2026, 11, 29)) == date(2026, 11, 23)  # Sunday
    assert months_back(date(2026, 11, 26), 0) == date(2026, 11, 1)
    assert months_back(date(2026, 11, 26), 11) == date(2025, 12, 1)
    assert months_back(date(2026, 1, 31), 1) == date(2025, 12, 1)
    assert next_month(date(2025, 12, 1)) == date(2026, 1, 1)


def test_streak_ends_today_or_yesterday_and_stops_at_a_gap() -> None:
    today = date(2026, 11, 26)
    day = timedelta(days=1)
    studied = {today - k * day: 3 for k in (1, 2, 3, 5)}  # nothing today, a gap 4 days ago
    assert streak(studied, today) == (3, False)
    studied[today] = 1
    assert streak(studied, today) == (4, True)
    assert streak({today - 2 * day: 5}, today) == (0, False)  # yesterday missed: broken
    assert streak({today - day: 0, today: 0}, today) == (0, False)  # zero counts do not count
    assert streak({}, today) == (0, False)


def test_runs_to_window_start_only_when_the_streak_covers_the_oldest_day() -> None:
    today = date(2026, 11, 26)
    days = [today - timedelta(days=k) for k in range(2, -1, -1)]
    assert runs_to_window_start(dict.fromkeys(days, 1), days, today)
    assert not runs_to_window_start({days[1]: 1, days[2]: 1}, days, today)
    assert not runs_to_window_start({}, days, today)
