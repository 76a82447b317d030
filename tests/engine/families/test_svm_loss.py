"""The SVM margin from numpy least squares, the hinge loss from a linear program (scipy), and
loss and cost from numpy and scipy's xlogy."""

from __future__ import annotations

import math
import statistics

import numpy as np
from draft_checks import (
    assert_mistakes_distinct,
    close,
    float_list_param,
    float_param,
    int_param,
    number,
    numbers_by_id,
)
from scipy.optimize import linprog
from scipy.special import xlogy

from quizdl.engine.registry import families

SEEDS = range(200)
SVM = families()["svm-margin-hinge"]
LOSS_COST = families()["loss-vs-cost"]


def margin_by_least_squares(w: np.ndarray, b: float) -> float:
    """Distance between w·x + b = 1 and w·x + b = −1: a point on the first plane (minimum-norm
    solution) and its nearest point on the second (minimum-norm correction)."""
    row = w[None, :]
    on_plus = np.linalg.lstsq(row, np.array([1 - b]), rcond=None)[0]
    step = np.linalg.lstsq(row, np.array([-1 - b - float(w @ on_plus)]), rcond=None)[0]
    return float(np.linalg.norm(step))


def hinge_by_linear_program(w: np.ndarray, b: float, x: np.ndarray, y: float) -> float:
    """The smallest slack ξ ≥ 0 with y(w·x + b) ≥ 1 − ξ, as the soft-margin SVM defines it."""
    score = float(w @ x) + b
    result = linprog(c=[1.0], A_ub=[[-1.0]], b_ub=[-(1 - y * score)], bounds=[(0, None)])
    assert result.success
    return float(result.x[0])


def test_svm_margin_and_hinge_match_independent_computations() -> None:
    variants = set()
    hinge_zero = without_mistakes = 0
    for seed in SEEDS:
        draft = SVM.generate(seed).draft
        variant = draft.params["variant"]
        w, b = np.array(float_list_param(draft, "w")), float_param(draft, "b")
        assert len(w) == draft.params["dims"]
        if variant == "margin":
            expected = margin_by_least_squares(w, b)
            assert math.isclose(number(draft.answer), expected, rel_tol=1e-9)
        else:
            x, y = np.array(float_list_param(draft, "x")), float_param(draft, "y")
            expected = hinge_by_linear_program(w, b, x, y)
            assert math.isclose(number(draft.answer), expected, rel_tol=1e-9, abs_tol=1e-9)
            hinge_zero += number(draft.answer) == 0.0
        assert_mistakes_distinct(draft)
        without_mistakes += not draft.mistakes
        variants.add(variant)
    assert variants == {"margin", "hinge"}
    assert 0 < hinge_zero
    # Rare draws leave no distinct mistake (a hinge point exactly on its margin, y·s = 1).
    assert without_mistakes <= len(SEEDS) // 50


def test_loss_and_cost_match_numpy() -> None:
    cases = set()
    for seed in SEEDS:
        draft = LOSS_COST.generate(seed).draft
        y = np.array(float_list_param(draft, "y"))
        y_hat = np.array(float_list_param(draft, "y_hat"))
        if draft.params["loss"] == "squared":
            losses = (y - y_hat) ** 2
        else:
            losses = -(xlogy(y, y_hat) + xlogy(1 - y, 1 - y_hat))
        if draft.params["ask"] == "cost":
            expected = statistics.fmean(losses.tolist())
            total = float(losses.sum())
            assert close(numbers_by_id(draft).get("sum-not-mean", total), total)
        else:
            expected = float(losses[int_param(draft, "k") - 1])
        assert close(number(draft.answer), expected)
        assert len(y) == draft.params["samples"]
        assert_mistakes_distinct(draft)
        cases.add((draft.params["loss"], draft.params["ask"]))
    assert len(cases) == 4


def test_same_seed_same_question_and_card_ranges() -> None:
    for seed in range(50):
        assert SVM.generate(seed) == SVM.generate(seed)
        assert LOSS_COST.generate(seed) == LOSS_COST.generate(seed)
        draft = SVM.generate(seed, {"dims": (3, 3), "bias": (0.5, 0.5)}).draft
        assert draft.params["dims"] == 3 and draft.params["b"] == 0.5
        assert LOSS_COST.generate(seed, {"samples": (4, 4)}).draft.params["samples"] == 4
