"""A real learner's review log fed through quizdl's study path (store + scheduler) gives
each card the stability and difficulty that the fsrs package computes for the same history."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import pytest
from fsrs import Card, Rating, Scheduler
from sqlalchemy import select

from quizdl.clock import Clock
from quizdl.store.db import Database
from quizdl.store.models import CardState
from quizdl.study.service import Study
from tests.schedule.test_fsrs_adapter import histories
from tests.study.conftest import basic, write_kb

CARDS = 60  # the cards with the longest histories: ~1,700 reviews, enough to cover every state


def test_replay_through_study_matches_fsrs(tmp_path: Path, database: Database) -> None:
    logs = histories()
    chosen = sorted(logs, key=lambda cid: (-len(logs[cid]), cid))[:CARDS]
    kb = write_kb(tmp_path, {"r": [basic(f"r/c{cid}", f"s{cid}") for cid in chosen]})
    events = sorted((at, cid, rating) for cid in chosen for rating, at in logs[cid])
    study = Study(database, kb, clock=Clock(fixed=events[0][0]), rng=random.Random(0))
    for at, cid, rating in events:
        study.clock = replace(study.clock, fixed=at)
        study.show(f"r/c{cid}")
        study.rate(rating)
    reference = Scheduler(enable_fuzzing=False)
    with database.sessions() as session:
        stored = {c.card_id: c for c in session.scalars(select(CardState))}
    for cid in chosen:
        card = Card(card_id=cid)
        for rating, at in logs[cid]:
            card, _ = reference.review_card(card, Rating(rating), review_datetime=at)
        row = stored[f"r/c{cid}"]
        assert row.stability == pytest.approx(card.stability, rel=1e-9)
        assert row.difficulty == pytest.approx(card.difficulty, rel=1e-9)
        assert row.state == int(card.state) and row.reps == len(logs[cid])
