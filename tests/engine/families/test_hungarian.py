"""The Hungarian family checked by brute force over itertools.permutations and by
scipy.optimize.linear_sum_assignment; the engine's O(n³) solver checked the same way on
random matrices, negative costs included."""

from __future__ import annotations

import itertools

import numpy as np
from draft_checks import int_list, mistake_value
from scipy.optimize import linear_sum_assignment

from quizdl.engine.families.hungarian import hungarian, is_unique_optimum
from quizdl.engine.question import AnswerValue, Draft
from quizdl.engine.registry import families

SEEDS = range(200)
FAMILY = families()["hungarian-assignment"]


def matrix(draft: Draft) -> list[list[int]]:
    cost = draft.params["cost"]
    assert isinstance(cost, list)
    rows = [int_list(row) for row in cost]
    assert all(len(row) == len(rows) == draft.params["n"] for row in rows)
    assert all(1 <= c <= 20 for row in rows for c in row)
    return rows


def totals(cost: list[list[int]]) -> dict[tuple[int, ...], int]:
    n = len(cost)
    return {
        perm: sum(cost[i][perm[i]] for i in range(n)) for perm in itertools.permutations(range(n))
    }


def one_based(columns: tuple[int, ...] | list[int]) -> tuple[float, ...]:
    return tuple(float(j + 1) for j in columns)


def test_answer_matches_brute_force_and_scipy() -> None:
    asks = set()
    for seed in SEEDS:
        draft = FAMILY.generate(seed).draft
        cost = matrix(draft)
        by_perm = totals(cost)
        best = min(by_perm.values())
        rows, cols = linear_sum_assignment(np.array(cost))
        assert int(np.array(cost)[rows, cols].sum()) == best
        asks.add(draft.params["ask"])
        if draft.params["ask"] == "cost":
            assert draft.answer == float(best)
            assert draft.kind == "number"
        else:
            optimal = [perm for perm, total in by_perm.items() if total == best]
            assert len(optimal) == 1, (seed, "the asked assignment must be unique")
            assert draft.answer == one_based(optimal[0]) == one_based(list(cols))
            assert draft.kind == "vector"
    assert asks == {"cost", "assignment"}


def test_mistakes_are_the_named_errors_and_rejected() -> None:
    seen: set[str] = set()
    for seed in SEEDS:
        draft = FAMILY.generate(seed).draft
        cost = matrix(draft)
        by_perm = totals(cost)
        worst_total = max(by_perm.values())
        # Greedy, written out independently: each row in turn takes its cheapest free column.
        free, greedy = set(range(len(cost))), []
        for row in cost:
            pick = min(sorted(free), key=lambda j: (row[j], j))
            greedy.append(pick)
            free.discard(pick)
        values = [draft.answer, *(m.value for m in draft.mistakes)]
        greedy_value = mistake_value(draft, "greedy")
        row_minima = mistake_value(draft, "row-minima-sum")
        maximised = mistake_value(draft, "maximised")
        if draft.params["ask"] == "cost":
            expected_greedy: AnswerValue = float(sum(cost[i][j] for i, j in enumerate(greedy)))
            expected_minima: AnswerValue = float(sum(min(row) for row in cost))
            worst: list[AnswerValue] = [float(worst_total)]
        else:
            expected_greedy = one_based(greedy)
            expected_minima = one_based([row.index(min(row)) for row in cost])
            worst = [one_based(p) for p, total in by_perm.items() if total == worst_total]
        # A mistake left out must coincide with the answer or with a mistake kept before it.
        assert (greedy_value or draft.answer) == expected_greedy
        assert (row_minima or expected_minima) == expected_minima
        assert row_minima is not None or expected_minima in values
        assert (maximised in worst) if maximised is not None else any(w in values for w in worst)
        seen.update(m.id for m in draft.mistakes)
        assert len(set(values)) == len(values)  # integers: distinct means told apart
        assert draft.rel_tol == 0 and draft.abs_tol < 0.5
    assert seen == {"greedy", "row-minima-sum", "maximised"}


def test_solver_matches_scipy_with_a_valid_dual_certificate() -> None:
    rng = np.random.default_rng(3)
    for _ in range(500):
        n = int(rng.integers(1, 9))
        cost = rng.integers(-30, 31, size=(n, n))
        columns, u, v = hungarian(cost.tolist())
        rows, cols = linear_sum_assignment(cost)
        assert sorted(columns) == list(range(n))
        total = int(cost[range(n), columns].sum())
        assert total == int(cost[rows, cols].sum()) == sum(u) + sum(v)
        assert (np.add.outer(np.array(u), np.array(v)) <= cost).all()


def test_uniqueness_test_matches_brute_force() -> None:
    rng = np.random.default_rng(4)
    unique_seen = {True: 0, False: 0}
    for _ in range(1500):
        n = int(rng.integers(2, 6))
        cost = rng.integers(1, int(rng.integers(3, 21)), size=(n, n)).tolist()
        columns, u, v = hungarian(cost)
        values = sorted(totals(cost).values())
        unique = values[1] > values[0]
        assert is_unique_optimum(cost, columns, u, v) == unique
        unique_seen[unique] += 1
    assert min(unique_seen.values()) > 100


def test_same_seed_same_question() -> None:
    for seed in range(30):
        assert FAMILY.generate(seed) == FAMILY.generate(seed)


def test_narrowed_size() -> None:
    for seed in range(50):
        draft = FAMILY.generate(seed, {"n": (5, 5)}).draft
        assert len(matrix(draft)) == 5
