"""The sparse-autoencoder penalty: β·Σⱼ KL(ρ‖ρ̂ⱼ) between the sparsity target ρ and each hidden
unit's mean activation ρ̂ⱼ, both read as Bernoulli probabilities."""

from __future__ import annotations

import math

from quizdl.engine.families._shared import LN2, sig3, sig3_draft
from quizdl.engine.fmt import num, vec
from quizdl.engine.question import Draft, Draw, Family, Mistake, ParamSpec, json_list
from quizdl.kb.text import Text

_RHOS = (0.01, 0.02, 0.05, 0.1, 0.2)
_BETAS = (1.0, 0.5, 2.0, 3.0)
_KL_FORMULA = Text.same("KL(ρ‖ρ̂) = ρ·ln(ρ/ρ̂) + (1 − ρ)·ln((1 − ρ)/(1 − ρ̂))")
_FIRST_TERM_ONLY = Text(
    en="KL(ρ‖ρ̂) has two terms: the unit is also off with probability 1 − ρ, so add "
    "(1 − ρ)·ln((1 − ρ)/(1 − ρ̂)).",
    zh="KL(ρ‖ρ̂) 有两项：单元还以 1 − ρ 的概率不激活，要加上 (1 − ρ)·ln((1 − ρ)/(1 − ρ̂))。",
)
_SWAPPED = Text(
    en="KL is not symmetric: the penalty is KL(ρ‖ρ̂ⱼ), with the target ρ first; you computed "
    "KL(ρ̂ⱼ‖ρ).",
    zh="KL 不对称：惩罚项是 KL(ρ‖ρ̂ⱼ)，目标 ρ 在前；你算的是 KL(ρ̂ⱼ‖ρ)。",
)
_LOG2 = Text(
    en="That is the penalty in bits (log₂); the question asks for natural logarithms.",
    zh="这是以 2 为底（bit）的结果；题目要求用自然对数。",
)
_FORGOT_BETA = Text(
    en="The penalty is weighted: multiply the sum of the KL terms by β.",
    zh="惩罚项带权重：KL 之和还要乘以 β。",
)


def kl_bernoulli(rho: float, rho_hat: float) -> float:
    """KL(ρ‖ρ̂) between Bernoulli(ρ) and Bernoulli(ρ̂), in nats."""
    return rho * math.log(rho / rho_hat) + (1 - rho) * math.log((1 - rho) / (1 - rho_hat))


def _sparse_ae_kl(draw: Draw) -> Draft:
    units = draw.int("units")
    u = draw.uniforms(units + 2)
    rho, beta = _RHOS[int(u[0] * 5)], _BETAS[int(u[1] * 4)]
    hats = [round(0.01 + 0.49 * x, 2) for x in u[2:]]
    # ρ̂ = ρ would give KL = 0 and hide the formula
    hats = [round(h + 0.01, 2) if h == rho else h for h in hats]
    kls = [kl_bernoulli(rho, h) for h in hats]
    total = sum(kls)
    answer = beta * total
    mistakes = [
        Mistake(
            "first-term-only", _FIRST_TERM_ONLY, beta * sum([rho * math.log(rho / h) for h in hats])
        ),
        Mistake("swapped-arguments", _SWAPPED, beta * sum([kl_bernoulli(h, rho) for h in hats])),
        Mistake("log-base-2", _LOG2, answer / LN2),
    ]
    if beta != 1.0:
        mistakes.append(Mistake("forgot-beta", _FORGOT_BETA, total))
    shown = f"{hats[0]:g}" if units == 1 else vec(hats)
    units_en = (
        "its hidden unit has mean activation"
        if units == 1
        else f"its {units} hidden units have mean activations"
    )
    b = f"{beta:g}"
    return sig3_draft(
        sig3(
            f"A sparse autoencoder has sparsity target ρ = {rho:g}. Over the training set "
            f"{units_en} ρ̂ = {shown}. With β = {b}, what is the sparsity penalty "
            "β·Σⱼ KL(ρ‖ρ̂ⱼ)? Use natural logarithms.",
            f"稀疏自编码器的稀疏性目标 ρ = {rho:g}。在训练集上，{units} 个隐藏单元的平均激活为 "
            f"ρ̂ = {shown}。取 β = {b}，稀疏惩罚项 β·Σⱼ KL(ρ‖ρ̂ⱼ) 是多少？用自然对数。",
        ),
        "number",
        answer,
        {"units": units, "rho": rho, "beta": beta, "rho_hat": json_list(hats)},
        (
            _KL_FORMULA,
            Text.same(f"KL(ρ‖ρ̂ⱼ) = {vec(kls)}"),
            Text.same(f"β·Σⱼ KL = {b} × {num(total)} = {num(answer)}"),
        ),
        mistakes,
        abs_tol=1e-9,
        hint=_KL_FORMULA,
    )


FAMILIES = (
    Family(
        id="sparse-ae-kl",
        version=1,
        description="Sparse-autoencoder penalty β·Σ KL(ρ‖ρ̂ⱼ) for a few hidden units",
        topic="sparse-autoencoder",
        build=_sparse_ae_kl,
        params={"units": ParamSpec(1, 4, doc="hidden units in the sum")},
    ),
)
