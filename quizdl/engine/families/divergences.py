"""KL and Jensen–Shannon divergences of small discrete distributions, in nats or bits."""

from __future__ import annotations

import math

from quizdl.engine.fmt import num
from quizdl.engine.question import Draft, Draw, Family, Mistake, ParamSpec, distinct_mistakes
from quizdl.kb.text import Text

REL_TOL = 5e-3
ABS_TOL = 1e-5
LN2 = math.log(2.0)
MIN_PERCENT = 5  # every probability at least 0.05, so no log term explodes
MIN_KL_NATS = 0.05  # P and Q clearly different, so the answer is not lost in rounding
UNITS = ("nats", "bits")


def percent_distribution(draw: Draw, outcomes: int) -> list[int]:
    """Probabilities in hundredths (each ≥ MIN_PERCENT) summing to 100: cut [0, 100] at
    `outcomes − 1` points, redrawn until every piece is wide enough."""
    while True:
        cuts = sorted(draw.ints(MIN_PERCENT, 100 - MIN_PERCENT, outcomes - 1))
        parts = [b - a for a, b in zip([0, *cuts], [*cuts, 100], strict=True)]
        if min(parts) >= MIN_PERCENT:
            return parts


def kl_nats(p: list[float], q: list[float]) -> float:
    return sum(pi * math.log(pi / qi) for pi, qi in zip(p, q, strict=True))


def js_nats(p: list[float], q: list[float]) -> float:
    m = [(pi + qi) / 2 for pi, qi in zip(p, q, strict=True)]
    return 0.5 * kl_nats(p, m) + 0.5 * kl_nats(q, m)


def _pair(draw: Draw) -> tuple[list[int], list[int]]:
    outcomes = draw.int("outcomes")
    while True:
        p = percent_distribution(draw, outcomes)
        q = percent_distribution(draw, outcomes)
        if kl_nats([x / 100 for x in p], [x / 100 for x in q]) >= MIN_KL_NATS:
            return p, q


def _shown(percents: list[int]) -> str:
    return "(" + ", ".join(f"{c / 100:.2f}" for c in percents) + ")"


def _in_unit(nats: float, unit: str) -> float:
    return nats / LN2 if unit == "bits" else nats


def _unit_mistake(nats: float, unit: str) -> Mistake:
    other = "nats" if unit == "bits" else "bits"
    base = {"nats": ("ln", "e"), "bits": ("log₂", "2")}
    return Mistake(
        "nats-vs-bits",
        Text(
            en=f"That is the value in {other}; {unit} use {base[unit][0]} "
            f"(1 bit = ln 2 ≈ 0.693 nats).",
            zh=f"这是以 {other} 为单位的值；{unit} 要用以 {base[unit][1]} 为底的对数"
            "（1 bit = ln 2 ≈ 0.693 nats）。",
        ),
        _in_unit(nats, other),
    )


def _kl_terms(p: list[int], q: list[int]) -> str:
    return " + ".join(f"{a / 100:.2f}·ln({a / 100:.2f}/{b / 100:.2f})" for a, b in zip(p, q))


def _unit_zh(unit: str) -> str:
    return "bit（以 2 为底）" if unit == "bits" else "nat（以 e 为底）"


def _kl_divergence(draw: Draw) -> Draft:
    p, q = _pair(draw)
    unit = draw.pick(UNITS)
    pf, qf = [x / 100 for x in p], [x / 100 for x in q]
    nats = kl_nats(pf, qf)
    answer = _in_unit(nats, unit)
    reversed_nats = kl_nats(qf, pf)
    mistakes = distinct_mistakes(
        answer,
        [
            _unit_mistake(nats, unit),
            Mistake(
                "reversed",
                Text(
                    en="That is KL(Q‖P); KL is not symmetric: KL(P‖Q) = Σ pᵢ log(pᵢ/qᵢ) "
                    "weights by P.",
                    zh="这是 KL(Q‖P)；KL 散度不对称：KL(P‖Q) = Σ pᵢ log(pᵢ/qᵢ)，以 P 加权。",
                ),
                _in_unit(reversed_nats, unit),
            ),
        ],
        rel_tol=REL_TOL,
        abs_tol=ABS_TOL,
    )
    return Draft(
        prompt=Text(
            en=f"Two distributions over {len(p)} outcomes: P = {_shown(p)}, Q = {_shown(q)}. "
            f"What is KL(P‖Q) in {unit}? (3 significant figures)",
            zh=f"{len(p)} 个结果上的两个分布：P = {_shown(p)}，Q = {_shown(q)}。"
            f"KL(P‖Q) 是多少？以 {_unit_zh(unit)} 为单位（保留 3 位有效数字）",
        ),
        kind="number",
        answer=answer,
        params={"outcomes": len(p), "p": [x / 100 for x in p], "q": [x / 100 for x in q],
                "unit": unit},
        solution=(
            Text.same(f"KL(P‖Q) = Σ pᵢ ln(pᵢ/qᵢ) = {_kl_terms(p, q)}"),
            Text.same(f"KL(P‖Q) = {num(nats, 6)} nats = {num(nats, 6)}/ln 2 = "
                      f"{num(nats / LN2, 6)} bits"),
            Text.same(f"KL(Q‖P) = {num(reversed_nats, 6)} nats ≠ KL(P‖Q)"),
        ),
        mistakes=mistakes,
        rel_tol=REL_TOL,
        abs_tol=ABS_TOL,
    )


def _js_divergence(draw: Draw) -> Draft:
    p, q = _pair(draw)
    unit = draw.pick(UNITS)
    pf, qf = [x / 100 for x in p], [x / 100 for x in q]
    m = [(a + b) / 2 for a, b in zip(pf, qf, strict=True)]
    kl_pm, kl_qm = kl_nats(pf, m), kl_nats(qf, m)
    nats = 0.5 * kl_pm + 0.5 * kl_qm
    answer = _in_unit(nats, unit)
    mistakes = distinct_mistakes(
        answer,
        [
            _unit_mistake(nats, unit),
            Mistake(
                "forgot-half",
                Text(
                    en="That adds KL(P‖M) + KL(Q‖M); JS is their average, ½KL(P‖M) + ½KL(Q‖M).",
                    zh="这里直接相加了 KL(P‖M) + KL(Q‖M)；JS 是二者的平均：½KL(P‖M) + ½KL(Q‖M)。",
                ),
                _in_unit(kl_pm + kl_qm, unit),
            ),
            Mistake(
                "used-kl",
                Text(
                    en="That is KL(P‖Q); JS compares each distribution with the mixture "
                    "M = (P + Q)/2.",
                    zh="这是 KL(P‖Q)；JS 散度是把 P、Q 分别与混合分布 M = (P + Q)/2 比较。",
                ),
                _in_unit(kl_nats(pf, qf), unit),
            ),
        ],
        rel_tol=REL_TOL,
        abs_tol=ABS_TOL,
    )
    shown_m = "(" + ", ".join(num(x) for x in m) + ")"
    return Draft(
        prompt=Text(
            en=f"Two distributions over {len(p)} outcomes: P = {_shown(p)}, Q = {_shown(q)}. "
            f"What is the Jensen–Shannon divergence JS(P‖Q) in {unit}? (3 significant figures)",
            zh=f"{len(p)} 个结果上的两个分布：P = {_shown(p)}，Q = {_shown(q)}。"
            f"JS 散度 JS(P‖Q) 是多少？以 {_unit_zh(unit)} 为单位（保留 3 位有效数字）",
        ),
        kind="number",
        answer=answer,
        params={"outcomes": len(p), "p": pf, "q": qf, "unit": unit},
        solution=(
            Text.same(f"M = (P + Q)/2 = {shown_m}"),
            Text.same(
                f"KL(P‖M) = {num(kl_pm, 6)} nats;  KL(Q‖M) = {num(kl_qm, 6)} nats"
            ),
            Text.same(
                f"JS = ½KL(P‖M) + ½KL(Q‖M) = {num(nats, 6)} nats = {num(nats / LN2, 6)} bits"
            ),
            Text(
                en="JS is symmetric and bounded: 0 ≤ JS ≤ ln 2 nats = 1 bit.",
                zh="JS 散度是对称且有界的：0 ≤ JS ≤ ln 2 nats = 1 bit。",
            ),
        ),
        mistakes=mistakes,
        rel_tol=REL_TOL,
        abs_tol=ABS_TOL,
        hint=Text(
            en="Build the mixture M = (P + Q)/2 first.",
            zh="先求混合分布 M = (P + Q)/2。",
        ),
    )


OUTCOMES = {"outcomes": ParamSpec(2, 4, doc="number of outcomes")}

FAMILIES = (
    Family(
        id="kl-divergence",
        version=1,
        description="KL(P‖Q) of two discrete distributions, in nats or bits",
        topic="js-divergence",
        build=_kl_divergence,
        params=OUTCOMES,
    ),
    Family(
        id="js-divergence",
        version=1,
        description="Jensen–Shannon divergence of two discrete distributions, in nats or bits",
        topic="js-divergence",
        build=_js_divergence,
        params=OUTCOMES,
    ),
)
