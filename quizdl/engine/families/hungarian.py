"""The assignment problem solved by the Hungarian (Kuhn–Munkres) algorithm: the minimum
total cost of an n×n cost matrix, or the optimal assignment itself."""

from __future__ import annotations

from typing import cast

from quizdl.engine.fmt import num
from quizdl.engine.question import Draft, Draw, Family, JSONScalar, Mistake, ParamSpec, make_draft
from quizdl.kb.text import Text

LOW_COST, HIGH_COST = 1, 20
BIG = 1 << 30  # larger than any slack
INT_TOL = 0.25  # integer answers: exact, and answers one apart stay distinguishable
ASKS = ("cost", "assignment")


def hungarian(cost: list[list[int]]) -> tuple[list[int], list[int], list[int]]:
    """Minimum-cost assignment of a square integer matrix in O(n³): Kuhn–Munkres in its
    shortest-augmenting-path form, keeping row potentials u and column potentials v.

    Returns (column of each row, u, v): u[i] + v[j] ≤ cost[i][j] everywhere, with equality
    on the chosen cells, so Σu + Σv is the optimum (the dual certificate).
    """
    n = len(cost)
    # Start from the row minima (a feasible dual) and match every row whose cheapest column
    # is still free: only the remaining rows need an augmenting path.
    u = list(map(min, cost))
    v = [0] * (n + 1)  # column n is virtual: every augmenting path starts from it
    row_of = [-1] * (n + 1)  # row_of[j]: the row matched to column j, -1 if free
    way = [0] * (n + 1)  # the column before j on the current alternating path
    pending = []
    for i in range(n):
        j = cost[i].index(u[i])
        if row_of[j] < 0:
            row_of[j] = i
        else:
            pending.append(i)
    for i in pending:
        row_of[n] = i
        j0 = n
        i0 = i
        min_slack = [BIG] * n
        unused = list(range(n))
        used = [n]
        while True:
            row = cost[i0]
            u_i0 = u[i0]
            delta = BIG
            j1 = 0
            for j in unused:
                slack = row[j] - u_i0 - v[j]
                smallest = min_slack[j]
                if slack < smallest:
                    min_slack[j] = smallest = slack
                    way[j] = j0
                if smallest < delta:
                    delta = smallest
                    j1 = j
            if delta:
                for j in used:
                    u[row_of[j]] += delta
                    v[j] -= delta
                for j in unused:
                    min_slack[j] -= delta
            unused.remove(j1)
            used.append(j1)
            j0 = j1
            i0 = row_of[j1]
            if i0 < 0:
                break
        while j0 != n:  # flip the augmenting path
            j1 = way[j0]
            row_of[j0] = row_of[j1]
            j0 = j1
    column_of = [0] * n
    for j in range(n):
        column_of[row_of[j]] = j
    return column_of, u, v[:n]


def is_unique_optimum(
    cost: list[list[int]], column_of: list[int], u: list[int], v: list[int]
) -> bool:
    """Whether the optimal assignment is the only one.

    Every optimal assignment uses only tight cells (u[i] + v[j] = cost[i][j]), so another
    optimum exists exactly when the tight cells hold an alternating cycle: row i → a tight
    column j not its own → the row that owns j → … back to i. Rows that lead nowhere are
    peeled off one by one (Kahn's algorithm); whatever cannot be peeled lies on a cycle.
    """
    n = len(cost)
    owner = [0] * n
    for i, j in enumerate(column_of):
        owner[j] = i
    leads_to = [0] * n  # how many rows row i leads to that are not peeled yet
    led_from: list[list[int]] = [[] for _ in range(n)]
    for i in range(n):
        row, u_i, chosen = cost[i], u[i], column_of[i]
        for j in range(n):
            if j != chosen and row[j] - v[j] == u_i:
                led_from[owner[j]].append(i)
                leads_to[i] += 1
    free = [i for i in range(n) if not leads_to[i]]
    peeled = 0
    while free:
        peeled += 1
        for i in led_from[free.pop()]:
            leads_to[i] -= 1
            if not leads_to[i]:
                free.append(i)
    return peeled == n


def greedy_assignment(cost: list[list[int]]) -> list[int]:
    """Row by row, the cheapest column still free (ties to the lower column)."""
    free = list(range(len(cost)))  # kept in increasing order
    chosen = []
    for row in cost:
        best = free[0]
        lowest = row[best]
        for j in free:  # plain loops: twice as fast as min(free, key=row.__getitem__) here
            if row[j] < lowest:
                lowest = row[j]
                best = j
        chosen.append(best)
        free.remove(best)
    return chosen


def _total(cost: list[list[int]], column_of: list[int]) -> int:
    return sum(map(list.__getitem__, cost, column_of))


# The matrix as a table (worker rows, task columns), one printf-style format per size.
MATRIX_FORMATS = {
    n: "     "
    + "".join([f"{'T' + str(j + 1):>4}" for j in range(n)])
    + "".join([f"\nW{i + 1:<4}" + "%4d" * n for i in range(n)])
    for n in range(1, 10)
}


# "W2→T3" for worker index 1 and task index 2
PAIRS = [[f"W{i + 1}→T{j + 1}" for j in range(9)] for i in range(9)]


def _pairs(column_of: list[int]) -> str:
    return ", ".join(map(list.__getitem__, PAIRS, column_of))


_TASK_NUMBERS = tuple([float(j + 1) for j in range(9)])


def _as_vector(column_of: list[int]) -> tuple[float, ...]:
    """The task numbers (1-based) of an assignment, as the answer vector."""
    return tuple(map(_TASK_NUMBERS.__getitem__, column_of))


def _rows(flat: list[int], n: int) -> list[list[int]]:
    return [flat[i * n : (i + 1) * n] for i in range(n)]


def _draw_matrix(
    draw: Draw, n: int, unique: bool
) -> tuple[list[int], list[list[int]], list[int], list[int], list[int]]:
    """The costs (flat and as rows) and their optimum (column of each row, u, v)."""
    while True:
        flat = draw.uniform_ints(LOW_COST, HIGH_COST, n * n)
        cost = _rows(flat, n)
        column_of, u, v = hungarian(cost)
        if not unique or is_unique_optimum(cost, column_of, u, v):
            return flat, cost, column_of, u, v


GREEDY = Text(
    en="That is the greedy choice (each worker in turn takes the cheapest free task); "
    "an early cheap pick can force expensive ones later.",
    zh="这是贪心解（每个工人依次选最便宜的空闲任务）；前面贪便宜可能迫使后面付出更高代价。",
)
ROW_MINIMA = Text(
    en="That takes every row's minimum, ignoring that two workers may want the same task.",
    zh="这是取每行的最小值，忽略了两个工人可能抢同一个任务。",
)
MAXIMISED = Text(
    en="That is the maximum-cost assignment; the problem asks for the minimum.",
    zh="这是总代价最大的分配；题目要求的是最小代价。",
)
METHOD = Text(
    en="Hungarian algorithm: subtract each row's minimum, then each column's; cover the zeros "
    "with as few lines as possible; while fewer than n lines suffice, subtract the smallest "
    "uncovered value from the uncovered cells and add it where two lines cross. Then pick n "
    "independent zeros.",
    zh="匈牙利算法：每行减去该行最小值，再每列减去该列最小值；用最少的直线覆盖所有 0；"
    "若直线少于 n 条，未覆盖的元素都减去其中的最小值、两线交叉处加上该值，重复直到可以选出 "
    "n 个独立的 0。",
)


def _assignment(draw: Draw) -> Draft:
    n = draw.int("n")
    ask = draw.pick(ASKS)
    flat, cost, column_of, u, v = _draw_matrix(draw, n, unique=ask == "assignment")
    best = _total(cost, column_of)
    greedy = greedy_assignment(cost)
    worst = hungarian(_rows([-c for c in flat], n))[0]

    answer: float | tuple[float, ...]
    if ask == "cost":
        answer = float(best)
        candidates = [
            Mistake("greedy", GREEDY, float(_total(cost, greedy))),
            Mistake("row-minima-sum", ROW_MINIMA, float(sum(map(min, cost)))),
            Mistake("maximised", MAXIMISED, float(_total(cost, worst))),
        ]
        question = ("What is the minimum total cost?", "最小总代价是多少？")
    else:
        answer = _as_vector(column_of)
        row_minima = [row.index(min(row)) for row in cost]
        candidates = [
            Mistake("greedy", GREEDY, _as_vector(greedy)),
            Mistake("row-minima-sum", ROW_MINIMA, _as_vector(row_minima)),
            Mistake("maximised", MAXIMISED, _as_vector(worst)),
        ]
        question = (
            f"Give the optimal assignment as the task number of each worker: "
            f"(task of W1, …, task of W{n}).",
            f"给出最优分配：按 (W1 的任务, …, W{n} 的任务) 的顺序写出任务编号。",
        )
    matrix = MATRIX_FORMATS[n] % tuple(flat)
    chosen = " + ".join(map(str, map(list.__getitem__, cost, column_of)))
    u_text = ", ".join([num(int(p)) for p in u])
    v_text = ", ".join([num(int(p)) for p in v])
    return make_draft(
        prompt=Text(
            en=f"Assign {n} workers W1…W{n} to {n} tasks T1…T{n}, one task each, so that the "
            f"total cost is minimal. Cost of worker i doing task j:\n{matrix}\n{question[0]}",
            zh=f"把 {n} 个工人 W1…W{n} 分配给 {n} 个任务 T1…T{n}，每人恰好一个任务，"
            f"使总代价最小。工人 i 做任务 j 的代价：\n{matrix}\n{question[1]}",
        ),
        kind="number" if ask == "cost" else "vector",
        answer=answer,
        params={"n": n, "cost": cast("list[list[JSONScalar]]", cost), "ask": ask},
        solution=(
            METHOD,
            Text.same(f"{_pairs(column_of)}:  {chosen} = {best}"),
            Text(
                en=f"Check: row potentials u = ({u_text}) and column potentials v = ({v_text}) "
                "satisfy uᵢ + vⱼ ≤ cᵢⱼ in every cell, with equality on the chosen cells; "
                f"Σu + Σv = {best}, so no assignment costs less.",
                zh=f"验证：行势 u = ({u_text})、列势 v = ({v_text}) 在每个格子上满足 "
                f"uᵢ + vⱼ ≤ cᵢⱼ，在选中的格子上取等号；Σu + Σv = {best}，"
                "所以没有更便宜的分配。",
            ),
        ),
        mistakes=candidates,
        rel_tol=0,
        abs_tol=INT_TOL,
    )


FAMILIES = (
    Family(
        id="hungarian-assignment",
        # 2: negative numbers written with the minus sign (−1.5), not a hyphen
        version=2,
        description="Minimum-cost assignment of an n×n cost matrix (Hungarian algorithm)",
        topic="hungarian-algorithm",
        build=_assignment,
        params={"n": ParamSpec(3, 5, doc="workers and tasks")},
    ),
)
