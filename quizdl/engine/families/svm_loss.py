"""Support vector machines and loss functions: the SVM margin 2/‖w‖ and the hinge loss, and
loss versus cost (损失函数针对单个样本，代价函数针对整个训练集: the loss is for one sample,
the cost for the whole training set)."""

from __future__ import annotations

import math

from quizdl.engine.families._shared import sig3, sig3_draft
from quizdl.engine.fmt import factor, num, vec
from quizdl.engine.question import Draft, Draw, Family, JSONScalar, Mistake, ParamSpec, json_list
from quizdl.kb.text import Text


def _number_draft(
    en: str,
    zh: str,
    answer: float,
    params: dict[str, JSONScalar | list[JSONScalar]],
    solution: tuple[Text, ...],
    mistakes: list[Mistake],
    hint: Text | None = None,
    abs_tol: float = 1e-9,
) -> Draft:
    return sig3_draft(
        sig3(en, zh), "number", answer, params, solution, mistakes, abs_tol=abs_tol, hint=hint
    )


# ---- SVM --------------------------------------------------------------------------------------

_HALF_MARGIN = Text(
    en="1/‖w‖ is the distance from the boundary to one margin hyperplane; the margin spans "
    "both sides: 2/‖w‖.",
    zh="1/‖w‖ 只是决策边界到一侧间隔超平面的距离；间隔包括两侧：2/‖w‖。",
)
_SQUARED_NORM = Text(
    en="Divide by the norm ‖w‖, not by ‖w‖² (the quantity the SVM minimises).",
    zh="应除以范数 ‖w‖，而不是 ‖w‖²（‖w‖² 是 SVM 最小化的目标）。",
)
_MARGIN_RULE = Text(
    en="margin = 2/‖w‖ (b only shifts the planes)", zh="间隔 = 2/‖w‖（b 只平移超平面）"
)
_HINGE = Text.same("L = max(0, 1 − y(w·x + b))")
_FORGOT_MAX = Text(
    en="1 − y(w·x + b) is negative here: the point lies beyond its margin, and max(0, ·) "
    "makes its loss 0.",
    zh="这里 1 − y(w·x + b) 为负：该点在间隔之外，max(0, ·) 使它的损失为 0。",
)
_IGNORED_LABEL = Text(
    en="The label multiplies the score: 1 − y(w·x + b) with y = −1.",
    zh="标签要乘上得分：1 − y(w·x + b)，这里 y = −1。",
)
_NO_MARGIN = Text(
    en="The hinge loss asks for a margin of 1: max(0, 1 − y(w·x + b)), not max(0, −y(w·x + b)).",
    zh="合页损失要求间隔为 1：max(0, 1 − y(w·x + b))，而不是 max(0, −y(w·x + b))。",
)


def _svm_margin(draw: Draw, dims: int, u: list[float]) -> Draft:
    w = [float(int(x * 9) - 4) for x in u[:dims]]  # integers −4…4
    if not any(w):
        w[0] = 1.0
    b = draw.float("bias", decimals=1)
    norm = math.sqrt(sum([v * v for v in w]))
    answer = 2 / norm
    mistakes = [
        Mistake("half-margin", _HALF_MARGIN, 1 / norm),
        Mistake("squared-norm", _SQUARED_NORM, 2 / (norm * norm)),
    ]
    w_text = vec(w)
    squares = " + ".join([f"{factor(v)}²" for v in w])
    return _number_draft(
        en=f"A hard-margin linear SVM has w = {w_text} and b = {num(b)}. How wide is its margin, "
        "the distance between the hyperplanes w·x + b = 1 and w·x + b = −1?",
        zh=f"硬间隔线性 SVM 的 w = {w_text}，b = {num(b)}。它的间隔（超平面 w·x + b = 1 与 "
        "w·x + b = −1 之间的距离）是多少？",
        answer=answer,
        params={"variant": "margin", "dims": dims, "w": json_list(w), "b": b},
        solution=(
            _MARGIN_RULE,
            Text.same(f"‖w‖ = √({squares}) = {num(norm)}"),
            Text.same(f"2/{num(norm)} = {num(answer)}"),
        ),
        mistakes=mistakes,
    )


def _svm_hinge(draw: Draw, dims: int, u: list[float]) -> Draft:
    w = [round(-2.0 + 4.0 * x, 1) + 0.0 for x in u[:dims]]  # + 0.0: never −0.0
    x = [float(int(v * 7) - 3) for v in u[dims : 2 * dims]]  # integers −3…3
    y = 1 if u[2 * dims] < 0.5 else -1
    b = draw.float("bias", decimals=1)
    # w·x + b has one decimal; rounding removes float noise such as 0.30000000000000004
    score = round(sum([wi * xi for wi, xi in zip(w, x, strict=True)]) + b, 9) + 0.0
    slack = round(1 - y * score, 9)
    answer = max(0.0, slack)
    mistakes = []
    if slack < 0:
        mistakes.append(Mistake("forgot-max", _FORGOT_MAX, slack))
    if y == -1:
        mistakes.append(Mistake("ignored-label", _IGNORED_LABEL, max(0.0, round(1 - score, 9))))
    mistakes.append(Mistake("no-margin", _NO_MARGIN, max(0.0, round(-y * score, 9))))
    w_text, x_text = vec(w), vec(x)
    products = " + ".join([f"{factor(wi)}×{factor(xi)}" for wi, xi in zip(w, x, strict=True)])
    return _number_draft(
        en=f"A linear SVM has w = {w_text} and b = {num(b)}. What is the hinge loss of the "
        f"training point x = {x_text} with label y = {num(y)}?",
        zh=f"线性 SVM 的 w = {w_text}，b = {num(b)}。训练样本 x = {x_text}、"
        f"标签 y = {num(y)} 的合页损失（hinge loss）是多少？",
        answer=answer,
        params={
            "variant": "hinge",
            "dims": dims,
            "w": json_list(w),
            "b": b,
            "x": json_list(x),
            "y": y,
        },
        solution=(
            _HINGE,
            Text.same(f"w·x + b = {products} + {factor(b)} = {num(score)}"),
            Text.same(f"L = max(0, 1 − {factor(y)}×{factor(score)}) = {answer:g}"),
        ),
        mistakes=mistakes,
        hint=_HINGE,
        abs_tol=1e-3,
    )


def _svm_margin_hinge(draw: Draw) -> Draft:
    dims = draw.int("dims")
    u = draw.uniforms(2 * dims + 2)
    if u[-1] < 0.5:
        return _svm_margin(draw, dims, u)
    return _svm_hinge(draw, dims, u)


# ---- loss versus cost --------------------------------------------------------------------------

_SQUARED = (
    "L = (y − ŷ)²",
    Text(en="squared-error loss L = (y − ŷ)²", zh="平方误差损失 L = (y − ŷ)²"),
    ("abs-not-square", Text(en="The squared error squares y − ŷ.", zh="平方误差要把 y − ŷ 平方。")),
)
_CROSS_ENTROPY = (
    "L = −[y·ln ŷ + (1 − y)·ln(1 − ŷ)]",
    Text(
        en="binary cross-entropy loss L = −[y·ln ŷ + (1 − y)·ln(1 − ŷ)]",
        zh="二元交叉熵损失 L = −[y·ln ŷ + (1 − y)·ln(1 − ŷ)]",
    ),
    (
        "forgot-minus",
        Text(
            en="Cross-entropy has a minus sign in front: the loss is never negative.",
            zh="交叉熵前面有负号：损失不会是负数。",
        ),
    ),
)
_COST_NOT_LOSS = Text(
    en="That is the cost, the mean over the training set; the loss is for one sample "
    "(损失函数针对单个样本).",
    zh="这是代价（整个训练集上的平均）；损失函数针对单个样本。",
)
_SUM_NOT_MEAN = Text(
    en="The cost averages the losses: divide their sum by the number of samples m.",
    zh="代价是损失的平均值：总和还要除以样本数 m。",
)
_ONE_SAMPLE = Text(
    en="That is the loss of sample 1 alone; the cost covers the whole training set "
    "(代价函数针对整个训练集).",
    zh="这只是第 1 个样本的损失；代价函数针对整个训练集。",
)


def _loss_vs_cost(draw: Draw) -> Draft:
    m = draw.int("samples")
    u = draw.uniforms(2 * m + 3)
    squared = u[0] < 0.5
    ask_loss = u[1] < 0.5
    k = 1 + int(u[2] * m)
    if squared:
        ys = [round(-2.0 + 4.0 * v, 1) + 0.0 for v in u[3 : 3 + m]]  # + 0.0: never −0.0
        # ŷ ≠ y, so no loss is 0 and every sample teaches something
        shifts = [round(-1.5 + 3.0 * v, 1) for v in u[3 + m :]]
        preds = [
            round(y + (s if abs(s) >= 0.1 else 0.5), 1) + 0.0
            for y, s in zip(ys, shifts, strict=True)
        ]
        losses = [(y - p) ** 2 for y, p in zip(ys, preds, strict=True)]
        wrong_losses = [abs(y - p) for y, p in zip(ys, preds, strict=True)]
        definition, name, specific = _SQUARED
    else:
        ys = [1.0 if v < 0.5 else 0.0 for v in u[3 : 3 + m]]
        preds = [round(0.05 + 0.9 * v, 2) for v in u[3 + m :]]
        losses = [-math.log(p if y == 1 else 1 - p) for y, p in zip(ys, preds, strict=True)]
        wrong_losses = [-v for v in losses]
        definition, name, specific = _CROSS_ENTROPY
    total = sum(losses)
    cost = total / m
    if ask_loss:
        answer = losses[k - 1]
        question = (f"What is the loss of sample {k}?", f"第 {k} 个样本的损失是多少？")
        asked = (f"the loss of sample {k}", f"第 {k} 个样本的损失")
        mistakes = [
            Mistake("cost-not-loss", _COST_NOT_LOSS, cost),
            Mistake(*specific, wrong_losses[k - 1]),
        ]
    else:
        answer = cost
        question = ("What is the cost J over this training set?", "这个训练集上的代价 J 是多少？")
        asked = ("the cost J", "代价 J")
        mistakes = [
            Mistake("sum-not-mean", _SUM_NOT_MEAN, total),
            Mistake("one-sample-loss", _ONE_SAMPLE, losses[0]),
            Mistake(*specific, sum(wrong_losses) / m),
        ]
    pairs = enumerate(zip(ys, preds, strict=True), 1)
    table = "; ".join([f"{i}: y = {num(y, 6)}, ŷ = {num(p, 6)}" for i, (y, p) in pairs])
    return _number_draft(
        en=f"A model is trained with the {name.en} on {m} samples ({table}). {question[0]}",
        zh=f"模型在 {m} 个样本上用{name.zh} 训练（{table}）。{question[1]}",
        answer=answer,
        params={
            "samples": m,
            "loss": "squared" if squared else "cross-entropy",
            "ask": "loss" if ask_loss else "cost",
            "k": k,
            "y": json_list(ys),
            "y_hat": json_list(preds),
        },
        solution=(
            Text.same(definition),
            Text.same(f"L = {vec(losses)}"),
            Text.same(f"J = (1/m)·Σ Lᵢ = {num(total)} / {m} = {num(cost)}"),
            Text(en=f"Asked: {asked[0]} = {num(answer)}", zh=f"所求：{asked[1]} = {num(answer)}"),
        ),
        mistakes=mistakes,
        abs_tol=1e-4,
    )


FAMILIES = (
    Family(
        id="svm-margin-hinge",
        # 2: negative numbers written with the minus sign (−1.5), not a hyphen
        version=2,
        description="SVM margin 2/‖w‖ or the hinge loss of one point",
        topic="deep-learning",
        build=_svm_margin_hinge,
        params={
            "dims": ParamSpec(2, 3, doc="dimension of w"),
            "bias": ParamSpec(-2.0, 2.0, integer=False, doc="the bias b"),
        },
    ),
    Family(
        id="loss-vs-cost",
        # 2: negative numbers written with the minus sign (−1.5), not a hyphen
        version=2,
        description="Loss of one sample versus cost over the training set",
        topic="deep-learning",
        build=_loss_vs_cost,
        params={"samples": ParamSpec(3, 5, doc="training samples m")},
    ),
)
