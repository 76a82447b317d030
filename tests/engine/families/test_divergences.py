"""KL and JS families checked against scipy: scipy.stats.entropy(p, q) is KL(P‖Q) and
scipy.spatial.distance.jensenshannon(p, q) is √JS(P‖Q), each in the asked base."""

from __future__ import annotations

import math

from draft_checks import assert_mistakes_distinct, int_list, number, numbers_by_id
from scipy.spatial.distance import jensenshannon
from scipy.stats import entropy

from quizdl.engine.question import Draft
from quizdl.engine.registry import families

SEEDS = range(200)
KL = families()["kl-divergence"]
JS = families()["js-divergence"]


def distributions(draft: Draft) -> tuple[list[float], list[float]]:
    """P and Q as drawn (in hundredths), checked to be what the prompt promises."""
    p, q = int_list(draft.params["p_percent"]), int_list(draft.params["q_percent"])
    for percents in (p, q):
        assert all(c >= 5 for c in percents) and sum(percents) == 100
        assert len(percents) == draft.params["outcomes"]
    shown_p = ", ".join(f"{c / 100:.2f}" for c in p)
    assert f"P = ({shown_p})" in draft.prompt.en
    return [c / 100 for c in p], [c / 100 for c in q]


def base_of(draft: Draft) -> float:
    unit = draft.params["unit"]
    assert unit in ("nats", "bits") and unit in draft.prompt.en
    return 2.0 if unit == "bits" else math.e


def other_base(base: float) -> float:
    return math.e if base == 2.0 else 2.0


def test_kl_matches_scipy_entropy() -> None:
    units = set()
    for seed in SEEDS:
        draft = KL.generate(seed).draft
        p, q = distributions(draft)
        base = base_of(draft)
        units.add(base)
        expected = float(entropy(p, q, base=base))
        assert math.isclose(number(draft.answer), expected, rel_tol=1e-12)
        assert float(entropy(p, q)) >= 0.05  # P and Q clearly apart
        unit_slip = numbers_by_id(draft).get("nats-vs-bits")
        assert unit_slip is not None
        assert math.isclose(unit_slip, float(entropy(p, q, base=other_base(base))), rel_tol=1e-12)
        reversed_kl = numbers_by_id(draft).get("reversed")
        if reversed_kl is not None:
            assert math.isclose(reversed_kl, float(entropy(q, p, base=base)), rel_tol=1e-12)
        assert_mistakes_distinct(draft)
    assert units == {2.0, math.e}


def test_js_matches_scipy_jensenshannon() -> None:
    for seed in SEEDS:
        draft = JS.generate(seed).draft
        p, q = distributions(draft)
        base = base_of(draft)
        expected = float(jensenshannon(p, q, base=base)) ** 2
        assert math.isclose(number(draft.answer), expected, rel_tol=1e-9)
        assert 0 < number(draft.answer) <= (1.0 if base == 2.0 else math.log(2))
        unit_slip = numbers_by_id(draft).get("nats-vs-bits")
        assert unit_slip is not None
        assert math.isclose(
            unit_slip, float(jensenshannon(p, q, base=other_base(base))) ** 2, rel_tol=1e-9
        )
        doubled = numbers_by_id(draft).get("forgot-half")
        assert doubled is not None and math.isclose(doubled, 2 * expected, rel_tol=1e-9)
        used_kl = numbers_by_id(draft).get("used-kl")
        if used_kl is not None:
            assert math.isclose(used_kl, float(entropy(p, q, base=base)), rel_tol=1e-12)
        assert_mistakes_distinct(draft)


def test_same_seed_same_question() -> None:
    for family in (KL, JS):
        for seed in range(30):
            assert family.generate(seed) == family.generate(seed)


def test_narrowed_outcomes() -> None:
    for family in (KL, JS):
        for seed in range(50):
            draft = family.generate(seed, {"outcomes": (2, 2)}).draft
            assert draft.params["outcomes"] == 2
            p, q = distributions(draft)
            assert len(p) == len(q) == 2
