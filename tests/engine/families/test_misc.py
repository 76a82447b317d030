"""The remaining families checked against scipy (KL, entropy, softmax, a linear program for
the hinge slack), numpy least squares for the margin, the d-ball volume formula and a
Monte-Carlo estimate, and pixel sets counted one by one for IoU."""

from __future__ import annotations

import math
import statistics

import numpy as np
import pytest
from scipy.optimize import linprog
from scipy.special import softmax, xlogy
from scipy.stats import entropy

from quizdl.engine.families.misc import fmt4, short
from quizdl.engine.fmt import num
from quizdl.engine.question import Draft, Family
from quizdl.engine.registry import families

SEEDS = range(200)
SPARSE = families()["sparse-ae-kl"]
CONDITIONAL = families()["tsne-conditional"]
PERPLEXITY = families()["tsne-perplexity"]
VOLUME = families()["volume-concentration"]
SVM = families()["svm-margin-hinge"]
LOSS_COST = families()["loss-vs-cost"]
IOU = families()["mask-iou"]
ALL = [SPARSE, CONDITIONAL, PERPLEXITY, VOLUME, SVM, LOSS_COST, IOU]


def number(value: object) -> float:
    assert isinstance(value, float)
    return value


def floats(draft: Draft, key: str) -> list[float]:
    value = draft.params[key]
    assert isinstance(value, list)
    return [float(v) for v in value]  # type: ignore[arg-type]


def scalar(draft: Draft, key: str) -> float:
    value = draft.params[key]
    assert isinstance(value, int | float)
    return float(value)


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def by_id(draft: Draft) -> dict[str, float]:
    return {m.id: number(m.value) for m in draft.mistakes}


@pytest.mark.parametrize("family", ALL, ids=lambda f: f.id)
def test_mistakes_are_distinct_from_the_answer_and_each_other(family: Family) -> None:
    without_mistakes = 0
    for seed in SEEDS:
        draft = family.generate(seed).draft
        values = [number(draft.answer), *(number(m.value) for m in draft.mistakes)]
        for i, a in enumerate(values):
            for b in values[i + 1 :]:
                assert not math.isclose(a, b, rel_tol=draft.rel_tol, abs_tol=draft.abs_tol)
        without_mistakes += not draft.mistakes
    # Rare draws leave no distinct mistake (a hinge point exactly on its margin, y·s = 1).
    assert without_mistakes <= len(SEEDS) // 50


@pytest.mark.parametrize("family", ALL, ids=lambda f: f.id)
def test_same_seed_same_question(family: Family) -> None:
    for seed in range(50):
        assert family.generate(seed) == family.generate(seed)


def test_sparse_penalty_matches_scipy_kl() -> None:
    betas = set()
    checked = 0
    for seed in SEEDS:
        draft = SPARSE.generate(seed).draft
        rho, beta, hats = scalar(draft, "rho"), scalar(draft, "beta"), floats(draft, "rho_hat")
        target = [rho, 1 - rho]
        expected = beta * sum(entropy(target, [h, 1 - h]) for h in hats)
        assert close(number(draft.answer), expected)
        mistakes = by_id(draft)
        swapped = beta * sum(entropy([h, 1 - h], target) for h in hats)
        in_bits = beta * sum(entropy(target, [h, 1 - h], base=2) for h in hats)
        # A mistake that coincides with an earlier one is left out of that question.
        assert close(mistakes.get("swapped-arguments", swapped), swapped)
        assert close(mistakes.get("log-base-2", in_bits), in_bits)
        checked += "swapped-arguments" in mistakes and "log-base-2" in mistakes
        assert ("forgot-beta" in mistakes) == (beta != 1.0)
        betas.add(beta)
    assert len(betas) > 1
    assert checked > len(SEEDS) // 2


def test_tsne_conditional_matches_a_softmax() -> None:
    for seed in SEEDS:
        draft = CONDITIONAL.generate(seed).draft
        ds, sigma = np.array(floats(draft, "d")), scalar(draft, "sigma")
        j = int(scalar(draft, "j"))
        p = softmax(-(ds**2) / (2 * sigma**2))
        assert close(number(draft.answer), float(p[j - 1]))
        mistakes = by_id(draft)
        if "forgot-2" in mistakes:
            assert close(mistakes["forgot-2"], float(softmax(-(ds**2) / sigma**2)[j - 1]))
        if "distance-not-squared" in mistakes:
            wrong = softmax(-ds / (2 * sigma**2))[j - 1]
            assert close(mistakes["distance-not-squared"], float(wrong))


def test_tsne_perplexity_matches_scipy_entropy() -> None:
    for seed in SEEDS:
        draft = PERPLEXITY.generate(seed).draft
        p = floats(draft, "p")
        assert math.isclose(sum(p), 1.0, rel_tol=1e-12) and min(p) > 0
        assert close(number(draft.answer), 2 ** entropy(p, base=2))
        assert close(number(draft.answer), math.exp(entropy(p)))  # the same in nats
        assert number(draft.answer) <= len(p)  # at most the uniform distribution's


def ball_volume(d: int, r: float) -> float:
    """Volume of the d-dimensional ball of radius r: π^(d/2)·rᵈ / Γ(d/2 + 1)."""
    return math.exp(d / 2 * math.log(math.pi) + d * math.log(r) - math.lgamma(d / 2 + 1))


def test_volume_fraction_matches_ball_volumes() -> None:
    for seed in SEEDS:
        draft = VOLUME.generate(seed).draft
        d, eps = int(scalar(draft, "dimension")), scalar(draft, "epsilon")
        shell = ball_volume(d, 1.0) - ball_volume(d, 1.0 - eps)
        assert math.isclose(number(draft.answer), shell / ball_volume(d, 1.0), rel_tol=1e-9)


@pytest.mark.parametrize("d", [2, 3, 4])
def test_volume_fraction_matches_monte_carlo(d: int) -> None:
    rng = np.random.default_rng(2024)
    points = rng.uniform(-1, 1, size=(400_000, d))
    radii = np.linalg.norm(points, axis=1)
    inside = radii[radii <= 1]
    for seed in range(10):
        draft = VOLUME.generate(seed, {"dimension": (d, d)}).draft
        assert draft.params["dimension"] == d
        eps = scalar(draft, "epsilon")
        estimate = float(np.mean(inside > 1 - eps))
        error = math.sqrt(estimate * (1 - estimate) / inside.size)
        assert abs(number(draft.answer) - estimate) < 5 * error + 1e-4


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
    hinge_zero = 0
    for seed in SEEDS:
        draft = SVM.generate(seed).draft
        variant = draft.params["variant"]
        w, b = np.array(floats(draft, "w")), scalar(draft, "b")
        assert len(w) == draft.params["dims"]
        if variant == "margin":
            expected = margin_by_least_squares(w, b)
            assert math.isclose(number(draft.answer), expected, rel_tol=1e-9)
        else:
            x, y = np.array(floats(draft, "x")), scalar(draft, "y")
            expected = hinge_by_linear_program(w, b, x, y)
            assert math.isclose(number(draft.answer), expected, rel_tol=1e-9, abs_tol=1e-9)
            hinge_zero += number(draft.answer) == 0.0
        variants.add(variant)
    assert variants == {"margin", "hinge"}
    assert 0 < hinge_zero


def test_loss_and_cost_match_numpy() -> None:
    cases = set()
    for seed in SEEDS:
        draft = LOSS_COST.generate(seed).draft
        y, y_hat = np.array(floats(draft, "y")), np.array(floats(draft, "y_hat"))
        if draft.params["loss"] == "squared":
            losses = (y - y_hat) ** 2
        else:
            losses = -(xlogy(y, y_hat) + xlogy(1 - y, 1 - y_hat))
        if draft.params["ask"] == "cost":
            expected = statistics.fmean(losses.tolist())
            total = float(losses.sum())
            assert close(by_id(draft).get("sum-not-mean", total), total)
        else:
            expected = float(losses[int(scalar(draft, "k")) - 1])
        assert close(number(draft.answer), expected)
        assert len(y) == draft.params["samples"]
        cases.add((draft.params["loss"], draft.params["ask"]))
    assert len(cases) == 4


def pixels(rows: object) -> set[tuple[int, int]]:
    assert isinstance(rows, list)
    return {(r, c) for r, row in enumerate(rows) for c, ch in enumerate(str(row)) if ch == "1"}


def box_cells(box: object, inclusive: bool = False) -> set[tuple[int, int]]:
    """The unit cells covered by a box given by its corners; `inclusive` also counts the
    cells starting on x₂ and y₂ (the pixel convention)."""
    assert isinstance(box, list)
    x1, y1, x2, y2 = (int(v) for v in box)
    end = 1 if inclusive else 0
    return {(x, y) for x in range(x1, x2 + end) for y in range(y1, y2 + end)}


def test_iou_matches_pixel_counting() -> None:
    variants = set()
    plus_one_checked = 0
    for seed in SEEDS:
        draft = IOU.generate(seed).draft
        if draft.params["variant"] == "grid":
            a, b = pixels(draft.params["a"]), pixels(draft.params["b"])
        else:
            a, b = box_cells(draft.params["a"]), box_cells(draft.params["b"])
            wide_a = box_cells(draft.params["a"], inclusive=True)
            wide_b = box_cells(draft.params["b"], inclusive=True)
            plus_one = len(wide_a & wide_b) / len(wide_a | wide_b)
            assert close(by_id(draft).get("plus-one-convention", plus_one), plus_one)
            plus_one_checked += "plus-one-convention" in by_id(draft)
        assert a & b, "the masks always overlap"
        assert close(number(draft.answer), len(a & b) / len(a | b))
        mistakes = by_id(draft)
        if "dice" in mistakes:
            assert close(mistakes["dice"], 2 * len(a & b) / (len(a) + len(b)))
        variants.add(draft.params["variant"])
    assert variants == {"grid", "box"}
    assert plus_one_checked > len(SEEDS) // 4


def test_grid_prompt_shows_the_masks() -> None:
    for seed in range(20):
        draft = IOU.generate(seed).draft
        if draft.params["variant"] != "grid":
            continue
        rows_a, rows_b = draft.params["a"], draft.params["b"]
        assert isinstance(rows_a, list) and isinstance(rows_b, list)
        for ra, rb in zip(rows_a, rows_b, strict=True):
            assert f"{' '.join(str(ra))}    {' '.join(str(rb))}" in draft.prompt.en


def test_fast_formatting_agrees_with_fmt_num() -> None:
    rng = np.random.default_rng(1)
    for x in [0.0, -0.0, 5.0, -3.25, *rng.uniform(-999, 999, 1000)]:
        assert short(x) == num(x) and fmt4(x) == num(x)
    for x in (3e-9, 1e-5, 54321.0):
        assert fmt4(x) == num(x)


def test_card_ranges_are_respected() -> None:
    for seed in range(50):
        assert SPARSE.generate(seed, {"units": (3, 3)}).draft.params["units"] == 3
        draft = CONDITIONAL.generate(seed, {"neighbours": (4, 4), "sigma": (1.0, 1.0)}).draft
        assert draft.params["neighbours"] == 4 and draft.params["sigma"] == 1.0
        assert PERPLEXITY.generate(seed, {"neighbours": (5, 5)}).draft.params["neighbours"] == 5
        draft = VOLUME.generate(seed, {"dimension": (50, 50), "epsilon": (0.05, 0.05)}).draft
        assert draft.params["dimension"] == 50 and draft.params["epsilon"] == 0.05
        draft = SVM.generate(seed, {"dims": (3, 3), "bias": (0.5, 0.5)}).draft
        assert draft.params["dims"] == 3 and draft.params["b"] == 0.5
        assert LOSS_COST.generate(seed, {"samples": (4, 4)}).draft.params["samples"] == 4
        draft = IOU.generate(seed, {"size": (5, 5)}).draft
        if draft.params["variant"] == "grid":
            assert draft.params["size"] == 5
