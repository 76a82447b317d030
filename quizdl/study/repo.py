"""Database access for the study use cases (SQLAlchemy Core on the ORM tables, for speed).

Every function takes an open Session inside a transaction; none commits.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, delete, func, insert, or_, select, update
from sqlalchemy.orm import Session

from quizdl.kb.loader import KnowledgeBase
from quizdl.schedule.fsrs_adapter import CardState as S
from quizdl.schedule.fsrs_adapter import Memory
from quizdl.store.models import CARDS, REVIEWS, Profile

STATE_FIELDS = (
    "state",
    "step",
    "stability",
    "difficulty",
    "due",
    "last_review",
    "reps",
    "lapses",
    "suspended",
    "buried_until",
    "leech",
    "reviewed_hash",
)


PROFILE_LOCK_KEY = 0x717A6470  # "qzdp"


def ensure_profile(session: Session, name: str, now: datetime) -> Profile:
    """The profile named `name`, created if missing. On PostgreSQL an advisory lock held
    to the end of the transaction serialises two processes opening a new profile at once
    (and reconciling its cards); SQLite's BEGIN IMMEDIATE already does."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(PROFILE_LOCK_KEY)))
    profile = session.scalars(select(Profile).where(Profile.name == name)).first()
    if profile is None:
        profile = Profile(name=name, settings={}, fsrs_parameters=None, created_at=now)
        session.add(profile)
        session.flush()
    return profile


def fingerprint(kb: KnowledgeBase) -> str:
    """Changes whenever a content file changes (name, size or modification time)."""
    digest = hashlib.sha256()
    for path in kb.files:
        stat = path.stat()
        digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


@dataclass
class Reconciled:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    returned: list[str] = field(default_factory=list)


def reconcile(session: Session, profile_id: int, kb: KnowledgeBase) -> Reconciled:
    """Bring card rows in line with the content: new cards appear as new, an edited card
    keeps its progress (its hash changes, so it shows as changed), a removed card keeps
    its history and leaves the queue, a returning id resumes where it was."""
    report = Reconciled()
    existing = {
        row.card_id: row
        for row in session.execute(
            select(
                CARDS.c.card_id,
                CARDS.c.content_hash,
                CARDS.c.retired,
                CARDS.c.topic,
                CARDS.c.section,
                CARDS.c.kind,
                CARDS.c.position,
                CARDS.c.tags,
            ).where(CARDS.c.profile_id == profile_id)
        )
    }
    order = {topic.id: (topic.order, topic.id) for topic in kb.topics.values()}
    topic_of = kb.topic_of
    ranked = sorted(kb.cards, key=lambda cid: order[topic_of[cid]])
    inserts: list[dict[str, Any]] = []
    for position, card_id in enumerate(ranked):
        facts = kb.facts(card_id)  # kept beside each card: no card model is built here
        values = {
            "topic": facts.topic,
            "section": facts.section,
            "kind": facts.kind,
            "position": position,
            "tags": facts.tags,
            "content_hash": facts.content_hash,
            "retired": False,
        }
        row = existing.get(card_id)
        if row is None:
            inserts.append({"profile_id": profile_id, "card_id": card_id, "state": 0, **values})
            report.added.append(card_id)
            continue
        if any(getattr(row, key) != value for key, value in values.items()):
            if row.retired:
                report.returned.append(card_id)
            elif row.content_hash != values["content_hash"]:
                report.changed.append(card_id)
            session.execute(
                update(CARDS)
                .where(CARDS.c.profile_id == profile_id, CARDS.c.card_id == card_id)
                .values(**values)
            )
    if inserts:
        session.execute(insert(CARDS), inserts)
    gone = [cid for cid, row in existing.items() if cid not in kb.cards and not row.retired]
    for chunk in _chunks(gone, 500):
        session.execute(
            update(CARDS)
            .where(CARDS.c.profile_id == profile_id, CARDS.c.card_id.in_(chunk))
            .values(retired=True)
        )
    report.retired.extend(gone)
    return report


def _chunks(items: Sequence[str], size: int) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(frozen=True)
class Filters:
    topics: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

    def where(self) -> list[Any]:
        clauses: list[Any] = []
        if self.topics:
            clauses.append(CARDS.c.topic.in_(self.topics))
        if self.tags:
            padded = " " + CARDS.c.tags + " "
            clauses.append(or_(*(padded.contains(f" {tag} ") for tag in self.tags)))
        return clauses


QUEUE_COLUMNS = (
    CARDS.c.card_id,
    CARDS.c.topic,
    CARDS.c.section,
    CARDS.c.state,
    CARDS.c.due,
    CARDS.c.content_hash,
    CARDS.c.reviewed_hash,
)


def _available(profile_id: int, now: datetime, filters: Filters) -> list[Any]:
    return [
        CARDS.c.profile_id == profile_id,
        CARDS.c.retired.is_(False),
        CARDS.c.suspended.is_(False),
        or_(CARDS.c.buried_until.is_(None), CARDS.c.buried_until <= now),
        *filters.where(),
    ]


def learning_rows(
    session: Session, profile_id: int, now: datetime, day_end: datetime, filters: Filters
) -> Sequence[Any]:
    return session.execute(
        select(*QUEUE_COLUMNS)
        .where(
            *_available(profile_id, now, filters),
            CARDS.c.state.in_((int(S.LEARNING), int(S.RELEARNING))),
            CARDS.c.due < day_end,
        )
        .order_by(CARDS.c.due)
    ).all()


def review_rows(
    session: Session,
    profile_id: int,
    now: datetime,
    day_end: datetime,
    filters: Filters,
    limit: int,
    offset: int = 0,
) -> Sequence[Any]:
    if limit <= 0:
        return []
    return session.execute(
        select(*QUEUE_COLUMNS)
        .where(
            *_available(profile_id, now, filters),
            CARDS.c.state == int(S.REVIEW),
            CARDS.c.due < day_end,
        )
        .order_by(CARDS.c.due, CARDS.c.card_id)
        .limit(limit)
        .offset(offset)
    ).all()


def new_rows(
    session: Session, profile_id: int, now: datetime, filters: Filters, limit: int, offset: int = 0
) -> Sequence[Any]:
    if limit <= 0:
        return []
    return session.execute(
        select(*QUEUE_COLUMNS)
        .where(*_available(profile_id, now, filters), CARDS.c.state == int(S.NEW))
        .order_by(CARDS.c.position)
        .limit(limit)
        .offset(offset)
    ).all()


def done_today(session: Session, profile_id: int, day_start: datetime) -> tuple[int, int]:
    """(new cards introduced, review-state cards answered) since the day began.

    Counted here rather than with GROUP BY: grouping by state would lead SQLite to the
    outcome index and a scan of the whole log; by time it reads only today's rows."""
    states = session.execute(
        select(REVIEWS.c.state_before).where(
            REVIEWS.c.profile_id == profile_id, REVIEWS.c.reviewed_at >= day_start
        )
    ).scalars()
    counts = Counter(int(state) for state in states)
    return counts.get(int(S.NEW), 0), counts.get(int(S.REVIEW), 0)


_BY_CARD = (CARDS.c.profile_id == bindparam("b_profile"), CARDS.c.card_id == bindparam("b_card"))
# Statements of the answer path are built once: building one costs more than running it.
_LOAD = select(CARDS).where(*_BY_CARD)
_LOAD_FOR_UPDATE = _LOAD.with_for_update()
_UPDATE = update(CARDS).where(*_BY_CARD)
_INSERT_REVIEW = insert(REVIEWS).returning(REVIEWS.c.id)
_SIBLINGS = and_(
    CARDS.c.profile_id == bindparam("b_profile"),
    CARDS.c.topic == bindparam("b_topic"),
    CARDS.c.section == bindparam("b_section"),
    CARDS.c.card_id != bindparam("b_card"),
    CARDS.c.state.in_((int(S.NEW), int(S.REVIEW))),
    CARDS.c.retired.is_(False),
    or_(CARDS.c.buried_until.is_(None), CARDS.c.buried_until < bindparam("b_until")),
)
_SELECT_SIBLINGS = select(CARDS.c.card_id, CARDS.c.buried_until).where(_SIBLINGS)
_BURY_SIBLINGS = update(CARDS).where(_SIBLINGS).values(buried_until=bindparam("b_until"))


def load_state(
    session: Session, profile_id: int, card_id: str, *, for_update: bool = False
) -> dict[str, Any] | None:
    """The card's row. `for_update` locks it (PostgreSQL) so that two processes answering
    the same card serialise instead of losing an update; SQLite's BEGIN IMMEDIATE
    already holds the write lock."""
    query = _LOAD_FOR_UPDATE if for_update else _LOAD
    row = session.execute(query, {"b_profile": profile_id, "b_card": card_id}).first()
    return dict(row._mapping) if row is not None else None


def memory_of(state: dict[str, Any]) -> Memory:
    return Memory(
        state=S(state["state"]),
        step=state["step"],
        stability=state["stability"],
        difficulty=state["difficulty"],
        due=state["due"],
        last_review=state["last_review"],
    )


def snapshot(state: dict[str, Any]) -> dict[str, Any]:
    """The mutable part of a card row as JSON, for an exact undo."""
    out: dict[str, Any] = {}
    for key in STATE_FIELDS:
        value = state[key]
        out[key] = value.isoformat() if isinstance(value, datetime) else value
    return out


def restore(snap: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key in STATE_FIELDS:
        value = snap.get(key)
        if key in ("due", "last_review", "buried_until") and isinstance(value, str):
            value = datetime.fromisoformat(value)
        values[key] = value
    return values


def update_state(session: Session, profile_id: int, card_id: str, values: dict[str, Any]) -> None:
    session.execute(_UPDATE, {"b_profile": profile_id, "b_card": card_id, **values})


def bury_siblings(
    session: Session,
    profile_id: int,
    card_id: str,
    topic: str,
    section: str,
    until: datetime,
    now: datetime,
) -> dict[str, str | None]:
    """Bury the new and review cards of the same section until `until`; returns each
    buried card's previous buried_until (ISO text or None), for undo."""
    params = {
        "b_profile": profile_id,
        "b_topic": topic,
        "b_section": section,
        "b_card": card_id,
        "b_until": until,
    }
    rows = session.execute(_SELECT_SIBLINGS, params).all()
    if rows:
        session.execute(_BURY_SIBLINGS, params)
    return {r.card_id: (r.buried_until.isoformat() if r.buried_until else None) for r in rows}


def unbury(session: Session, profile_id: int, previous: dict[str, str | None]) -> None:
    for card_id, before in previous.items():
        values = {"buried_until": datetime.fromisoformat(before) if before else None}
        update_state(session, profile_id, card_id, values)


def insert_review(session: Session, values: dict[str, Any]) -> int:
    result = session.execute(_INSERT_REVIEW, values)
    return int(result.scalar_one())


def delete_review(session: Session, review_id: int) -> dict[str, Any] | None:
    row = session.execute(select(REVIEWS).where(REVIEWS.c.id == review_id)).first()
    if row is None:
        return None
    session.execute(delete(REVIEWS).where(REVIEWS.c.id == review_id))
    return dict(row._mapping)
