"""What the dashboard shows: today's due cards per topic with its mastery, the streak,
the week's reviews, a 30-day forecast and the last session. Read-only; one session.

Days are study days (they end at the rollover hour in the learner's zone). Counting by
day runs one indexed COUNT per day, so the cost does not grow with the review log.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from quizdl.kb.text import Text
from quizdl.schedule.fsrs_adapter import CardState as S
from quizdl.store.models import StudySession
from quizdl.study import repo
from quizdl.study.items import Counts
from quizdl.study.recall import Recall
from quizdl.study.service import Study

CARDS = repo.CARDS
REVIEWS = repo.REVIEWS
FORECAST_DAYS = 30
STREAK_LIMIT = 3660  # days looked back for a streak (ten years)


@dataclass(frozen=True)
class TopicOverview:
    topic: str
    title: Text
    cards: int
    due: Counts
    mastery: float
    """Mean retrievability over the topic's cards; a card never reviewed counts 0."""


@dataclass(frozen=True)
class LastSession:
    started_at: datetime
    ended_at: datetime | None
    reviewed: int
    by_rating: dict[int, int]
    correct: int
    incorrect: int


@dataclass(frozen=True)
class Overview:
    due: Counts
    """Today's cards as a session would show them: within the daily limits."""
    topics: list[TopicOverview]
    streak: int
    reviews_today: int
    reviews_this_week: int
    forecast: list[int]
    """Cards due on each of the next 30 study days; today includes overdue cards."""
    last_session: LastSession | None
    ever_reviewed: bool


def overview(study: Study) -> Overview:
    now = study.clock.now()
    today = study.clock.study_day(now)
    with study.db.sessions() as session:
        topics = _topics(study, session, now)
        new_done, reviews_done = repo.done_today(
            session, study.profile_id, study.clock.today_start(now)
        )
        per_day = reviews_per_day(study, session, [today - timedelta(days=k) for k in range(7)])
        streak = _streak(study, session, today, per_day)
        forecast = due_per_day(study, session, now, FORECAST_DAYS)
        last = _last_session(session, study.profile_id)
        ever = (
            session.execute(
                select(REVIEWS.c.id).where(REVIEWS.c.profile_id == study.profile_id).limit(1)
            ).first()
            is not None
        )
    new = sum(t.due.new for t in topics)
    learning = sum(t.due.learning for t in topics)
    review = sum(t.due.review for t in topics)
    settings = study.settings
    due = Counts(
        min(new, max(0, settings.new_per_day - new_done)),
        learning,
        min(review, max(0, settings.reviews_per_day - reviews_done)),
    )
    return Overview(due, topics, streak, per_day[0], sum(per_day), forecast, last, ever)


def _topics(study: Study, session: Session, now: datetime) -> list[TopicOverview]:
    day_end = study.clock.day_end(now)
    profile = study.profile_id
    active = [CARDS.c.profile_id == profile, CARDS.c.retired.is_(False)]
    available = [
        *active,
        CARDS.c.suspended.is_(False),
        (CARDS.c.buried_until.is_(None)) | (CARDS.c.buried_until <= now),
    ]
    totals: dict[str, int] = dict(
        session.execute(select(CARDS.c.topic, func.count()).where(*active).group_by(CARDS.c.topic))
        .tuples()
        .all()
    )
    due: dict[tuple[str, int], int] = {}
    for topic, state, count in session.execute(
        select(CARDS.c.topic, CARDS.c.state, func.count())
        .where(*available, (CARDS.c.state == int(S.NEW)) | (CARDS.c.due < day_end))
        .group_by(CARDS.c.topic, CARDS.c.state)
    ).tuples():
        due[(topic, int(state))] = count
    recall = Recall(study.scheduler.settings.parameters, now)
    memory: dict[str, float] = {}
    for topic, stability, last_review in session.execute(
        select(CARDS.c.topic, CARDS.c.stability, CARDS.c.last_review).where(
            *active, CARDS.c.state != int(S.NEW)
        )
    ).tuples():
        memory[topic] = memory.get(topic, 0.0) + (recall.of(stability, last_review) or 0.0)
    order = {t.id: (t.order, t.id) for t in study.kb.topics.values()}
    rows = []
    for topic in sorted(totals, key=lambda t: order.get(t, (1 << 30, t))):
        meta = study.kb.topics.get(topic)
        counts = Counts(
            due.get((topic, int(S.NEW)), 0),
            due.get((topic, int(S.LEARNING)), 0) + due.get((topic, int(S.RELEARNING)), 0),
            due.get((topic, int(S.REVIEW)), 0),
        )
        title = meta.title if meta is not None else Text.same(topic)
        rows.append(
            TopicOverview(
                topic, title, totals[topic], counts, memory.get(topic, 0.0) / totals[topic]
            )
        )
    return rows


def reviews_per_day(study: Study, session: Session, days: Sequence[date]) -> list[int]:
    """How many answers were recorded on each study day."""
    counts = []
    for day in days:
        start = study.clock.day_start(day)
        end = study.clock.day_start(day + timedelta(days=1))
        counts.append(
            int(
                session.execute(
                    select(func.count()).where(
                        REVIEWS.c.profile_id == study.profile_id,
                        REVIEWS.c.reviewed_at >= start,
                        REVIEWS.c.reviewed_at < end,
                    )
                ).scalar_one()
            )
        )
    return counts


def _streak(study: Study, session: Session, today: date, last_week: list[int]) -> int:
    """Study days in a row with at least one answer, ending today (or yesterday, when
    today has none yet: the streak is not lost before the day is over)."""
    start = 0 if last_week[0] else 1
    streak = 0
    for k in range(start, STREAK_LIMIT):
        count = (
            last_week[k]
            if k < len(last_week)
            else reviews_per_day(study, session, [today - timedelta(days=k)])[0]
        )
        if count == 0:
            break
        streak += 1
    return streak


def due_per_day(study: Study, session: Session, now: datetime, days: int) -> list[int]:
    """Cards (learning, review, relearning; not suspended or retired) due on each of the
    next `days` study days; the first day also counts every overdue card."""
    today = study.clock.study_day(now)
    scheduled = [
        CARDS.c.profile_id == study.profile_id,
        CARDS.c.retired.is_(False),
        CARDS.c.suspended.is_(False),
        CARDS.c.state != int(S.NEW),
    ]
    counts = []
    for k in range(days):
        end = study.clock.day_start(today + timedelta(days=k + 1))
        where: list[Any] = [*scheduled, CARDS.c.due < end]
        if k > 0:
            where.append(CARDS.c.due >= study.clock.day_start(today + timedelta(days=k)))
        counts.append(int(session.execute(select(func.count()).where(*where)).scalar_one()))
    return counts


def _last_session(session: Session, profile_id: int) -> LastSession | None:
    """The latest ended session in which something was answered."""
    records = session.scalars(
        select(StudySession)
        .where(StudySession.profile_id == profile_id, StudySession.ended_at.is_not(None))
        .order_by(StudySession.started_at.desc(), StudySession.id.desc())
        .limit(50)
    )
    for record in records:
        summary = record.summary or {}
        if summary.get("reviewed"):
            return LastSession(
                record.started_at,
                record.ended_at,
                int(summary["reviewed"]),
                {int(k): int(v) for k, v in summary.get("by_rating", {}).items()},
                int(summary.get("correct", 0)),
                int(summary.get("incorrect", 0)),
            )
    return None
