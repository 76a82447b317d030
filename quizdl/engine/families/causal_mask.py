"""How many (query, key) pairs a causal mask keeps, against bidirectional self-attention."""

from __future__ import annotations

from quizdl.engine.families._shared import SIG3_REL_TOL as REL_TOL
from quizdl.engine.fmt import num
from quizdl.engine.question import Draft, Draw, Family, Mistake, ParamSpec, make_draft
from quizdl.kb.text import Text

INT_TOL = 0.25  # integer answers: exact, and a mistake one away stays distinguishable


MASK_ASKS = ("allowed", "masked", "fraction", "bidirectional")
# For long sequences (n + 1)/(2n) is too close to 1/2 to tell the diagonal mistakes apart.
FRACTION_MAX_N = 30
FORGOT_DIAGONAL = Text(
    en="That leaves out the diagonal: with a causal mask each token also attends to itself.",
    zh="这里漏掉了对角线：在 causal mask 下每个 token 也会 attend 到自己。",
)
FULL_SQUARE = Text(
    en="n² counts every pair; the causal mask hides each key that comes after its query.",
    zh="n² 把所有对都算上了；causal mask 会遮住位于 query 之后的 key。",
)
MASKED_DIAGONAL = Text(
    en="That also masks the diagonal; a token may attend to itself, only later keys are hidden.",
    zh="这里把对角线也 mask 掉了；token 可以 attend 到自己，只有之后的 key 被遮住。",
)
HALF_SQUARE = Text(
    en="n²/2 splits the square evenly; the diagonal belongs to the allowed side, "
    "so n(n − 1)/2 are masked.",
    zh="n²/2 把方阵平分了；对角线属于允许的一侧，所以被 mask 的是 n(n − 1)/2。",
)
ASSUMED_HALF = Text(
    en="Exactly half would ignore the diagonal; the fraction is (n + 1)/(2n).",
    zh="正好一半忽略了对角线；比例是 (n + 1)/(2n)。",
)
CAUSAL_COUNT = Text(
    en="That is the causal (decoder) count; a bidirectional encoder has no mask, "
    "so all n² pairs attend.",
    zh="这是 causal（decoder）的计数；双向 encoder 没有 mask，n² 个对全部参与。",
)
EXCLUDED_SELF = Text(
    en="That leaves out each token attending to itself; all n² pairs count.",
    zh="这里去掉了 token 对自己的 attention；n² 个对都要算。",
)
LOWER_TRIANGLE = Text(
    en="The causal mask keeps the lower triangle of the n×n score matrix, diagonal included: "
    "query i sees keys 1…i.",
    zh="causal mask 保留 n×n 分数矩阵的下三角（含对角线）：第 i 个 query 能看到 key 1…i。",
)


def _mask_question(ask: str, n: int) -> Text:
    if ask == "bidirectional":
        return Text(
            en=f"An encoder-only (autoencoding, BERT-style) Transformer runs bidirectional "
            f"self-attention over n = {n} tokens, without padding. How many (query, key) "
            "pairs attend to each other?",
            zh=f"一个 encoder-only（自编码，BERT 式）Transformer 在 n = {n} 个 token 上做"
            "双向 self-attention（无 padding）。有多少个 (query, key) 对参与 attention？",
        )
    en, zh = {
        "allowed": (
            "How many (query, key) pairs are allowed (not masked)?",
            "有多少个 (query, key) 对是允许的（未被 mask）？",
        ),
        "masked": (
            "How many (query, key) pairs does the mask hide?",
            "有多少个 (query, key) 对被 mask 掉？",
        ),
        "fraction": (
            "What fraction of the n² (query, key) pairs is allowed? (3 significant figures)",
            "n² 个 (query, key) 对中允许的比例是多少？（保留 3 位有效数字）",
        ),
    }[ask]
    return Text(
        en="A decoder-only (autoregressive, GPT-style) Transformer runs self-attention with a "
        f"causal mask over n = {n} tokens. {en}",
        zh=f"一个 decoder-only（自回归，GPT 式）Transformer 在 n = {n} 个 token 上做带 "
        f"causal mask 的 self-attention。{zh}",
    )


def _causal_mask_pairs(draw: Draw) -> Draft:
    n = draw.int("n")
    ask = draw.pick(MASK_ASKS if n <= FRACTION_MAX_N else MASK_ASKS[:2] + MASK_ASKS[3:])
    square = n * n
    allowed = n * (n + 1) // 2
    masked = n * (n - 1) // 2
    answer: float
    if ask == "allowed":
        answer = float(allowed)
        candidates = [
            Mistake("forgot-diagonal", FORGOT_DIAGONAL, float(masked)),
            Mistake("full-square", FULL_SQUARE, float(square)),
        ]
    elif ask == "masked":
        answer = float(masked)
        candidates = [
            Mistake("masked-diagonal", MASKED_DIAGONAL, float(allowed)),
            Mistake("half-square", HALF_SQUARE, square / 2),
        ]
    elif ask == "fraction":
        answer = allowed / square
        candidates = [
            Mistake("forgot-diagonal", FORGOT_DIAGONAL, masked / square),
            Mistake("assumed-half", ASSUMED_HALF, 0.5),
        ]
    else:
        answer = float(square)
        candidates = [
            Mistake("causal-count", CAUSAL_COUNT, float(allowed)),
            Mistake("excluded-self", EXCLUDED_SELF, float(square - n)),
        ]
    rel_tol, abs_tol = (REL_TOL, 1e-9) if ask == "fraction" else (0.0, INT_TOL)
    allowed_text, square_text = num(allowed), num(square)
    return make_draft(
        prompt=_mask_question(ask, n),
        kind="number",
        answer=answer,
        params={"n": n, "ask": ask},
        solution=(
            LOWER_TRIANGLE,
            Text.same(
                f"allowed = 1 + 2 + … + n = n(n + 1)/2 = {n} × {n + 1}/2 = {allowed_text};  "
                f"masked = n(n − 1)/2 = {num(masked)}"
            ),
            Text.same(
                f"allowed/n² = {allowed_text}/{square_text} = {num(allowed / square)};  "
                f"bidirectional = n² = {square_text}"
            ),
        ),
        mistakes=candidates,
        rel_tol=rel_tol,
        abs_tol=abs_tol,
    )


FAMILIES = (
    Family(
        id="causal-mask-pairs",
        version=1,
        description="Allowed and masked (query, key) pairs under a causal mask",
        topic="autoregressive-autoencoding",
        build=_causal_mask_pairs,
        params={"n": ParamSpec(2, 128, doc="sequence length")},
    ),
)
