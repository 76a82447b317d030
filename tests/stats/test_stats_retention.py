"""True retention by week and month, and today's counts."""

from __future__ import annotations

from datetime import date

from stats_history import History, utc

from quizdl.clock import Clock
from quizdl.stats import compute

NEW, LEARNING, REVIEW, RELEARNING = 0, 1, 2, 3


def test_true_retention_counts_only_answers_to_review_cards(history: History, clock: Clock) -> None:
    history.profile().card("t/a")
    # Week of Monday 2026-11-16: four review-state answers, one of them Again ...
    for day, rating in ((16, 2), (17, 3), (18, 4), (22, 1)):
        history.review(utc(2026, 11, day, 12), rating)
    # ... and answers that are not true retention: new, learning, relearning cards.
    history.review(utc(2026, 11, 17, 13), 1, state_before=NEW)
    history.review(utc(2026, 11, 17, 14), 1, state_before=LEARNING)
    history.review(utc(2026, 11, 17, 15), 3, state_before=RELEARNING)
    # 2026-11-23 02:30 UTC is 03:30 on Monday in Berlin: still Sunday's study day.
    history.review(utc(2026, 11, 23, 2, 30), 1)
    stats = compute(history.write(), clock=clock)

    weeks = {w.start: w for w in stats.retention_weeks}
    assert len(stats.retention_weeks) == 12
    assert stats.retention_weeks[0].start == date(2026, 9, 7)
    assert stats.retention_weeks[-1].to_json() == {
        "start": "2026-11-23",
        "end": "2026-11-29",
        "reviews": 0,
        "passed": 0,
        "retention": None,
    }
    last_week = weeks[date(2026, 11, 16)]
    assert (last_week.end, last_week.reviews, last_week.passed) == (date(2026, 11, 22), 5, 3)
    assert last_week.retention == 0.6
    assert sum(w.reviews for w in stats.retention_weeks) == 5


def test_months_follow_study_days_at_the_month_boundary(history: History, clock: Clock) -> None:
    history.profile().card("t/a")
    history.review(utc(2026, 11, 1, 2, 30), 3)  # 03:30 CET on 1 Nov: October's last study day
    history.review(utc(2026, 11, 1, 3, 30), 1)  # 04:30 CET: November
    history.review(utc(2026, 11, 1, 4, 30), 3)
    history.review(utc(2025, 12, 1, 3, 0), 1)  # 04:00 CET on 1 Dec 2025: the oldest month shown
    history.review(utc(2025, 12, 1, 2, 59), 3)  # 03:59: November 2025, not shown
    stats = compute(history.write(), clock=clock)

    months = {m.start: m.to_json() for m in stats.retention_months}
    assert [m.start for m in stats.retention_months][:2] == [date(2025, 12, 1), date(2026, 1, 1)]
    assert len(months) == 12
    assert months[date(2026, 10, 1)] == {
        "start": "2026-10-01",
        "end": "2026-10-31",
        "reviews": 1,
        "passed": 1,
        "retention": 1.0,
    }
    assert months[date(2026, 11, 1)]["reviews"] == 2
    assert months[date(2026, 11, 1)]["retention"] == 0.5
    assert months[date(2025, 12, 1)]["reviews"] == 1
    assert months[date(2025, 12, 1)]["retention"] == 0.0
    assert months[date(2026, 2, 1)]["end"] == "2026-02-28"


def test_today_counts_answers_since_the_rollover(history: History, clock: Clock) -> None:
    history.profile().card("t/a")
    history.review(utc(2026, 11, 26, 2, 59), 1, duration_ms=9000)  # 03:59: yesterday
    history.review(utc(2026, 11, 26, 3, 0), 3, state_before=NEW, duration_ms=5000)
    history.review(utc(2026, 11, 26, 7, 0), 3, duration_ms=2000)
    history.review(utc(2026, 11, 26, 7, 1), 1, duration_ms=3000)
    history.review(utc(2026, 11, 26, 7, 2), 4, duration_ms=500)
    history.review(utc(2026, 11, 26, 7, 3), 3, state_before=LEARNING, duration_ms=None)
    stats = compute(history.write(), clock=clock)
    assert stats.today.to_json() == {
        "reviews": 5,
        "new_cards": 1,
        "by_rating": {"1": 1, "2": 0, "3": 3, "4": 1},
        "retention": round(2 / 3, 4),
        "seconds": 10.5,
    }
    assert stats.reviews_per_day[-1].count == stats.today.reviews
