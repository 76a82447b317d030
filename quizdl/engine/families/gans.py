"""GANs: the optimal discriminator, the value of the game at it (JS divergence), the WGAN-GP
gradient penalty and the input widths of a conditional GAN."""

from __future__ import annotations

import math

from quizdl.engine.families._shared import LN2, compositions, kl_nats, normal_pdf
from quizdl.engine.families._shared import SIG3_REL_TOL as REL_TOL
from quizdl.engine.fmt import num, tenths, vec
from quizdl.engine.question import (
    Draft,
    Draw,
    Family,
    JSONScalar,
    Mistake,
    ParamSpec,
    json_list,
    make_draft,
)
from quizdl.kb.text import Text

ABS_TOL = 5e-4
STDS = (0.5, 1.0, 1.5, 2.0)
LOG4 = math.log(4.0)
LOG4_TEXT = num(LOG4)


# --- optimal discriminator ----------------------------------------------------------------

D_INVERTED = Text(
    en="That is p_g/(p_data + p_g), the probability of 'generated'; D(x) is the probability "
    "that x is real: D*(x) = p_data/(p_data + p_g).",
    zh="这是 p_g/(p_data + p_g)，即判为“生成”的概率；D(x) 表示 x 为真实样本的概率："
    "D*(x) = p_data/(p_data + p_g)。",
)
D_RATIO = Text(
    en="That is the density ratio p_data/p_g, which is not a probability; "
    "D*(x) = p_data/(p_data + p_g).",
    zh="这是密度比 p_data/p_g，并不是概率；D*(x) = p_data/(p_data + p_g)。",
)
D_FORMULA = Text.same("D*(x) = p_data(x) / (p_data(x) + p_g(x))")


OPTIMAL_DISCRIMINATOR_HINT = Text(
    en="For fixed G, maximise p_data·log D + p_g·log(1 − D) pointwise in D.",
    zh="固定 G 时，对每个 x 关于 D 最大化 p_data·log D + p_g·log(1 − D)。",
)


def _optimal_discriminator(draw: Draw) -> Draft:
    u = draw.uniforms(6)
    if u[0] < 0.5:
        # Two Gaussians a few units apart, x between them: neither density is negligible.
        mean_data = int(u[1] * 5) - 2
        mean_g = mean_data + (1 + int(u[2] * 3)) * (1 if u[3] < 0.5 else -1)
        std_data, std_g = STDS[int(u[4] * 4)], STDS[int(u[5] * 4)]
        x = round(mean_data + u[0] * 2 * (mean_g - mean_data), 1)  # u[0] < ½: x in between
        p_data, p_g = normal_pdf(x, mean_data, std_data), normal_pdf(x, mean_g, std_g)
        setup_en = (
            f"p_data = N({num(mean_data)}, {num(std_data)}²) and p_g = N({num(mean_g)}, "
            f"{num(std_g)}²) "
            f"(written N(mean, std²)). At x = {num(x)},"
        )
        setup_zh = (
            f"p_data = N({num(mean_data)}, {num(std_data)}²)，"
            f"p_g = N({num(mean_g)}, {num(std_g)}²)"
            f"（记作 N(均值, 标准差²)）。在 x = {num(x)} 处，"
        )
        steps: tuple[Text, ...] = (
            Text.same(f"p_data({num(x)}) = {num(p_data)},  p_g({num(x)}) = {num(p_g)}"),
            Text.same(f"D*({num(x)}) = {num(p_data)} / ({num(p_data)} + {num(p_g)})"),
        )
        params: dict[str, JSONScalar] = {
            "given": "gaussians",
            "mean_data": mean_data,
            "std_data": std_data,
            "mean_g": mean_g,
            "std_g": std_g,
            "x": x,
        }
    else:
        hundredths_data = 5 + int(u[1] * 76)  # 0.05 … 0.80
        hundredths_g = 5 + int(u[2] * 75)
        if hundredths_g >= hundredths_data:  # skip the equal value: D* = ½ hides a mistake
            hundredths_g += 1
        p_data, p_g = hundredths_data / 100, hundredths_g / 100
        setup_en = (
            f"At a point x the densities are p_data(x) = {num(p_data)} and p_g(x) = {num(p_g)};"
        )
        setup_zh = f"在某点 x 处，密度 p_data(x) = {num(p_data)}，p_g(x) = {num(p_g)}；"
        steps = (Text.same(f"D*(x) = {num(p_data)} / ({num(p_data)} + {num(p_g)})"),)
        params = {"given": "values", "p_data": p_data, "p_g": p_g}
    answer = p_data / (p_data + p_g)
    mistakes = [
        Mistake("inverted", D_INVERTED, p_g / (p_data + p_g)),
        Mistake("ratio", D_RATIO, p_data / p_g),
    ]
    return make_draft(
        prompt=Text(
            en=f"A GAN's generator is fixed with density p_g; the data density is p_data. "
            f"{setup_en} what is the optimal discriminator output D*(x)? (3 significant figures)",
            zh=f"GAN 的生成器固定，其密度为 p_g；真实数据密度为 p_data。{setup_zh}"
            "最优判别器的输出 D*(x) 是多少？（保留 3 位有效数字）",
        ),
        kind="number",
        answer=answer,
        params=params,
        solution=(D_FORMULA, *steps, Text.same(f"D* = {num(answer)}")),
        mistakes=mistakes,
        rel_tol=REL_TOL,
        abs_tol=ABS_TOL,
        hint=OPTIMAL_DISCRIMINATOR_HINT,
    )


# --- value of the game at the optimal discriminator ---------------------------------------


# Distributions in tenths with every outcome at least 0.1, by number of outcomes.
TENTHS = {k: tuple(compositions(10, k)) for k in (2, 3, 4)}
FORGOT_TWO = Text(
    en="V(D*, G) = −log 4 + 2·JSD(p_data‖p_g): the JS divergence counts twice.",
    zh="V(D*, G) = −log 4 + 2·JSD(p_data‖p_g)：JS 散度要乘以 2。",
)
LOG2_NOT_LN = Text(
    en="That value uses log base 2; the GAN objective uses the natural log (−log 4 ≈ −1.386).",
    zh="这是用以 2 为底的对数算的；GAN 的目标函数用自然对数（−log 4 ≈ −1.386）。",
)
FORGOT_LOG4 = Text(
    en="That is 2·JSD alone; the value at the optimal discriminator also has the constant −log 4.",
    zh="这只是 2·JSD；最优判别器下的值还要加上常数 −log 4。",
)


OPTIMAL_VALUE_HINT = Text(
    en="Substitute D* = p_data/(p_data + p_g) and compare with the mixture M.",
    zh="代入 D* = p_data/(p_data + p_g)，再与混合分布 M 比较。",
)


def _optimal_value(draw: Draw) -> Draft:
    k = draw.int("outcomes")
    u = draw.uniforms(3)
    tenths_data = TENTHS[k][int(u[0] * len(TENTHS[k]))]
    # One question in five shows p_g = p_data: the global optimum, V = −log 4.
    same = u[2] < 0.2
    tenths_g = tenths_data if same else TENTHS[k][int(u[1] * len(TENTHS[k]))]
    p = [t / 10 for t in tenths_data]
    q = [t / 10 for t in tenths_g]
    m = [(a + b) / 2 for a, b in zip(p, q, strict=True)]
    kl_p, kl_q = kl_nats(p, m), kl_nats(q, m)
    jsd = 0.5 * kl_p + 0.5 * kl_q
    answer = -LOG4 + 2 * jsd
    mistakes = [
        Mistake("forgot-factor-two", FORGOT_TWO, -LOG4 + jsd),
        Mistake("log2-vs-ln", LOG2_NOT_LN, answer / LN2),
        Mistake("forgot-log4", FORGOT_LOG4, 2 * jsd),
    ]
    jsd_text = num(jsd)
    p_text = "(" + ", ".join([f"0.{t}" for t in tenths_data]) + ")"  # every t is 1 … 9
    q_text = "(" + ", ".join([f"0.{t}" for t in tenths_g]) + ")"
    return make_draft(
        prompt=Text(
            en=f"Over {k} outcomes, p_data = {p_text} and the generator gives p_g = {q_text}. "
            "With the optimal discriminator D*, what is the value V(D*, G) = "
            "E_p_data[log D*(x)] + E_p_g[log(1 − D*(x))] (natural log)? (3 significant figures)",
            zh=f"在 {k} 个取值上，p_data = {p_text}，生成器给出 p_g = {q_text}。"
            "判别器取最优 D* 时，目标函数值 V(D*, G) = E_p_data[log D*(x)] + "
            "E_p_g[log(1 − D*(x))]（自然对数）是多少？（保留 3 位有效数字）",
        ),
        kind="number",
        answer=answer,
        params={"outcomes": k, "p_data": json_list(p), "p_g": json_list(q)},
        solution=(
            Text.same("V(D*, G) = −log 4 + 2·JSD(p_data‖p_g),  M = (p_data + p_g)/2"),
            Text.same(f"M = {vec(m)}"),
            Text.same(
                f"JSD = ½KL(p_data‖M) + ½KL(p_g‖M) = ½·{num(kl_p)} + ½·{num(kl_q)} = {jsd_text}"
            ),
            Text.same(f"V = −{LOG4_TEXT} + 2 × {jsd_text} = {num(answer)}"),
        ),
        mistakes=mistakes,
        rel_tol=REL_TOL,
        abs_tol=ABS_TOL,
        hint=OPTIMAL_VALUE_HINT,
    )


# --- WGAN-GP gradient penalty -------------------------------------------------------------

SWAPPED_EPSILON = Text(
    en="That puts ε on the generated sample; x̂ = εx + (1 − ε)x̃ weights the real sample x by ε.",
    zh="这里把 ε 乘在了生成样本上；x̂ = εx + (1 − ε)x̃ 中 ε 乘的是真实样本 x。",
)
AT_REAL = Text(
    en="That is the gradient norm at the real sample x; the penalty is taken at the "
    "interpolate x̂ = εx + (1 − ε)x̃.",
    zh="这是在真实样本 x 处的梯度范数；梯度惩罚要在插值点 x̂ = εx + (1 − ε)x̃ 处计算。",
)
REAL_POINT = Text(
    en="That is the real sample x; the penalty is taken at the interpolate "
    "x̂ = εx + (1 − ε)x̃ between the real and the generated sample.",
    zh="这是真实样本 x；梯度惩罚要在真实样本与生成样本的插值点 x̂ = εx + (1 − ε)x̃ 处计算。",
)
GENERATED_POINT = Text(
    en="That is the generated sample x̃; the penalty is taken at the interpolate "
    "x̂ = εx + (1 − ε)x̃ between the real and the generated sample.",
    zh="这是生成样本 x̃；梯度惩罚要在真实样本与生成样本的插值点 x̂ = εx + (1 − ε)x̃ 处计算。",
)
SQUARED_NORM = Text(
    en="The penalty is λ(‖∇D(x̂)‖₂ − 1)² with the norm itself, not the squared norm.",
    zh="惩罚项是 λ(‖∇D(x̂)‖₂ − 1)²，用的是范数本身，而不是范数的平方。",
)
FORGOT_LAMBDA = Text(
    en="That is (‖∇D(x̂)‖₂ − 1)² without the penalty coefficient λ.",
    zh="这是没有乘惩罚系数 λ 的 (‖∇D(x̂)‖₂ − 1)²。",
)
GP_FORMULA = Text.same("GP = λ(‖∇D(x̂)‖₂ − 1)²,  x̂ = εx + (1 − ε)x̃")
ASK_POINT = Text(
    en="At which point x̂ is the critic's gradient evaluated for the penalty? "
    "(3 significant figures)",
    zh="计算梯度惩罚时，在哪个点 x̂ 处求判别器的梯度？（保留 3 位有效数字）",
)
ASK_PENALTY = Text(
    en="What is the gradient penalty term for this pair? (3 significant figures)",
    zh="这对样本的梯度惩罚项是多少？（保留 3 位有效数字）",
)
CURVATURES = (0.25, 0.5, 1.0, 2.0)
CURVATURE_TEXT = ("0.25", "0.5", "1", "2")


def _norm(v: list[float]) -> float:
    return math.sqrt(sum([c * c for c in v]))


WGAN_GP_HINT = Text(
    en="The sample used for the penalty is a linear interpolation of a generated and a "
    "real sample.",
    zh="注意：用于计算 GP 的样本是生成样本和真实样本的线性插值。",
)


def _wgan_gp(draw: Draw) -> Draft:
    dims = draw.int("dims")
    lam = draw.int("lam")
    eps = draw.float("epsilon", decimals=1)
    # u[0] what is asked, u[1] the curvature a, then per dimension a code for (x, x̃) and w.
    u = draw.uniforms(2 * dims + 2)
    codes = [int(v * 36) for v in u[2 : 2 + dims]]
    real = [float(c % 6 - 2) for c in codes]  # −2 … 3
    fake = [float(c // 6 - 3) for c in codes]  # −3 … 2
    mixed = [eps * a + (1 - eps) * b for a, b in zip(real, fake, strict=True)]
    ask = "interpolate" if u[0] < 1 / 3 else "linear" if u[0] < 2 / 3 else "quadratic"
    real_text = vec(real)  # integers
    fake_text = vec(fake)
    # ε has one decimal and the samples are integers, so x̂ is exact in tenths.
    eps_tenths = round(eps * 10)
    eps_text, rest_text = tenths(eps_tenths), tenths(10 - eps_tenths)
    mixed_text = "(" + ", ".join([tenths(round(v * 10)) for v in mixed]) + ")"
    interpolate_step = Text.same(
        f"x̂ = {eps_text}·{real_text} + {rest_text}·{fake_text} = {mixed_text}"
    )
    params: dict[str, JSONScalar | list[JSONScalar]] = {
        "dims": dims,
        "lam": lam,
        "epsilon": eps,
        "real": json_list(real),
        "fake": json_list(fake),
        "ask": ask,
    }
    answer: float | tuple[float, ...]
    if ask == "interpolate":
        answer = tuple(mixed)
        wrong = tuple([(1 - eps) * a + eps * b for a, b in zip(real, fake, strict=True)])
        candidates = [
            Mistake("gradient-at-real", REAL_POINT, tuple(real)),
            Mistake("gradient-at-generated", GENERATED_POINT, tuple(fake)),
            Mistake("swapped-epsilon", SWAPPED_EPSILON, wrong),
        ]
        critic = Text(en="", zh="")
        question = ASK_POINT
        steps: tuple[Text, ...] = (interpolate_step,)
    else:
        if ask == "linear":
            weights = [(int(v * 31) - 15) / 10 for v in u[2 + dims :]]  # −1.5 … 1.5
            grad_norm = _norm(weights)
            w_text = vec(weights)
            critic = Text(
                en=f" The critic is linear, D(x) = w·x + b with w = {w_text}.",
                zh=f"判别器（critic）是线性的，D(x) = w·x + b，w = {w_text}。",
            )
            norm_text = num(grad_norm)
            steps = (Text.same(f"∇D(x) = w for every x:  ‖∇D(x̂)‖₂ = ‖w‖₂ = {norm_text}"),)
            params["w"] = json_list(weights)
            located: list[Mistake] = []  # a linear critic has the same gradient everywhere
        else:
            a = CURVATURES[int(u[1] * len(CURVATURES))]
            grad_norm = a * _norm(mixed)
            norm_text = num(grad_norm)
            a_text = CURVATURE_TEXT[int(u[1] * len(CURVATURES))]
            critic = Text(
                en=f" The critic is D(x) = ½·a·‖x‖² with a = {a_text}, so ∇D(x) = a·x.",
                zh=f"判别器（critic）为 D(x) = ½·a·‖x‖²，a = {a_text}，因此 ∇D(x) = a·x。",
            )
            steps = (
                interpolate_step,
                Text.same(
                    f"∇D(x̂) = {a_text}·x̂ = {vec([a * c for c in mixed])},  ‖∇D(x̂)‖₂ = {norm_text}"
                ),
            )
            params["a"] = a
            located = [Mistake("gradient-at-real", AT_REAL, lam * (a * _norm(real) - 1) ** 2)]
        answer = lam * (grad_norm - 1) ** 2
        candidates = [
            *located,
            Mistake("squared-norm", SQUARED_NORM, lam * (grad_norm**2 - 1) ** 2),
            Mistake("forgot-lambda", FORGOT_LAMBDA, (grad_norm - 1) ** 2),
        ]
        steps = (
            *steps,
            Text.same(f"GP = {lam} × ({norm_text} − 1)² = {num(answer)}"),
        )
        question = ASK_PENALTY
    mistakes = candidates
    return make_draft(
        prompt=Text(
            en=f"WGAN-GP with penalty coefficient λ = {lam}: real sample x = {real_text}, "
            f"generated sample x̃ = {fake_text}, random weight ε = {eps_text} (on the real "
            f"sample).{critic.en} {question.en}",
            zh=f"WGAN-GP，惩罚系数 λ = {lam}：真实样本 x = {real_text}，生成样本 "
            f"x̃ = {fake_text}，随机权重 ε = {eps_text}（乘在真实样本上）。{critic.zh}{question.zh}",
        ),
        kind="vector" if ask == "interpolate" else "number",
        answer=answer,
        params=params,
        solution=(GP_FORMULA, *steps),
        mistakes=mistakes,
        rel_tol=REL_TOL,
        abs_tol=ABS_TOL,
        hint=WGAN_GP_HINT,
    )


FAMILIES = (
    Family(
        id="gan-optimal-discriminator",
        # 2: numbers outside [10⁻⁴, 10⁹) are written 9.405×10⁻⁵, not 9.405×10^-5
        # 3: negative numbers written with the minus sign (−1.5), not a hyphen
        version=3,
        description="GAN optimal discriminator D*(x) = p_data/(p_data + p_g) at a point",
        topic="gan",
        build=_optimal_discriminator,
    ),
    Family(
        id="gan-optimal-value",
        # 2: negative numbers written with the minus sign (−1.5), not a hyphen
        version=2,
        description="GAN value at the optimal discriminator: −log 4 + 2·JSD(p_data‖p_g)",
        topic="gan",
        build=_optimal_value,
        params={"outcomes": ParamSpec(2, 4, doc="number of outcomes of the distributions")},
    ),
    Family(
        id="wgan-gp",
        # 2: numbers outside [10⁻⁴, 10⁹) are written 9.405×10⁻⁵, not 9.405×10^-5
        # 3: negative numbers written with the minus sign (−1.5), not a hyphen
        version=3,
        description="WGAN-GP: the interpolated point x̂ and the gradient penalty λ(‖∇D(x̂)‖ − 1)²",
        topic="wgan-gp",
        build=_wgan_gp,
        params={
            "dims": ParamSpec(2, 3, doc="dimension of the samples"),
            "lam": ParamSpec(1, 10, doc="penalty coefficient λ"),
            "epsilon": ParamSpec(0.1, 0.9, integer=False, doc="interpolation weight ε"),
        },
    ),
)
