"""The database schema (SQLAlchemy 2 typed ORM). Alembic migrations must agree with it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar, cast

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    TypeDecorator,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend: SQLite keeps no zone, so values are stored
    as naive UTC and given back aware. A naive value is refused, never guessed."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"refusing a naive datetime {value!r}: store aware UTC times")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
    }


class Profile(Base):
    """A learner. Settings and FSRS parameters belong to the profile."""

    __tablename__ = "profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    fsrs_parameters: Mapped[dict[str, Any] | None]
    content_fingerprint: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]


class CardState(Base):
    """Where a learner stands with one card. `state`: 0 new, 1 learning, 2 review,
    3 relearning (FSRS's states, with 0 for never seen)."""

    __tablename__ = "card_states"

    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id"), primary_key=True)
    card_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    topic: Mapped[str] = mapped_column(String(100))
    section: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20))
    tags: Mapped[str] = mapped_column(String(500), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[int] = mapped_column(SmallInteger, default=0)
    step: Mapped[int | None] = mapped_column(SmallInteger)
    stability: Mapped[float | None]
    difficulty: Mapped[float | None]
    due: Mapped[datetime | None]
    last_review: Mapped[datetime | None]
    reps: Mapped[int] = mapped_column(default=0)
    lapses: Mapped[int] = mapped_column(default=0)
    suspended: Mapped[bool] = mapped_column(default=False)
    buried_until: Mapped[datetime | None]
    leech: Mapped[bool] = mapped_column(default=False)
    retired: Mapped[bool] = mapped_column(default=False)
    content_hash: Mapped[str] = mapped_column(String(32), default="")
    reviewed_hash: Mapped[str | None] = mapped_column(String(32))

    __table_args__ = (
        Index("ix_card_states_queue", "profile_id", "retired", "suspended", "state", "due"),
        Index("ix_card_states_new", "profile_id", "state", "position"),
        Index("ix_card_states_section", "profile_id", "topic", "section"),
    )


class StudySession(Base):
    __tablename__ = "study_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id"), index=True)
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    filters: Mapped[dict[str, Any]] = mapped_column(default=dict)
    summary: Mapped[dict[str, Any] | None]


class Review(Base):
    """One answer: the review log. `prior` holds the card state before the answer, so
    that undo restores it exactly; generated cards keep what regenerates the question."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id"))
    card_id: Mapped[str] = mapped_column(String(200))
    session_id: Mapped[int | None] = mapped_column(ForeignKey("study_sessions.id"))
    reviewed_at: Mapped[datetime]
    rating: Mapped[int] = mapped_column(SmallInteger)
    state_before: Mapped[int] = mapped_column(SmallInteger)
    state_after: Mapped[int] = mapped_column(SmallInteger)
    stability_after: Mapped[float | None]
    difficulty_after: Mapped[float | None]
    due_after: Mapped[datetime | None]
    elapsed_days: Mapped[float] = mapped_column(default=0.0)
    duration_ms: Mapped[int | None]
    content_hash: Mapped[str] = mapped_column(String(32), default="")
    prior: Mapped[dict[str, Any]] = mapped_column(default=dict)
    buried: Mapped[dict[str, Any] | None]
    generator: Mapped[str | None] = mapped_column(String(100))
    generator_version: Mapped[int | None]
    seed: Mapped[int | None] = mapped_column(Integer)
    params: Mapped[dict[str, Any] | None]
    raw_answer: Mapped[str | None] = mapped_column(Text)
    verdict: Mapped[dict[str, Any] | None]

    __table_args__ = (
        Index("ix_reviews_time", "profile_id", "reviewed_at"),
        Index("ix_reviews_card", "profile_id", "card_id", "reviewed_at"),
        Index("ix_reviews_outcome", "profile_id", "state_before", "rating", "reviewed_at"),
    )


# The tables as SQLAlchemy Core objects, for the bulk readers (stats, exports, repo).
PROFILES = cast(Table, Profile.__table__)
CARDS = cast(Table, CardState.__table__)
SESSIONS = cast(Table, StudySession.__table__)
REVIEWS = cast(Table, Review.__table__)
