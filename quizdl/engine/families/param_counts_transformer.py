"""Questions on the parameter counts of Transformers: one encoder layer, BERT-like encoders
and GPT-2-like decoders, and the published models (the counting: _transformer_model)."""

from __future__ import annotations

from dataclasses import replace
from functools import cache

from quizdl.engine.draw import choose
from quizdl.engine.families._shared import count_draft, mistake
from quizdl.engine.families._transformer_model import MISTAKES, PRESETS, Kind, Transformer
from quizdl.engine.fmt import num
from quizdl.engine.question import Draft, Draw, Family, Mistake, ParamSpec
from quizdl.kb.text import Text

_TIED = Text(
    en="The LM head is tied to (is the same tensor as) the token embedding: count it once.",
    zh="LM head 与词嵌入共享（是同一个张量），只算一次。",
)
_UNTIED = Text(
    en="This LM head has its own V × d weights; it is not tied to the embedding.",
    zh="这个 LM head 有自己的 V × d 权重，没有与词嵌入共享。",
)


def _model_mistakes(m: Transformer) -> list[Mistake]:
    found: list[Mistake] = []
    if m.kind == "decoder":
        tied_label = _TIED if m.tied else _UNTIED
        found.append(mistake("untied-vs-tied", tied_label, replace(m, tied=not m.tied).count()))
    for spec in MISTAKES:
        if m.kind in spec.kinds:
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
    mistakes = [mistake(s.id, s.label, s.layer(m)) for s in MISTAKES if s.in_layer]
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
        _model_mistakes(m),
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
    return count_draft(_describe(m, None), m.count(), params, _model_steps(m), _model_mistakes(m))


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
        # 2: drawn configurations diagnose every mistake the published models do
        version=2,
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
