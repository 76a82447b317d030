"""The review log by study day: answers per day, the streak, true retention by week and
month, and the forecast of cards due per day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Connection

from quizdl.clock import Clock
from quizdl.stats import queries, ranges
from quizdl.stats.model import DayCount, Retention, Streak, Week
from quizdl.stats.periods import (
    ONE_DAY,
    DayRange,
    day_ranges,
    months_back,
    next_month,
    runs_to_window_start,
    streak,
    week_start,
)

HEATMAP_DAYS = 365
RETENTION_WEEKS = 12
RETENTION_MONTHS = 12
FORECAST_DAYS = 30
FAR_PAST = datetime(1970, 1, 1, tzinfo=UTC)  # forecast: overdue cards count on today

# Per study day: (answers, answers to cards in the review state, of those Again).
DayCounts = dict[date, tuple[int, int, int]]


@dataclass(frozen=True)
class ReviewDays:
    per_day: DayCounts
    streak: Streak
    forecast: list[DayCount]

    def reviews_per_day(self, today: date) -> list[DayCount]:
        first = today - (HEATMAP_DAYS - 1) * ONE_DAY
        return [DayCount(day, self.per_day.get(day, (0,))[0]) for day in days(first, today)]

    def week(self, today: date) -> Week:
        monday = week_start(today)
        counts = [self.per_day.get(monday + k * ONE_DAY, (0,))[0] for k in range(7)]
        return Week(monday, sum(counts), sum(1 for n in counts if n))

    def retention_weeks(self, today: date) -> list[Retention]:
        return [self._retention(start, end, today) for start, end in weeks(today)]

    def retention_months(self, today: date) -> list[Retention]:
        return [self._retention(start, end, today) for start, end in months(today)]

    def _retention(self, start: date, end: date, today: date) -> Retention:
        reviews = failed = 0
        for day in days(start, min(end, today)):
            _, in_review, again = self.per_day.get(day, (0, 0, 0))
            reviews += in_review
            failed += again
        return Retention(start, end, reviews, reviews - failed)


def review_days(connection: Connection, clock: Clock, profile_id: int, today: date) -> ReviewDays:
    """Everything that counts answers or due cards per study day."""
    binder = ranges.Binder(connection)
    first = queries.first_review(connection, profile_id)
    per_day = _day_counts(connection, binder, clock, profile_id, today, first)
    return ReviewDays(
        per_day=per_day,
        streak=Streak(*_streak(connection, binder, clock, profile_id, today, first, per_day)),
        forecast=_forecast(connection, binder, clock, profile_id, today),
    )


def days(first: date, last: date) -> list[date]:
    return [first + k * ONE_DAY for k in range((last - first).days + 1)]


def weeks(today: date) -> list[tuple[date, date]]:
    """The last RETENTION_WEEKS weeks, Monday to Sunday, the current one last."""
    monday = week_start(today)
    starts = [monday - k * 7 * ONE_DAY for k in range(RETENTION_WEEKS - 1, -1, -1)]
    return [(start, start + 6 * ONE_DAY) for start in starts]


def months(today: date) -> list[tuple[date, date]]:
    """The last RETENTION_MONTHS calendar months, the current one last."""
    starts = [months_back(today, k) for k in range(RETENTION_MONTHS - 1, -1, -1)]
    return [(start, next_month(start) - ONE_DAY) for start in starts]


def window_start(today: date) -> date:
    """The oldest study day any per-day figure needs."""
    return min(today - (HEATMAP_DAYS - 1) * ONE_DAY, weeks(today)[0][0], months(today)[0][0])


def _bounds(spans: list[DayRange]) -> list[tuple[datetime, datetime]]:
    return [(r.start, r.end) for r in spans]


def _day_counts(
    connection: Connection,
    binder: ranges.Binder,
    clock: Clock,
    profile_id: int,
    today: date,
    first: datetime | None,
) -> DayCounts:
    """Per study day of the window. Days before the first answer are not asked about."""
    if first is None:
        return {}
    spans = day_ranges(clock, max(window_start(today), clock.study_day(first)), today)
    counts = ranges.range_counts(
        connection,
        binder,
        profile_id,
        _bounds(spans),
        [ranges.REVIEWS_IN_RANGE, ranges.NOT_REVIEW_STATE_IN_RANGE, ranges.FAILED_IN_RANGE],
    )
    return {r.day: (c[0], c[0] - c[1], c[2]) for r, c in zip(spans, counts, strict=True)}


def _streak(
    connection: Connection,
    binder: ranges.Binder,
    clock: Clock,
    profile_id: int,
    today: date,
    first: datetime | None,
    per_day: DayCounts,
) -> tuple[int, bool]:
    """The streak; when it reaches back past the window already counted, older days are
    counted a year at a time until a day without answers (or the first answer) is found."""
    studied = {day: counts[0] for day, counts in per_day.items()}
    if first is None:
        return 0, False
    first_day = clock.study_day(first)
    oldest = min(studied, default=today)
    while oldest > first_day and runs_to_window_start(studied, sorted(studied), today):
        spans = day_ranges(clock, max(first_day, oldest - HEATMAP_DAYS * ONE_DAY), oldest - ONE_DAY)
        older = ranges.range_counts(
            connection, binder, profile_id, _bounds(spans), [ranges.REVIEWS_IN_RANGE]
        )
        studied.update({r.day: c[0] for r, c in zip(spans, older, strict=True)})
        oldest = spans[0].day
    return streak(studied, today)


def _forecast(
    connection: Connection, binder: ranges.Binder, clock: Clock, profile_id: int, today: date
) -> list[DayCount]:
    """Cards due on each of the next FORECAST_DAYS study days; overdue cards count on today."""
    spans = day_ranges(clock, today, today + (FORECAST_DAYS - 1) * ONE_DAY)
    bounds = [(FAR_PAST if i == 0 else r.start, r.end) for i, r in enumerate(spans)]
    counts = ranges.range_counts(connection, binder, profile_id, bounds, [ranges.DUE_IN_RANGE])
    return [DayCount(r.day, c[0]) for r, c in zip(spans, counts, strict=True)]
