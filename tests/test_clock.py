"""The study day: rollover hour, time zones, DST, QUIZDL_NOW."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from quizdl.clock import Clock, parse_now
from quizdl.errors import BadInput

NY = ZoneInfo("America/New_York")
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_before_rollover_is_still_yesterday() -> None:
    clock = Clock(zone=SHANGHAI, rollover_hour=4)
    # 03:59 in Shanghai is 19:59 UTC the day before
    assert clock.study_day(datetime(2026, 11, 25, 19, 59, tzinfo=UTC)) == date(2026, 11, 25)
    assert clock.study_day(datetime(2026, 11, 25, 20, 0, tzinfo=UTC)) == date(2026, 11, 26)


def test_day_end_is_next_rollover_in_utc() -> None:
    clock = Clock(zone=SHANGHAI, rollover_hour=4)
    now = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai
    assert clock.day_end(now) == datetime(2026, 11, 26, 20, 0, tzinfo=UTC)
    assert clock.today_start(now) == datetime(2026, 11, 25, 20, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("day", "hours"),
    [(date(2026, 3, 7), 23), (date(2026, 10, 31), 25), (date(2026, 6, 1), 24)],
)
def test_study_days_across_dst_changes(day: date, hours: int) -> None:
    # New York springs forward on 2026-03-08 and falls back on 2026-11-01 (at 02:00)
    clock = Clock(zone=NY, rollover_hour=4)
    length = clock.day_start(day + timedelta(days=1)) - clock.day_start(day)
    assert length == timedelta(hours=hours)
    assert clock.day_start(day + timedelta(days=1)).astimezone(NY).hour == 4


def test_quizdl_now_fixes_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZDL_NOW", "2026-11-26T09:30:00+08:00")
    clock = Clock.from_env(zone=SHANGHAI)
    assert clock.now() == datetime(2026, 11, 26, 1, 30, tzinfo=UTC)


def test_naive_now_is_utc_and_garbage_is_refused() -> None:
    assert parse_now("2026-11-26T09:30:00") == datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
    with pytest.raises(BadInput, match="QUIZDL_NOW='yesterday' is not an ISO 8601 time"):
        parse_now("yesterday")
