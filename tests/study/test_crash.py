"""Crash safety: `quizdl review --jsonl` killed with SIGKILL at random moments.

A driver answers the cards it is shown (ratings, answers, accept, undo, bury, suspend,
skip and the odd malformed line, all drawn from a seeded generator) and the process is
killed after a random number of lines (while it handles the last one, or a moment
later), at a random time during the session, or at a random time during start-up.
Runs are chained: each starts on the database the previous kill left behind, one
simulated day later. After every kill the database must pass SQLite's integrity
check, every review announced as `recorded` (and not undone) must be stored as
announced, and every card's state must agree with its review log.

The same harness, run longer: benchmarks/crash_soak.py.
"""

from __future__ import annotations

import json
import os
import queue
import random
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
TIMEOUT = 120.0  # seconds without an event before a run is declared hung
CHAINS = 10
RUNS_PER_CHAIN = 8  # 80 processes, of which at least 50 are killed (asserted below)
SEED = 20261126
GARBAGE = ("not json", '{"rating": 9}', "[1, 2]", '{"answer": 7}', '{"skip": false}')
TERMINAL = ("card", "result", "error", "summary")  # each handled line ends with one of these
MAX_LINES = 400  # far more than any plan sends before its kill: a session that goes on is stuck


def environment(home: Path, now: datetime) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUIZDL_")}
    env.update(QUIZDL_HOME=str(home), QUIZDL_NOW=now.isoformat(), QUIZDL_LANG="en", TZ="UTC")
    return env


def make_template(home: Path) -> Path:
    """A migrated database with the profile and the shipped cards in it, checkpointed
    into one file, to be copied for each chain (which saves each chain its migration)."""
    home.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "quizdl", "review", "--jsonl"],
        input=b"",
        capture_output=True,
        env=environment(home, T0),
        timeout=TIMEOUT,
        check=True,
    )
    path = home / "quizdl.db"
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    return path


# --- one process, driven and killed -----------------------------------------------------


@dataclass
class Plan:
    """When to kill: after `lines` lines (plus `delay` seconds), `after_first_card`
    seconds after the first event (a card, as a rule), or `from_start` seconds after the
    process starts."""

    lines: int | None = None
    delay: float = 0.0
    after_first_card: float | None = None
    from_start: float | None = None

    @classmethod
    def draw(cls, rng: random.Random) -> Plan:
        # Kills after a number of lines land whatever the machine's speed; the timed ones
        # may come after a fast session has ended on its own (more so as quizdl gets
        # faster), so most plans count lines, and the count of kills asserted below holds.
        mode = rng.random()
        if mode < 0.10:
            return cls(from_start=rng.uniform(0.0, 1.5))
        if mode < 0.70:
            delay = 0.0 if rng.random() < 0.25 else rng.uniform(0.0, 0.004)
            return cls(lines=rng.randint(1, 25), delay=delay)
        return cls(after_first_card=rng.uniform(0.0, 0.25))


@dataclass
class Outcome:
    """What one process said. `expected`: review id -> (card id, rating) that must be
    stored: announced as `recorded`, not undone, not possibly undone when killed."""

    expected: dict[int, tuple[str, int]] = field(default_factory=dict)
    lines_sent: int = 0
    killed: bool = False
    mid_action: bool = False  # killed while a line was being handled
    problems: list[str] = field(default_factory=list)


class Driver:
    """Runs `quizdl review --jsonl`, answers what it is shown, kills it as planned."""

    def __init__(self, home: Path, now: datetime, rng: random.Random, plan: Plan) -> None:
        self.rng = rng
        self.plan = plan
        self.process = subprocess.Popen(
            [sys.executable, "-m", "quizdl", "review", "--jsonl"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=environment(home, now),
        )
        self.events: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.stderr = b""
        self.partial: list[bytes] = []
        self.bad_lines: list[bytes] = []
        self.readers = [
            threading.Thread(target=self._read_stdout, daemon=True),
            threading.Thread(target=self._read_stderr, daemon=True),
        ]
        for reader in self.readers:
            reader.start()
        self.sending = True
        self.pending: str | None = None  # the action sent and not yet answered
        self.outcome = Outcome()

    def _read_stdout(self) -> None:
        assert self.process.stdout is not None
        for raw in self.process.stdout:
            if not raw.endswith(b"\n"):  # cut off by the kill
                self.partial.append(raw)
                continue
            try:
                self.events.put(json.loads(raw))
            except json.JSONDecodeError:
                self.bad_lines.append(raw)
        self.events.put(None)

    def _read_stderr(self) -> None:
        assert self.process.stderr is not None
        self.stderr = self.process.stderr.read()

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.outcome.killed = True
            self.outcome.mid_action = self.pending is not None
        self.sending = False

    def send(self, line: str) -> None:
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(line.encode() + b"\n")
            self.process.stdin.flush()
        except (BrokenPipeError, OSError):
            self.sending = False
            return
        self.outcome.lines_sent += 1
        if self.plan.lines is not None and self.outcome.lines_sent == self.plan.lines:
            if self.plan.delay:
                time.sleep(self.plan.delay)
            self.kill()

    def choose(self, card: dict[str, Any], answered: bool) -> str:
        """The next line, given the card shown and whether it has a result."""
        rng = self.rng
        if answered:
            return '{"accept": true}' if rng.random() < 0.6 else self._rating()
        r = rng.random()
        if card.get("expects") == "answer" and r < 0.5:
            labels = [c["label"] for c in card.get("choices", [])]
            answer = rng.choice(labels) if labels else rng.choice(["12", "0.5", "1/3", "abc"])
            return json.dumps({"answer": answer})
        for limit, line in (
            (0.75, None),
            (0.83, '{"undo": true}'),
            (0.88, '{"skip": true}'),
            (0.91, '{"bury": true}'),
            (0.93, '{"suspend": true}'),
            (0.96, rng.choice(GARBAGE)),
            (1.01, '{"accept": true}'),
        ):
            if r < limit:
                return line or self._rating()
        raise AssertionError("unreachable")

    def _rating(self) -> str:
        return json.dumps({"rating": self.rng.choices([1, 2, 3, 4], [15, 15, 50, 20])[0]})

    def run(self) -> Outcome:
        timer: threading.Timer | None = None
        if self.plan.from_start is not None:
            timer = threading.Timer(self.plan.from_start, self.kill)
            timer.start()
        stack: list[int] = []  # this session's reviews, as its undo sees them
        told: dict[int, tuple[str, int]] = {}
        card: dict[str, Any] = {}
        answered = False
        try:
            for event in self._events():
                kind = event["type"]
                if kind == "recorded":
                    stack.append(event["review_id"])
                    told[event["review_id"]] = (event["card_id"], event["rating"])
                elif kind == "undone":
                    if not stack or event["review_id"] != stack[-1]:
                        self.outcome.problems.append(f"undone {event} does not match {stack}")
                    else:
                        stack.pop()
                    self.pending = "undone"
                elif kind == "error" and "input" not in event:
                    self.outcome.problems.append(f"error not caused by a line: {event}")
                elif kind == "error" and event["message"].startswith("unexpected"):
                    self.outcome.problems.append(f"unexpected failure: {event}")
                if self.plan.after_first_card is not None and timer is None:
                    timer = threading.Timer(self.plan.after_first_card, self.kill)
                    timer.start()
                if kind == "card":
                    card, answered = event, False
                elif kind == "result":
                    answered = True
                if kind not in TERMINAL:
                    continue
                self.pending = None
                if self.sending and self.outcome.lines_sent >= MAX_LINES:
                    self.outcome.problems.append(f"still going after {MAX_LINES} lines: stuck")
                    self.kill()
                if kind != "summary" and self.sending:
                    line = self.choose(card, answered)
                    self.pending = "undo" if line == '{"undo": true}' else "other"
                    self.send(line)
        finally:
            if timer is not None:
                timer.cancel()
            self.sending = False
            try:  # stdout has ended: the process is gone or going
                self.process.wait(10)
            except subprocess.TimeoutExpired:  # hung
                self.process.kill()
                self.process.wait(TIMEOUT)
            for reader in self.readers:
                reader.join(TIMEOUT)
            for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
                if stream is not None:
                    stream.close()
        if self.pending == "undo" and stack:
            stack.pop()  # the undo may have been committed before the kill
        self.outcome.expected = {review_id: told[review_id] for review_id in stack}
        if b"Traceback" in self.stderr:
            self.outcome.problems.append("traceback: " + self.stderr.decode(errors="replace"))
        if len(self.partial) > 1 or self.bad_lines:
            self.outcome.problems.append(f"output not JSON lines: {self.bad_lines, self.partial}")
        return self.outcome

    def _events(self) -> Iterator[dict[str, Any]]:
        while True:
            try:
                event = self.events.get(timeout=TIMEOUT)
            except queue.Empty:
                self.outcome.problems.append(f"no event for {TIMEOUT} s: hung")
                return
            if event is None:
                return
            yield event


# --- what the database must look like afterwards ----------------------------------------------


def verify(path: Path, expected: dict[int, tuple[str, int]]) -> list[str]:
    """Problems found in the database at `path` (opening it recovers a killed writer's log)."""
    if not path.exists():
        return [f"reviews {sorted(expected)} announced but no database"] if expected else []
    connection = sqlite3.connect(path)
    try:
        return _verify(connection, expected)
    finally:
        connection.close()


def _verify(connection: sqlite3.Connection, expected: dict[int, tuple[str, int]]) -> list[str]:
    problems: list[str] = []
    integrity = connection.execute("PRAGMA integrity_check").fetchall()
    if integrity != [("ok",)]:
        problems.append(f"integrity_check: {integrity}")
    tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
    if not {"reviews", "card_states"} <= tables:
        return problems + ([f"reviews {sorted(expected)} announced, no tables"] if expected else [])
    if connection.execute("PRAGMA foreign_key_check").fetchall():
        problems.append("foreign_key_check found rows")
    stored = {
        row[0]: (row[1], row[2])
        for row in connection.execute("SELECT id, card_id, rating FROM reviews")
    }
    for review_id, announced in sorted(expected.items()):
        if stored.get(review_id) != announced:
            problems.append(
                f"review {review_id} {announced} announced, stored {stored.get(review_id)}"
            )
    log: dict[tuple[int, str], list[tuple[Any, ...]]] = {}
    for row in connection.execute(
        "SELECT profile_id, card_id, state_before, rating, state_after, due_after,"
        " stability_after, difficulty_after FROM reviews ORDER BY id"
    ):
        log.setdefault((row[0], row[1]), []).append(row[2:])
    for profile_id, card_id, state, due, stability, difficulty, reps, lapses in connection.execute(
        "SELECT profile_id, card_id, state, due, stability, difficulty, reps, lapses"
        " FROM card_states"
    ):
        history = log.pop((profile_id, card_id), [])
        if not history:
            if (state, reps, lapses, due) != (0, 0, 0, None):
                problems.append(f"{card_id}: no reviews but state {state}, reps {reps}, due {due}")
            continue
        last = history[-1]
        lapsed = sum(1 for h in history if h[0] == 2 and h[1] == 1)  # "again" in review state
        wanted = (last[2], last[3], last[4], last[5], len(history), lapsed)
        if (state, due, stability, difficulty, reps, lapses) != wanted:
            problems.append(
                f"{card_id}: state {(state, due, stability, difficulty, reps, lapses)} "
                f"but its log says {wanted}"
            )
    if log:
        problems.append(f"reviews of cards without a state: {sorted(log)}")
    return problems


# --- chains of runs ------------------------------------------------------------------------------


@dataclass
class ChainReport:
    runs: int = 0
    killed: int = 0
    killed_mid_action: int = 0
    lines_sent: int = 0
    recorded_checked: int = 0
    problems: list[str] = field(default_factory=list)


def run_chain(
    home: Path, template: Path | None, seed: int, runs: int, report: ChainReport | None = None
) -> ChainReport:
    """`runs` killed processes one after another on one database (a copy of `template`,
    or a new one), each a simulated day later; verified after each."""
    rng = random.Random(seed)
    report = report or ChainReport()
    home.mkdir(parents=True, exist_ok=True)
    if template is not None:
        shutil.copyfile(template, home / "quizdl.db")
    expected: dict[int, tuple[str, int]] = {}
    for run in range(runs):
        now = T0 + timedelta(days=run, minutes=rng.randrange(0, 600))
        plan = Plan.draw(rng)
        outcome = Driver(home, now, rng, plan).run()
        expected.update(outcome.expected)
        found = verify(home / "quizdl.db", expected)
        report.runs += 1
        report.killed += outcome.killed
        report.killed_mid_action += outcome.mid_action
        report.lines_sent += outcome.lines_sent
        report.problems.extend(f"seed {seed} run {run} {plan}: {p}" for p in outcome.problems)
        report.problems.extend(f"seed {seed} run {run} {plan}: {p}" for p in found)
        if found:
            break  # a broken database would only repeat the news
    report.recorded_checked += len(expected)
    return report


def run_chains(workdir: Path, chains: int, runs: int, seed: int, workers: int) -> ChainReport:
    """Several chains at once (they share nothing); the first two start on a new database,
    so that kills also land in the migration, the others on a copy of a template."""
    template = make_template(workdir / "template")
    total = ChainReport()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [
            pool.submit(
                run_chain, workdir / f"chain-{c}", None if c < 2 else template, seed + c, runs
            )
            for c in range(chains)
        ]
        for future in futures:
            part = future.result()
            total.runs += part.runs
            total.killed += part.killed
            total.killed_mid_action += part.killed_mid_action
            total.lines_sent += part.lines_sent
            total.recorded_checked += part.recorded_checked
            total.problems.extend(part.problems)
    return total


@pytest.mark.slow
def test_killed_reviews_leave_a_sound_database(tmp_path: Path) -> None:
    report = run_chains(tmp_path, CHAINS, RUNS_PER_CHAIN, SEED, workers=max(2, os.cpu_count() or 2))
    assert report.problems == []
    assert report.runs == CHAINS * RUNS_PER_CHAIN
    # The kills must really land: at least 50 runs end by SIGKILL (a run whose random kill
    # moment comes after its input is used up ends on its own), and reviews were announced.
    assert report.killed >= 50
    assert report.killed_mid_action >= 10
    assert report.recorded_checked >= 50


def test_verify_finds_a_card_that_disagrees_with_its_log(tmp_path: Path) -> None:
    """The checker itself: it must notice a review announced but missing, and a state
    that does not follow from the log."""
    path = make_template(tmp_path / "home")
    connection = sqlite3.connect(path)
    card_id = connection.execute("SELECT card_id FROM card_states LIMIT 1").fetchone()[0]
    assert verify(path, {}) == []
    connection.execute("UPDATE card_states SET reps = 1 WHERE card_id = ?", (card_id,))
    connection.commit()
    connection.close()
    problems = verify(path, {7: (card_id, 3)})
    assert len(problems) == 2
    assert problems[0].startswith("review 7") and problems[1].startswith(card_id)
