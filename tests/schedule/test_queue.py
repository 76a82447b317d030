from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from itertools import pairwise

from quizdl.schedule.queue import Entry, SessionQueue, interleave

T0 = datetime(2026, 1, 1, 9, tzinfo=UTC)


def entries(prefix: str, n: int, state: int, section: str = "") -> list[Entry]:
    return [Entry(f"{prefix}{i}", "t", section or f"{prefix}{i}", state, T0) for i in range(n)]


def test_new_cards_are_spread_evenly_among_reviews() -> None:
    merged = interleave(entries("r", 8, 2), entries("n", 4, 0))
    positions = [i for i, e in enumerate(merged) if e.card_id.startswith("n")]
    assert len(merged) == 12 and len(positions) == 4
    gaps = [b - a for a, b in pairwise(positions)]
    assert max(gaps) - min(gaps) <= 1  # evenly spaced
    assert [e.card_id for e in merged if e.card_id.startswith("r")] == [f"r{i}" for i in range(8)]


def test_only_new_or_only_reviews() -> None:
    assert [e.card_id for e in interleave([], entries("n", 3, 0))] == ["n0", "n1", "n2"]
    assert [e.card_id for e in interleave(entries("r", 2, 2), [])] == ["r0", "r1"]


def test_learning_cards_come_back_when_due_or_within_learn_ahead() -> None:
    queue = SessionQueue.build([], entries("r", 1, 2), [], timedelta(minutes=20))
    queue.add_learning(Entry("l", "t", "s", 1, T0 + timedelta(minutes=10)))
    assert queue.next(T0) is not None and queue.next(T0).card_id == "r0"  # type: ignore[union-attr]
    queue.remove("r0")
    assert queue.next(T0).card_id == "l"  # type: ignore[union-attr]  # nothing else: learn ahead
    queue.remove("l")
    queue.add_learning(Entry("l2", "t", "s", 1, T0 + timedelta(hours=2)))
    assert queue.next(T0) is None
    assert [e.card_id for e in queue.learning_after(T0 + timedelta(minutes=20))] == ["l2"]
    assert queue.next(T0 + timedelta(hours=2)).card_id == "l2"  # type: ignore[union-attr]


def test_due_learning_card_goes_before_reviews() -> None:
    queue = SessionQueue.build([], entries("r", 3, 2), [], timedelta(minutes=20))
    queue.add_learning(Entry("l", "t", "s", 1, T0 - timedelta(minutes=1)))
    assert queue.next(T0).card_id == "l"  # type: ignore[union-attr]


def test_siblings_leave_the_queue_and_skip_moves_to_the_back() -> None:
    same = [Entry(f"s{i}", "t", "sec", 2, T0) for i in range(3)]
    queue = SessionQueue.build([], [*same, Entry("x", "t", "other", 2, T0)], [], timedelta())
    queue.drop_siblings(same[0])
    assert [e.card_id for e in queue.main] == ["s0", "x"]
    queue.skip(same[0])
    assert [e.card_id for e in queue.main] == ["x", "s0"]
    assert queue.counts() == (0, 0, 2)


def recount(queue: SessionQueue) -> tuple[int, int, int]:
    """counts() by walking the whole queue."""
    new = sum(1 for e in queue.main if e.state == 0)
    learning = sum(1 for e in queue.main if e.state in (1, 3))
    return new, len(queue.learning) + learning, len(queue.main) - new - learning


def test_counts_follow_every_change_of_the_queue() -> None:
    rng = random.Random(3)
    sections = ["a", "b", "c", "d"]
    made = [
        Entry(f"c{i}", "t", rng.choice(sections), rng.choice([0, 1, 2, 3]), T0) for i in range(60)
    ]
    queue = SessionQueue.build(
        [e for e in made[:10] if e.state in (1, 3)],
        [e for e in made[10:] if e.state in (2, 3)],
        [e for e in made[10:] if e.state == 0],
        timedelta(minutes=20),
    )
    assert queue.counts() == recount(queue)
    for _ in range(400):
        entry = rng.choice(made)
        move = rng.randrange(5)
        if move == 0:
            queue.remove(entry.card_id)
        elif move == 1:
            queue.push_front(entry)
        elif move == 2:
            queue.skip(entry)
        elif move == 3:
            queue.drop_siblings(entry)
        else:
            queue.remove(entry.card_id)
            queue.add_learning(entry)
        assert queue.counts() == recount(queue)
