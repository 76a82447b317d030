"""A big quizdl SQLite database for the benchmarks: 100,000 cards, 1,000,000 reviews.

    from benchmarks.bigdb import cached, REFERENCE_NOW
    path = cached()                     # built once under benchmarks/out/, then reused
    # run quizdl against f"sqlite:///{path}" with QUIZDL_NOW=REFERENCE_NOW.isoformat()

The same workload as benchmarks/anki_peer.py, so that the two sides measure alike: one
profile ("default", time zone Europe/Berlin, so day grouping crosses DST changes, and
reviews_per_day 9999 as in the peer's deck), cards in 20 topics (a fifth of them generated
cards, whose reviews carry generator, seed, params, answer and verdict). 90 % of the cards
were learned over the two years before REFERENCE_NOW and reviewed on their due day until
three days ago (so about three days of reviews are due today, the rest spread over the coming
months): Again with a per-card probability (Beta(1.5, 13.5), mean 10 %, followed by one
relearning step), Hard 5 %, Easy 7 %, Good otherwise, the interval growing by a factor fitted
so that the rows add up to exactly `reviews`. Cards reaching 8 lapses become leeches and are
suspended (the default leech action); 0.5 % of the others are suspended by hand. A few minutes
before REFERENCE_NOW, 20 new cards were started (learning) and 30 due reviews failed
(relearning); the remaining 10 % are new. Stability is the interval (FSRS schedules R = 0.9
at t = S) with a little noise; difficulty starts in [3, 7] and rises with each lapse.
Every review row is complete (prior snapshot for undo, session, duration), so the table has
the size the app gives it.

Times are fixed relative to REFERENCE_NOW, so a cached file never goes stale: run quizdl with
QUIZDL_NOW set to it (or a Clock fixed at it). Treat the cached file as read-only; a benchmark
that writes copies it first (shutil.copyfile) and works on the copy.

Usage: python benchmarks/bigdb.py [--cards N] [--reviews N] [--seed N]  (prints the build report)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

from quizdl.clock import Clock
from quizdl.store import migrate
from quizdl.store.db import Database

OUT_DIR = Path(__file__).resolve().parent / "out"
# Bump when the builder changes what it writes, so stale cached databases are not reused.
BUILD_FORMAT = 1
REFERENCE_NOW = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
ZONE = "Europe/Berlin"
ROLLOVER_HOUR = 4
PROFILE_SETTINGS = {"timezone": ZONE, "reviews_per_day": 9999}
TOPICS = 20
SECTION_SIZE = 8
GENERATED_EVERY = 5  # every fifth card is a generated card
DAY = 86_400
HISTORY_DAYS = 730
LAST_STUDY_DAY = -3  # the learner took the last two days off
NEW_FRACTION = 0.10
LEARNING_TODAY = 20
RELEARNING_TODAY = 30
STEP_SECS = 600  # the 10-minute (re)learning step
WAKING_SECS = (8 * 3600, 22 * 3600)  # reviews happen 8..22 h after the day's rollover
MAX_INTERVAL_DAYS = 365
LEECH_LAPSES = 8
HAND_SUSPENDED = 0.005
CHUNK = 50_000

# Per-row columns of the simulated history, all numpy arrays of equal length.
COLUMNS = (
    "card",
    "day",
    "t",
    "rating",
    "state_before",
    "state_after",
    "s_after",
    "d_after",
    "due_after",
    "elapsed",
    "step_before",
    "s_before",
    "d_before",
    "due_before",
    "last_before",
    "reps_before",
    "lapses_before",
)
NONE = -1.0  # stands for NULL in float columns of the simulation


def _day_starts(zone: str, first: int, last: int, now: datetime) -> np.ndarray:
    """Epoch seconds at which each study day first..last (relative to today) begins."""
    clock = Clock(ZoneInfo(zone), ROLLOVER_HOUR, now)
    today = clock.study_day()
    return np.array(
        [clock.day_start(today + timedelta(days=k)).timestamp() for k in range(first, last + 1)]
    )


Prior = tuple[Any, Any, Any, Any, Any, Any, Any]  # step, S, D, due, last review, reps, lapses
NEW_CARD: Prior = (NONE, NONE, NONE, NONE, NONE, 0, 0)


def _rows(
    card: np.ndarray,
    day: Any,
    t: Any,
    rating: Any,
    states: tuple[Any, Any],
    after: tuple[Any, Any, Any],
    elapsed: Any,
    prior: Prior,
) -> dict[str, np.ndarray]:
    """Review rows of `card` (indices) answered at `t` (epoch s) on study `day`: the states
    before and after, the memory after (stability, difficulty, due) and the card before."""
    values = (card, day, t, rating, *states, *after, elapsed, *prior)
    n = len(card)
    return {
        name: np.broadcast_to(np.asarray(v), (n,)) for name, v in zip(COLUMNS, values, strict=True)
    }


def _prior(card: dict[str, np.ndarray], index: np.ndarray) -> Prior:
    return (
        NONE,
        card["s"][index],
        card["d"][index],
        card["due"][index],
        card["t"][index],
        card["reps"][index],
        card["lapses"][index],
    )


class _History:
    """The vectorised simulation: cards learned on `intro_day`, reviewed on their due day."""

    def __init__(self, rng_seed: int, intro_day: np.ndarray, starts: np.ndarray, first: int):
        self.seed = rng_seed
        self.intro_day = intro_day
        self.starts = starts  # starts[day - first] = epoch seconds of that study day's start
        self.first = first

    def at(self, day: np.ndarray, secs: np.ndarray) -> np.ndarray:
        moments: np.ndarray = self.starts[day - self.first] + secs
        return moments

    def run(self, growth: float) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
        rng = np.random.default_rng(self.seed)
        n = len(self.intro_day)
        every, day0 = np.arange(n), self.intro_day
        p_fail = rng.beta(1.5, 13.5, n)
        d0 = rng.uniform(3.0, 7.0, n)
        # Per-card growth spreads the rounding thresholds, so the row count varies smoothly.
        pace = rng.uniform(0.85, 1.15, n)
        t0 = self.at(day0, rng.uniform(*WAKING_SECS, n))
        t1 = t0 + STEP_SECS  # the learning step, then graduation with a 1-day interval
        s0 = 2.3 * rng.uniform(0.9, 1.1, n)
        graduated: Prior = (0, s0, d0, t1, t0, 1, 0)
        parts = [
            _rows(every, day0, t0, 3, (0, 1), (s0, d0, t1), 0.0, NEW_CARD),
            _rows(every, day0, t1, 3, (1, 2), (s0, d0, t1 + DAY), STEP_SECS / DAY, graduated),
        ]
        card = {
            "last_day": day0.copy(),
            "ivl": np.ones(n, dtype=np.int64),
            "t": t1,
            "due": t1 + DAY,
            "s": s0.copy(),
            "d": d0.copy(),
            "reps": np.full(n, 2, dtype=np.int64),
            "lapses": np.zeros(n, dtype=np.int64),
            "leech": np.zeros(n, dtype=bool),
        }
        active = np.flatnonzero(card["last_day"] + card["ivl"] <= LAST_STUDY_DAY)
        while active.size:
            old = card["ivl"][active]
            fast = growth * pace[active]
            day = card["last_day"][active] + old
            t = self.at(day, rng.uniform(*WAKING_SECS, active.size))
            draw = rng.random(active.size)
            again = draw < p_fail[active]
            hard = ~again & (draw < p_fail[active] + 0.05)
            easy = ~again & ~hard & (draw >= 0.93)
            grown = np.select(
                [again, hard, easy],
                [np.maximum(1, np.rint(old * 0.3)), np.rint(old * 1.2), np.rint(old * fast * 1.3)],
                np.rint(old * fast),
            )
            grown = np.where(again, grown, np.maximum(grown, old + 1))
            new = np.minimum(grown, MAX_INTERVAL_DAYS).astype(np.int64)
            rating = np.select([again, hard, easy], [1, 2, 4], 3)
            s_before, d_before = card["s"][active], card["d"][active]
            s_after = np.where(again, np.maximum(0.2, s_before * 0.25), new * rng.uniform(0.9, 1.1))
            step_d = np.select([again, hard, easy], [1.2, 0.5, -0.5], -0.05)
            d_after = np.clip(d_before + step_d, 1.0, 10.0)
            due_after = np.where(again, t + STEP_SECS, t + new * DAY)
            elapsed = (t - card["t"][active]) / DAY
            after = (s_after, d_after, due_after)
            states = (2, np.where(again, 3, 2))
            parts.append(
                _rows(active, day, t, rating, states, after, elapsed, _prior(card, active))
            )
            # An Again is followed by one relearning step ten minutes later.
            a, lapsed = again, active[again]
            relearn_t = t[a] + STEP_SECS
            reps, lapses = card["reps"][lapsed] + 1, card["lapses"][lapsed] + 1
            relearning: Prior = (0, s_after[a], d_after[a], due_after[a], t[a], reps, lapses)
            relearned = (s_after[a], d_after[a], relearn_t + new[a] * DAY)
            step = STEP_SECS / DAY
            parts.append(_rows(lapsed, day[a], relearn_t, 3, (3, 2), relearned, step, relearning))
            last_t = np.where(again, t + STEP_SECS, t)
            card["reps"][active] += 1 + again
            card["lapses"][active] += again
            card["last_day"][active], card["ivl"][active] = day, new
            card["t"][active], card["due"][active] = last_t, last_t + new * DAY
            card["s"][active], card["d"][active] = s_after, d_after
            card["leech"][active] = card["lapses"][active] >= LEECH_LAPSES
            keep = (day + new <= LAST_STUDY_DAY) & ~card["leech"][active]
            active = active[keep]
        rows = {name: np.concatenate([p[name] for p in parts]) for name in COLUMNS}
        return rows, card


def _calibrated(
    history: _History, target: int
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """The interval growth giving the fewest rows at or above `target`; the surplus (a few
    hundred) is removed as if the learner had stopped early on the last study day: the latest
    passed reviews are undone, and those cards join today's backlog."""
    low, high = 1.2, 8.0  # more growth, fewer reviews
    for _ in range(16):
        middle = (low + high) / 2
        if len(history.run(middle)[0]["card"]) >= target:
            low = middle
        else:
            high = middle
    # The row count is not monotonic in the growth (the random draws shift with it): near the
    # bisected value, take the growth with the smallest surplus.
    fits = [(len(history.run(g)[0]["card"]) - target, g) for g in np.linspace(low, low * 1.01, 21)]
    above = [fit for fit in fits if fit[0] >= 0]
    if not above:
        raise ValueError(f"cannot fit {target} reviews on {len(history.intro_day)} cards")
    surplus, growth = min(above)
    rows, card = history.run(growth)
    order = np.lexsort((rows["t"], rows["card"]))
    is_latest = np.append(rows["card"][order][1:] != rows["card"][order][:-1], True)
    latest = order[is_latest]
    candidates = latest[(rows["state_before"][latest] == 2) & (rows["rating"][latest] > 1)]
    dropped = candidates[np.argsort(rows["t"][candidates])[::-1][:surplus]]
    undone = rows["card"][dropped]
    card["t"][undone] = rows["last_before"][dropped]
    card["due"][undone] = rows["due_before"][dropped]
    card["s"][undone] = rows["s_before"][dropped]
    card["d"][undone] = rows["d_before"][dropped]
    card["reps"][undone] -= 1
    keep = np.ones(len(rows["card"]), dtype=bool)
    keep[dropped] = False
    return {name: rows[name][keep] for name in COLUMNS}, card


def _iso(epoch: np.ndarray) -> list[str]:
    """SQLAlchemy's SQLite DATETIME text ('YYYY-MM-DD HH:MM:SS.ffffff', naive UTC)."""
    text = np.datetime_as_string(np.rint(epoch * 1e6).astype("datetime64[us]"), unit="us")
    return [s[:10] + " " + s[11:] for s in text.tolist()]


def _json_time(db_text: str) -> str:
    """The same instant as datetime.isoformat() writes it in the prior snapshot."""
    text = db_text.replace(" ", "T")
    return (text[:-7] if text.endswith(".000000") else text) + "+00:00"


def _hash(card_id: str) -> str:
    return hashlib.sha256(card_id.encode()).hexdigest()[:16]


def _num(value: float) -> str:
    return "null" if value == NONE else repr(round(float(value), 4))


def build(
    path: Path, cards: int = 100_000, reviews: int = 1_000_000, seed: int = 0
) -> dict[str, Any]:
    """Create the benchmark database at `path` (must not exist); returns a build report."""
    if path.exists():
        raise FileExistsError(path)
    started = time.perf_counter()
    now = REFERENCE_NOW
    rng = np.random.default_rng(seed)
    first, last = -HISTORY_DAYS - 5, MAX_INTERVAL_DAYS * 2 + 40
    starts = _day_starts(ZONE, first, last, now)
    seen = round(cards * (1 - NEW_FRACTION))
    learning = min(LEARNING_TODAY, cards - seen)
    intro_day = np.sort(rng.integers(-HISTORY_DAYS, LAST_STUDY_DAY, seen))
    history = _History(int(rng.integers(2**31)), intro_day, starts, first)
    rows, card = _calibrated(history, reviews - learning - RELEARNING_TODAY)
    rows, card = _today(rng, rows, card, seen, learning, now.timestamp())
    simulated = time.perf_counter()

    database = Database(f"sqlite:///{path}")
    migrate.upgrade(database)
    database.dispose()
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        # A throwaway file until it is complete: no journal, a large page cache for the indexes.
        connection.execute("PRAGMA journal_mode=OFF")
        connection.execute("PRAGMA synchronous=OFF")
        connection.execute("PRAGMA cache_size=-262144")
        connection.execute("BEGIN")
        _write(connection, rng, rows, card, cards, seen, learning, now)
        connection.execute("COMMIT")
        connection.execute("PRAGMA journal_mode=WAL")
    finally:
        connection.close()
    counts = _counts(path)
    return {
        "build_s": round(time.perf_counter() - started, 1),
        "simulate_s": round(simulated - started, 1),
        "reference_now": now.isoformat(),
        "zone": ZONE,
        "counts": counts,
        "file_mib": round(path.stat().st_size / 2**20, 1),
    }


def _today(
    rng: np.random.Generator,
    rows: dict[str, np.ndarray],
    card: dict[str, np.ndarray],
    seen: int,
    learning: int,
    now: float,
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """A few minutes ago: `learning` new cards started, RELEARNING_TODAY due reviews failed."""
    due = np.flatnonzero((card["due"] <= now) & ~card["leech"])
    lapsing = rng.permutation(due)[:RELEARNING_TODAY]
    t = now - rng.uniform(60, 1200, lapsing.size)
    s_after = np.maximum(0.2, card["s"][lapsing] * 0.25)
    d_after = np.clip(card["d"][lapsing] + 1.2, 1.0, 10.0)
    zeros = np.zeros(lapsing.size, dtype=np.int64)
    lapsed_after = (s_after, d_after, t + STEP_SECS)
    elapsed = (t - card["t"][lapsing]) / DAY
    failed = _rows(lapsing, zeros, t, 1, (2, 3), lapsed_after, elapsed, _prior(card, lapsing))
    starting = np.arange(seen, seen + learning)
    t_new = now - rng.uniform(60, 1200, learning)
    s_new, d_new = 2.3 * rng.uniform(0.9, 1.1, learning), rng.uniform(3.0, 7.0, learning)
    day0 = np.zeros(learning, dtype=np.int64)
    new_after = (s_new, d_new, t_new + STEP_SECS)
    started = _rows(starting, day0, t_new, 3, (0, 1), new_after, 0.0, NEW_CARD)
    rows = {name: np.concatenate([rows[name], failed[name], started[name]]) for name in COLUMNS}
    card["relearning"] = lapsing
    card["learning"] = starting
    card["lapse_t"], card["lapse_s"], card["lapse_d"] = t, s_after, d_after
    card["new_t"], card["new_s"], card["new_d"] = t_new, s_new, d_new
    return rows, card


def _card_ids(cards: int) -> list[str]:
    per_topic = -(-cards // TOPICS)
    return [f"bench-{i // per_topic:02d}/card-{i:06d}" for i in range(cards)]


def _write(
    connection: sqlite3.Connection,
    rng: np.random.Generator,
    rows: dict[str, np.ndarray],
    card: dict[str, np.ndarray],
    cards: int,
    seen: int,
    learning: int,
    now: datetime,
) -> None:
    created = _iso(np.array([now.timestamp() - (HISTORY_DAYS + 30) * DAY]))[0]
    connection.execute(
        "INSERT INTO profiles (id, name, settings, fsrs_parameters, content_fingerprint, "
        "created_at) VALUES (1, 'default', ?, NULL, NULL, ?)",
        (json.dumps(PROFILE_SETTINGS), created),
    )
    ids = _card_ids(cards)
    hashes = [_hash(cid) for cid in ids]
    _write_cards(connection, rng, card, ids, hashes, seen, learning)
    order = np.argsort(rows["t"], kind="stable")
    rows = {name: rows[name][order] for name in COLUMNS}
    session_of = _write_sessions(connection, rows)
    for lo in range(0, len(rows["t"]), CHUNK):
        chunk = {name: rows[name][lo : lo + CHUNK] for name in COLUMNS}
        connection.executemany(
            "INSERT INTO reviews (profile_id, card_id, session_id, reviewed_at, rating, "
            "state_before, state_after, stability_after, difficulty_after, due_after, "
            "elapsed_days, duration_ms, content_hash, prior, buried, generator, "
            "generator_version, seed, params, raw_answer, verdict) "
            "VALUES (1,?,?,?,?,?,?,?,?,?,?,?,?,?,NULL,?,?,?,?,?,?)",
            _review_rows(rng, chunk, session_of[lo : lo + CHUNK], ids, hashes),
        )


def _write_cards(
    connection: sqlite3.Connection,
    rng: np.random.Generator,
    card: dict[str, np.ndarray],
    ids: list[str],
    hashes: list[str],
    seen: int,
    learning: int,
) -> None:
    cards = len(ids)
    state = np.zeros(cards, dtype=np.int64)
    state[:seen] = 2
    stability, difficulty = np.full(cards, NONE), np.full(cards, NONE)
    due, last = np.full(cards, NONE), np.full(cards, NONE)
    stability[:seen], difficulty[:seen] = card["s"], card["d"]
    due[:seen], last[:seen] = card["due"], card["t"]
    reps, lapses = np.zeros(cards, dtype=np.int64), np.zeros(cards, dtype=np.int64)
    reps[:seen], lapses[:seen] = card["reps"], card["lapses"]
    leech = np.zeros(cards, dtype=bool)
    leech[:seen] = card["leech"]
    suspended = leech.copy()
    suspended[:seen] |= rng.random(seen) < HAND_SUSPENDED
    lapsing = card["relearning"]
    state[lapsing], last[lapsing] = 3, card["lapse_t"]
    due[lapsing] = card["lapse_t"] + STEP_SECS
    stability[lapsing], difficulty[lapsing] = card["lapse_s"], card["lapse_d"]
    reps[lapsing] += 1
    lapses[lapsing] += 1
    starting = card["learning"]
    state[starting], last[starting] = 1, card["new_t"]
    due[starting] = card["new_t"] + STEP_SECS
    stability[starting], difficulty[starting] = card["new_s"], card["new_d"]
    reps[starting] = 1
    due_text, last_text = _iso(due), _iso(last)
    per_topic = -(-cards // TOPICS)
    values = []
    for i, cid in enumerate(ids):
        studied = state[i] != 0
        values.append(
            (
                cid,
                f"bench-{i // per_topic:02d}",
                f"Section {i // SECTION_SIZE}",
                "generated" if i % GENERATED_EVERY == 0 else "basic",
                i,
                int(state[i]),
                0 if state[i] in (1, 3) else None,
                float(stability[i]) if studied else None,
                float(difficulty[i]) if studied else None,
                due_text[i] if studied else None,
                last_text[i] if studied else None,
                int(reps[i]),
                int(lapses[i]),
                int(suspended[i]),
                int(leech[i]),
                hashes[i],
                hashes[i] if studied else None,
            )
        )
    connection.executemany(
        "INSERT INTO card_states (profile_id, card_id, topic, section, kind, tags, position, "
        "state, step, stability, difficulty, due, last_review, reps, lapses, suspended, "
        "buried_until, leech, retired, content_hash, reviewed_hash) "
        "VALUES (1,?,?,?,?,'bench',?,?,?,?,?,?,?,?,?,?,NULL,?,0,?,?)",
        values,
    )


def _write_sessions(connection: sqlite3.Connection, rows: dict[str, np.ndarray]) -> np.ndarray:
    """One study session per study day; returns each row's session id."""
    days, index = np.unique(rows["day"], return_inverse=True)
    starts = np.full(days.size, np.inf)
    ends = np.full(days.size, -np.inf)
    np.minimum.at(starts, index, rows["t"])
    np.maximum.at(ends, index, rows["t"])
    counts = np.bincount(index * 4 + rows["rating"] - 1, minlength=days.size * 4).reshape(-1, 4)
    start_text, end_text = _iso(starts - 5), _iso(ends + 30)
    values = []
    for k, day in enumerate(days.tolist()):
        open_today = day == 0
        by_rating = {str(r + 1): int(c) for r, c in enumerate(counts[k]) if c}
        summary = {"reviewed": int(counts[k].sum()), "by_rating": by_rating}
        values.append(
            (
                k + 1,
                start_text[k],
                None if open_today else end_text[k],
                None if open_today else json.dumps({**summary, "correct": 0, "incorrect": 0}),
            )
        )
    connection.executemany(
        "INSERT INTO study_sessions (id, profile_id, started_at, ended_at, filters, summary) "
        'VALUES (?, 1, ?, ?, \'{"topics": [], "tags": []}\', ?)',
        values,
    )
    result: np.ndarray = index + 1
    return result


def _review_rows(
    rng: np.random.Generator,
    chunk: dict[str, np.ndarray],
    sessions: np.ndarray,
    ids: list[str],
    hashes: list[str],
) -> Iterator[tuple[Any, ...]]:
    n = len(chunk["t"])
    at, due_after = _iso(chunk["t"]), _iso(chunk["due_after"])
    due_before, last_before = _iso(chunk["due_before"]), _iso(chunk["last_before"])
    durations = rng.integers(2000, 20000, n).tolist()
    seeds = rng.integers(0, 2**31, n).tolist()
    answers = rng.integers(1, 10_000, n).tolist()
    col = {name: chunk[name].tolist() for name in COLUMNS}
    for i in range(n):
        c, before, step = col["card"][i], col["state_before"][i], col["step_before"][i]
        rating = col["rating"][i]
        fresh = before == 0
        prior = (
            f'{{"state": {before}, "step": {"null" if step == NONE else int(step)}, '
            f'"stability": {_num(col["s_before"][i])}, "difficulty": {_num(col["d_before"][i])}, '
            f'"due": {"null" if fresh else json.dumps(_json_time(due_before[i]))}, '
            f'"last_review": {"null" if fresh else json.dumps(_json_time(last_before[i]))}, '
            f'"reps": {col["reps_before"][i]}, "lapses": {col["lapses_before"][i]}, '
            f'"suspended": false, "buried_until": null, "leech": false, '
            f'"reviewed_hash": {"null" if fresh else json.dumps(hashes[c])}}}'
        )
        generated = c % GENERATED_EVERY == 0
        answer = str(answers[i])
        yield (
            ids[c],
            int(sessions[i]),
            at[i],
            rating,
            before,
            col["state_after"][i],
            col["s_after"][i],
            col["d_after"][i],
            due_after[i],
            col["elapsed"][i],
            durations[i],
            hashes[c],
            prior,
            "bench.family" if generated else None,
            1 if generated else None,
            seeds[i] if generated else None,
            json.dumps({"n": answers[i] % 97}) if generated else None,
            answer if generated else None,
            json.dumps(
                {
                    "correct": rating > 1,
                    "interpreted": answer,
                    "diagnosis": None,
                    "suggested_rating": 3 if rating > 1 else 1,
                }
            )
            if generated
            else None,
        )


def _counts(path: Path) -> dict[str, int]:
    connection = sqlite3.connect(path)
    try:

        def scalar(sql: str) -> int:
            return int(connection.execute(sql).fetchone()[0])

        return {
            "cards": scalar("SELECT count(*) FROM card_states"),
            "reviews": scalar("SELECT count(*) FROM reviews"),
            "sessions": scalar("SELECT count(*) FROM study_sessions"),
            "new": scalar("SELECT count(*) FROM card_states WHERE state = 0"),
            "learning": scalar("SELECT count(*) FROM card_states WHERE state IN (1, 3)"),
            "review": scalar("SELECT count(*) FROM card_states WHERE state = 2"),
            "suspended": scalar("SELECT count(*) FROM card_states WHERE suspended"),
            "leeches": scalar("SELECT count(*) FROM card_states WHERE leech"),
            "passed_percent": scalar("SELECT round(100.0 * avg(rating > 1)) FROM reviews"),
        }
    finally:
        connection.close()


def _schema_stamp() -> str:
    """Changes with the shipped migrations, so a schema change (a new index) rebuilds."""
    digest = hashlib.sha256()
    for script in sorted((migrate.MIGRATIONS_DIR / "versions").glob("*.py")):
        digest.update(script.name.encode() + script.read_bytes())
    return digest.hexdigest()[:8]


def cached(
    cards: int = 100_000, reviews: int = 1_000_000, seed: int = 0
) -> tuple[Path, dict[str, Any]]:
    """The database under benchmarks/out/ (built if missing) and its build report, kept beside
    it as JSON ("cached": true when reused). Keyed by the parameters, BUILD_FORMAT and the
    migrations; older builds are removed."""
    OUT_DIR.mkdir(exist_ok=True)
    stem = f"quizdl_bigdb_c{cards}_r{reviews}_s{seed}_f{BUILD_FORMAT}_m{_schema_stamp()}"
    path, report_path = OUT_DIR / f"{stem}.db", OUT_DIR / f"{stem}.json"
    if path.exists() and report_path.exists():
        report: dict[str, Any] = json.loads(report_path.read_text())
        return path, {**report, "cached": True}
    for old in OUT_DIR.glob(f"quizdl_bigdb_c{cards}_r{reviews}_s{seed}_*"):
        old.unlink()
    with tempfile.TemporaryDirectory(dir=OUT_DIR) as scratch:
        building = Path(scratch) / "quizdl.db"
        report = build(building, cards, reviews, seed)
        building.replace(path)
    report_path.write_text(json.dumps(report, indent=2))
    return path, {**report, "cached": False}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    path, report = cached(args.cards, args.reviews, args.seed)
    print(json.dumps({"path": str(path), **report}, indent=2))


if __name__ == "__main__":
    main()
