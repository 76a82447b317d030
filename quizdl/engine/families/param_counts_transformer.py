"""Parameter counts of Transformers: one encoder layer, BERT-like encoders and GPT-2-like
decoders, including the published models (counted as Hugging Face transformers'
``num_parameters()`` counts BertModel and GPT2LMHeadModel, shared tensors once).

One layer: attention Q, K, V, O (4d² + 4d), FFN d → d_ff → d (2·d·d_ff + d_ff + d),
two LayerNorms with gain and bias (4d). The number of heads changes nothing: the
heads split d, they do not multiply it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache
from typing import Literal

from quizdl.engine.draw import choose
from quizdl.engine.families._shared import count_draft, mistake
from quizdl.engine.fmt import num
from quizdl.engine.question import Draft, Draw, Family, Mistake, ParamSpec
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
        heads_factor: int = 1,
    ) -> int:
        """One layer; the switches reproduce what common mistakes leave out or add."""
        d, f = self.d_model, self.d_ff
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
        attn_matrices: int = 4,
        ffn_matrices: int = 2,
        heads_factor: int = 1,
    ) -> int:
        d = self.d_model
        layer = self.layer_count(
            biases=biases,
            layernorm=layernorm,
            attn_matrices=attn_matrices,
            ffn_matrices=ffn_matrices,
            heads_factor=heads_factor,
        )
        total = self.vocab * d + (self.context * d if positions else 0) + self.layers * layer
        total += 2 * d if layernorm else 0  # BERT: after the embeddings; GPT-2: the final ln_f
        if self.kind == "encoder":
            total += self.type_vocab * d if segments else 0
            total += (d * d + (d if biases else 0)) if self.pooler else 0
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

Counter = Callable[[Transformer], int]


@dataclass(frozen=True, slots=True)
class MistakeSpec:
    """A common mistake: the count it leads to for a whole model and for one layer (None
    when the mistake concerns the embeddings or the pooler). `drawn` marks the mistakes
    also diagnosed on drawn configurations; the published models get all of them."""

    id: str
    label: Text
    whole: Counter
    layer: Counter | None
    drawn: bool
    kinds: tuple[Kind, ...] = ("encoder", "decoder")


_SPECS = (
    MistakeSpec(
        "forgot-biases",
        Text(
            en="You left out the biases of the linear layers (attention projections, FFN).",
            zh="漏掉了线性层（注意力投影、FFN）的偏置。",
        ),
        lambda m: m.count(biases=False),
        lambda m: m.layer_count(biases=False),
        drawn=True,
    ),
    MistakeSpec(
        "forgot-layernorm",
        Text(
            en="Each LayerNorm has a gain and a bias of size d.",
            zh="每个 LayerNorm 都有长度为 d 的增益（gain）和偏置。",
        ),
        lambda m: m.count(layernorm=False),
        lambda m: m.layer_count(layernorm=False),
        drawn=True,
    ),
    MistakeSpec(
        "ffn-4d-not-counted-twice",
        Text(
            en="The FFN has two weight matrices, d×d_ff and d_ff×d; you counted one.",
            zh="FFN 有两个权重矩阵 d×d_ff 和 d_ff×d；你只算了一个。",
        ),
        lambda m: m.count(ffn_matrices=1),
        lambda m: m.layer_count(ffn_matrices=1),
        drawn=True,
    ),
    MistakeSpec(
        "forgot-output-projection",
        Text(
            en="Attention has four projections: Q, K, V and the output projection O.",
            zh="注意力有四个投影：Q、K、V 以及输出投影 O。",
        ),
        lambda m: m.count(attn_matrices=3),
        lambda m: m.layer_count(attn_matrices=3),
        drawn=False,
    ),
    MistakeSpec(
        "multiplied-by-heads",
        Text(
            en="The heads split d among themselves (d/h each); they do not multiply the "
            "attention parameters.",
            zh="多个头把 d 分给各个头（每头 d/h 维），注意力参数不会乘以头数。",
        ),
        lambda m: m.count(heads_factor=m.heads),
        lambda m: m.layer_count(heads_factor=m.heads),
        drawn=False,
    ),
    MistakeSpec(
        "forgot-position-embeddings",
        Text(
            en="The learned position embeddings (context × d) are parameters too.",
            zh="可学习的位置嵌入（context × d）也是参数。",
        ),
        lambda m: m.count(positions=False),
        None,
        drawn=True,
    ),
    MistakeSpec(
        "forgot-segment-embeddings",
        Text(
            en="BERT also has segment (token-type) embeddings, 2 × d.",
            zh="BERT 还有 segment（token type）嵌入，2 × d。",
        ),
        lambda m: m.count(segments=False),
        None,
        drawn=False,
        kinds=("encoder",),
    ),
    MistakeSpec(
        "forgot-pooler",
        Text(
            en="BertModel ends with a pooler, Linear(d, d) with bias.",
            zh="BertModel 最后还有一个 pooler：带偏置的 Linear(d, d)。",
        ),
        lambda m: m.count() - m.d_model * m.d_model - m.d_model,
        None,
        drawn=True,
        kinds=("encoder",),
    ),
)
_TIED = Text(
    en="The LM head is tied to (is the same tensor as) the token embedding: count it once.",
    zh="LM head 与词嵌入共享（是同一个张量），只算一次。",
)
_UNTIED = Text(
    en="This LM head has its own V × d weights; it is not tied to the embedding.",
    zh="这个 LM head 有自己的 V × d 权重，没有与词嵌入共享。",
)


def _model_mistakes(m: Transformer, published: bool) -> list[Mistake]:
    found: list[Mistake] = []
    if m.kind == "decoder":
        tied_label = _TIED if m.tied else _UNTIED
        found.append(mistake("untied-vs-tied", tied_label, replace(m, tied=not m.tied).count()))
    for spec in _SPECS:
        if (published or spec.drawn) and m.kind in spec.kinds:
            found.append(mistake(spec.id, spec.label, spec.whole(m)))
    return found


def _layer_steps(m: Transformer) -> list[Text]:
    d, f = m.d_model, m.d_ff
    attention, ffn = 4 * d * d + 4 * d, 2 * d * f + f + d
    return [
        Text(
            en=f"attention Q, K, V, O, each d×d + d: 4·({d}² + {d}) = {num(attention)}",
            zh=f"注意力 Q、K、V、O 各 d×d + d：4·({d}² + {d}) = {num(attention)}",
        ),
        Text.same(f"FFN: {d}·{f} + {f} + {f}·{d} + {d} = {num(ffn)}"),
        Text(
            en=f"two LayerNorms, gain + bias: 2·2·{d} = {num(4 * d)}; "
            f"one layer = {num(m.layer_count())}",
            zh=f"两个 LayerNorm（增益 + 偏置）：2·2·{d} = {num(4 * d)}；"
            f"每层共 {num(m.layer_count())}",
        ),
    ]


# d_model → head counts that divide it
LAYER_HEADS = {
    64: (2, 4),
    128: (2, 4, 8),
    256: (4, 8),
    384: (6, 12),
    512: (8, 16),
    768: (12, 16),
    1024: (8, 16),
    1280: (10, 20),
}
LAYER_WIDTHS = tuple(LAYER_HEADS)


@cache
def _layer_question(d: int, heads: int) -> Draft:
    """The question on one layer; it depends on (d, heads) only, so each is built once."""
    m = Transformer("encoder", d, 1, 0, 0, 4 * d, heads)
    prompt = Text(
        en=f"One Transformer encoder layer with d_model = {d}, {heads} heads and d_ff = "
        f"{num(4 * d)}: multi-head self-attention with Q, K, V and output projections (each "
        "Linear(d, d) with bias), an FFN Linear(d, d_ff) → activation → Linear(d_ff, d) with "
        "biases, and two LayerNorms. How many learnable parameters does the layer have?",
        zh=f"一个 Transformer 编码器层，d_model = {d}，{heads} 个头，d_ff = {num(4 * d)}："
        "多头自注意力有 Q、K、V 和输出投影（每个都是带偏置的 Linear(d, d)），"
        "FFN 为 Linear(d, d_ff) → 激活 → Linear(d_ff, d)（带偏置），还有两个 LayerNorm。"
        "这一层有多少个可学习参数？",
    )
    steps = _layer_steps(m)
    steps.append(Text.same(f"12d² + 13d = 12·{d}² + 13·{d} = {num(m.layer_count())}"))
    mistakes = [mistake(s.id, s.label, s.layer(m)) for s in _SPECS if s.layer is not None]
    return count_draft(
        prompt,
        m.layer_count(),
        {"ask": "layer", "d_model": d, "heads": heads},
        tuple(steps),
        mistakes,
    )


def _describe(m: Transformer, name: str | None) -> Text:
    common_en = (
        f"d_model = {num(m.d_model)}, {m.layers} layers, {m.heads} heads, d_ff = {num(m.d_ff)}, "
        f"vocabulary {num(m.vocab)}, {num(m.context)} learned position embeddings"
    )
    common_zh = (
        f"d_model = {num(m.d_model)}，{m.layers} 层，{m.heads} 个头，d_ff = {num(m.d_ff)}，"
        f"词表 {num(m.vocab)}，{num(m.context)} 个可学习位置嵌入"
    )
    a_en, a_zh = (f"{name} is a", f"{name} 是一个") if name else ("A", "一个")
    if m.kind == "encoder":
        return Text(
            en=f"{a_en} BERT-style encoder (embeddings, layers and pooler, no pre-training "
            f"heads): {common_en}, 2 segment (token-type) embeddings, a LayerNorm after the "
            "embeddings and two in every layer, and a pooler Linear(d, d). All linear layers "
            "have biases. How many parameters does it have?",
            zh=f"{a_zh} BERT 式编码器（嵌入、各层和 pooler，不含预训练头）：{common_zh}，"
            "2 个 segment（token type）嵌入，嵌入之后一个 LayerNorm、每层两个 LayerNorm，"
            "以及 pooler Linear(d, d)。所有线性层都有偏置。它有多少个参数？",
        )
    head_en = "tied to the token embedding (the same tensor)" if m.tied else "with its own weights"
    head_zh = "与词嵌入共享（同一个张量）" if m.tied else "有自己独立的权重"
    return Text(
        en=f"{a_en} GPT-2-style decoder: {common_en}, two LayerNorms in every layer and a "
        f"final one, and an LM head without bias {head_en}. All other linear layers have "
        "biases. How many parameters does it have (a shared tensor counts once)?",
        zh=f"{a_zh} GPT-2 式解码器：{common_zh}，每层两个 LayerNorm 外加最后一个 LayerNorm，"
        f"LM head 不带偏置，{head_zh}。其余线性层都有偏置。它有多少个参数（共享的张量只算一次）？",
    )


def _model_steps(m: Transformer) -> tuple[Text, ...]:
    d, layer = m.d_model, m.layer_count()
    total = m.count()
    if m.kind == "encoder":
        embeddings = (m.vocab + m.context + m.type_vocab + 2) * d
        first = Text(
            en=f"embeddings (token + position + segment) and their LayerNorm: "
            f"({num(m.vocab)} + {num(m.context)} + 2 + 2)·{d} = {num(embeddings)}",
            zh=f"嵌入（词 + 位置 + segment）及其 LayerNorm："
            f"({num(m.vocab)} + {num(m.context)} + 2 + 2)·{d} = {num(embeddings)}",
        )
        last = Text(
            en=f"pooler: {d}² + {d} = {num(d * d + d)}; total {num(total)}",
            zh=f"pooler：{d}² + {d} = {num(d * d + d)}；合计 {num(total)}",
        )
    else:
        embeddings = (m.vocab + m.context) * d
        first = Text(
            en=f"embeddings (token + position): ({num(m.vocab)} + {num(m.context)})·{d} = "
            f"{num(embeddings)}",
            zh=f"嵌入（词 + 位置）：({num(m.vocab)} + {num(m.context)})·{d} = {num(embeddings)}",
        )
        head_en = "tied LM head: 0 more" if m.tied else f"LM head {num(m.vocab)}·{d} = "
        head_zh = "共享的 LM head：不再计数" if m.tied else f"LM head {num(m.vocab)}·{d} = "
        if not m.tied:
            head_en += num(m.vocab * d)
            head_zh += num(m.vocab * d)
        last = Text(
            en=f"final LayerNorm 2·{d} = {num(2 * d)}; {head_en}; total {num(total)}",
            zh=f"最后的 LayerNorm 2·{d} = {num(2 * d)}；{head_zh}；合计 {num(total)}",
        )
    layers = Text.same(f"{m.layers} × {num(layer)} = {num(m.layers * layer)}")
    return (first, *_layer_steps(m), layers, last)


@cache
def _preset_question(index: int) -> Draft:
    """A published model's question never changes, so each is built once."""
    preset = PRESETS[index]
    m = preset.model
    return count_draft(
        _describe(m, f"{preset.name} (Hugging Face {preset.hf_class})"),
        m.count(),
        {"ask": "preset", "model": preset.name},
        _model_steps(m),
        _model_mistakes(m, published=True),
    )


MODEL_WIDTHS = (128, 256, 384, 512, 640, 768, 1024)
VOCABS = (8000, 16000, 30522, 32000, 50257)
CONTEXTS = (128, 256, 512, 1024, 2048)


def _config_question(draw: Draw) -> Draft:
    layers = draw.int("layers")
    u = draw.uniforms(5)
    kind: Kind = "encoder" if u[0] < 0.5 else "decoder"
    d = choose(u[1], MODEL_WIDTHS)
    tied = kind == "encoder" or u[4] < 0.5
    m = Transformer(
        kind, d, layers, choose(u[2], VOCABS), choose(u[3], CONTEXTS), 4 * d, d // 64, tied=tied
    )
    params = {
        "ask": "config",
        "kind": kind,
        "d_model": d,
        "layers": layers,
        "vocab": m.vocab,
        "context": m.context,
        "tied": int(tied),
    }
    return count_draft(
        _describe(m, None), m.count(), params, _model_steps(m), _model_mistakes(m, False)
    )


def _transformer(draw: Draw) -> Draft:
    ask = draw.int("ask")
    if ask == 2:
        return _config_question(draw)
    # cached drafts are shared; each question gets its own params dict all the same
    if ask == 1:
        cached = _preset_question(int(draw.rng.integers(len(PRESETS))))
    else:
        u = draw.uniforms(2)
        d = choose(u[0], LAYER_WIDTHS)
        cached = _layer_question(d, choose(u[1], LAYER_HEADS[d]))
    return replace(cached, params=dict(cached.params))


FAMILIES = (
    Family(
        id="transformer-params",
        version=1,
        description="Parameters of a Transformer layer, of BERT / GPT-2 and of BERT- or "
        "GPT-2-like configurations",
        topic="transformer-params",
        build=_transformer,
        params={
            "ask": ParamSpec(
                0, 2, doc="0 one encoder layer, 1 a published model, 2 a configuration"
            ),
            "layers": ParamSpec(1, 48, doc="layers of a drawn configuration (ask = 2)"),
        },
    ),
)
