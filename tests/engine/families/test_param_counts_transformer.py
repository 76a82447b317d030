"""transformer-params: every count is checked against the models' tensors listed one by
one under Hugging Face transformers' names (BertModel, GPT2LMHeadModel), and the
published models against their published parameter counts.

Published counts: what Hugging Face transformers' ``model.num_parameters()`` reports for
``BertModel.from_pretrained(name)`` (bert-base-uncased 109,482,240; bert-large-uncased
335,141,888) and ``GPT2LMHeadModel.from_pretrained(name)``, whose LM head is tied to the
token embedding and counted once (gpt2 124,439,808; gpt2-medium 354,823,168; gpt2-large
774,030,080; gpt2-xl 1,557,611,200). The configurations are the models' config.json on
the Hugging Face Hub (hidden size, layers, intermediate size, vocabulary, positions).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable

from draft_checks import int_param, mistakes_by_id

from quizdl.engine.families._transformer_model import Kind, transformer_param_count
from quizdl.engine.question import Draft
from quizdl.engine.registry import families

TRANSFORMER = families()["transformer-params"]
Tensors = dict[str, tuple[int, ...]]


def bert_layer(prefix: str, d: int, d_ff: int) -> Tensors:
    t: Tensors = {}
    for name in ("query", "key", "value"):
        t[f"{prefix}attention.self.{name}.weight"] = (d, d)
        t[f"{prefix}attention.self.{name}.bias"] = (d,)
    t[f"{prefix}attention.output.dense.weight"] = (d, d)
    t[f"{prefix}attention.output.dense.bias"] = (d,)
    t[f"{prefix}attention.output.LayerNorm.weight"] = (d,)
    t[f"{prefix}attention.output.LayerNorm.bias"] = (d,)
    t[f"{prefix}intermediate.dense.weight"] = (d_ff, d)
    t[f"{prefix}intermediate.dense.bias"] = (d_ff,)
    t[f"{prefix}output.dense.weight"] = (d, d_ff)
    t[f"{prefix}output.dense.bias"] = (d,)
    t[f"{prefix}output.LayerNorm.weight"] = (d,)
    t[f"{prefix}output.LayerNorm.bias"] = (d,)
    return t


def bert_model(vocab: int, positions: int, d: int, layers: int, d_ff: int) -> Tensors:
    t: Tensors = {
        "embeddings.word_embeddings.weight": (vocab, d),
        "embeddings.position_embeddings.weight": (positions, d),
        "embeddings.token_type_embeddings.weight": (2, d),
        "embeddings.LayerNorm.weight": (d,),
        "embeddings.LayerNorm.bias": (d,),
    }
    for i in range(layers):
        t |= bert_layer(f"encoder.layer.{i}.", d, d_ff)
    t["pooler.dense.weight"] = (d, d)
    t["pooler.dense.bias"] = (d,)
    return t


def gpt2_model(
    vocab: int, positions: int, d: int, layers: int, d_ff: int, tied: bool = True
) -> Tensors:
    t: Tensors = {"transformer.wte.weight": (vocab, d), "transformer.wpe.weight": (positions, d)}
    for i in range(layers):
        p = f"transformer.h.{i}."
        t[p + "ln_1.weight"], t[p + "ln_1.bias"] = (d,), (d,)
        t[p + "attn.c_attn.weight"], t[p + "attn.c_attn.bias"] = (d, 3 * d), (3 * d,)
        t[p + "attn.c_proj.weight"], t[p + "attn.c_proj.bias"] = (d, d), (d,)
        t[p + "ln_2.weight"], t[p + "ln_2.bias"] = (d,), (d,)
        t[p + "mlp.c_fc.weight"], t[p + "mlp.c_fc.bias"] = (d, d_ff), (d_ff,)
        t[p + "mlp.c_proj.weight"], t[p + "mlp.c_proj.bias"] = (d_ff, d), (d,)
    t["transformer.ln_f.weight"], t["transformer.ln_f.bias"] = (d,), (d,)
    if not tied:  # a tied lm_head.weight IS transformer.wte.weight: one tensor, counted once
        t["lm_head.weight"] = (vocab, d)
    return t


def total(tensors: Tensors, keep: Callable[[str], bool] = lambda name: True) -> int:
    return sum(math.prod(shape) for name, shape in tensors.items() if keep(name))


def is_norm(name: str) -> bool:
    return "LayerNorm" in name or ".ln_" in name


def is_linear_bias(name: str) -> bool:
    return name.endswith(".bias") and not is_norm(name)


PUBLISHED = {
    "BERT-base-uncased": (bert_model(30522, 512, 768, 12, 3072), 109_482_240),
    "BERT-large-uncased": (bert_model(30522, 512, 1024, 24, 4096), 335_141_888),
    "GPT-2 small": (gpt2_model(50257, 1024, 768, 12, 3072), 124_439_808),
    "GPT-2 medium": (gpt2_model(50257, 1024, 1024, 24, 4096), 354_823_168),
    "GPT-2 large": (gpt2_model(50257, 1024, 1280, 36, 5120), 774_030_080),
    "GPT-2 XL": (gpt2_model(50257, 1024, 1600, 48, 6400), 1_557_611_200),
}
CONFIGS: dict[str, tuple[Kind, int, int, int, int]] = {
    "BERT-base-uncased": ("encoder", 768, 12, 30522, 512),
    "BERT-large-uncased": ("encoder", 1024, 24, 30522, 512),
    "GPT-2 small": ("decoder", 768, 12, 50257, 1024),
    "GPT-2 medium": ("decoder", 1024, 24, 50257, 1024),
    "GPT-2 large": ("decoder", 1280, 36, 50257, 1024),
    "GPT-2 XL": ("decoder", 1600, 48, 50257, 1024),
}


def check_mistakes(draft: Draft, tensors: Tensors, is_encoder: bool, heads: int) -> None:
    """Each mistake's count is the tensor list with the forgotten tensors left out."""
    found = mistakes_by_id(draft)
    expected = {
        "forgot-biases": total(tensors, lambda n: not is_linear_bias(n)),
        "forgot-layernorm": total(tensors, lambda n: not is_norm(n)),
        "forgot-position-embeddings": total(
            tensors, lambda n: "position_embeddings" not in n and "wpe" not in n
        ),
    }
    # the FFN's second matrix left out
    expected["ffn-4d-not-counted-twice"] = (
        total(tensors, lambda n: not (n.endswith("output.dense.weight") and "attention" not in n))
        if is_encoder
        else total(tensors, lambda n: not n.endswith("mlp.c_proj.weight"))
    )
    # the attention output projection (weight and bias) left out
    expected["forgot-output-projection"] = total(
        tensors,
        lambda n: "attention.output.dense" not in n and "attn.c_proj" not in n,
    )
    attention = total(
        tensors, lambda n: "attention.self" in n or "attention.output.dense" in n or ".attn." in n
    )
    expected["multiplied-by-heads"] = total(tensors) + (heads - 1) * attention
    if is_encoder:
        expected["forgot-segment-embeddings"] = total(tensors, lambda n: "token_type" not in n)
        expected["forgot-pooler"] = total(tensors, lambda n: not n.startswith("pooler"))
    for key, value in found.items():
        if key != "untied-vs-tied":
            assert value == expected[key], key


def test_tensor_listings_match_published_counts() -> None:
    for name, (tensors, published) in PUBLISHED.items():
        assert total(tensors) == published, name
        kind, d, layers, vocab, context = CONFIGS[name]
        count = transformer_param_count(
            kind=kind,
            d_model=d,
            layers=layers,
            vocab=vocab,
            context=context,
        )
        assert count == published, name


def test_published_model_questions() -> None:
    seen: set[str] = set()
    for seed in range(200):
        draft = TRANSFORMER.generate(seed, {"ask": (1, 1)}).draft
        name = draft.params["model"]
        assert isinstance(name, str)
        seen.add(name)
        tensors, published = PUBLISHED[name]
        assert draft.answer == published
        kind, d, layers, vocab, context = CONFIGS[name]
        assert f"d_model = {d:,}, {layers} layers" in draft.prompt.en
        check_mistakes(draft, tensors, kind == "encoder", heads=d // 64)
        found = mistakes_by_id(draft)
        if kind == "decoder":
            untied = gpt2_model(vocab, context, d, layers, 4 * d, tied=False)
            assert found["untied-vs-tied"] == total(untied)
    assert seen == set(PUBLISHED)


def test_drawn_configurations_match_tensor_listings() -> None:
    diagnosed: set[str] = set()
    for seed in range(300):
        draft = TRANSFORMER.generate(seed, {"ask": (2, 2)}).draft
        d, layers = int_param(draft, "d_model"), int_param(draft, "layers")
        vocab, context = int_param(draft, "vocab"), int_param(draft, "context")
        tied = int_param(draft, "tied") == 1
        if draft.params["kind"] == "encoder":
            tensors = bert_model(vocab, context, d, layers, 4 * d)
        else:
            tensors = gpt2_model(vocab, context, d, layers, 4 * d, tied)
            flipped = gpt2_model(vocab, context, d, layers, 4 * d, not tied)
            assert mistakes_by_id(draft)["untied-vs-tied"] == total(flipped)
        assert draft.answer == total(tensors)
        check_mistakes(draft, tensors, draft.params["kind"] == "encoder", heads=d // 64)
        values = [draft.answer, *mistakes_by_id(draft).values()]
        for a, b in itertools.combinations(values, 2):
            assert isinstance(a, float) and isinstance(b, float) and abs(a - b) >= 1
        diagnosed |= set(mistakes_by_id(draft))
    # drawn configurations diagnose every mistake the published models do (version 2)
    assert {"forgot-output-projection", "multiplied-by-heads", "forgot-segment-embeddings"} <= (
        diagnosed
    )


def test_one_layer_questions_match_a_bert_layer() -> None:
    for seed in range(200):
        draft = TRANSFORMER.generate(seed, {"ask": (0, 0)}).draft
        d, heads = int_param(draft, "d_model"), int_param(draft, "heads")
        assert d % heads == 0
        layer = bert_layer("", d, 4 * d)
        assert draft.answer == total(layer)
        check_mistakes(draft, layer, True, heads)


def test_same_seed_same_question_and_narrowed_ranges() -> None:
    for seed in range(100):
        assert TRANSFORMER.generate(seed) == TRANSFORMER.generate(seed)
        draft = TRANSFORMER.generate(seed, {"ask": (2, 2), "layers": (6, 6)}).draft
        assert draft.params["ask"] == "config" and int_param(draft, "layers") == 6
