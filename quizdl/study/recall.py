"""Retrievability of many cards at once, without building a scheduler card per row.

The formula is py-fsrs's `get_card_retrievability` (FSRS-6): R = (1 + F·t/S)^(−w20) with
F = 0.9^(1/(−w20)) − 1 and t the whole days since the last review. It is written out here
because the browser computes it for every card of a profile; a test checks
it against py-fsrs card by card.
"""

from __future__ import annotations

from datetime import datetime


class Recall:
    """R(now) for cards of one profile, given its FSRS parameters."""

    def __init__(self, parameters: tuple[float, ...], now: datetime) -> None:
        self.decay = -parameters[20]
        self.factor = 0.9 ** (1 / self.decay) - 1
        self.now = now

    def of(self, stability: float | None, last_review: datetime | None) -> float | None:
        """None for a card never reviewed (it has no memory to recall yet)."""
        if stability is None or last_review is None or stability <= 0:
            return None
        days = max(0, (self.now - last_review).days)
        return float((1 + self.factor * days / stability) ** self.decay)
