"""An index for true retention: reviews by profile, state before, rating and time.

Revision ID: 0002_reviews_outcome_index
Revises: 0001_initial_schema
Created: 2026-11-26

Stats read the rating and prior state of every review in a period (about half a million
a year for a heavy learner); with this index SQLite answers from the index alone instead
of looking up each row (measured by benchmarks/stats_speed.py: ~430 ms → ~190 ms CPU
with 1,000,000 reviews).
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0002_reviews_outcome_index"
down_revision: str | None = "0001_initial_schema"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        op.f("ix_reviews_outcome"),
        "reviews",
        ["profile_id", "state_before", "rating", "reviewed_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_reviews_outcome"), table_name="reviews")
