"""What several exports share: the tables, the profile asked for, the topic filter."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.sql.expression import ColumnElement

from quizdl.errors import BadInput
from quizdl.export.rawsql import ReadSnapshot
from quizdl.store.models import (
    CARDS,
    PROFILES,
    REVIEWS,
)

STATE_NAMES = ("new", "learning", "review", "relearning")


def card_filter(topics: Sequence[str]) -> list[ColumnElement[bool]]:
    """Card rows of these topics (all when `topics` is empty)."""
    return [or_(*(CARDS.c.topic == topic for topic in topics))] if topics else []


def review_filter(topics: Sequence[str]) -> list[ColumnElement[bool]]:
    """Reviews of the cards of these topics: a card id starts with its topic id (the
    loader enforces it)."""
    if not topics:
        return []
    return [or_(*(REVIEWS.c.card_id.startswith(f"{topic}/") for topic in topics))]


def profile_row(snapshot: ReadSnapshot, name: str) -> tuple[int, str, str]:
    """(id, settings JSON text, FSRS parameters JSON text) of the profile called `name`."""
    from sqlalchemy import Text
    from sqlalchemy import cast as sql_cast

    found: list[Any] = snapshot.rows(
        select(
            PROFILES.c.id,
            sql_cast(PROFILES.c.settings, Text),
            sql_cast(PROFILES.c.fsrs_parameters, Text),
        ).where(PROFILES.c.name == name)
    )
    if not found:
        names = [row[0] for row in snapshot.rows(select(PROFILES.c.name).order_by(PROFILES.c.name))]
        known = ", ".join(names) if names else "none yet: review some cards first"
        raise BadInput(f"no profile named {name!r} in the database (profiles: {known})")
    profile_id, settings, parameters = found[0]
    return int(profile_id), settings or "{}", parameters or "null"
