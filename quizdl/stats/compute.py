"""Builds a profile's Stats: the cards' side here (what is due under the daily limits,
mastery, intervals, leeches, the last session), the review log's side in days.py, the
counting itself in queries.py."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext

from sqlalchemy import Connection
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from quizdl.clock import Clock, local_zone
from quizdl.errors import BadInput
from quizdl.stats import queries
from quizdl.stats.days import review_days
from quizdl.stats.model import (
    CardCounts,
    DueCounts,
    IntervalBucket,
    Leech,
    SessionSummary,
    Stats,
    Today,
    TopicStats,
)
from quizdl.stats.readers import Cancel, Cancelled, Reads
from quizdl.stats.retrievability import ForgettingCurve, topic_sums
from quizdl.store.db import Database
from quizdl.study.settings import StudySettings

DEFAULT_PROFILE = "default"
# Lower bounds (days) of the interval distribution's buckets; the last one is open.
INTERVAL_BOUNDS = (0, 2, 3, 7, 14, 30, 90, 180, 365)


def compute(
    db: Database,
    profile: str = DEFAULT_PROFILE,
    clock: Clock | None = None,
    *,
    math_in_sql: bool | None = None,
    cancel: Cancel | None = None,
) -> Stats:
    """The statistics of `profile`. The profile's time zone and rollover hour decide the
    study days; `clock` gives "now" (default: the real time, or QUIZDL_NOW). A database
    without the default profile (nothing studied yet) gives zeros; any other unknown profile
    is bad input. `math_in_sql=False` computes retrievability in numpy (as when SQLite lacks
    math functions; None: detect). `cancel` may stop it from another thread: Cancelled."""
    try:
        with Reads(db, cancel) as reads, _watched(cancel, reads.main):
            return _read(db, reads, profile, clock, math_in_sql, cancel)
    except DBAPIError:
        if cancel is not None and cancel.cancelled:  # a query interrupted by the cancel
            raise Cancelled from None
        raise


def _watched(cancel: Cancel | None, connection: Connection) -> AbstractContextManager[None]:
    return nullcontext() if cancel is None else cancel.watching(connection)


def _read(
    db: Database,
    reads: Reads,
    profile: str,
    clock: Clock | None,
    math_in_sql: bool | None,
    cancel: Cancel | None,
) -> Stats:
    connection = reads.main
    row = queries.profile_row(connection, profile)
    if row is None:
        names = queries.profile_names(connection)
        if profile != DEFAULT_PROFILE or names:
            known = ", ".join(names) if names else "none yet"
            where = make_url(db.url).render_as_string(hide_password=True)
            raise BadInput(f"no profile named {profile!r} in {where} (profiles: {known})")
        profile_id, settings, parameters, math_in_sql = 0, StudySettings(), None, False
    else:
        profile_id = row.id
        settings = StudySettings.from_stored(row.settings)
        parameters = (row.fsrs_parameters or {}).get("w")
        if math_in_sql is None:
            math_in_sql = queries.has_math_functions(connection)
    return _collect(
        connection, reads, profile, profile_id, settings, parameters, clock, math_in_sql, cancel
    )


def profile_clock(settings: StudySettings, clock: Clock | None) -> Clock:
    """`clock`'s now (or the real one) in the profile's time zone, with its rollover hour."""
    base = clock or Clock.from_env()
    zone = local_zone(settings.timezone) if settings.timezone else base.zone
    return Clock(zone=zone, rollover_hour=settings.rollover_hour, fixed=base.fixed)


def _collect(
    connection: Connection,
    reads: Reads,
    profile: str,
    profile_id: int,
    settings: StudySettings,
    parameters: Sequence[float] | None,
    clock: Clock | None,
    math_in_sql: bool,
    cancel: Cancel | None = None,
) -> Stats:
    clock = profile_clock(settings, clock)
    now = clock.now()
    today = clock.study_day(now)
    day_end = clock.day_end(now)
    # The two long reads that do not need the others' results start first.
    log = reads.submit(lambda c: review_days(c, clock, profile_id, today))
    intervals = reads.submit(lambda c: queries.interval_counts(c, profile_id, INTERVAL_BOUNDS))
    curve = ForgettingCurve.from_parameters(parameters)
    topic_rows = queries.topic_rows(
        connection,
        profile_id,
        now,
        day_end,
        decay=curve.decay,
        factor=curve.factor,
        math_in_sql=math_in_sql,
    )
    sums = (
        {t.topic: (t.seen, t.retrievability_sum or 0.0) for t in topic_rows}
        if math_in_sql
        else topic_sums(queries.elapsed_and_stability(connection, profile_id, now), curve)
    )
    answers, seconds = queries.answers_by_state_and_rating(
        connection, profile_id, clock.today_start(now), day_end
    )
    today_counts = _today(answers, seconds)
    # What is left of the day's limits, as the review queue computes it.
    new_left = max(0, settings.new_per_day - today_counts.new_cards)
    reviews_left = max(0, settings.reviews_per_day - today_counts.review_state)
    if cancel is not None:
        cancel.check()  # (PostgreSQL's queries are not interrupted: it stops between them)
    leeches = queries.leeches(connection, profile_id, expected=sum(t.leeches for t in topic_rows))
    last_session = _last_session(connection, profile_id)
    days = log.result()
    return Stats(
        profile=profile,
        now=now,
        study_day=today,
        time_zone=getattr(clock.zone, "key", None) or str(clock.zone),
        rollover_hour=clock.rollover_hour,
        today=today_counts,
        due=DueCounts(
            min(sum(t.new_available for t in topic_rows), new_left),
            sum(t.learning_due for t in topic_rows),
            min(sum(t.review_due for t in topic_rows), reviews_left),
        ),
        cards=CardCounts(
            total=sum(t.cards for t in topic_rows),
            new=sum(t.new for t in topic_rows),
            learning=sum(t.learning for t in topic_rows),
            review=sum(t.review for t in topic_rows),
            suspended=sum(t.suspended for t in topic_rows),
            leeches=sum(t.leeches for t in topic_rows),
        ),
        streak=days.streak,
        week=days.week(today),
        reviews_per_day=days.reviews_per_day(today),
        retention_weeks=days.retention_weeks(today),
        retention_months=days.retention_months(today),
        forecast=days.forecast,
        mastery=_mean(sum(n for n, _ in sums.values()), sum(r for _, r in sums.values())),
        topics=[
            TopicStats(
                topic=t.topic,
                cards=t.cards,
                seen=t.seen,
                mastery=_mean(*sums.get(t.topic, (0, 0.0))),
                due=DueCounts(
                    min(t.new_available, new_left), t.learning_due, min(t.review_due, reviews_left)
                ),
            )
            for t in topic_rows
        ],
        intervals=_intervals(intervals.result()),
        last_session=last_session,
        leeches=[Leech(*leech) for leech in leeches],
    )


def _mean(count: int, total: float) -> float | None:
    return total / count if count else None


def _today(answers: dict[tuple[int, int], int], seconds: float) -> Today:
    by_rating: dict[int, int] = {}
    for (_state, rating), n in answers.items():
        by_rating[rating] = by_rating.get(rating, 0) + n
    review_state = sum(n for (state, _), n in answers.items() if state == queries.REVIEW)
    return Today(
        reviews=sum(answers.values()),
        new_cards=sum(n for (state, _), n in answers.items() if state == queries.NEW),
        by_rating=by_rating,
        review_state=review_state,
        review_state_passed=review_state - answers.get((queries.REVIEW, 1), 0),
        seconds=seconds,
    )


def _intervals(at_least: list[int]) -> list[IntervalBucket]:
    """Buckets from cumulative counts (cards with an interval of at least each bound)."""
    highs: list[int | None] = [*INTERVAL_BOUNDS[1:], None]
    following = [*at_least[1:], 0]
    return [
        IntervalBucket(low, high, n - after)
        for low, high, n, after in zip(INTERVAL_BOUNDS, highs, at_least, following, strict=True)
    ]


def _last_session(connection: Connection, profile_id: int) -> SessionSummary | None:
    row = queries.last_session(connection, profile_id)
    if row is None:
        return None
    by_rating, seconds = queries.session_answers(connection, profile_id, row)
    summary = row.summary or {}
    correct, incorrect = summary.get("correct"), summary.get("incorrect")
    return SessionSummary(
        id=row.id,
        started_at=row.started_at,
        ended_at=row.ended_at,
        reviews=sum(by_rating.values()),
        by_rating=by_rating,
        seconds=seconds,
        correct=correct if isinstance(correct, int) else None,
        incorrect=incorrect if isinstance(incorrect, int) else None,
    )
