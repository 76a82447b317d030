"""A BERT-like encoder or GPT-2-like decoder and its parameter count (as Hugging Face
transformers' ``num_parameters()`` counts BertModel and GPT2LMHeadModel, shared tensors once),
the published models, and the common counting mistakes as switches of the count.

One layer: attention Q, K, V, O (4d² + 4d), FFN d → d_ff → d (2·d·d_ff + d_ff + d),
two LayerNorms with gain and bias (4d). The number of heads changes nothing: the
heads split d, they do not multiply it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from quizdl.kb.text import Text

Kind = Literal["encoder", "decoder"]


@dataclass(frozen=True, slots=True)
class Transformer:
    """A BERT-like encoder or a GPT-2-like decoder; `count` gives its parameters."""

    kind: Kind
    d_model: int
    layers: int
    vocab: int
    context: int
    d_ff: int
    heads: int = 1
    type_vocab: int = 2
    pooler: bool = True
    tied: bool = True

    def layer_count(
        self,
        *,
        biases: bool = True,
        layernorm: bool = True,
        attn_matrices: int = 4,
        ffn_matrices: int = 2,
        per_head: bool = False,
    ) -> int:
        """One layer; the switches reproduce what common mistakes leave out or add
        (`per_head`: the attention counted once per head)."""
        d, f = self.d_model, self.d_ff
        heads_factor = self.heads if per_head else 1
        attention = heads_factor * (attn_matrices * d * d + (attn_matrices * d if biases else 0))
        ffn = ffn_matrices * d * f + ((f + d) if biases else 0)
        return attention + ffn + (4 * d if layernorm else 0)

    def count(
        self,
        *,
        biases: bool = True,
        layernorm: bool = True,
        positions: bool = True,
        segments: bool = True,
        with_pooler: bool = True,
        attn_matrices: int = 4,
        ffn_matrices: int = 2,
        per_head: bool = False,
    ) -> int:
        d = self.d_model
        layer = self.layer_count(
            biases=biases,
            layernorm=layernorm,
            attn_matrices=attn_matrices,
            ffn_matrices=ffn_matrices,
            per_head=per_head,
        )
        total = self.vocab * d + (self.context * d if positions else 0) + self.layers * layer
        total += 2 * d if layernorm else 0  # BERT: after the embeddings; GPT-2: the final ln_f
        if self.kind == "encoder":
            total += self.type_vocab * d if segments else 0
            total += (d * d + (d if biases else 0)) if self.pooler and with_pooler else 0
        elif not self.tied:
            total += self.vocab * d  # an LM head of its own (GPT-2's has no bias)
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
    `d_ff` defaults to 4·d_model; `pooler` and `type_vocab` apply to encoders, `tied` to
    decoders."""
    f = 4 * d_model if d_ff is None else d_ff
    model = Transformer(
        kind, d_model, layers, vocab, context, f, type_vocab=type_vocab, pooler=pooler, tied=tied
    )
    return model.count()


def encoder_layer_param_count(d_model: int, d_ff: int | None = None) -> int:
    """One Transformer layer: attention, FFN and two LayerNorms, all with biases."""
    f = 4 * d_model if d_ff is None else d_ff
    return Transformer("encoder", d_model, 1, 0, 0, f).layer_count()


@dataclass(frozen=True, slots=True)
class Preset:
    name: str
    hf_class: str
    model: Transformer


PRESETS = (
    Preset("BERT-base-uncased", "BertModel", Transformer("encoder", 768, 12, 30522, 512, 3072, 12)),
    Preset(
        "BERT-large-uncased", "BertModel", Transformer("encoder", 1024, 24, 30522, 512, 4096, 16)
    ),
    Preset(
        "GPT-2 small", "GPT2LMHeadModel", Transformer("decoder", 768, 12, 50257, 1024, 3072, 12)
    ),
    Preset(
        "GPT-2 medium", "GPT2LMHeadModel", Transformer("decoder", 1024, 24, 50257, 1024, 4096, 16)
    ),
    Preset(
        "GPT-2 large", "GPT2LMHeadModel", Transformer("decoder", 1280, 36, 50257, 1024, 5120, 20)
    ),
    Preset("GPT-2 XL", "GPT2LMHeadModel", Transformer("decoder", 1600, 48, 50257, 1024, 6400, 25)),
)


@dataclass(frozen=True, slots=True)
class MistakeSpec:
    """A common mistake: the switches of `Transformer.count` (and, when `in_layer`, of
    `layer_count`) that reproduce it, for the kinds of model it applies to."""

    id: str
    label: Text
    switches: Mapping[str, Any]
    in_layer: bool
    kinds: tuple[Kind, ...] = ("encoder", "decoder")

    def whole(self, model: Transformer) -> int:
        return model.count(**self.switches)

    def layer(self, model: Transformer) -> int:
        return model.layer_count(**self.switches)


MISTAKES = (
    MistakeSpec(
        "forgot-biases",
        Text(
            en="You left out the biases of the linear layers (attention projections, FFN).",
            zh="漏掉了线性层（注意力投影、FFN）的偏置。",
        ),
        {"biases": False},
        in_layer=True,
    ),
    MistakeSpec(
        "forgot-layernorm",
        Text(
            en="Each LayerNorm has a gain and a bias of size d.",
            zh="每个 LayerNorm 都有长度为 d 的增益（gain）和偏置。",
        ),
        {"layernorm": False},
        in_layer=True,
    ),
    MistakeSpec(
        "ffn-4d-not-counted-twice",
        Text(
            en="The FFN has two weight matrices, d×d_ff and d_ff×d; you counted one.",
            zh="FFN 有两个权重矩阵 d×d_ff 和 d_ff×d；你只算了一个。",
        ),
        {"ffn_matrices": 1},
        in_layer=True,
    ),
    MistakeSpec(
        "forgot-output-projection",
        Text(
            en="Attention has four projections: Q, K, V and the output projection O.",
            zh="注意力有四个投影：Q、K、V 以及输出投影 O。",
        ),
        {"attn_matrices": 3},
        in_layer=True,
    ),
    MistakeSpec(
        "multiplied-by-heads",
        Text(
            en="The heads split d among themselves (d/h each); they do not multiply the "
            "attention parameters.",
            zh="多个头把 d 分给各个头（每头 d/h 维），注意力参数不会乘以头数。",
        ),
        {"per_head": True},
        in_layer=True,
    ),
    MistakeSpec(
        "forgot-position-embeddings",
        Text(
            en="The learned position embeddings (context × d) are parameters too.",
            zh="可学习的位置嵌入（context × d）也是参数。",
        ),
        {"positions": False},
        in_layer=False,
    ),
    MistakeSpec(
        "forgot-segment-embeddings",
        Text(
            en="BERT also has segment (token-type) embeddings, 2 × d.",
            zh="BERT 还有 segment（token type）嵌入，2 × d。",
        ),
        {"segments": False},
        in_layer=False,
        kinds=("encoder",),
    ),
    MistakeSpec(
        "forgot-pooler",
        Text(
            en="BertModel ends with a pooler, Linear(d, d) with bias.",
            zh="BertModel 最后还有一个 pooler：带偏置的 Linear(d, d)。",
        ),
        {"with_pooler": False},
        in_layer=False,
        kinds=("encoder",),
    ),
)
