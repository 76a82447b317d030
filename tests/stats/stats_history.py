"""A small hand-built history for the stats tests: History writes a profile, card states,
sessions and reviews exactly as given (fixtures in conftest.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert

from quizdl.stats.queries import CARDS, PROFILES, REVIEWS, SESSIONS
from quizdl.store.db import Database

BERLIN = "Europe/Berlin"
# A Thursday in November (CET, UTC+1): the study day 2026-11-26 began at 03:00 UTC.
NOW = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@dataclass
class History:
    """Rows to write; ids are given in insertion order."""

    db: Database
    profile_id: int = 1
    cards: list[dict[str, Any]] = field(default_factory=list)
    reviews: list[dict[str, Any]] = field(default_factory=list)
    sessions: list[dict[str, Any]] = field(default_factory=list)

    def profile(
        self,
        name: str = "default",
        settings: dict[str, Any] | None = None,
        weights: list[float] | None = None,
        profile_id: int = 1,
    ) -> History:
        self.profile_id = profile_id
        with self.db.transaction() as session:
            session.execute(
                insert(PROFILES).values(
                    id=profile_id,
                    name=name,
                    settings={"timezone": BERLIN, **(settings or {})},
                    fsrs_parameters={"w": weights} if weights else None,
                    created_at=utc(2024, 1, 1),
                )
            )
        return self

    def card(
        self,
        card_id: str,
        state: int = 2,
        *,
        topic: str | None = None,
        stability: float | None = None,
        last_review: datetime | None = None,
        due: datetime | None = None,
        **extra: Any,
    ) -> History:
        seen = state != 0
        self.cards.append(
            {
                "profile_id": self.profile_id,
                "card_id": card_id,
                "topic": topic or card_id.split("/")[0],
                "section": "s",
                "kind": "basic",
                "tags": "",
                "position": len(self.cards),
                "state": state,
                "step": 0 if state in (1, 3) else None,
                "stability": stability if stability is not None else (10.0 if seen else None),
                "difficulty": 5.0 if seen else None,
                "due": due if due is not None else (NOW + timedelta(days=5) if seen else None),
                "last_review": last_review
                if last_review is not None
                else (NOW - timedelta(days=5) if seen else None),
                "reps": 1 if seen else 0,
                "lapses": 0,
                "suspended": False,
                "buried_until": None,
                "leech": False,
                "retired": False,
                "content_hash": "h",
                "reviewed_hash": "h" if seen else None,
                **extra,
            }
        )
        return self

    def session(self, started_at: datetime, **extra: Any) -> int:
        self.sessions.append(
            {
                "id": len(self.sessions) + 1,
                "profile_id": self.profile_id,
                "started_at": started_at,
                "ended_at": None,
                "filters": {},
                "summary": None,
                **extra,
            }
        )
        return len(self.sessions)

    def review(
        self,
        at: datetime,
        rating: int = 3,
        state_before: int = 2,
        card_id: str = "t/a",
        **extra: Any,
    ) -> History:
        self.reviews.append(
            {
                "profile_id": self.profile_id,
                "card_id": card_id,
                "session_id": None,
                "reviewed_at": at,
                "rating": rating,
                "state_before": state_before,
                "state_after": 3 if rating == 1 and state_before == 2 else 2,
                "stability_after": 1.0,
                "difficulty_after": 5.0,
                "due_after": at + timedelta(days=1),
                "elapsed_days": 1.0,
                "duration_ms": 1000,
                "content_hash": "h",
                "prior": {},
                **extra,
            }
        )
        return self

    def write(self) -> Database:
        with self.db.transaction() as session:
            for table, rows in ((CARDS, self.cards), (SESSIONS, self.sessions)):
                if rows:
                    session.execute(insert(table), rows)
            if self.reviews:
                session.execute(insert(REVIEWS), self.reviews)
        self.cards, self.reviews, self.sessions = [], [], []
        return self.db
