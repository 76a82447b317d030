"""Welford's online mean and variance: one update, a short stream, and the parallel merge
of two running states (Chan et al.). The notes call it the "Welfold Algorithm"."""

from __future__ import annotations

from quizdl.engine.fmt import num, vec
from quizdl.engine.question import Draft, Draw, Family, Mistake, ParamSpec, distinct_mistakes
from quizdl.kb.text import Text

# What a question asks for: the whole state as a vector or one part of it.
ASKS = ("vector", "mean", "m2", "sample", "population")
# x − mean is (n + 1)·step/2, so the new mean moves by step/2 and M₂′ stays an integer or a half.
STEPS = (-4, -3, -2, -1, 1, 2, 3, 4)
REL_TOL = 5e-3
ABS_TOL = 1e-6

Answer = float | tuple[float, ...]


def _p(x: float) -> str:
    """A number ready to be substituted into a formula: negatives in parentheses."""
    return f"({num(x)})" if x < 0 else num(x)


def _join(first: Text, second: Text) -> Text:
    return Text(en=f"{first.en} {second.en}", zh=f"{first.zh}{second.zh}")


def integer_mean_sample(draw: Draw, size: int, low: int, high: int) -> list[int]:
    """`size` integers whose mean is an integer, so the state a learner reads is exact."""
    values = draw.ints(low, high, size)
    values[-1] -= sum(values) % size
    return values


def state_of(values: list[int]) -> tuple[float, float]:
    """(mean, M₂) of `values` computed directly: M₂ = Σ(v − mean)²."""
    mean = sum(values) / len(values)
    return mean, sum((v - mean) ** 2 for v in values)


def _ask_text(ask: str, vector_parts: str = "new mean, new M₂") -> Text:
    if ask == "vector":
        zh_parts = vector_parts.replace("new ", "新的 ")
        return Text(
            en=f"Give ({vector_parts}, sample variance s²) (3 significant figures).",
            zh=f"给出 ({zh_parts}, 样本方差 s²)（保留 3 位有效数字）。",
        )
    return {
        "mean": Text(
            en="What is the mean? (3 significant figures)", zh="mean 是多少？（保留 3 位有效数字）"
        ),
        "m2": Text(en="What is M₂? (3 significant figures)", zh="M₂ 是多少？（保留 3 位有效数字）"),
        "sample": Text(
            en="What is the sample variance s²? (3 significant figures)",
            zh="样本方差 s² 是多少？（保留 3 位有效数字）",
        ),
        "population": Text(
            en="What is the population variance σ²? (3 significant figures)",
            zh="总体方差 σ² 是多少？（保留 3 位有效数字）",
        ),
    }[ask]


def answer_of(ask: str, mean: float, m2: float, count: int) -> Answer:
    """The asked part of a state that holds `count` values (count ≥ 2)."""
    sample = m2 / (count - 1)
    if ask == "vector":
        return (mean, m2, sample)
    return {"mean": mean, "m2": m2, "sample": sample, "population": m2 / count}[ask]


def _variance_mistakes(ask: str, mean: float, m2: float, count: int) -> list[Mistake]:
    """Dividing M₂ by the wrong count: n where n − 1 belongs, or the reverse."""
    if ask in ("vector", "sample"):
        wrong = m2 / count
        return [
            Mistake(
                "population-not-sample",
                Text(
                    en=f"That divides M₂ by n = {count} (population variance); "
                    f"the sample variance divides by n − 1 = {count - 1}.",
                    zh=f"这是用 M₂ 除以 n = {count}（总体方差）；"
                    f"样本方差应除以 n − 1 = {count - 1}。",
                ),
                (mean, m2, wrong) if ask == "vector" else wrong,
            )
        ]
    if ask == "population":
        return [
            Mistake(
                "sample-not-population",
                Text(
                    en=f"That divides M₂ by n − 1 = {count - 1} (sample variance); "
                    f"the population variance divides by n = {count}.",
                    zh=f"这是用 M₂ 除以 n − 1 = {count - 1}（样本方差）；"
                    f"总体方差应除以 n = {count}。",
                ),
                m2 / (count - 1),
            )
        ]
    return []


def _old_mean_twice(ask: str, mean: float, wrong_m2: float, count: int) -> list[Mistake]:
    if ask == "mean":
        return []
    return [
        Mistake(
            "old-mean-twice",
            Text(
                en="That adds (x − mean)², using the old mean twice; Welford's update is "
                "M₂′ = M₂ + (x − mean)·(x − mean′), the second factor with the new mean.",
                zh="这里加的是 (x − mean)²，两次都用了旧的 mean；Welford 的更新是 "
                "M₂′ = M₂ + (x − mean)·(x − mean′)，第二个因子要用新的 mean。",
            ),
            answer_of(ask, mean, wrong_m2, count),
        )
    ]


def _update(draw: Draw) -> Draft:
    n = draw.int("n")  # at least 2, so the stale count n still has a sample variance
    values = integer_mean_sample(draw, n, 0, 12)
    mean, m2 = state_of(values)
    x = mean + (n + 1) * draw.pick(STEPS) / 2
    ask = draw.pick(ASKS)

    count = n + 1
    delta = x - mean
    new_mean = mean + delta / count
    new_m2 = m2 + delta * (x - new_mean)
    answer = answer_of(ask, new_mean, new_m2, count)

    # Forgetting n ← n + 1: the mean moves by δ/n and the variance divides by the old count.
    stale_mean = mean + delta / n
    stale_m2 = m2 + delta * (x - stale_mean)
    stale = Mistake(
        "forgot-increment-n",
        Text(
            en=f"That keeps the count at n = {n}; first set n ← n + 1 = {count}, "
            "then mean′ = mean + (x − mean)/n.",
            zh=f"这里计数仍停留在 n = {n}；应先令 n ← n + 1 = {count}，"
            "再算 mean′ = mean + (x − mean)/n。",
        ),
        answer_of(ask, stale_mean, stale_m2, n),
    )
    mistakes = distinct_mistakes(
        answer,
        [
            *_variance_mistakes(ask, new_mean, new_m2, count),
            *_old_mean_twice(ask, new_mean, m2 + delta * delta, count),
            stale,
        ],
        rel_tol=REL_TOL,
        abs_tol=ABS_TOL,
    )
    prompt = Text(
        en=f"Welford's online algorithm keeps the state (n, mean, M₂). After {n} values it is "
        f"({n}, {num(mean)}, {num(m2)}); the next value is x = {num(x)}. "
        "Update the state with x.",
        zh=f"Welford 在线算法维护状态 (n, mean, M₂)。读入 {n} 个值后状态为 "
        f"({n}, {num(mean)}, {num(m2)})；下一个值是 x = {num(x)}。用 x 更新状态后：",
    )
    return Draft(
        prompt=_join(prompt, _ask_text(ask)),
        kind="vector" if ask == "vector" else "number",
        answer=answer,
        params={"n": n, "values": list(values), "x": x, "ask": ask},
        solution=(
            Text.same(f"n′ = n + 1 = {count}"),
            Text.same(
                f"δ = x − mean = {num(x)} − {_p(mean)} = {num(delta)};  "
                f"mean′ = mean + δ/n′ = {num(mean)} + {_p(delta)}/{count} = {num(new_mean)}"
            ),
            Text.same(
                f"M₂′ = M₂ + δ·(x − mean′) = {num(m2)} + {_p(delta)} × {_p(x - new_mean)}"
                f" = {num(new_m2)}"
            ),
            Text.same(
                f"s² = M₂′/(n′ − 1) = {num(new_m2)}/{n} = {num(new_m2 / n)};  "
                f"σ² = M₂′/n′ = {num(new_m2)}/{count} = {num(new_m2 / count)}"
            ),
        ),
        mistakes=mistakes,
        rel_tol=REL_TOL,
        abs_tol=ABS_TOL,
    )


def welford_run(values: list[int], old_mean_twice: bool = False) -> list[tuple[float, float]]:
    """(mean, M₂) after each value, from the empty state (0, 0, 0)."""
    mean = m2 = 0.0
    states = []
    for count, x in enumerate(values, start=1):
        delta = x - mean
        mean += delta / count
        m2 += delta * delta if old_mean_twice else delta * (x - mean)
        states.append((mean, m2))
    return states


def _stream(draw: Draw) -> Draft:
    values = draw.ints(0, 10, draw.int("count"))
    ask = draw.pick(ASKS)
    states = welford_run(values)
    mean, m2 = states[-1]
    count = len(values)
    answer = answer_of(ask, mean, m2, count)
    mistakes = distinct_mistakes(
        answer,
        [
            *_variance_mistakes(ask, mean, m2, count),
            *_old_mean_twice(ask, mean, welford_run(values, old_mean_twice=True)[-1][1], count),
        ],
        rel_tol=REL_TOL,
        abs_tol=ABS_TOL,
    )
    shown = ", ".join(str(v) for v in values)
    prompt = Text(
        en="Run Welford's online algorithm from the empty state (n, mean, M₂) = (0, 0, 0) "
        f"over the values {shown}. For the final state:",
        zh="从空状态 (n, mean, M₂) = (0, 0, 0) 开始，用 Welford 在线算法依次读入 "
        f"{shown}。对最终状态：",
    )
    steps = tuple(
        Text.same(f"x = {x}:  (n, mean, M₂) = ({k}, {num(st[0])}, {num(st[1])})")
        for k, (x, st) in enumerate(zip(values, states, strict=True), start=1)
    )
    return Draft(
        prompt=_join(prompt, _ask_text(ask, "mean, M₂")),
        kind="vector" if ask == "vector" else "number",
        answer=answer,
        params={"count": count, "values": list(values), "ask": ask},
        solution=(
            *steps,
            Text.same(
                f"s² = M₂/(n − 1) = {num(m2)}/{count - 1} = {num(m2 / (count - 1))};  "
                f"σ² = M₂/n = {num(m2)}/{count} = {num(m2 / count)}"
            ),
        ),
        mistakes=mistakes,
        rel_tol=REL_TOL,
        abs_tol=ABS_TOL,
        hint=Text(
            en="Each step: n ← n + 1, δ = x − mean, mean ← mean + δ/n, M₂ ← M₂ + δ·(x − mean).",
            zh="每一步：n ← n + 1，δ = x − mean，mean ← mean + δ/n，M₂ ← M₂ + δ·(x − mean)。",
        ),
    )


def merge_states(
    n_a: int, mean_a: float, m2_a: float, n_b: int, mean_b: float, m2_b: float
) -> tuple[int, float, float]:
    """Chan et al.'s pairwise merge of two (n, mean, M₂) states."""
    n = n_a + n_b
    delta = mean_b - mean_a
    return n, mean_a + delta * n_b / n, m2_a + m2_b + delta * delta * n_a * n_b / n


MERGE_ASKS = ("vector", "mean", "m2", "sample")


def _merge(draw: Draw) -> Draft:
    n_a, n_b = draw.int("n_a"), draw.int("n_b")
    a = integer_mean_sample(draw, n_a, 0, 12)
    b = integer_mean_sample(draw, n_b, 0, 12)
    mean_a, m2_a = state_of(a)
    mean_b, m2_b = state_of(b)
    if mean_a == mean_b:  # equal means make the δ² term vanish; shift b to keep it in play
        b = [v + 2 for v in b]
        mean_b += 2
    ask = draw.pick(MERGE_ASKS)
    n, mean, m2 = merge_states(n_a, mean_a, m2_a, n_b, mean_b, m2_b)
    delta = mean_b - mean_a
    cross = delta * delta * n_a * n_b / n
    answer = answer_of(ask, mean, m2, n)

    without_cross = m2_a + m2_b
    unweighted = (mean_a + mean_b) / 2
    candidates = _variance_mistakes(ask, mean, m2, n)
    if ask != "mean":
        candidates.append(
            Mistake(
                "forgot-delta-term",
                Text(
                    en="That adds only M₂_A + M₂_B; the spread between the two means adds "
                    "δ²·n_A·n_B/n.",
                    zh="这里只加了 M₂_A + M₂_B；两组均值之间的差异还要加上 δ²·n_A·n_B/n。",
                ),
                answer_of(ask, mean, without_cross, n),
            )
        )
    if ask in ("vector", "mean"):
        candidates.append(
            Mistake(
                "unweighted-mean",
                Text(
                    en="That averages the two means equally; weight them by their counts: "
                    "mean = mean_A + δ·n_B/n.",
                    zh="这里把两个均值直接平均了；应按样本数加权：mean = mean_A + δ·n_B/n。",
                ),
                answer_of(ask, unweighted, m2, n),
            )
        )
    mistakes = distinct_mistakes(answer, candidates, rel_tol=REL_TOL, abs_tol=ABS_TOL)
    state_a = f"(n_A, mean_A, M₂_A) = ({n_a}, {num(mean_a)}, {num(m2_a)})"
    state_b = f"(n_B, mean_B, M₂_B) = ({n_b}, {num(mean_b)}, {num(m2_b)})"
    prompt = Text(
        en=f"Two workers ran Welford's algorithm on separate parts of a data set: {state_a} "
        f"and {state_b}. Merge them into one state.",
        zh=f"两个 worker 分别对数据的两部分运行了 Welford 算法：{state_a}，{state_b}。"
        "把它们合并成一个状态后：",
    )
    return Draft(
        prompt=_join(prompt, _ask_text(ask, "mean, M₂")),
        kind="vector" if ask == "vector" else "number",
        answer=answer,
        params={"n_a": n_a, "n_b": n_b, "a": list(a), "b": list(b), "ask": ask},
        solution=(
            Text.same(
                f"n = n_A + n_B = {n};  δ = mean_B − mean_A = {num(mean_b)} − {_p(mean_a)}"
                f" = {num(delta)}"
            ),
            Text.same(
                f"mean = mean_A + δ·n_B/n = {num(mean_a)} + {_p(delta)} × {n_b}/{n}"
                f" = {num(mean, 6)}"
            ),
            Text.same(
                f"M₂ = M₂_A + M₂_B + δ²·n_A·n_B/n = {num(m2_a)} + {num(m2_b)} + "
                f"{num(delta * delta)} × {n_a} × {n_b}/{n} = {num(m2_a + m2_b)} + "
                f"{num(cross, 6)} = {num(m2, 6)}"
            ),
            Text.same(f"s² = M₂/(n − 1) = {num(m2, 6)}/{n - 1} = {num(m2 / (n - 1), 6)}"),
            Text.same(f"(mean, M₂, s²) = {vec((mean, m2, m2 / (n - 1)))}"),
        ),
        mistakes=mistakes,
        rel_tol=REL_TOL,
        abs_tol=ABS_TOL,
    )


FAMILIES = (
    Family(
        id="welford-update",
        version=1,
        description="One Welford update of (n, mean, M₂) with a new value, and the variance",
        topic="welford",
        build=_update,
        params={"n": ParamSpec(2, 9, doc="values already seen")},
    ),
    Family(
        id="welford-stream",
        version=1,
        description="Welford's algorithm over 3-5 values from the empty state",
        topic="welford",
        build=_stream,
        params={"count": ParamSpec(3, 5, doc="number of values in the stream")},
    ),
    Family(
        id="welford-merge",
        version=1,
        description="Merging two Welford states (Chan et al.'s parallel variance)",
        topic="welford",
        build=_merge,
        params={
            "n_a": ParamSpec(2, 8, doc="values in the first part"),
            "n_b": ParamSpec(2, 8, doc="values in the second part"),
        },
    ),
)
