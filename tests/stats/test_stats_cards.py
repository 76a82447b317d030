"""What is due (with the daily limits), card counts, the forecast, intervals, leeches."""

from __future__ import annotations

from datetime import date, timedelta

from stats_history import NOW, History, utc

from quizdl.clock import Clock
from quizdl.stats import compute

NEW, LEARNING, REVIEW, RELEARNING = 0, 1, 2, 3
DAY_END = utc(2026, 11, 27, 3)  # 04:00 CET on the 27th ends the study day of NOW


def test_due_counts_apply_the_days_limits_and_skip_unavailable_cards(
    history: History, clock: Clock
) -> None:
    history.profile(settings={"new_per_day": 2, "reviews_per_day": 3})
    history.card("a/n1", NEW).card("a/n2", NEW).card("a/n3", NEW, suspended=True)
    history.card("a/n4", NEW, buried_until=NOW + timedelta(hours=1))
    history.card("a/n5", NEW, buried_until=NOW - timedelta(hours=1))  # burial over
    history.card("a/n6", NEW, retired=True)
    history.card("a/l1", LEARNING, due=NOW + timedelta(minutes=10))
    history.card("a/l2", RELEARNING, due=DAY_END - timedelta(minutes=1))  # 03:59 tomorrow
    history.card("a/l3", LEARNING, due=DAY_END)  # the next study day
    history.card("a/r1", REVIEW, due=NOW - timedelta(days=1))
    history.card("a/r2", REVIEW, due=NOW + timedelta(hours=2))
    history.card("a/r3", REVIEW, due=NOW + timedelta(days=3))
    history.card("a/r4", REVIEW, due=NOW - timedelta(days=1), suspended=True)
    for name in ("b/r1", "b/r2", "b/r3"):
        history.card(name, REVIEW, due=NOW - timedelta(hours=1))
    history.card("b/n1", NEW)
    # Today so far: one new card started, one review card answered.
    history.review(NOW - timedelta(hours=1), 3, state_before=NEW, card_id="a/x")
    history.review(NOW - timedelta(hours=1), 3, state_before=REVIEW, card_id="a/y")
    stats = compute(history.write(), clock=clock)

    # Limits left: 2 - 1 = 1 new card, 3 - 1 = 2 reviews.
    assert stats.due.to_json() == {"new": 1, "learning": 2, "review": 2, "total": 5}
    due = {t.topic: t.due.to_json() for t in stats.topics}
    assert due == {
        "a": {"new": 1, "learning": 2, "review": 2, "total": 5},
        "b": {"new": 1, "learning": 0, "review": 2, "total": 3},
    }
    assert stats.cards.to_json() == {
        "total": 16,
        "new": 6,
        "learning": 3,
        "review": 7,
        "suspended": 2,
        "leeches": 0,
    }
    assert [(t.topic, t.cards, t.seen) for t in stats.topics] == [("a", 12, 7), ("b", 4, 3)]


def test_due_without_limits_left_is_zero(history: History, clock: Clock) -> None:
    history.profile(settings={"new_per_day": 1, "reviews_per_day": 1})
    history.card("a/n1", NEW).card("a/r1", REVIEW, due=NOW - timedelta(hours=1))
    history.review(NOW - timedelta(hours=2), 3, state_before=NEW)
    history.review(NOW - timedelta(hours=2), 3, state_before=REVIEW)
    history.review(NOW - timedelta(hours=2), 3, state_before=REVIEW)  # past the limit
    stats = compute(history.write(), clock=clock)
    assert stats.due.to_json() == {"new": 0, "learning": 0, "review": 0, "total": 0}


def test_forecast_counts_cards_due_per_study_day_with_overdue_today(
    history: History, clock: Clock
) -> None:
    history.profile()
    history.card("t/overdue", REVIEW, due=utc(2026, 11, 20, 12))
    history.card("t/tonight", REVIEW, due=DAY_END - timedelta(seconds=1))
    history.card("t/learning", LEARNING, due=NOW + timedelta(hours=1))
    history.card("t/tomorrow", REVIEW, due=DAY_END)
    history.card("t/day29", RELEARNING, due=utc(2026, 12, 25, 3))  # 04:00 CET, 25 Dec
    history.card("t/day30", REVIEW, due=utc(2026, 12, 26, 3))
    history.card("t/suspended", REVIEW, due=DAY_END, suspended=True)
    history.card("t/retired", REVIEW, due=NOW, retired=True)
    history.card("t/new", NEW)
    stats = compute(history.write(), clock=clock)

    assert len(stats.forecast) == 30
    assert stats.forecast[0].day == date(2026, 11, 26)
    assert stats.forecast[-1].day == date(2026, 12, 25)
    nonzero = {d.day: d.count for d in stats.forecast if d.count}
    assert nonzero == {date(2026, 11, 26): 3, date(2026, 11, 27): 1, date(2026, 12, 25): 1}


def test_forecast_days_follow_the_dst_change(history: History) -> None:
    history.profile()
    history.card("t/a", REVIEW, due=utc(2026, 10, 25, 2, 30))  # 03:30 CET: the 24th's day
    history.card("t/b", REVIEW, due=utc(2026, 10, 25, 3, 0))  # 04:00 CET: the 25th
    stats = compute(history.write(), clock=Clock(fixed=utc(2026, 10, 20, 12)))
    nonzero = {d.day: d.count for d in stats.forecast if d.count}
    assert nonzero == {date(2026, 10, 24): 1, date(2026, 10, 25): 1}


def test_intervals_bucket_review_cards_by_due_minus_last_review(
    history: History, clock: Clock
) -> None:
    history.profile()
    # Last reviews spread around the spring DST change: intervals are exact UTC durations.
    lengths = [1, 2, 6, 7, 13, 14, 29, 30, 89, 90, 179, 180, 364, 365, 800]
    for i, days in enumerate(lengths):
        last = utc(2026, 3, 28, 2) + timedelta(hours=7 * i)
        history.card(f"t/c{days}", REVIEW, last_review=last, due=last + timedelta(days=days))
    last = utc(2026, 11, 1, 12)
    history.card("t/almost7", REVIEW, last_review=last, due=last + timedelta(days=7, seconds=-1))
    history.card("t/suspended", REVIEW, last_review=last, due=last + timedelta(days=3),
                 suspended=True)  # fmt: skip
    history.card("t/learning", LEARNING, last_review=last, due=last + timedelta(days=3))
    history.card("t/retired", REVIEW, last_review=last, due=last + timedelta(days=3), retired=True)
    stats = compute(history.write(), clock=clock)
    assert [(b.min_days, b.max_days, b.cards) for b in stats.intervals] == [
        (0, 2, 1),
        (2, 3, 1),
        (3, 7, 3),  # 6 days, 7 days less a second, the suspended card's 3 days
        (7, 14, 2),
        (14, 30, 2),
        (30, 90, 2),
        (90, 180, 2),
        (180, 365, 2),
        (365, None, 2),
    ]


def test_leeches_most_lapses_first_suspended_or_not(history: History, clock: Clock) -> None:
    history.profile()
    history.card("t/l1", REVIEW, leech=True, lapses=9, suspended=True)
    history.card("t/l2", REVIEW, leech=True, lapses=12, suspended=True, topic="u")
    history.card("t/gone", REVIEW, leech=True, lapses=20, suspended=True, retired=True)
    history.card("t/hard", REVIEW, lapses=30)  # many lapses, not (yet) a leech
    db = history.write()
    expected = [
        {"card_id": "t/l2", "topic": "u", "lapses": 12, "suspended": True},
        {"card_id": "t/l1", "topic": "t", "lapses": 9, "suspended": True},
    ]
    stats = compute(db, clock=clock)
    assert [leech.to_json() for leech in stats.leeches] == expected
    # A leech left active (leech_action "tag", or unsuspended by hand) is found as well.
    history.card("t/l3", REVIEW, leech=True, lapses=9)
    stats = compute(history.write(), clock=clock)
    assert [leech.to_json() for leech in stats.leeches] == [
        *expected,
        {"card_id": "t/l3", "topic": "t", "lapses": 9, "suspended": False},
    ]
    assert stats.cards.leeches == 3
