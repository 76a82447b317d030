"""Peer side of quizdl's speed budgets: the `anki` library (Anki's own Rust backend). Prints JSON.

Workload (DESIGN.md "Budgets"): one deck of 100,000 Basic notes (one card each), FSRS on, and
1,000,000 review-log rows over the past two years. 90 % of the cards were learned over those two
years and reviewed on their due day (interval growth calibrated so the rows add up); the learner
then skipped two days, so about three days of reviews (~3,000) are due today and the rest are
spread over the coming year; 10 % are new; 20 learning and 30 relearning cards were answered a
few minutes ago.

Measured, each in a fresh subprocess so that its peak resident memory is its own:
- answer: `col.sched.answer_card` alone, and answer + fetching the next queued card
  (p50/p95/p99/max ms over 2,000 answers with a fixed rating pattern);
- open: process start -> collection open -> first queued card with its question rendered
  (median of 7 runs).

Needs `pip install anki` (benchmarks only, not a quizdl dependency). Only the library's public
Python API is used; bulk history goes in through `col.db` inside one transaction, then anki itself
derives what it needs from it: FSRS memory states (`decks.update_deck_configs` with fsrs on, as
the deck options screen does) and last-review times (`fix_integrity`, the "Check Database" action).

Usage: python benchmarks/anki_peer.py [--cards N] [--reviews N] [--seed N] [--answers N]
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

# anki.collection first: importing anki.cards before it fails on a circular import.
from anki.collection import AddNoteRequest, Collection

# isort: split
from anki.buildinfo import version as ANKI_VERSION
from anki.cards import Card
from anki.decks import UpdateDeckConfigs
from anki.scheduler.v3 import CardAnswer
from anki.scheduler.v3 import Scheduler as V3Scheduler

OUT_DIR = Path(__file__).resolve().parent / "out"
# Bump when the builder changes what it writes, so stale cached collections are not reused.
BUILD_FORMAT = 3
DECK_NAME = "Bench"
DAY = 86_400
HISTORY_DAYS = 730
# Notes were "added" a month before the first review, so card ids (creation times) predate it.
CREATED_DAYS_AGO = HISTORY_DAYS + 30
MAX_INTERVAL_DAYS = 365
STEP_SECS = 600  # the default 10-minute (re)learning step
WAKING_SECS = (8 * 3600, 22 * 3600)  # reviews happen 8..22 h after the day's 4 am start
NEW_FRACTION = 0.10  # never studied
# The learner took the last two days off: today's queue holds about three days of reviews.
LAST_STUDY_DAY = -3
LEARNING_TODAY = 20  # new cards started a few minutes ago
RELEARNING_TODAY = 30  # due reviews failed a few minutes ago
# High enough that the queue is not cut by the daily limit during the answer loop.
REVIEWS_PER_DAY = 9_999
INSERT_CHUNK = 100_000
# Fixed rating cycle for the answer loop: 16 Good, 2 Again, 1 Hard, 1 Easy in 20.
G, A, H, E = CardAnswer.GOOD, CardAnswer.AGAIN, CardAnswer.HARD, CardAnswer.EASY
RATING_CYCLE = (G, G, G, A, G, G, G, G, H, G, G, G, A, G, G, G, G, E, G, G)
REVLOG_LEARN, REVLOG_REVIEW, REVLOG_RELEARN = 0, 1, 2


def peak_rss_mib() -> float:
    """Peak resident memory of this process image, in MiB.

    Linux's VmHWM, not getrusage's ru_maxrss: a child's ru_maxrss starts from its parent's RSS
    at fork (kept across exec), so a child of the process that built the collection reported
    the builder's ~480 MiB whatever it did itself.
    """
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:  # not Linux: ru_maxrss (KiB on Linux, bytes on macOS) is the fallback
        kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return round(kib / (2**20 if sys.platform == "darwin" else 1024), 1)
    kib = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:"))
    return round(kib / 1024, 1)


def summary_ms(samples_ns: Sequence[int]) -> dict[str, float]:
    """Percentiles (numpy's default linear interpolation) of timings given in nanoseconds."""
    ms = np.asarray(samples_ns, dtype=np.float64) / 1e6
    return {
        "n": len(ms),
        "p50": round(float(np.percentile(ms, 50)), 3),
        "p95": round(float(np.percentile(ms, 95)), 3),
        "p99": round(float(np.percentile(ms, 99)), 3),
        "max": round(float(ms.max()), 3),
        "mean": round(float(ms.mean()), 3),
    }


# Building the collection
##########################################################################


def _rows(card: np.ndarray, t: Any, ease: Any, ivl: Any, last_ivl: Any, kind: int) -> np.ndarray:
    """Revlog rows as float columns: card index, time (s from today's start), ease, ivl,
    lastIvl, type. Intervals are days, or minus seconds for a (re)learning step."""
    out = np.empty((len(card), 6))
    out[:, 0], out[:, 1], out[:, 2], out[:, 3], out[:, 4] = card, t, ease, ivl, last_ivl
    out[:, 5] = kind
    return out


def _simulate(
    seed: int, intro_day: np.ndarray, growth: float
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Cards learned on `intro_day` (0 = today), then reviewed on their due day until
    LAST_STUDY_DAY: Again 10 % (interval x0.3, then one relearning step), Hard 5 % (x1.2),
    Good 78 % (x growth), Easy 7 % (x growth x1.3), capped at MAX_INTERVAL_DAYS.
    Returns the rows and each card's final state (last_day, ivl, reps, lapses)."""
    rng = np.random.default_rng(seed)
    n = len(intro_day)
    every = np.arange(n)
    first = intro_day * DAY + rng.uniform(*WAKING_SECS, n)
    parts = [
        _rows(every, first, 3, -STEP_SECS, 0, REVLOG_LEARN),
        _rows(every, first + STEP_SECS, 3, 1, -STEP_SECS, REVLOG_LEARN),  # graduates: 1 day
    ]
    last_day, ivl = intro_day.copy(), np.ones(n, dtype=np.int64)
    reps, lapses = np.full(n, 2, dtype=np.int64), np.zeros(n, dtype=np.int64)
    active = np.flatnonzero(last_day + ivl <= LAST_STUDY_DAY)
    while active.size:
        old, day = ivl[active], last_day[active] + ivl[active]
        draw = rng.random(active.size)
        again, hard, good = draw < 0.10, draw < 0.15, draw < 0.93
        grown = np.select(
            [again, hard, good],
            [np.maximum(1, np.rint(old * 0.3)), np.rint(old * 1.2), np.rint(old * growth)],
            np.rint(old * growth * 1.3),
        )
        grown = np.where(again, grown, np.maximum(grown, old + 1))
        new = np.minimum(grown, MAX_INTERVAL_DAYS).astype(np.int64)
        ease = np.select([again, hard, good], [1, 2, 3], 4)
        t = day * DAY + rng.uniform(*WAKING_SECS, active.size)
        parts.append(_rows(active, t, ease, np.where(again, -STEP_SECS, new), old, REVLOG_REVIEW))
        parts.append(
            _rows(active[again], t[again] + STEP_SECS, 3, new[again], -STEP_SECS, REVLOG_RELEARN)
        )
        reps[active] += 1 + again
        lapses[active] += again
        last_day[active], ivl[active] = day, new
        active = active[day + new <= LAST_STUDY_DAY]
    state = {"last_day": last_day, "ivl": ivl, "reps": reps, "lapses": lapses}
    return np.concatenate(parts), state


def _calibrated(
    seed: int, intro_day: np.ndarray, target: int
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """`_simulate` with the interval growth that yields exactly `target` rows: bisect for the
    largest growth giving at least that many, then drop the surplus (a few dozen)."""
    low, high = 1.2, 8.0  # more growth, fewer reviews
    for _ in range(16):
        middle = (low + high) / 2
        if len(_simulate(seed, intro_day, middle)[0]) >= target:
            low = middle
        else:
            high = middle
    rows, state = _simulate(seed, intro_day, low)
    if len(rows) < target:
        raise ValueError(f"cannot fit {target} reviews on {len(intro_day)} cards")
    rows = _drop_latest(np.random.default_rng(seed), rows, state, len(rows) - target)
    return rows, state


def _drop_latest(
    rng: np.random.Generator, rows: np.ndarray, state: dict[str, np.ndarray], surplus: int
) -> np.ndarray:
    """Remove the latest row of `surplus` cards whose latest row is a passed review: each such
    card goes back to the interval it had before (and is now overdue). Updates `state`."""
    rows = rows[np.lexsort((rows[:, 1], rows[:, 0]))]
    is_latest = np.append(rows[1:, 0] != rows[:-1, 0], True)
    candidates = np.flatnonzero(is_latest & (rows[:, 5] == REVLOG_REVIEW) & (rows[:, 2] > 1))
    dropped = rng.choice(candidates, size=surplus, replace=False)
    for index in dropped:  # a review row always follows the same card's learning rows
        card = int(rows[index, 0])
        state["ivl"][card] = int(rows[index, 4])
        state["last_day"][card] = int(rows[index - 1, 1] // DAY)
        state["reps"][card] -= 1
    return np.delete(rows, dropped, axis=0)


def _history(
    rng: np.random.Generator,
    card_ids: Sequence[int],
    reviews: int,
    today: int,
    day_start: int,
    now: int,
) -> tuple[np.ndarray, list[list[int]]]:
    """Revlog rows (id, cid, usn, ease, ivl, lastIvl, factor, time, type) and card updates
    (type, queue, due, ivl, factor, reps, lapses, left, id) consistent with them.

    The first 90 % of cards (in new-card order) were learned over the past two years, oldest
    first, and reviewed on their due day until LAST_STUDY_DAY. A few minutes ago, today, the
    learner started some new cards (now learning) and failed some due reviews (relearning)."""
    n = len(card_ids)
    reviewed = round(n * (1 - NEW_FRACTION))
    learning = min(LEARNING_TODAY, n - reviewed)
    intro_day = np.sort(rng.integers(-HISTORY_DAYS, LAST_STUDY_DAY, reviewed))
    due_today = rng.permutation(reviewed)  # filtered below once the schedule is known
    rows, state = _calibrated(
        int(rng.integers(2**31)), intro_day, reviews - learning - RELEARNING_TODAY
    )
    due_today = due_today[state["last_day"][due_today] + state["ivl"][due_today] <= 0]
    lapsing = due_today[:RELEARNING_TODAY]
    starting = np.arange(reviewed, reviewed + learning)
    # seconds since today's start; kept after the rollover when run just past it
    just_now = np.maximum(now - day_start - rng.uniform(60, 1200, lapsing.size + learning), 60)
    rows = np.concatenate(
        [
            rows,
            _rows(
                lapsing,
                just_now[: lapsing.size],
                1,
                -STEP_SECS,
                state["ivl"][lapsing],
                REVLOG_REVIEW,
            ),
            _rows(starting, just_now[lapsing.size :], 3, -STEP_SECS, 0, REVLOG_LEARN),
        ]
    )
    cards = [
        [2, 2, today + int(day + ivl), int(ivl), 2500, int(r), int(lapse), 0, card_ids[i]]
        for i, (day, ivl, r, lapse) in enumerate(
            zip(state["last_day"], state["ivl"], state["reps"], state["lapses"], strict=True)
        )
    ]
    step_due = (day_start + just_now + STEP_SECS).astype(np.int64)
    for card, due in zip(lapsing, step_due[: lapsing.size], strict=True):
        lapsed_ivl = max(1, round(int(state["ivl"][card]) * 0.3))
        reps, lapses = int(state["reps"][card]) + 1, int(state["lapses"][card]) + 1
        cards[card] = [3, 1, int(due), lapsed_ivl, 2500, reps, lapses, 1, card_ids[int(card)]]
    for card, due in zip(starting, step_due[lapsing.size :], strict=True):
        cards.append([1, 1, int(due), 0, 0, 1, 0, 1, card_ids[int(card)]])
    return _revlog_table(rng, rows, card_ids, day_start), cards


def _revlog_table(
    rng: np.random.Generator, rows: np.ndarray, card_ids: Sequence[int], day_start: int
) -> np.ndarray:
    """Rows in the revlog's column order, sorted by id (a millisecond timestamp, unique)."""
    count = len(rows)
    ids = ((day_start + rows[:, 1]) * 1000).astype(np.int64) + rng.integers(0, 1000, count)
    order = np.argsort(ids, kind="stable")
    ids = ids[order]
    steps = np.arange(count, dtype=np.int64)
    ids = np.maximum.accumulate(ids - steps) + steps  # collisions nudged forward by 1 ms
    rows = rows[order].astype(np.int64)
    is_learn = rows[:, 5] == REVLOG_LEARN
    return np.column_stack(
        [
            ids,
            np.asarray(card_ids, dtype=np.int64)[rows[:, 0]],
            np.zeros(count, dtype=np.int64),  # usn: already synced
            rows[:, 2],  # ease
            rows[:, 3],  # ivl
            rows[:, 4],  # lastIvl
            np.where(is_learn, 0, 2500),  # SM-2 ease factor, as before FSRS was switched on
            rng.integers(2000, 20000, count),  # milliseconds taken to answer
            rows[:, 5],  # type
        ]
    )


def build_collection(
    path: Path, cards: int = 100_000, reviews: int = 1_000_000, seed: int = 0
) -> dict[str, Any]:
    """Create the benchmark collection at `path` (must not exist). Returns timings and counts."""
    if path.exists():
        raise FileExistsError(path)
    rng = np.random.default_rng(seed)
    timings: dict[str, float] = {}
    start = clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = round(now - clock, 2)
        clock = now

    col = Collection(str(path))
    deck_id = col.decks.id(DECK_NAME)
    assert deck_id is not None
    notetype = col.models.by_name("Basic")
    assert notetype is not None
    requests = []
    for i in range(cards):
        note = col.new_note(notetype)
        note["Front"] = f"Question {i}: what is {i} squared?"
        note["Back"] = f"{i * i}"
        requests.append(AddNoteRequest(note=note, deck_id=deck_id))
    col.add_notes(requests)
    del requests
    lap("add_notes_s")
    # A two-year-old collection: creation day and note/card creation times moved into the past.
    shift_ms = CREATED_DAYS_AGO * DAY * 1000

    def backdate() -> None:
        assert col.db is not None
        col.db.execute("update col set crt = crt - ?", CREATED_DAYS_AGO * DAY)
        col.db.execute("update notes set id = id - ?", shift_ms)
        col.db.execute("update cards set id = id - ?, nid = nid - ?", shift_ms, shift_ms)

    assert col.db is not None
    col.db.transact(backdate)
    col.close()
    col = Collection(str(path))  # reopen so the scheduler's notion of "today" follows crt
    assert col.db is not None
    card_ids = sorted(int(c) for c in col.find_cards(f'"deck:{DECK_NAME}"'))
    today, day_start = col.sched.today, col.sched.day_cutoff - DAY
    revlog, card_rows = _history(rng, card_ids, reviews, today, day_start, int(time.time()))
    lap("generate_history_s")
    mod = int(time.time())

    def insert() -> None:
        assert col.db is not None
        for lo in range(0, len(revlog), INSERT_CHUNK):
            col.db.executemany(
                "insert into revlog (id,cid,usn,ease,ivl,lastIvl,factor,time,type) "
                "values (?,?,?,?,?,?,?,?,?)",
                revlog[lo : lo + INSERT_CHUNK].tolist(),
            )
        col.db.executemany(
            "update cards set type=?, queue=?, due=?, ivl=?, factor=?, reps=?, lapses=?, "
            f"left=?, mod={mod}, usn=0 where id=?",
            card_rows,
        )

    col.db.transact(insert)
    lap("insert_revlog_and_cards_s")
    # FSRS on, the way the deck options screen does it: anki computes every card's memory state
    # (stability, difficulty) from its review log. Daily review limit raised for the loop.
    for_update = col.decks.get_deck_configs_for_update(deck_id)
    config = next(
        c.config for c in for_update.all_config if c.config.id == for_update.current_deck.config_id
    )
    config.config.reviews_per_day = REVIEWS_PER_DAY
    col.decks.update_deck_configs(
        UpdateDeckConfigs(
            target_deck_id=deck_id,
            configs=[config],
            limits=for_update.current_deck.limits,
            new_cards_ignore_review_limit=for_update.new_cards_ignore_review_limit,
            apply_all_parent_limits=for_update.apply_all_parent_limits,
            fsrs=True,
            fsrs_health_check=False,
        )
    )
    lap("enable_fsrs_memory_states_s")
    problems, _ = col.fix_integrity()  # also records each card's last review time
    lap("check_database_s")
    col.decks.select(deck_id)
    counts = {
        "cards": col.card_count(),
        "revlog_rows": col.db.scalar("select count() from revlog"),
        "with_memory_state": col.db.scalar("select count() from cards where data like '%\"s\":%'"),
        "due_reviews_today": col.db.scalar(
            "select count() from cards where queue = 2 and due <= ?", today
        ),
        "new": col.db.scalar("select count() from cards where queue = 0"),
        "learning": col.db.scalar("select count() from cards where queue = 1"),
    }
    fsrs_on = bool(col.get_config("fsrs", False))
    col.close()
    return {
        "build_s": round(time.perf_counter() - start, 2),
        "steps_s": timings,
        "check_database_report": problems,
        "fsrs": fsrs_on,
        "counts": counts,
        "file_mib": round(path.stat().st_size / 2**20, 1),
    }


def cached_collection(cards: int, reviews: int, seed: int) -> tuple[Path, dict[str, Any]]:
    """The benchmark collection under benchmarks/out/, built if missing, and its build report
    (kept beside it as JSON, with "cached": true when reused).

    Keyed by parameters, anki version and the day (due dates are relative to the build day), so
    an older file is replaced rather than reused.
    """
    OUT_DIR.mkdir(exist_ok=True)
    day = time.strftime("%Y%m%d", time.localtime(time.time() - 4 * 3600))  # anki's 4 am rollover
    stem = f"anki_peer_c{cards}_r{reviews}_s{seed}_a{ANKI_VERSION}_f{BUILD_FORMAT}_{day}"
    path, report_path = OUT_DIR / f"{stem}.anki2", OUT_DIR / f"{stem}.json"
    if path.exists() and report_path.exists():
        report: dict[str, Any] = json.loads(report_path.read_text())
        return path, {**report, "cached": True}
    for old in OUT_DIR.glob("anki_peer_*"):
        if old.is_dir():
            shutil.rmtree(old)
        else:
            old.unlink()
    with tempfile.TemporaryDirectory(dir=OUT_DIR) as scratch:
        building = Path(scratch) / "collection.anki2"
        report = build_collection(building, cards, reviews, seed)
        building.replace(path)
    report_path.write_text(json.dumps(report, indent=2))
    return path, {**report, "cached": False}


# Measurements
##########################################################################


def answer_card_p99(col: Collection, n: int = 2000) -> dict[str, Any]:
    """Answer up to `n` queued cards (fewer if the queue runs dry) with the fixed rating
    pattern through the v3 scheduler.

    Times `answer_card` alone, the fetch of the next queued card, their sum per answer
    (build_answer + answer_card + get_queued_cards + wrapping the next card), and apart from
    that sum, rendering the next card's question.
    """
    sched = col.sched
    assert isinstance(sched, V3Scheduler), "the v3 scheduler is anki's only live one"
    start = time.perf_counter_ns()
    queued = sched.get_queued_cards()
    first_fetch = time.perf_counter_ns() - start
    answer_ns, fetch_ns, both_ns, render_ns = [], [], [], []
    kinds = {"new": 0, "learning": 0, "review": 0}
    for i in range(n):
        if not queued.cards:
            break
        top = queued.cards[0]
        kinds[("new", "learning", "review")[min(top.queue, 2)]] += 1
        card = Card(col, backend_card=top.card)
        card.start_timer()  # build_answer reads the time taken from the card's timer
        t0 = time.perf_counter_ns()
        answer = sched.build_answer(
            card=card, states=top.states, rating=RATING_CYCLE[i % len(RATING_CYCLE)]
        )
        t1 = time.perf_counter_ns()
        sched.answer_card(answer)
        t2 = time.perf_counter_ns()
        queued = sched.get_queued_cards()
        following = Card(col, backend_card=queued.cards[0].card) if queued.cards else None
        t3 = time.perf_counter_ns()
        if following is not None:
            following.question()  # what a reviewer shows next; timed apart from the domain
            render_ns.append(time.perf_counter_ns() - t3)
        answer_ns.append(t2 - t1)
        fetch_ns.append(t3 - t2)
        both_ns.append(t3 - t0)
    return {
        "answers": len(answer_ns),
        "first_get_queued_cards_ms": round(first_fetch / 1e6, 1),
        "answered_from_queue": kinds,
        "answer_card_ms": summary_ms(answer_ns),
        "get_next_queued_card_ms": summary_ms(fetch_ns),
        "answer_plus_next_card_ms": summary_ms(both_ns),
        "render_next_question_ms": summary_ms(render_ns),
    }


_OPEN_CHILD = """
import time
t_start = time.monotonic()
import json, sys
from anki.collection import Collection
from anki.cards import Card
t_imported = time.monotonic()
col = Collection(sys.argv[1])
t_opened = time.monotonic()
queued = col.sched.get_queued_cards()
question = Card(col, backend_card=queued.cards[0].card).question()
t_first = time.monotonic()
status = open("/proc/self/status").read().split("VmHWM:")[1]
col.close()
print(json.dumps({"t_start": t_start, "t_imported": t_imported, "t_opened": t_opened,
    "t_first": t_first, "question_chars": len(question),
    "peak_rss_kib": int(status.split()[0])}))
"""


def open_and_first_card(path: Path, runs: int = 7) -> dict[str, Any]:
    """Process start -> open `path` -> first queued card's question rendered, in fresh processes.

    CLOCK_MONOTONIC is system-wide on Linux, so the parent's reading just before spawning and the
    child's readings share one time line: interpreter start-up is included.
    """
    stages: dict[str, list[float]] = {
        "process_start_to_first_card": [],
        "interpreter_startup": [],
        "import_anki": [],
        "open_collection": [],
        "first_card_and_question": [],
    }
    rss = []
    for _ in range(runs):
        spawned = time.monotonic()
        child = _child(["-c", _OPEN_CHILD, str(path)])
        marks = [spawned, child["t_start"], child["t_imported"], child["t_opened"]]
        stages["process_start_to_first_card"].append(child["t_first"] - spawned)
        for name, begin, end in zip(
            list(stages)[1:], marks, [*marks[1:], child["t_first"]], strict=True
        ):
            stages[name].append(end - begin)
        rss.append(child["peak_rss_kib"] / 1024)
    result: dict[str, Any] = {"runs": runs}
    for name, values in stages.items():
        result[f"{name}_ms_median"] = round(statistics.median(values) * 1000, 1)
    result["process_start_to_first_card_ms_all"] = [
        round(v * 1000, 1) for v in stages["process_start_to_first_card"]
    ]
    result["peak_rss_mib_max"] = round(max(rss), 1)
    return result


def _child(args: Sequence[str]) -> dict[str, Any]:
    """Run this interpreter on `args`; its stdout is JSON. A failure shows the child's stderr."""
    out = subprocess.run([sys.executable, *args], capture_output=True, text=True, check=False)
    if out.returncode:
        raise RuntimeError(f"{args[:2]} failed:\n{out.stderr}")
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def run_all(cards: int, reviews: int, seed: int, answers: int) -> dict[str, Any]:
    """Build (or reuse) the collection, then measure on throwaway copies of it."""
    started = time.perf_counter()
    path, build = cached_collection(cards, reviews, seed)
    with tempfile.TemporaryDirectory() as scratch:
        open_copy = Path(scratch) / "open" / "collection.anki2"
        answer_copy = Path(scratch) / "answer" / "collection.anki2"
        for copy in (open_copy, answer_copy):
            copy.parent.mkdir()
            shutil.copyfile(path, copy)
        opening = open_and_first_card(open_copy)
        answering = _child([__file__, "answer-child", str(answer_copy), f"--answers={answers}"])
    baseline = []
    for _ in range(7):
        spawned = time.monotonic()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        baseline.append(time.monotonic() - spawned)
    return {
        "benchmark": "anki_peer",
        "anki_version": ANKI_VERSION,
        "python": sys.version.split()[0],
        "parameters": {"cards": cards, "reviews": reviews, "seed": seed, "answers": answers},
        "collection": str(path),
        "build": build,
        "answer": answering,
        "open_and_first_card": opening,
        "bare_python_start_ms_median": round(statistics.median(baseline) * 1000, 1),
        "script_s": round(time.perf_counter() - started, 1),
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("mode", nargs="?", default="all", choices=["all", "answer-child"])
    parser.add_argument("path", nargs="?", help="collection (answer-child only)")
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--answers", type=int, default=2000)
    args = parser.parse_args(argv)
    if args.mode == "answer-child":
        start = time.perf_counter()
        col = Collection(args.path)
        opened_ms = round((time.perf_counter() - start) * 1000, 1)
        result = answer_card_p99(col, args.answers)
        result["open_collection_ms"] = opened_ms
        result["peak_rss_mib"] = peak_rss_mib()
        col.close()
    else:
        result = run_all(args.cards, args.reviews, args.seed, args.answers)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
