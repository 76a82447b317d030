"""Study days, weeks and months as UTC ranges, and the streak.

A study day ends at the profile's rollover hour in its time zone (quizdl.clock.Clock), so
it lasts 23 or 25 hours across a DST change. Its bounds are computed here in Python, one
per day, and handed to SQL as ranges: the database never has to know the time zone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from quizdl.clock import Clock

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class DayRange:
    """One study day: [start, end) in UTC."""

    day: date
    start: datetime
    end: datetime


def day_ranges(clock: Clock, first: date, last: date) -> list[DayRange]:
    """Every study day from `first` to `last` inclusive, oldest first."""
    count = (last - first).days + 1
    if count <= 0:
        return []
    starts = [clock.day_start(first + k * ONE_DAY) for k in range(count + 1)]
    return [DayRange(first + k * ONE_DAY, starts[k], starts[k + 1]) for k in range(count)]


def week_start(day: date) -> date:
    """The Monday of `day`'s week (ISO weeks)."""
    return day - timedelta(days=day.weekday())


def month_start(day: date) -> date:
    return day.replace(day=1)


def months_back(day: date, months: int) -> date:
    """The first day of the month `months` calendar months before `day`'s month."""
    index = day.year * 12 + (day.month - 1) - months
    return date(index // 12, index % 12 + 1, 1)


def next_month(first: date) -> date:
    return months_back(first, -1)


def streak(studied: Mapping[date, int], today: date) -> tuple[int, bool]:
    """(days, studied_today): consecutive study days with at least one review, ending today,
    or ending yesterday when nothing has been reviewed yet today (the streak is still alive)."""
    studied_today = studied.get(today, 0) > 0
    day = today if studied_today else today - ONE_DAY
    days = 0
    while studied.get(day, 0) > 0:
        days += 1
        day -= ONE_DAY
    return days, studied_today


def runs_to_window_start(studied: Mapping[date, int], days: Sequence[date], today: date) -> bool:
    """Whether the streak reaches the oldest day of `days` (so older days must be looked at)."""
    length, studied_today = streak(studied, today)
    end = today if studied_today else today - ONE_DAY
    return length > 0 and bool(days) and end - (length - 1) * ONE_DAY <= days[0]
