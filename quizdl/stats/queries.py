"""The SQL behind quizdl.stats, cards' side and sessions: aggregates computed by the
database, never by loading rows into Python (counts per study day are in ranges.py).

Speed notes (100,000 cards, SQLite, where every expression is evaluated once per row and
per mention, with no common-subexpression elimination):
- Everything per topic comes from one pass over card_states, in the order of the
  (profile_id, topic, section) index, so grouping by topic needs no sort.
- The interval distribution computes each card's interval once, in a fenced subquery, and
  counts the cards at or above each bound; a GROUP BY on the interval would sort every row.
- Retrievability is computed in SQL when the database has power() (SQLite compiled with
  math functions, PostgreSQL); otherwise elapsed days and stabilities are fetched and numpy
  does the rest (see retrievability.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    Connection,
    Float,
    Integer,
    and_,
    bindparam,
    extract,
    false,
    func,
    or_,
    select,
)
from sqlalchemy import cast as sql_cast
from sqlalchemy.exc import OperationalError
from sqlalchemy.sql.elements import ColumnElement

from quizdl.store.models import (
    CARDS,
    PROFILES,
    REVIEWS,
    SESSIONS,
    UTCDateTime,
)

NEW, LEARNING, REVIEW, RELEARNING = 0, 1, 2, 3
MS_PER_DAY = 86_400_000
SECONDS_PER_DAY = 86_400


def profile_row(connection: Connection, name: str) -> Any | None:
    return connection.execute(
        select(PROFILES.c.id, PROFILES.c.settings, PROFILES.c.fsrs_parameters).where(
            PROFILES.c.name == name
        )
    ).first()


def profile_names(connection: Connection) -> list[str]:
    return list(connection.scalars(select(PROFILES.c.name).order_by(PROFILES.c.name)))


def has_math_functions(connection: Connection) -> bool:
    """Whether power() exists (SQLite has it only when compiled with math functions)."""
    if connection.dialect.name != "sqlite":
        return True
    try:
        connection.exec_driver_sql("SELECT power(2.0, 0.5)").scalar()
    except OperationalError:
        return False
    return True


# Card states
##########################################################################

NOW = bindparam("now", type_=UTCDateTime())
DAY_END = bindparam("day_end", type_=UTCDateTime())


# Half a millisecond in days. SQLite's julianday() keeps whole milliseconds, and the
# difference of two values near 2.46 million days carries a rounding error of about 10 µs:
# an exact 7-day difference may come out as 6.9999999999. Adding half a millisecond before
# truncating gives whole days exactly as timedelta.days does, except for differences within
# a millisecond of a whole day.
HALF_MS_IN_DAYS = 0.5 / MS_PER_DAY


def whole_days(dialect: str, later: Any, earlier: Any) -> ColumnElement[int]:
    """later − earlier in whole days, for a difference that is not negative."""
    if dialect == "sqlite":
        difference = func.julianday(later) - func.julianday(earlier) + HALF_MS_IN_DAYS
        return sql_cast(difference, Integer)
    return sql_cast(func.floor(extract("epoch", later - earlier) / SECONDS_PER_DAY), Integer)


def elapsed_days(dialect: str) -> ColumnElement[int]:
    """Whole days from the last review to now, never negative (py-fsrs's elapsed days).
    On SQLite now comes as its julian day (:jnow), computed once rather than per card."""
    if dialect == "sqlite":
        difference = bindparam("jnow", type_=Float()) - func.julianday(CARDS.c.last_review)
        days = sql_cast(difference + HALF_MS_IN_DAYS, Integer)
        return cast(ColumnElement[int], func.max(days, 0))  # truncation made -0.5 days 0
    return cast(ColumnElement[int], func.greatest(whole_days(dialect, NOW, CARDS.c.last_review), 0))


def julian_now(connection: Connection, now: datetime) -> float:
    """SQLite's julian day of `now`, as it computes it for stored times."""
    return float(connection.execute(select(func.julianday(NOW)), {"now": now}).scalar_one())


def retrievability_sql(dialect: str) -> ColumnElement[float]:
    """FSRS's R = (1 + FACTOR·t/S)^DECAY, with :factor and :decay bound per profile."""
    factor = bindparam("factor", type_=Float())
    decay = bindparam("decay", type_=Float())
    base = 1.0 + factor * elapsed_days(dialect) / CARDS.c.stability
    return cast(ColumnElement[float], func.power(base, decay))


SEEN = and_(CARDS.c.stability.is_not(None), CARDS.c.stability > 0, CARDS.c.last_review.is_not(None))


def _count(condition: ColumnElement[bool]) -> Any:
    return func.count().filter(condition)


@dataclass(frozen=True, slots=True)
class TopicRow:
    topic: str
    cards: int
    new: int
    learning: int  # learning and relearning
    suspended: int
    leeches: int
    seen: int  # cards with a stability and a last review
    retrievability_sum: float | None  # None when computed outside SQL
    new_available: int  # new, not suspended, not buried
    learning_due: int  # learning, not suspended or buried, due before the day ends
    review_due: int  # review, idem

    @property
    def review(self) -> int:
        return self.cards - self.new - self.learning


def topic_rows(
    connection: Connection,
    profile_id: int,
    now: datetime,
    day_end: datetime,
    *,
    decay: float,
    factor: float,
    math_in_sql: bool,
) -> list[TopicRow]:
    """One pass over the profile's cards in the content, grouped by topic. The planner walks
    ix_card_states_section, which yields the rows in topic order: no sort is needed."""
    c = CARDS.c
    available = and_(c.suspended == false(), or_(c.buried_until.is_(None), c.buried_until <= NOW))
    learning = c.state.in_((LEARNING, RELEARNING))
    columns: list[Any] = [
        c.topic,
        func.count(),
        _count(c.state == NEW),
        _count(learning),
        _count(c.suspended),
        _count(c.leech),
        _count(SEEN),
        _count(and_(c.state == NEW, available)),
        _count(and_(learning, available, c.due < DAY_END)),
        _count(and_(c.state == REVIEW, available, c.due < DAY_END)),
    ]
    params: dict[str, Any] = {"now": now, "day_end": day_end}
    if math_in_sql:
        columns.append(func.sum(retrievability_sql(connection.dialect.name)).filter(SEEN))
        params.update(factor=factor, decay=decay, **_now_params(connection, now))
    query = (
        select(*columns)
        .where(c.profile_id == profile_id, c.retired == false())
        .group_by(c.topic)
        .order_by(c.topic)
    )
    return [
        TopicRow(
            topic=row[0],
            cards=row[1],
            new=row[2],
            learning=row[3],
            suspended=row[4],
            leeches=row[5],
            seen=row[6],
            new_available=row[7],
            learning_due=row[8],
            review_due=row[9],
            retrievability_sum=float(row[10]) if math_in_sql and row[10] is not None else None,
        )
        for row in connection.execute(query, params)
    ]


def elapsed_and_stability(
    connection: Connection, profile_id: int, now: datetime
) -> list[tuple[str, int, float]]:
    """(topic, elapsed days, stability) of every seen card in the content, for computing
    retrievability outside SQL."""
    c = CARDS.c
    query = select(c.topic, elapsed_days(connection.dialect.name), c.stability).where(
        c.profile_id == profile_id, c.retired == false(), SEEN
    )
    params = {"now": now, **_now_params(connection, now)}
    return [(t, int(e), float(s)) for t, e, s in connection.execute(query, params)]


def _now_params(connection: Connection, now: datetime) -> dict[str, Any]:
    if connection.dialect.name == "sqlite":
        return {"jnow": julian_now(connection, now)}
    return {}


def interval_counts(connection: Connection, profile_id: int, bounds: Sequence[int]) -> list[int]:
    """For each bound, the review cards whose current interval (due − last review, whole
    days) is at least that many days. The interval is computed once per card in a
    subquery that the planner must not merge into the outer query (LIMIT -1 on SQLite,
    OFFSET 0 on PostgreSQL): merged, it would be recomputed for every bound."""
    c = CARDS.c
    dialect = connection.dialect.name
    inner = select(whole_days(dialect, c.due, c.last_review).label("days")).where(
        c.profile_id == profile_id,
        c.retired == false(),
        c.state == REVIEW,
        c.due.is_not(None),
        c.last_review.is_not(None),
    )
    fenced = (inner.limit(-1) if dialect == "sqlite" else inner.offset(0)).subquery()
    query = select(*(_count(fenced.c.days >= bound) for bound in bounds))
    row = connection.execute(query).one()
    return [int(n) for n in row]


def leeches(
    connection: Connection, profile_id: int, expected: int
) -> list[tuple[str, str, int, bool]]:
    """The leeches (card id, topic, lapses, suspended), most lapses first. Leeches are
    usually suspended (the default leech action), and suspended cards are found through the
    queue index; only when that misses some (`expected` from the topic pass) is every card
    scanned."""
    c = CARDS.c
    query = (
        select(c.card_id, c.topic, c.lapses, c.suspended)
        .where(c.profile_id == profile_id, c.retired == false(), c.leech)
        .order_by(c.lapses.desc(), c.card_id)
    )
    rows = connection.execute(query.where(c.suspended)).all()
    if len(rows) < expected:
        rows = connection.execute(query).all()
    return [(i, t, int(n), bool(s)) for i, t, n, s in rows]


# Reviews
##########################################################################


def answers_by_state_and_rating(
    connection: Connection, profile_id: int, start: datetime, end: datetime
) -> tuple[dict[tuple[int, int], int], float]:
    """Answers in [start, end) counted by (state before, rating), and the seconds spent."""
    r = REVIEWS.c
    query = (
        select(r.state_before, r.rating, func.count(), func.sum(r.duration_ms))
        .where(r.profile_id == profile_id, r.reviewed_at >= start, r.reviewed_at < end)
        .group_by(r.state_before, r.rating)
    )
    counts: dict[tuple[int, int], int] = {}
    millis = 0
    for state, rating, n, duration in connection.execute(query):
        counts[(int(state), int(rating))] = int(n)
        millis += int(duration or 0)
    return counts, millis / 1000


def first_review(connection: Connection, profile_id: int) -> datetime | None:
    r = REVIEWS.c
    value = connection.execute(
        select(func.min(r.reviewed_at)).where(r.profile_id == profile_id)
    ).scalar()
    return cast(datetime | None, value)


@dataclass(frozen=True, slots=True)
class SessionRow:
    id: int
    started_at: datetime
    ended_at: datetime | None
    summary: dict[str, Any] | None


def last_session(connection: Connection, profile_id: int) -> SessionRow | None:
    """The session of the latest answer (None when that answer was given outside a session)."""
    r, s = REVIEWS.c, SESSIONS.c
    session_id = connection.execute(
        select(r.session_id)
        .where(r.profile_id == profile_id)
        .order_by(r.reviewed_at.desc(), r.id.desc())
        .limit(1)
    ).scalar()
    if session_id is None:
        return None
    row = connection.execute(
        select(s.id, s.started_at, s.ended_at, s.summary).where(s.id == session_id)
    ).first()
    return None if row is None else SessionRow(int(row[0]), row[1], row[2], row[3])


def session_answers(
    connection: Connection, profile_id: int, session: SessionRow
) -> tuple[dict[int, int], float]:
    """Answers of a session by rating, and the seconds spent. The session's answers lie after
    its start, so the time index narrows the search before the session id is checked."""
    r = REVIEWS.c
    query = (
        select(r.rating, func.count(), func.sum(r.duration_ms))
        .where(
            r.profile_id == profile_id,
            r.reviewed_at >= session.started_at,
            r.session_id == session.id,
        )
        .group_by(r.rating)
    )
    by_rating: dict[int, int] = {}
    millis = 0
    for rating, n, duration in connection.execute(query):
        by_rating[int(rating)] = int(n)
        millis += int(duration or 0)
    return by_rating, millis / 1000
