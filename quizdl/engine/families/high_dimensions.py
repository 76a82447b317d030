"""Volume near the surface of a high-dimensional ball: the notes' 高维空间数据都是稀疏的
(in high dimensions data are sparse)."""

from __future__ import annotations

from quizdl.engine.families._shared import sig3, sig3_draft
from quizdl.engine.fmt import num, superscript
from quizdl.engine.question import Draft, Draw, Family, Mistake, ParamSpec
from quizdl.kb.text import Text

_INNER_PART = Text(
    en="(1 − ε)ᵈ is the inner ball of radius 1 − ε; the shell is what is left.",
    zh="(1 − ε)ᵈ 是半径 1 − ε 的内球；外壳是剩下的部分。",
)
_LINEARISED = Text(
    en="ε·d is only a first-order approximation, good when ε·d ≪ 1.",
    zh="ε·d 只是一阶近似，仅在 ε·d ≪ 1 时成立。",
)
_BALL_VOLUME = Text(
    en="The volume of a d-dimensional ball is proportional to rᵈ.",
    zh="d 维球的体积与 rᵈ 成正比。",
)
_SPARSE = Text(
    en="In high dimensions almost all the volume sits near the surface, so data points are "
    "far apart: high-dimensional data are sparse.",
    zh="高维时几乎所有体积都集中在球面附近，数据点彼此相距很远：高维空间数据都是稀疏的。",
)


def _volume_concentration(draw: Draw) -> Draft:
    d = draw.int("dimension")
    eps = draw.float("epsilon", decimals=2)
    inner = (1 - eps) ** d
    answer = 1 - inner
    r = f"{1 - eps:.2g}"
    mistakes = [
        Mistake("inner-part", _INNER_PART, inner),
        Mistake("linearised", _LINEARISED, eps * d),
    ]
    return sig3_draft(
        sig3(
            f"What fraction of the volume of a d = {d} dimensional unit ball lies within "
            f"ε = {eps:g} of its surface (at radius between {r} and 1)?",
            f"d = {d} 维单位球的体积中，有多大比例位于离球面 ε = {eps:g} 以内"
            f"（半径在 {r} 与 1 之间）？",
        ),
        "number",
        answer,
        {"dimension": d, "epsilon": eps},
        (
            _BALL_VOLUME,
            Text.same(f"(1 − ε)ᵈ = {r}{superscript(d)} = {num(inner)}"),
            Text.same(f"1 − {num(inner)} = {num(answer, 6)}"),
            _SPARSE,
        ),
        mistakes,
        abs_tol=1e-9,
    )


FAMILIES = (
    Family(
        id="volume-concentration",
        version=1,
        description="Fraction of a d-dimensional unit ball's volume within ε of its surface",
        topic="notes",
        build=_volume_concentration,
        params={
            "dimension": ParamSpec(2, 60, doc="dimension d"),
            "epsilon": ParamSpec(0.01, 0.1, integer=False, doc="shell thickness ε"),
        },
    ),
)
