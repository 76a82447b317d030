"""GAN relatives: conditional-GAN input widths, the VAE's KL term (VAE-GAN), the entropy of
InfoGAN's categorical code and StyleGAN's adaptive instance normalisation (AdaIN)."""

from __future__ import annotations

import math

from quizdl.engine.families._shared import LN2, THREE_SIG, compositions
from quizdl.engine.families._shared import SIG3_REL_TOL as REL_TOL
from quizdl.engine.fmt import num, signed, tenths, vec
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


# --- conditional GAN input widths ---------------------------------------------------------

CGAN_MULTIPLIED = Text(
    en="The one-hot label is concatenated, so the widths add; they do not multiply.",
    zh="one-hot 标签是拼接（concat）上去的，宽度相加，而不是相乘。",
)
CGAN_FORGOT = Text(
    en="That leaves out the condition: the one-hot label (one entry per class) is "
    "concatenated to the input.",
    zh="这里漏掉了条件：要把 one-hot 标签（每个类别一维）拼接到输入上。",
)
CGAN_RULE = Text(
    en="input width = base width + number of classes (one-hot, concatenated)",
    zh="输入维度 = 原输入维度 + 类别数（one-hot 拼接）",
)
IMAGES = ((28, 1), (32, 3), (64, 3), (28, 3), (32, 1))


def _cgan_input_width(draw: Draw) -> Draft:
    latent = draw.int("latent_dim")
    classes = draw.int("classes")
    u = draw.uniforms(2)
    if u[0] < 0.5:
        base = latent
        what = Text(en="the generator", zh="生成器")
        base_text = Text(en=f"a noise vector z of dimension {latent}", zh=f" {latent} 维噪声 z ")
        steps: tuple[Text, ...] = (Text.same(f"{latent} + {classes} = {latent + classes}"),)
        params: dict[str, JSONScalar] = {"network": "generator"}
    else:
        side, channels = IMAGES[int(u[1] * len(IMAGES))]
        base = side * side * channels
        what = Text(en="the discriminator", zh="判别器")
        base_text = Text(
            en=f"a flattened {side}×{side}×{channels} image",
            zh=f"展平后的 {side}×{side}×{channels} 图像",
        )
        steps = (
            Text.same(f"{side}×{side}×{channels} = {base}"),
            Text.same(f"{base} + {classes} = {base + classes}"),
        )
        params = {"network": "discriminator", "side": side, "channels": channels}
    answer = float(base + classes)
    mistakes = [
        Mistake("multiplied", CGAN_MULTIPLIED, float(base * classes)),
        Mistake("forgot-condition", CGAN_FORGOT, float(base)),
    ]
    return make_draft(
        prompt=Text(
            en=f"A conditional GAN over {classes} classes feeds {what.en} {base_text.en} "
            "concatenated with the one-hot class label. What is the input width of "
            f"{what.en}?",
            zh=f"一个 {classes} 类的条件 GAN（conditional GAN），{what.zh}的输入是{base_text.zh}"
            f"与 one-hot 类别标签拼接而成。{what.zh}的输入维度是多少？",
        ),
        kind="number",
        answer=answer,
        params={"latent_dim": latent, "classes": classes, **params},
        solution=(CGAN_RULE, *steps),
        mistakes=mistakes,
        rel_tol=0.0,
        abs_tol=0.5,
    )


# --- VAE: KL(N(μ, diag σ²) ‖ N(0, I)) -----------------------------------------------------

KL_FORGOT_HALF = Text(
    en="That is missing the factor ½: KL = ½ Σ (μ² + σ² − 1 − log σ²).",
    zh="这里漏了系数 ½：KL = ½ Σ (μ² + σ² − 1 − log σ²)。",
)
KL_LOG_SIGMA = Text(
    en="That uses log σ where the formula has log σ² (= 2 log σ), the log of the variance.",
    zh="这里用了 log σ，而公式中是方差的对数 log σ²（= 2 log σ）。",
)
KL_SIGN = Text(
    en="That is −KL, the term ½ Σ (1 + log σ² − μ² − σ²) as it appears inside the ELBO; "
    "a KL divergence is never negative.",
    zh="这是 −KL，即 ELBO 中出现的 ½ Σ (1 + log σ² − μ² − σ²)；KL 散度不可能为负。",
)
KL_FORMULA = Text.same("KL(N(μ, diag σ²) ‖ N(0, I)) = ½ Σᵢ (μᵢ² + σᵢ² − 1 − log σᵢ²)")


VAE_KL_HINT = Text(
    en="Sum the closed form over the independent dimensions.",
    zh="各维独立，对每一维用闭式解再求和。",
)


def _vae_kl(draw: Draw) -> Draft:
    dims = draw.int("dims")
    u = draw.uniforms(2 * dims)
    mean_tenths = [int(v * 31) - 15 for v in u[:dims]]  # −1.5 … 1.5
    std_tenths = [3 + int(v * 18) for v in u[dims:]]  # 0.3 … 2.0
    means = [t / 10 for t in mean_tenths]
    stds = [t / 10 for t in std_tenths]
    terms = [m * m + s * s - 1 - math.log(s * s) for m, s in zip(means, stds, strict=True)]
    total = sum(terms)
    answer = 0.5 * total
    with_log_sigma = 0.5 * sum(
        [m * m + s * s - 1 - math.log(s) for m, s in zip(means, stds, strict=True)]
    )
    mistakes = [
        Mistake("forgot-half", KL_FORGOT_HALF, total),
        Mistake("log-sigma-not-log-var", KL_LOG_SIGMA, with_log_sigma),
        Mistake("sign", KL_SIGN, -answer),
    ]
    mu_text = "(" + ", ".join([tenths(t) for t in mean_tenths]) + ")"
    sigma_text = "(" + ", ".join([tenths(t) for t in std_tenths]) + ")"
    return make_draft(
        prompt=Text(
            en=f"The encoder of a VAE (as in VAE-GAN) outputs q(z|x) = N(μ, diag σ²) with "
            f"μ = {mu_text} and σ = {sigma_text}. What is the KL term "
            f"KL(q(z|x) ‖ N(0, I)) (natural log)? {THREE_SIG.en}",
            zh=f"VAE（如 VAE-GAN 中）的编码器输出 q(z|x) = N(μ, diag σ²)，μ = {mu_text}，"
            f"σ = {sigma_text}。KL 项 KL(q(z|x) ‖ N(0, I))（自然对数）是多少？{THREE_SIG.zh}",
        ),
        kind="number",
        answer=answer,
        params={"dims": dims, "mu": json_list(means), "sigma": json_list(stds)},
        solution=(
            KL_FORMULA,
            Text.same(f"μᵢ² + σᵢ² − 1 − log σᵢ² = {vec(terms)}"),
            Text.same(f"KL = ½ × {num(total)} = {num(answer)}"),
        ),
        mistakes=mistakes,
        rel_tol=REL_TOL,
        abs_tol=ABS_TOL,
        hint=VAE_KL_HINT,
    )


# --- InfoGAN: entropy of the categorical code ---------------------------------------------

UNITS = {
    "nats": ("ln", Text(en="nats", zh="奈特（nats）")),
    "bits": ("log₂", Text(en="bits", zh="比特（bits）")),
}
NATS_VS_BITS = Text(
    en="That is the entropy in the other unit: nats use the natural log, bits use log₂ "
    "(1 bit = ln 2 ≈ 0.693 nats).",
    zh="这是另一种单位下的熵：nats 用自然对数，bits 用 log₂（1 bit = ln 2 ≈ 0.693 nats）。",
)
ASSUMED_UNIFORM = Text(
    en="That is log K, the entropy of a uniform code; with these probabilities use "
    "H(c) = −Σ pₖ log pₖ.",
    zh="这是 log K，即均匀分布编码的熵；对给定的概率应使用 H(c) = −Σ pₖ log pₖ。",
)
INFOGAN_BOUND = Text(
    en="InfoGAN maximises the bound I(c; G(z, c)) ≥ E[log Q(c|x)] + H(c).",
    zh="InfoGAN 最大化下界 I(c; G(z, c)) ≥ E[log Q(c|x)] + H(c)。",
)
ENTROPY_DEFINITION = Text(
    en="H(c) = −Σₖ pₖ log pₖ; for K equally likely categories this is log K.",
    zh="H(c) = −Σₖ pₖ log pₖ；K 个等概率类别时等于 log K。",
)
# Distributions in tenths over 2 to 4 categories, every category at least 0.1.
CODE_TENTHS = tuple([c for k in (2, 3, 4) for c in compositions(10, k)])


INFOGAN_ENTROPY_HINT = Text(
    en="nats: natural log; bits: log base 2.",
    zh="nats 用自然对数，bits 用以 2 为底的对数。",
)


def _infogan_entropy(draw: Draw) -> Draft:
    u = draw.uniforms(3)
    unit = "nats" if u[0] < 0.5 else "bits"
    log_name, unit_text = UNITS[unit]

    def in_unit(nats: float) -> float:
        return nats if unit == "nats" else nats / LN2

    def in_other_unit(nats: float) -> float:
        return nats / LN2 if unit == "nats" else nats

    if u[1] < 0.5:
        categories = draw.int("categories")
        entropy_nats = math.log(categories)
        code = Text(
            en=f"a categorical code c with K = {categories} equally likely categories",
            zh=f"一个类别型编码 c，共 K = {categories} 个等概率类别",
        )
        expression = f"H(c) = log K = {log_name} {categories}"
        uniform: list[Mistake] = []
        params: dict[str, JSONScalar | list[JSONScalar]] = {"categories": categories}
    else:
        tenths = CODE_TENTHS[int(u[2] * len(CODE_TENTHS))]
        probs = [t / 10 for t in tenths]
        entropy_nats = -sum([p * math.log(p) for p in probs])
        p_text = "(" + ", ".join([f"0.{t}" for t in tenths]) + ")"  # every t is 1 … 9
        code = Text(
            en=f"a categorical code c with probabilities p = {p_text}",
            zh=f"一个类别型编码 c，各类别的概率为 p = {p_text}",
        )
        terms = " + ".join([f"0.{t}·{log_name} 0.{t}" for t in tenths])
        expression = f"H(c) = −Σₖ pₖ log pₖ = −({terms})"
        uniform = [Mistake("assumed-uniform", ASSUMED_UNIFORM, in_unit(math.log(len(probs))))]
        params = {"probs": json_list(probs)}
    answer = in_unit(entropy_nats)
    mistakes = [Mistake("nats-vs-bits", NATS_VS_BITS, in_other_unit(entropy_nats)), *uniform]
    return make_draft(
        prompt=Text(
            en=f"{INFOGAN_BOUND.en} The generator gets {code.en}. What is H(c) in "
            f"{unit_text.en}? {THREE_SIG.en}",
            zh=f"{INFOGAN_BOUND.zh}生成器的输入包含{code.zh}。H(c) 是多少{unit_text.zh}？"
            f"{THREE_SIG.zh}",
        ),
        kind="number",
        answer=answer,
        params={"unit": unit, **params},
        solution=(ENTROPY_DEFINITION, Text.same(f"{expression} = {num(answer)} {unit}")),
        mistakes=mistakes,
        rel_tol=REL_TOL,
        abs_tol=ABS_TOL,
        hint=INFOGAN_ENTROPY_HINT,
    )


# --- StyleGAN: AdaIN ----------------------------------------------------------------------

SAMPLE_STD = Text(
    en="That normalises with the sample standard deviation (divide by n − 1); instance "
    "normalisation uses the population standard deviation (divide by n).",
    zh="这里用了样本标准差（除以 n − 1）；实例归一化用的是总体标准差（除以 n）。",
)
SWAPPED_STATS = Text(
    en="The statistics are swapped: normalise with the content's μ(x), σ(x), then scale by "
    "the style's σ(y) and shift by μ(y).",
    zh="统计量用反了：先用内容的 μ(x)、σ(x) 归一化，再乘风格的 σ(y)、加风格的 μ(y)。",
)
FORGOT_STYLE_MEAN = Text(
    en="That leaves out the shift: AdaIN adds the style mean μ(y) after scaling by σ(y).",
    zh="这里漏了平移：AdaIN 在乘以 σ(y) 之后还要加上风格均值 μ(y)。",
)
ADAIN_FORMULA = Text.same("AdaIN(x, y) = σ(y)·(x − μ(x))/σ(x) + μ(y)")
ADAIN_ASK_VECTOR = Text(
    en=f"Give AdaIN(x, y) for the whole channel. {THREE_SIG.en}",
    zh=f"求整个通道的 AdaIN(x, y)。{THREE_SIG.zh}",
)
ADAIN_ASK_ELEMENT = tuple(
    [
        Text(
            en=f"What is the {ordinal} element of AdaIN(x, y)? {THREE_SIG.en}",
            zh=f"AdaIN(x, y) 的第 {i + 1} 个元素是多少？{THREE_SIG.zh}",
        )
        for i, ordinal in enumerate(("1st", "2nd", "3rd", "4th", "5th"))
    ]
)


ADAIN_HINT = Text(
    en="Normalise with the content statistics, then apply the style statistics.",
    zh="先用内容的统计量归一化，再套用风格的统计量。",
)


def _adain(draw: Draw) -> Draft:
    n = draw.int("size")
    u = draw.uniforms(n + 4)
    xs = [float(int(v * 9) - 2) for v in u[:n]]  # −2 … 6
    if min(xs) == max(xs):  # a constant channel has σ(x) = 0
        xs[-1] += 1.0
    style_mean_tenths = int(u[n] * 41) - 20  # −2 … 2
    style_std_tenths = 5 + int(u[n + 1] * 26)  # 0.5 … 3
    style_mean, style_std = style_mean_tenths / 10, style_std_tenths / 10
    mean = sum(xs) / n
    squares = sum([(v - mean) ** 2 for v in xs])
    std = math.sqrt(squares / n)
    sample_std = math.sqrt(squares / (n - 1))
    out = tuple([style_std * (v - mean) / std + style_mean for v in xs])
    wrong = (
        tuple([style_std * (v - mean) / sample_std + style_mean for v in xs]),
        tuple([std * (v - style_mean) / style_std + mean for v in xs]),
        tuple([style_std * (v - mean) / std for v in xs]),
    )
    index = -1 if u[n + 2] < 0.5 else int(u[n + 3] * n)
    answer: float | tuple[float, ...] = out if index < 0 else out[index]

    def pick(values: tuple[float, ...]) -> float | tuple[float, ...]:
        return values if index < 0 else values[index]

    mistakes = [
        Mistake("sample-std", SAMPLE_STD, pick(wrong[0])),
        Mistake("swapped-stats", SWAPPED_STATS, pick(wrong[1])),
        Mistake("forgot-style-mean", FORGOT_STYLE_MEAN, pick(wrong[2])),
    ]
    ask = ADAIN_ASK_VECTOR if index < 0 else ADAIN_ASK_ELEMENT[index]
    x_text = vec(xs)
    style_mean_text = tenths(style_mean_tenths)
    style_std_text = tenths(style_std_tenths)
    std_text = num(std)
    return make_draft(
        prompt=Text(
            en=f"StyleGAN's AdaIN: one channel of the content features is x = {x_text}; the "
            f"style gives μ(y) = {style_mean_text}, σ(y) = {style_std_text}. Use the population "
            f"standard deviation for σ(x) and ignore ε. {ask.en}",
            zh=f"StyleGAN 的 AdaIN：内容特征的一个通道为 x = {x_text}；风格给出 "
            f"μ(y) = {style_mean_text}，σ(y) = {style_std_text}。σ(x) 用总体标准差，忽略 ε。"
            f"{ask.zh}",
        ),
        kind="vector" if index < 0 else "number",
        answer=answer,
        params={
            "size": n,
            "x": json_list(xs),
            "style_mean": style_mean,
            "style_std": style_std,
            "element": index + 1,
        },
        solution=(
            ADAIN_FORMULA,
            Text.same(f"μ(x) = {num(mean)},  σ(x) = √({num(squares)}/{n}) = {std_text}"),
            Text.same(
                f"AdaIN(x, y) = {style_std_text}·(x {signed(-mean)})/{std_text} "
                f"{signed(style_mean)} = {vec(out)}"
            ),
        ),
        mistakes=mistakes,
        rel_tol=REL_TOL,
        abs_tol=ABS_TOL,
        hint=ADAIN_HINT,
    )


FAMILIES = (
    Family(
        id="cgan-input-width",
        version=1,
        description="Conditional GAN input width: base width + number of classes (one-hot)",
        topic="conditional-gan",
        build=_cgan_input_width,
        params={
            "latent_dim": ParamSpec(16, 256, doc="dimension of the noise z"),
            "classes": ParamSpec(2, 100, doc="number of classes"),
        },
    ),
    Family(
        id="vae-kl",
        # 2: negative numbers written with the minus sign (−1.5), not a hyphen
        version=2,
        description="VAE KL term KL(N(μ, diag σ²) ‖ N(0, I)) for 2-4 dimensions",
        topic="vaegan",
        build=_vae_kl,
        params={"dims": ParamSpec(2, 4, doc="latent dimensions")},
    ),
    Family(
        id="infogan-code-entropy",
        version=1,
        description="Entropy H(c) of InfoGAN's categorical latent code, in nats or bits",
        topic="infogan",
        build=_infogan_entropy,
        params={"categories": ParamSpec(2, 20, doc="K for a uniform code")},
    ),
    Family(
        id="adain",
        # 2: numbers outside [10⁻⁴, 10⁹) are written 9.405×10⁻⁵, not 9.405×10^-5
        # 3: negative numbers written with the minus sign (−1.5), not a hyphen
        version=3,
        description="StyleGAN AdaIN of a small content channel with given style statistics",
        topic="stylegan",
        build=_adain,
        params={"size": ParamSpec(3, 5, doc="number of values in the channel")},
    ),
)
