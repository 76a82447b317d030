"""KL and Jensen–Shannon divergences of small discrete distributions, in nats or bits."""

from __future__ import annotations

import math

from quizdl.engine.families._shared import LN2, kl_nats
from quizdl.engine.families._shared import SIG3_REL_TOL as REL_TOL
from quizdl.engine.fmt import num
from quizdl.engine.question import Draft, Draw, Family, Mistake, ParamSpec, json_list, make_draft
from quizdl.kb.text import Text

ABS_TOL = 1e-5
MIN_PERCENT = 5  # every probability at least 0.05, so no log term explodes
MIN_KL_NATS = 0.05  # P and Q clearly different, so the answer is not lost in rounding
UNITS = ("nats", "bits")
UNIT_ZH = {"nats": "单位 nat，对数以 e 为底", "bits": "单位 bit，对数以 2 为底"}

# "nats-vs-bits" labels, by the unit that was asked.
OTHER_UNIT = {
    "nats": Text(
        en="That is the value in bits; nats use the natural log ln (1 bit = ln 2 ≈ 0.693 nats).",
        zh="这是以 bit 为单位的值；nat 要用自然对数 ln（1 bit = ln 2 ≈ 0.693 nats）。",
    ),
    "bits": Text(
        en="That is the value in nats; bits use log₂, so divide by ln 2 ≈ 0.693.",
        zh="这是以 nat 为单位的值；bit 要用 log₂，即再除以 ln 2 ≈ 0.693。",
    ),
}
REVERSED = Text(
    en="That is KL(Q‖P); KL is not symmetric: KL(P‖Q) = Σ pᵢ log(pᵢ/qᵢ) weights by P.",
    zh="这是 KL(Q‖P)；KL 散度不对称：KL(P‖Q) = Σ pᵢ log(pᵢ/qᵢ)，以 P 加权。",
)
FORGOT_HALF = Text(
    en="That adds KL(P‖M) + KL(Q‖M); JS is their average, ½KL(P‖M) + ½KL(Q‖M).",
    zh="这里直接相加了 KL(P‖M) + KL(Q‖M)；JS 是二者的平均：½KL(P‖M) + ½KL(Q‖M)。",
)
USED_KL = Text(
    en="That is KL(P‖Q); JS compares each distribution with the mixture M = (P + Q)/2.",
    zh="这是 KL(P‖Q)；JS 散度是把 P、Q 分别与混合分布 M = (P + Q)/2 比较。",
)
JS_BOUND = Text(
    en="JS is symmetric and bounded: 0 ≤ JS ≤ ln 2 nats = 1 bit.",
    zh="JS 散度对称且有界：0 ≤ JS ≤ ln 2 nats = 1 bit。",
)
JS_HINT = Text(en="Build the mixture M = (P + Q)/2 first.", zh="先求混合分布 M = (P + Q)/2。")


def percent_parts(cuts: list[int], outcomes: int) -> list[int]:
    """Probabilities in hundredths, each at least MIN_PERCENT, summing to 100: the sorted
    `cuts` (outcomes − 1 values in [0, 100 − MIN_PERCENT·outcomes]) split the spare mass."""
    edges = [0, *sorted(cuts), 100 - MIN_PERCENT * outcomes]
    return [edges[i + 1] - edges[i] + MIN_PERCENT for i in range(outcomes)]


def _pair(draw: Draw) -> tuple[list[int], list[int]]:
    """Two distributions in hundredths, redrawn until KL(P‖Q) ≥ MIN_KL_NATS."""
    outcomes = draw.int("outcomes")
    spare = 100 - MIN_PERCENT * outcomes
    while True:
        cuts = draw.uniform_ints(0, spare, 2 * (outcomes - 1))  # one draw for both
        p = percent_parts(cuts[: outcomes - 1], outcomes)
        q = percent_parts(cuts[outcomes - 1 :], outcomes)
        # KL in hundredths: Σ pᵢ ln(pᵢ/qᵢ) = Σ aᵢ ln(aᵢ/bᵢ) / 100.
        if sum([a * math.log(a / b) for a, b in zip(p, q, strict=True)]) >= 100 * MIN_KL_NATS:
            return p, q


def _shown(percents: list[int]) -> str:
    return "(" + ", ".join([f"{c / 100:.2f}" for c in percents]) + ")"


def _divergence_draft(
    p: list[int],
    q: list[int],
    unit: str,
    question: tuple[str, str],
    answer: float,
    solution: tuple[Text, ...],
    mistakes: list[Mistake],
    hint: Text | None = None,
) -> Draft:
    """A question on P and Q (in hundredths) asked in `unit`: (English, Chinese) `question`."""
    shown_p, shown_q = _shown(p), _shown(q)
    return make_draft(
        prompt=Text(
            en=f"Two distributions over {len(p)} outcomes: P = {shown_p}, Q = {shown_q}. "
            f"{question[0]} in {unit}? (3 significant figures)",
            zh=f"{len(p)} 个结果上的两个分布：P = {shown_p}，Q = {shown_q}。"
            f"{question[1]} 是多少？（{UNIT_ZH[unit]}；保留 3 位有效数字）",
        ),
        kind="number",
        answer=answer,
        params={
            "outcomes": len(p),
            "p_percent": json_list(p),
            "q_percent": json_list(q),
            "unit": unit,
        },
        solution=solution,
        mistakes=mistakes,
        rel_tol=REL_TOL,
        abs_tol=ABS_TOL,
        hint=hint,
    )


def _units_line(name: str, nats: float) -> Text:
    nats_text = num(nats, 6)
    return Text.same(f"{name} = {nats_text} nats = {nats_text}/ln 2 = {num(nats / LN2, 6)} bits")


def _kl_divergence(draw: Draw) -> Draft:
    p, q = _pair(draw)
    unit = draw.pick(UNITS)
    pf, qf = [x / 100 for x in p], [x / 100 for x in q]
    scale = 1 / LN2 if unit == "bits" else 1.0
    nats = kl_nats(pf, qf)
    reversed_nats = kl_nats(qf, pf)
    answer = nats * scale
    candidates = [
        Mistake("nats-vs-bits", OTHER_UNIT[unit], nats / LN2 if unit == "nats" else nats),
        Mistake("reversed", REVERSED, reversed_nats * scale),
    ]
    terms = " + ".join(
        [f"{a / 100:.2f}·ln({a / 100:.2f}/{b / 100:.2f})" for a, b in zip(p, q, strict=True)]
    )
    return _divergence_draft(
        p,
        q,
        unit,
        ("What is KL(P‖Q)", "KL(P‖Q)"),
        answer,
        (
            Text.same(f"KL(P‖Q) = Σ pᵢ ln(pᵢ/qᵢ) = {terms}"),
            _units_line("KL(P‖Q)", nats),
            Text.same(f"KL(Q‖P) = {num(reversed_nats, 6)} nats ≠ KL(P‖Q)"),
        ),
        candidates,
    )


def _js_divergence(draw: Draw) -> Draft:
    p, q = _pair(draw)
    unit = draw.pick(UNITS)
    pf, qf = [x / 100 for x in p], [x / 100 for x in q]
    m = [(a + b) / 2 for a, b in zip(pf, qf, strict=True)]
    scale = 1 / LN2 if unit == "bits" else 1.0
    kl_pm, kl_qm = kl_nats(pf, m), kl_nats(qf, m)
    nats = 0.5 * kl_pm + 0.5 * kl_qm
    answer = nats * scale
    candidates = [
        Mistake("nats-vs-bits", OTHER_UNIT[unit], nats / LN2 if unit == "nats" else nats),
        Mistake("forgot-half", FORGOT_HALF, (kl_pm + kl_qm) * scale),
        Mistake("used-kl", USED_KL, kl_nats(pf, qf) * scale),
    ]
    # (p + q)/2 in hundredths is a multiple of 0.005: three decimals show it exactly.
    shown_m = ", ".join([f"{(a + b) / 200:.3f}" for a, b in zip(p, q, strict=True)])
    return _divergence_draft(
        p,
        q,
        unit,
        ("What is the Jensen–Shannon divergence JS(P‖Q)", "JS 散度 JS(P‖Q)"),
        answer,
        (
            Text.same(f"M = (P + Q)/2 = ({shown_m})"),
            Text.same(f"KL(P‖M) = {num(kl_pm, 6)} nats;  KL(Q‖M) = {num(kl_qm, 6)} nats"),
            _units_line("JS = ½KL(P‖M) + ½KL(Q‖M)", nats),
            JS_BOUND,
        ),
        candidates,
        JS_HINT,
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
