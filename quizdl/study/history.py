"""The learner's history for the statistics screen: answers per day, true retention by
week, and how far apart review cards are scheduled. Read-only.

True retention is Anki's: of the answers given to cards in review (not learning) state,
the share that were not "again".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import case, func, select

from quizdl.schedule.fsrs_adapter import CardState as S
from quizdl.study import repo
from quizdl.study.overview import reviews_per_day
from quizdl.study.service import Study

CARDS = repo.CARDS
REVIEWS = repo.REVIEWS
# Interval buckets in days: (label, lowest, highest) inclusive.
INTERVAL_BUCKETS: tuple[tuple[str, int, int], ...] = (
    ("1d", 0, 1),
    ("2-3d", 2, 3),
    ("4-7d", 4, 7),
    ("1-2w", 8, 14),
    ("2w-1mo", 15, 30),
    ("1-3mo", 31, 90),
    ("3-6mo", 91, 180),
    ("6mo-1y", 181, 365),
    (">1y", 366, 1 << 30),
)


@dataclass(frozen=True)
class WeekRetention:
    week_start: date
    passed: int
    total: int

    @property
    def rate(self) -> float | None:
        return self.passed / self.total if self.total else None


@dataclass(frozen=True)
class History:
    last_day: date
    per_day: dict[date, int]
    retention: list[WeekRetention]
    intervals: list[tuple[str, int]]


def history(study: Study, weeks: int = 26) -> History:
    """The last `weeks` weeks (Monday to Sunday, study days) up to today."""
    clock = study.clock
    now = clock.now()
    today = clock.study_day(now)
    monday = today - timedelta(days=today.weekday())
    first = monday - timedelta(weeks=weeks - 1)
    days = [first + timedelta(days=k) for k in range((today - first).days + 1)]
    with study.db.sessions() as session:
        counts = reviews_per_day(study, session, days)
        retention = []
        for k in range(weeks):
            start = first + timedelta(weeks=k)
            passed, total = session.execute(
                select(
                    func.coalesce(func.sum(case((REVIEWS.c.rating > 1, 1), else_=0)), 0),
                    func.count(),
                ).where(
                    REVIEWS.c.profile_id == study.profile_id,
                    REVIEWS.c.state_before == int(S.REVIEW),
                    REVIEWS.c.reviewed_at >= clock.day_start(start),
                    REVIEWS.c.reviewed_at < clock.day_start(start + timedelta(weeks=1)),
                )
            ).one()
            retention.append(WeekRetention(start, int(passed), int(total)))
        spans = session.execute(
            select(CARDS.c.due, CARDS.c.last_review).where(
                CARDS.c.profile_id == study.profile_id,
                CARDS.c.retired.is_(False),
                CARDS.c.state == int(S.REVIEW),
            )
        ).tuples()
        buckets = [0] * len(INTERVAL_BUCKETS)
        for due, last in spans:
            if due is None or last is None:
                continue
            buckets[_bucket(round((due - last).total_seconds() / 86400))] += 1
    return History(
        today,
        {day: n for day, n in zip(days, counts, strict=True) if n},
        retention,
        [(label, n) for (label, _, _), n in zip(INTERVAL_BUCKETS, buckets, strict=True)],
    )


def _bucket(days: int) -> int:
    for index, (_, low, high) in enumerate(INTERVAL_BUCKETS):
        if low <= days <= high:
            return index
    return len(INTERVAL_BUCKETS) - 1
