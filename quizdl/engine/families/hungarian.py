"""The assignment problem solved by the Hungarian (Kuhn–Munkres) algorithm: the minimum
total cost of an n×n cost matrix, or the optimal assignment itself."""

from __future__ import annotations

from quizdl.engine.question import Draft, Draw, Family, Mistake, ParamSpec, distinct_mistakes
from quizdl.kb.text import Text

LOW_COST, HIGH_COST = 1, 20
INT_TOL = 0.25  # integer answers: exact, and answers one apart stay distinguishable
ASKS = ("cost", "assignment")


def hungarian(cost: list[list[int]]) -> tuple[list[int], list[int], list[int]]:
    """Minimum-cost assignment of a square matrix in O(n³) with row and column potentials
    (the shortest-augmenting-path form of Kuhn–Munkres).

    Returns (column of each row, row potentials u, column potentials v): u[i] + v[j] ≤
    cost[i][j] everywhere, with equality on the chosen cells, so Σu + Σv is the optimum.
    """
    n = len(cost)
    inf = float("inf")
    u = [0] * (n + 1)
    v = [0] * (n + 1)
    row_of = [0] * (n + 1)  # row_of[j]: the row (1-based) matched to column j; 0 = free
    way = [0] * (n + 1)
    for i in range(1, n + 1):
        row_of[0] = i
        j0 = 0
        min_slack: list[float] = [inf] * (n + 1)
        used = [False] * (n + 1)
        while True:
            used[j0] = True
            i0 = row_of[j0]
            row = cost[i0 - 1]
            ui0 = u[i0]
            delta = inf
            j1 = 0
            for j in range(1, n + 1):
                if not used[j]:
                    slack = row[j - 1] - ui0 - v[j]
                    if slack < min_slack[j]:
                        min_slack[j] = slack
                        way[j] = j0
                    if min_slack[j] < delta:
                        delta = min_slack[j]
                        j1 = j
            step = int(delta)  # integer costs keep every slack an integer
            for j in range(n + 1):
                if used[j]:
                    u[row_of[j]] += step
                    v[j] -= step
                else:
                    min_slack[j] -= step
            j0 = j1
            if row_of[j0] == 0:
                break
        while j0:  # flip the augmenting path
            j1 = way[j0]
            row_of[j0] = row_of[j1]
            j0 = j1
    column_of = [0] * n
    for j in range(1, n + 1):
        column_of[row_of[j] - 1] = j - 1
    return column_of, u[1:], v[1:]


def is_unique_optimum(
    cost: list[list[int]], column_of: list[int], u: list[int], v: list[int]
) -> bool:
    """Whether the optimal assignment is the only one.

    Every optimal assignment uses only tight cells (u[i] + v[j] = cost[i][j]), so another
    optimum exists exactly when the tight cells hold an alternating cycle: row i → a tight
    column j not its own → the row that owns j → … back to i.
    """
    n = len(cost)
    owner = [0] * n
    for i, j in enumerate(column_of):
        owner[j] = i
    successors = [
        [owner[j] for j in range(n) if j != column_of[i] and cost[i][j] == u[i] + v[j]]
        for i in range(n)
    ]
    state = [0] * n  # 0 unseen, 1 on the current path, 2 finished

    def has_cycle(i: int) -> bool:
        state[i] = 1
        for k in successors[i]:
            if state[k] == 1 or (state[k] == 0 and has_cycle(k)):
                return True
        state[i] = 2
        return False

    return not any(state[i] == 0 and has_cycle(i) for i in range(n))


def greedy_assignment(cost: list[list[int]]) -> list[int]:
    """Row by row, the cheapest column still free (ties to the lower column)."""
    free = list(range(len(cost)))
    chosen = []
    for row in cost:
        best = min(free, key=lambda j: row[j])
        chosen.append(best)
        free.remove(best)
    return chosen


def _total(cost: list[list[int]], column_of: list[int]) -> int:
    return sum(row[j] for row, j in zip(cost, column_of, strict=True))


def _matrix_text(cost: list[list[int]]) -> str:
    n = len(cost)
    header = "     " + "".join(f"{'T' + str(j + 1):>4}" for j in range(n))
    rows = [f"W{i + 1:<4}" + "".join(f"{c:>4}" for c in row) for i, row in enumerate(cost)]
    return "\n".join([header, *rows])


def _pairs(column_of: list[int]) -> str:
    return ", ".join(f"W{i + 1}→T{j + 1}" for i, j in enumerate(column_of))


def _as_vector(column_of: list[int]) -> tuple[float, ...]:
    return tuple(float(j + 1) for j in column_of)


def _draw_matrix(draw: Draw, n: int, unique: bool) -> tuple[list[list[int]], list[int], list[int], list[int]]:
    while True:
        flat = draw.ints(LOW_COST, HIGH_COST, n * n)
        cost = [flat[i * n : (i + 1) * n] for i in range(n)]
        column_of, u, v = hungarian(cost)
        if not unique or is_unique_optimum(cost, column_of, u, v):
            return cost, column_of, u, v


def _assignment(draw: Draw) -> Draft:
    n = draw.int("n")
    ask = draw.pick(ASKS)
    cost, column_of, u, v = _draw_matrix(draw, n, unique=ask == "assignment")
    best = _total(cost, column_of)
    greedy = greedy_assignment(cost)
    row_min_columns = [row.index(min(row)) for row in cost]
    worst = hungarian([[-c for c in row] for row in cost])[0]

    greedy_label = Text(
        en="That is the greedy choice (each worker in turn takes the cheapest free task); "
        "an early cheap pick can force expensive ones later.",
        zh="这是贪心解（每个工人依次选最便宜的空闲任务）；前面贪便宜可能迫使后面付出更高代价。",
    )
    row_min_label = Text(
        en="That takes every row's minimum, ignoring that two workers may want the same task.",
        zh="这是取每行的最小值，忽略了两个工人可能抢同一个任务。",
    )
    worst_label = Text(
        en="That is the maximum-cost assignment; the problem asks for the minimum.",
        zh="这是总代价最大的分配；题目要求的是最小代价。",
    )
    answer: float | tuple[float, ...]
    if ask == "cost":
        answer = float(best)
        candidates = [
            Mistake("greedy", greedy_label, float(_total(cost, greedy))),
            Mistake("row-minima-sum", row_min_label, float(sum(min(row) for row in cost))),
            Mistake("maximised", worst_label, float(_total(cost, worst))),
        ]
        question = Text(
            en="What is the minimum total cost?", zh="最小总代价是多少？"
        )
    else:
        answer = _as_vector(column_of)
        candidates = [
            Mistake("greedy", greedy_label, _as_vector(greedy)),
            Mistake("row-minima-sum", row_min_label, _as_vector(row_min_columns)),
            Mistake("maximised", worst_label, _as_vector(worst)),
        ]
        question = Text(
            en=f"Give the optimal assignment as the task number of each worker, "
            f"(task of W1, …, task of W{n}).",
            zh=f"给出最优分配：按 (W1 的任务, …, W{n} 的任务) 的顺序写出任务编号。",
        )
    matrix = _matrix_text(cost)
    return Draft(
        prompt=Text(
            en=f"Assign {n} workers W1…W{n} to {n} tasks T1…T{n}, one task each, so that the "
            f"total cost is minimal. Cost of worker i doing task j:\n{matrix}\n{question.en}",
            zh=f"把 {n} 个工人 W1…W{n} 分配给 {n} 个任务 T1…T{n}，每人恰好一个任务，"
            f"使总代价最小。工人 i 做任务 j 的代价：\n{matrix}\n{question.zh}",
        ),
        kind="number" if ask == "cost" else "vector",
        answer=answer,
        params={"n": n, "cost": cost, "ask": ask},
        solution=(
            Text(
                en="Hungarian algorithm: subtract each row's minimum, then each column's; "
                "cover the zeros with as few lines as possible and shift the uncovered minimum "
                "until n independent zeros exist.",
                zh="匈牙利算法：每行减去该行最小值，再每列减去该列最小值；用最少的直线覆盖所有 0，"
                "未覆盖的元素都减去其中的最小值、被两条线覆盖的交叉处加上该值，直到出现 n 个独立的 0。",
            ),
            Text.same(
                f"{_pairs(column_of)}:  "
                + " + ".join(str(cost[i][j]) for i, j in enumerate(column_of))
                + f" = {best}"
            ),
            Text(
                en=f"Certificate: row potentials u = {tuple(u)} and column potentials "
                f"v = {tuple(v)} satisfy uᵢ + vⱼ ≤ cᵢⱼ, with equality on the chosen cells; "
                f"Σu + Σv = {sum(u) + sum(v)}, so no assignment costs less.",
                zh=f"最优性证明：行势 u = {tuple(u)}、列势 v = {tuple(v)} 满足 uᵢ + vⱼ ≤ cᵢⱼ，"
                f"且在选中的格子上取等号；Σu + Σv = {sum(u) + sum(v)}，所以没有更便宜的分配。",
            ),
        ),
        mistakes=distinct_mistakes(answer, candidates, rel_tol=0, abs_tol=INT_TOL),
        rel_tol=0,
        abs_tol=INT_TOL,
    )


FAMILIES = (
    Family(
        id="hungarian-assignment",
        version=1,
        description="Minimum-cost assignment of an n×n cost matrix (Hungarian algorithm)",
        topic="hungarian-algorithm",
        build=_assignment,
        params={"n": ParamSpec(3, 5, doc="workers and tasks")},
    ),
)
