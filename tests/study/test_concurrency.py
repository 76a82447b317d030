"""Two learners' processes (or two Study objects) on one database at once: nothing is
lost, nobody sees "database is locked", and a card answered by both ends in the state
that replaying both answers in commit order gives."""

from __future__ import annotations

import json
import random
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from test_crash import environment, make_template, verify

from quizdl.clock import Clock
from quizdl.kb.loader import KnowledgeBase, load_or_raise
from quizdl.schedule.fsrs_adapter import FsrsScheduler
from quizdl.store.db import Database
from quizdl.store.models import CardState, Review
from quizdl.study.service import Study
from quizdl.study.settings import StudySettings

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
TIMEOUT = 120
RATINGS_PER_PROCESS = 150
ROUNDS_OF_INPUT = 5  # each process gets its ratings in this many rounds, in lockstep
ANSWERS = ("card", "result", "error", "summary")  # one of these ends each line's events


class Reviewer:
    """One `quizdl review --jsonl` process; its events are read (and timed) by a thread."""

    def __init__(self, home: Path, *options: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "quizdl", "review", "--jsonl", *options],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=environment(home, T0),
        )
        self.events: list[tuple[float, dict[str, Any]]] = []
        self.raw = b""
        self.stderr = b""
        self.done = False
        self.first_card = threading.Event()
        self.answered = threading.Condition()  # notified on each event
        self.readers = [
            threading.Thread(target=self._read, daemon=True),
            threading.Thread(target=self._read_stderr, daemon=True),
        ]
        for reader in self.readers:
            reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.raw += line
            with self.answered:
                self.events.append((time.monotonic(), json.loads(line)))
                self.answered.notify_all()
            self.first_card.set()
        self.first_card.set()
        with self.answered:
            self.done = True
            self.answered.notify_all()

    def _read_stderr(self) -> None:
        assert self.process.stderr is not None
        self.stderr = self.process.stderr.read()

    def send(self, lines: list[str]) -> None:
        assert self.process.stdin is not None
        try:
            self.process.stdin.write("".join(line + "\n" for line in lines).encode())
            self.process.stdin.flush()
        except BrokenPipeError:  # its queue ran out and the session ended: finish() tells
            pass

    def answers(self) -> int:
        return sum(1 for _, e in self.events if e["type"] in ANSWERS)

    def wait_for_answers(self, n: int) -> None:
        """Until n lines (counting the first card) are answered, or the session ended."""
        with self.answered:
            assert self.answered.wait_for(lambda: self.done or self.answers() >= n, TIMEOUT)

    def close_input(self) -> None:
        assert self.process.stdin is not None
        try:
            self.process.stdin.close()  # end of input ends the session
        except BrokenPipeError:
            pass

    def finish(self) -> tuple[int, bytes]:
        code = self.process.wait(TIMEOUT)
        for reader in self.readers:
            reader.join(TIMEOUT)
        return code, self.stderr

    def of_type(self, kind: str) -> list[dict[str, Any]]:
        return [e for _, e in self.events if e["type"] == kind]

    def recorded_span(self) -> tuple[float, float]:
        times = [t for t, e in self.events if e["type"] == "recorded"]
        return min(times), max(times)


@pytest.mark.slow
def test_two_processes_review_one_sqlite_database_at_once(tmp_path: Path) -> None:
    home = tmp_path / "home"
    connection = sqlite3.connect(make_template(home))
    with connection:  # enough new cards for both: the shipped content has 25 sections
        connection.execute("UPDATE profiles SET settings = '{\"new_per_day\": 200}'")
    connection.close()
    rng = random.Random(7)
    # One buries siblings (more rows written per answer), the other does not.
    reviewers = [Reviewer(home), Reviewer(home, "--no-bury")]
    for reviewer in reviewers:  # both past start-up, each with its own queue
        assert reviewer.first_card.wait(TIMEOUT)
    # Both get each round of ratings at once and answer it side by side; the next round
    # waits for both, so that their answers interleave in time whatever the machine's speed.
    per_round = RATINGS_PER_PROCESS // ROUNDS_OF_INPUT
    for round_ in range(1, ROUNDS_OF_INPUT + 1):
        for reviewer in reviewers:
            ratings = rng.choices([1, 2, 3, 4], [30, 20, 40, 10], k=per_round)
            reviewer.send([json.dumps({"rating": r}) for r in ratings])
        for reviewer in reviewers:
            reviewer.wait_for_answers(1 + round_ * per_round)
    for reviewer in reviewers:
        reviewer.close_input()
    finished = [reviewer.finish() for reviewer in reviewers]

    for (code, stderr), reviewer in zip(finished, reviewers, strict=True):
        assert code == 0, stderr
        assert stderr == b""
        assert b"database is locked" not in reviewer.raw
        assert reviewer.of_type("error") == []
        assert reviewer.events[-1][1]["type"] == "summary"
    recorded = [e for r in reviewers for e in r.of_type("recorded")]
    assert len(recorded) >= RATINGS_PER_PROCESS  # both queues had cards for many answers
    # They really ran side by side: their answers interleave in time.
    (start_a, end_a), (start_b, end_b) = (r.recorded_span() for r in reviewers)
    assert start_a < end_b and start_b < end_a
    announced = {e["review_id"]: (e["card_id"], e["rating"]) for e in recorded}
    assert len(announced) == len(recorded)  # no review id was handed out twice
    assert verify(home / "quizdl.db", announced) == []
    connection = sqlite3.connect(home / "quizdl.db")
    try:
        stored = connection.execute("SELECT count(*) FROM reviews").fetchone()[0]
        shared = connection.execute(
            "SELECT count(*) FROM (SELECT card_id FROM reviews GROUP BY card_id"
            " HAVING count(DISTINCT session_id) = 2)"
        ).fetchone()[0]
    finally:
        connection.close()
    assert stored == len(recorded)  # every committed review was announced, and kept
    assert shared > 0  # the same cards were answered by both


# --- two Study objects, one card, at the same moment ------------------------------------------


def small_kb(folder: Path, n: int) -> KnowledgeBase:
    folder.mkdir(parents=True, exist_ok=True)
    cards = "".join(
        f"  - id: race/c{i}\n    kind: basic\n    source: {{note: n.md, section: s{i}}}\n"
        f"    front: {{en: Q{i}, zh: 问{i}}}\n    back: {{en: A{i}, zh: 答{i}}}\n"
        for i in range(n)
    )
    (folder / "race.yaml").write_text(
        "topic:\n  id: race\n  title: {en: Race, zh: 竞争}\n  source: {note: n.md, section: r}\n"
        "cards:\n" + cards,
        encoding="utf-8",
    )
    return load_or_raise([folder], shipped=False)


ROUNDS = [(1, 4), (4, 1), (3, 3), (2, 4), (1, 1), (3, 2)]


def test_two_studies_answering_one_card_at_once_both_count(
    database: Database, tmp_path: Path
) -> None:
    kb = small_kb(tmp_path / "kb", len(ROUNDS))
    first = Study(database, kb, clock=Clock(fixed=T0), rng=random.Random(1))
    settings = StudySettings(fuzz=False)  # so that a replay gives the same due dates
    first.save_settings(settings)
    other_db = Database(database.url)  # a second engine, as a second process would have
    try:
        second = Study(
            other_db, kb, clock=Clock(fixed=T0 + timedelta(minutes=1)), rng=random.Random(2)
        )
        studies = (first, second)
        for study in studies:
            study.start()
        for i, ratings in enumerate(ROUNDS):
            for study in studies:
                study.show(f"race/c{i}")
            answers = [partial(s.rate, r) for s, r in zip(studies, ratings, strict=True)]
            assert together(*answers) == []
        check_against_replay(database, settings)
    finally:
        other_db.dispose()


def test_two_studies_starting_at_once_on_a_new_profile(database: Database, tmp_path: Path) -> None:
    """Both create the profile and its card rows if missing: one must wait for the other
    (on PostgreSQL they used to fail with a UniqueViolation on uq_profiles_name or
    pk_card_states)."""
    kb = small_kb(tmp_path / "kb", 3)
    other_db = Database(database.url)
    dbs = (database, other_db)
    try:
        for attempt in range(5):
            name = f"learner-{attempt}"
            starts = [partial(Study, db, kb, clock=Clock(fixed=T0), profile=name) for db in dbs]
            failures = together(*starts)
            assert failures == [], failures
    finally:
        other_db.dispose()
    with database.sessions() as session:
        rows = session.scalars(select(CardState)).all()
    assert len(rows) == 5 * len(kb.cards)  # each profile has each card once


def together(*actions: Callable[[], object]) -> list[BaseException]:
    """Run the actions in threads released at the same moment; returns what failed."""
    barrier = threading.Barrier(len(actions))
    failures: list[BaseException] = []

    def run(action: Callable[[], object]) -> None:
        barrier.wait()
        try:
            action()
        except BaseException as exc:  # reported in the test's thread
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    return failures


def check_against_replay(database: Database, settings: StudySettings) -> None:
    scheduler = FsrsScheduler(settings.scheduler(), random.Random(0))
    with database.sessions() as session:
        reviews = session.scalars(select(Review).order_by(Review.id)).all()
        states = {row.card_id: row for row in session.scalars(select(CardState))}
    for i, ratings in enumerate(ROUNDS):
        card_id = f"race/c{i}"
        log = [r for r in reviews if r.card_id == card_id]
        assert sorted(r.rating for r in log) == sorted(ratings)  # both answers stored
        assert len({r.session_id for r in log}) == 2
        replayed = scheduler.replay([(r.rating, r.reviewed_at) for r in log])  # commit order
        state = states[card_id]
        assert state.reps == 2
        assert (state.state, state.step, state.due) == (
            int(replayed.state),
            replayed.step,
            replayed.due,
        )
        assert state.stability == pytest.approx(replayed.stability, rel=1e-12)
        assert state.difficulty == pytest.approx(replayed.difficulty, rel=1e-12)
        assert (state.state, state.due) == (log[-1].state_after, log[-1].due_after)
