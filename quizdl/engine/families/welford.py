"""Welford's online mean and variance: one update, a short stream, and the parallel merge
of two running states (Chan et al.). The notes call it the "Welfold Algorithm"."""

from __future__ import annotations

from quizdl.engine.families._shared import SIG3_REL_TOL as REL_TOL
from quizdl.engine.families._shared import sig3
from quizdl.engine.fmt import factor, num
from quizdl.engine.question import Draft, Draw, Family, Mistake, ParamSpec, json_list, make_draft
from quizdl.kb.text import Text

ABS_TOL = 1e-6
# x − mean is (n + 1)·step/2, so the new mean moves by step/2 and M₂′ stays an integer or a half.
STEPS = (-4, -3, -2, -1, 1, 2, 3, 4)

Answer = float | tuple[float, ...]


# What a question asks for: the whole state as a vector or one part of it.
ASK_TEXTS: dict[str, Text] = {
    "mean": sig3("What is the mean?", "mean 是多少？"),
    "m2": sig3("What is M₂?", "M₂ 是多少？"),
    "sample": sig3("What is the sample variance s²?", "样本方差 s² 是多少？"),
    "population": sig3("What is the population variance σ²?", "总体方差 σ² 是多少？"),
    "vector": sig3("Give (mean, M₂, sample variance s²)", "给出 (mean, M₂, 样本方差 s²)"),
}
ASKS = tuple(ASK_TEXTS)

OLD_MEAN_TWICE = Text(
    en="That adds (x − mean)², using the old mean twice; Welford's update is "
    "M₂′ = M₂ + (x − mean)·(x − mean′), the second factor with the new mean.",
    zh="这里加的是 (x − mean)²，两次都用了旧的 mean；Welford 的更新是 "
    "M₂′ = M₂ + (x − mean)·(x − mean′)，第二个因子要用新的 mean。",
)
FORGOT_DELTA = Text(
    en="That adds only M₂_A + M₂_B; the spread between the two means adds δ²·n_A·n_B/n.",
    zh="这里只加了 M₂_A + M₂_B；两组均值之间的差异还要加上 δ²·n_A·n_B/n。",
)
UNWEIGHTED = Text(
    en="That averages the two means equally; weight them by their counts: mean = mean_A + δ·n_B/n.",
    zh="这里把两个均值直接平均了；应按样本数加权：mean = mean_A + δ·n_B/n。",
)
STREAM_HINT = Text(
    en="Each step: n ← n + 1, δ = x − mean, mean ← mean + δ/n, M₂ ← M₂ + δ·(x − mean).",
    zh="每一步：n ← n + 1，δ = x − mean，mean ← mean + δ/n，M₂ ← M₂ + δ·(x − mean)。",
)


def with_integer_mean(values: list[int]) -> list[int]:
    """`values` with the last one lowered so that the mean is an integer: the state a
    learner reads is then exact."""
    return [*values[:-1], values[-1] - sum(values) % len(values)]


def state_of(values: list[int]) -> tuple[float, float]:
    """(mean, M₂) of `values` computed directly: M₂ = Σ(v − mean)²."""
    mean = sum(values) / len(values)
    return mean, sum([(v - mean) ** 2 for v in values])


def answer_of(ask: str, mean: float, m2: float, count: int) -> Answer:
    """The asked part of a state that holds `count` values (count ≥ 2)."""
    if ask == "vector":
        return (mean, m2, m2 / (count - 1))
    if ask == "mean":
        return mean
    if ask == "m2":
        return m2
    return m2 / (count - 1) if ask == "sample" else m2 / count


def _variance_mistakes(ask: str, mean: float, m2: float, count: int) -> list[Mistake]:
    """Dividing M₂ by the wrong count: n where n − 1 belongs, or the reverse."""
    if ask in ("vector", "sample"):
        wrong = m2 / count
        label = Text(
            en=f"That divides M₂ by n = {count} (population variance); "
            f"the sample variance divides by n − 1 = {count - 1}.",
            zh=f"这是用 M₂ 除以 n = {count}（总体方差）；样本方差应除以 n − 1 = {count - 1}。",
        )
        value = (mean, m2, wrong) if ask == "vector" else wrong
        return [Mistake("population-not-sample", label, value)]
    if ask == "population":
        label = Text(
            en=f"That divides M₂ by n − 1 = {count - 1} (sample variance); "
            f"the population variance divides by n = {count}.",
            zh=f"这是用 M₂ 除以 n − 1 = {count - 1}（样本方差）；总体方差应除以 n = {count}。",
        )
        return [Mistake("sample-not-population", label, m2 / (count - 1))]
    return []


def _variances_line(m2: float, count: int, prime: str = "") -> Text:
    m2_text = num(m2)
    return Text.same(
        f"s² = M₂{prime}/(n{prime} − 1) = {m2_text}/{count - 1} = {num(m2 / (count - 1))};  "
        f"σ² = M₂{prime}/n{prime} = {m2_text}/{count} = {num(m2 / count)}"
    )


def _update(draw: Draw) -> Draft:
    n = draw.int("n")  # at least 2, so even a count left at n has a sample variance
    values = with_integer_mean(draw.uniform_ints(0, 12, n))
    mean, m2 = state_of(values)
    x = mean + (n + 1) * draw.pick(STEPS) / 2
    ask = draw.pick(ASKS)

    count = n + 1
    delta = x - mean
    new_mean = mean + delta / count
    new_m2 = m2 + delta * (x - new_mean)
    answer = answer_of(ask, new_mean, new_m2, count)

    candidates = _variance_mistakes(ask, new_mean, new_m2, count)
    if ask != "mean":
        wrong = answer_of(ask, new_mean, m2 + delta * delta, count)
        candidates.append(Mistake("old-mean-twice", OLD_MEAN_TWICE, wrong))
    # Forgetting n ← n + 1: the mean moves by δ/n and the variance divides by the old count.
    stale_mean = mean + delta / n
    stale = Text(
        en=f"That keeps the count at n = {n}; first set n ← n + 1 = {count}, "
        "then mean′ = mean + (x − mean)/n.",
        zh=f"这里计数仍停留在 n = {n}；应先令 n ← n + 1 = {count}，"
        "再算 mean′ = mean + (x − mean)/n。",
    )
    stale_value = answer_of(ask, stale_mean, m2 + delta * (x - stale_mean), n)
    candidates.append(Mistake("forgot-increment-n", stale, stale_value))

    x_text, mean_text, m2_text = num(x), num(mean), num(m2)
    delta_text, new_mean_text, new_m2_text = factor(delta), num(new_mean), num(new_m2)
    state = f"({n}, {mean_text}, {m2_text})"
    ask_text = ASK_TEXTS[ask]
    return make_draft(
        prompt=Text(
            en="Welford's online algorithm keeps the state (n, mean, M₂). After "
            f"{n} values it is {state}; the next value is x = {x_text}. "
            f"Update the state with x. {ask_text.en}",
            zh=f"Welford 在线算法维护状态 (n, mean, M₂)。读入 {n} 个值后状态为 {state}；"
            f"下一个值是 x = {x_text}。用 x 更新状态后：{ask_text.zh}",
        ),
        kind="vector" if ask == "vector" else "number",
        answer=answer,
        params={"n": n, "values": json_list(values), "x": x, "ask": ask},
        solution=(
            Text.same(
                f"n′ = n + 1 = {count};  δ = x − mean = {x_text} − {factor(mean)} = {num(delta)}"
            ),
            Text.same(
                f"mean′ = mean + δ/n′ = {mean_text} + {delta_text}/{count} = {new_mean_text}"
            ),
            Text.same(
                f"M₂′ = M₂ + δ·(x − mean′) = {m2_text} + {delta_text} × {factor(x - new_mean)}"
                f" = {new_m2_text}"
            ),
            _variances_line(new_m2, count, prime="′"),
        ),
        mistakes=candidates,
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
    values = draw.uniform_ints(0, 10, draw.int("count"))
    ask = draw.pick(ASKS)
    states = welford_run(values)
    mean, m2 = states[-1]
    count = len(values)
    answer = answer_of(ask, mean, m2, count)
    candidates = _variance_mistakes(ask, mean, m2, count)
    if ask != "mean":
        wrong_m2 = welford_run(values, old_mean_twice=True)[-1][1]
        candidates.append(
            Mistake("old-mean-twice", OLD_MEAN_TWICE, answer_of(ask, mean, wrong_m2, count))
        )
    shown = ", ".join(map(str, values))
    ask_text = ASK_TEXTS[ask]
    steps = tuple(
        [
            Text.same(f"x = {x}:  (n, mean, M₂) = ({k}, {num(st[0])}, {num(st[1])})")
            for k, (x, st) in enumerate(zip(values, states, strict=True), start=1)
        ]
    )
    return make_draft(
        prompt=Text(
            en="Run Welford's online algorithm from the empty state (n, mean, M₂) = (0, 0, 0) "
            f"over the values {shown}. For the final state: {ask_text.en}",
            zh="从空状态 (n, mean, M₂) = (0, 0, 0) 开始，用 Welford 在线算法依次读入 "
            f"{shown}。对最终状态：{ask_text.zh}",
        ),
        kind="vector" if ask == "vector" else "number",
        answer=answer,
        params={"count": count, "values": json_list(values), "ask": ask},
        solution=(*steps, _variances_line(m2, count)),
        mistakes=candidates,
        rel_tol=REL_TOL,
        abs_tol=ABS_TOL,
        hint=STREAM_HINT,
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
    drawn = draw.uniform_ints(0, 12, n_a + n_b)  # one draw for both parts
    a, b = with_integer_mean(drawn[:n_a]), with_integer_mean(drawn[n_a:])
    mean_a, m2_a = state_of(a)
    mean_b, m2_b = state_of(b)
    if mean_a == mean_b:  # equal means make the δ² term vanish; shift b to keep it in play
        b = [v + 2 for v in b]
        mean_b += 2
    ask = draw.pick(MERGE_ASKS)
    n, mean, m2 = merge_states(n_a, mean_a, m2_a, n_b, mean_b, m2_b)
    delta = mean_b - mean_a
    answer = answer_of(ask, mean, m2, n)

    candidates = _variance_mistakes(ask, mean, m2, n)
    if ask != "mean":
        wrong = answer_of(ask, mean, m2_a + m2_b, n)
        candidates.append(Mistake("forgot-delta-term", FORGOT_DELTA, wrong))
    if ask in ("vector", "mean"):
        wrong = answer_of(ask, (mean_a + mean_b) / 2, m2, n)
        candidates.append(Mistake("unweighted-mean", UNWEIGHTED, wrong))

    state_a = f"(n_A, mean_A, M₂_A) = ({n_a}, {num(mean_a)}, {num(m2_a)})"
    state_b = f"(n_B, mean_B, M₂_B) = ({n_b}, {num(mean_b)}, {num(m2_b)})"
    ask_text = ASK_TEXTS[ask]
    m2_text = num(m2, 6)
    return make_draft(
        prompt=Text(
            en=f"Two workers ran Welford's algorithm on separate parts of a data set: "
            f"{state_a} and {state_b}. Merge them into one state. {ask_text.en}",
            zh=f"两个 worker 分别对数据的两部分运行了 Welford 算法：{state_a}，{state_b}。"
            f"把它们合并成一个状态后：{ask_text.zh}",
        ),
        kind="vector" if ask == "vector" else "number",
        answer=answer,
        params={"n_a": n_a, "n_b": n_b, "a": json_list(a), "b": json_list(b), "ask": ask},
        solution=(
            Text.same(
                f"n = n_A + n_B = {n};  δ = mean_B − mean_A = {num(mean_b)} − {factor(mean_a)}"
                f" = {num(delta)}"
            ),
            Text.same(
                f"mean = mean_A + δ·n_B/n = {num(mean_a)} + {factor(delta)} × {n_b}/{n}"
                f" = {num(mean, 6)}"
            ),
            Text.same(
                f"M₂ = M₂_A + M₂_B + δ²·n_A·n_B/n = {num(m2_a)} + {num(m2_b)} + "
                f"{num(delta * delta)} × {n_a} × {n_b}/{n} = {m2_text}"
            ),
            Text.same(f"s² = M₂/(n − 1) = {m2_text}/{n - 1} = {num(m2 / (n - 1), 6)}"),
        ),
        mistakes=candidates,
        rel_tol=REL_TOL,
        abs_tol=ABS_TOL,
    )


FAMILIES = (
    Family(
        id="welford-update",
        # 2: negative numbers written with the minus sign (−1.5), not a hyphen
        version=2,
        description="One Welford update of (n, mean, M₂) with a new value, and the variance",
        topic="welford",
        build=_update,
        params={"n": ParamSpec(2, 9, doc="values already seen")},
    ),
    Family(
        id="welford-stream",
        version=1,
        description="Welford's algorithm over 3 to 5 values from the empty state",
        topic="welford",
        build=_stream,
        params={"count": ParamSpec(3, 5, doc="number of values in the stream")},
    ),
    Family(
        id="welford-merge",
        # 2: negative numbers written with the minus sign (−1.5), not a hyphen
        version=2,
        description="Merging two Welford states (Chan et al.'s parallel variance)",
        topic="welford",
        build=_merge,
        params={
            "n_a": ParamSpec(2, 8, doc="values in the first part"),
            "n_b": ParamSpec(2, 8, doc="values in the second part"),
        },
    ),
)
