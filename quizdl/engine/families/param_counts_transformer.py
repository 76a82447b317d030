"""Parameter counts of Transformers: one encoder layer, BERT-like encoders and GPT-2-like
decoders, including the published models (counted as Hugging Face transformers'
``num_parameters()`` counts BertModel and GPT2LMHeadModel, shared tensors once).

One layer: attention Q, K, V, O (4d² + 4d), FFN d → d_ff → d (2·d·d_ff + d_ff + d),
two LayerNorms with gain and bias (4d). The number of heads changes nothing: the
heads split d, they do not multiply it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from quizdl.engine.families.param_counts import count_draft, mistake
from quizdl.engine.fmt import num
from quizdl.engine.question import Draft, Draw, Family, Mistake, ParamSpec
from quizdl.kb.text import Text

Kind = Literal["encoder", "decoder"]


@dataclass(frozen=True, slots=True)
class Preset:
    name: str
    kind: Kind
    d_model: int
    layers: int
    heads: int
    vocab: int
    context: int


PRESETS = (
    Preset("BERT-base-uncased", "encoder", 768, 12, 12, 30522, 512),
    Preset("BERT-large-uncased", "encoder", 1024, 24, 16, 30522, 512),
    Preset("GPT-2 small", "decoder", 768, 12, 12, 50257, 1024),
    Preset("GPT-2 medium", "decoder", 1024, 24, 16, 50257, 1024),
    Preset("GPT-2 large", "decoder", 1280, 36, 20, 50257, 1024),
    Preset("GPT-2 XL", "decoder", 1600, 48, 25, 50257, 1024),
)


def _count(
    kind: Kind,
    d: int,
    layers: int,
    vocab: int,
    context: int,
    d_ff: int,
    type_vocab: int = 2,
    pooler: bool = True,
    tied: bool = True,
    *,
    biases: bool = True,
    layernorm: bool = True,
    positions: bool = True,
    segments: bool = True,
    attn_matrices: int = 4,
    ffn_matrices: int = 2,
    heads_factor: int = 1,
) -> int:
    """The count, with switches that reproduce what common mistakes leave out or add."""
    attention = heads_factor * (attn_matrices * d * d + (attn_matrices * d if biases else 0))
    ffn = ffn_matrices * d * d_ff + ((d_ff + d) if biases else 0)
    norms = 4 * d if layernorm else 0
    total = vocab * d + (context * d if positions else 0) + layers * (attention + ffn + norms)
    total += 2 * d if layernorm else 0  # BERT: after the embeddings; GPT-2: the final ln_f
    if kind == "encoder":
        total += type_vocab * d if segments else 0
        total += (d * d + (d if biases else 0)) if pooler else 0
    elif not tied:
        total += vocab * d  # an LM head of its own (GPT-2's has no bias)
    return total


def transformer_param_count(
    *,
    kind: Kind,
    d_model: int,
    layers: int,
    vocab: int,
    context: int,
    d_ff: int | None = None,
    type_vocab: int = 2,
    pooler: bool = True,
    tied: bool = True,
) -> int:
    """Parameters of a BERT-like encoder (token, position and `type_vocab` segment
    embeddings, embedding LayerNorm, `layers` post-LN layers, optional pooler d → d) or a
    GPT-2-like decoder (token and learned position embeddings, `layers` pre-LN layers,
    final LayerNorm, LM head tied to the token embedding or separate, without bias).
    `d_ff` defaults to 4·d_model."""
    f = 4 * d_model if d_ff is None else d_ff
    return _count(kind, d_model, layers, vocab, context, f, type_vocab, pooler, tied)


def encoder_layer_param_count(d_model: int, d_ff: int | None = None) -> int:
    f = 4 * d_model if d_ff is None else d_ff
    return 4 * d_model * d_model + 4 * d_model + 2 * d_model * f + f + d_model + 4 * d_model


_LAYER_MISTAKES = (
    (
        "forgot-biases",
        "You left out the biases of the attention projections and the FFN.",
        "漏掉了注意力投影和 FFN 的偏置。",
        {"biases": False},
    ),
    (
        "forgot-layernorm",
        "Each LayerNorm has a gain and a bias of size d.",
        "每个 LayerNorm 都有长度为 d 的增益（gain）和偏置。",
        {"layernorm": False},
    ),
    (
        "ffn-4d-not-counted-twice",
        "The FFN has two weight matrices, d×d_ff and d_ff×d; you counted one.",
        "FFN 有两个权重矩阵 d×d_ff 和 d_ff×d；你只算了一个。",
        {"ffn_matrices": 1},
    ),
    (
        "forgot-output-projection",
        "Attention has four projections: Q, K, V and the output projection O.",
        "注意力有四个投影：Q、K、V 以及输出投影 O。",
        {"attn_matrices": 3},
    ),
    (
        "multiplied-by-heads",
        "The heads split d among themselves (d/h each); they do not multiply the attention "
        "parameters.",
        "多个头把 d 分给各个头（每头 d/h），不会让注意力参数乘以头数。",
        {"heads_factor": 0},  # replaced by the head count when built
    ),
)
_MODEL_MISTAKES = (
    (
        "forgot-position-embeddings",
        "The learned position embeddings (context × d) are parameters too.",
        "可学习的位置嵌入（context × d）也是参数。",
        {"positions": False},
    ),
    (
        "forgot-segment-embeddings",
        "BERT also has segment (token-type) embeddings, 2 × d.",
        "BERT 还有 segment（token type）嵌入，2 × d。",
        {"segments": False},
    ),
    (
        "forgot-pooler",
        "BertModel ends with a pooler, Linear(d, d) with bias.",
        "BertModel 最后还有一个 pooler：带偏置的 Linear(d, d)。",
        {"pooler": False},
    ),
)


def _mistakes(kind: Kind, d: int, heads: int, config: tuple[int, int, int, int, int], tied: bool,
              whole_model: bool) -> list[Mistake]:
    layers, vocab, context, d_ff, _ = config
    found: list[Mistake] = []
    specs = _LAYER_MISTAKES + (_MODEL_MISTAKES if whole_model else ())
    for id, en, zh, switch in specs:
        if kind == "decoder" and id in ("forgot-segment-embeddings", "forgot-pooler"):
            continue
        switches = dict(switch)
        if id == "multiplied-by-heads":
            switches = {"heads_factor": heads}
        value = _count(kind, d, layers, vocab, context, d_ff, tied=tied, **switches)  # type: ignore[arg-type]
        found.append(mistake(id, en, zh, value))
    if whole_model and kind == "decoder":
        en = (
            "The LM head is tied to (is the same tensor as) the token embedding: count it once."
            if tied
            else "This LM head is a separate V × d matrix, not tied to the embedding."
        )
        zh = (
            "LM head 与词嵌入共享（是同一个张量），只算一次。"
            if tied
            else "这个 LM head 是独立的 V × d 矩阵，没有与词嵌入共享。"
        )
        value = _count(kind, d, layers, vocab, context, d_ff, tied=not tied)
        found.insert(0, mistake("untied-vs-tied", en, zh, value))
    return found
