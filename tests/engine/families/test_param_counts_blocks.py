"""se-block-params and bilinear-cnn-features: SE counts from the explicit FC tensors and
the SE paper's published overhead for SE-ResNet-50; bilinear features computed with
numpy on actual feature maps."""

from __future__ import annotations

import math
from functools import cache

import numpy as np
from draft_checks import assert_integers_apart, int_param, mistakes_by_id

from quizdl.engine.families.param_counts_blocks import se_block_param_count
from quizdl.engine.registry import families

SE = families()["se-block-params"]
BILINEAR = families()["bilinear-cnn-features"]
SEEDS = range(300)


def total(shapes: list[tuple[int, ...]]) -> int:
    return sum(math.prod(shape) for shape in shapes)


def se_tensors(channels: int, hidden: int) -> list[tuple[int, ...]]:
    """fc1 = Linear(C, C/r), fc2 = Linear(C/r, C): weights (out, in) and biases (out,)."""
    return [(hidden, channels), (hidden,), (channels, hidden), (channels,)]


def test_se_counts_match_explicit_fc_tensors() -> None:
    for seed in SEEDS:
        draft = SE.generate(seed).draft
        c, r = int_param(draft, "channels"), int_param(draft, "reduction")
        assert c % r == 0
        tensors = se_tensors(c, c // r)
        assert draft.answer == total(tensors)
        found = mistakes_by_id(draft)
        assert found["forgot-bias"] == total([s for s in tensors if len(s) == 2])
        assert found["no-reduction"] == total(se_tensors(c, c))
        assert found["one-fc-layer"] == total(tensors[:2])
        assert f"C = {c} channels" in draft.prompt.en and f"r = {r}:" in draft.prompt.en
        assert_integers_apart(draft)


def test_se_resnet50_overhead_matches_the_paper() -> None:
    # Hu et al., "Squeeze-and-Excitation Networks" (CVPR 2018), Sec. 6.2 / Eq. 5: the SE
    # blocks add (2/r)·Σ_s N_s·C_s² weights to ResNet-50 (stages of 3, 4, 6, 3 blocks with
    # 256, 512, 1024, 2048 output channels), "~2.5 million" at r = 16.
    stages = ((3, 256), (4, 512), (6, 1024), (3, 2048))
    weights = sum(n * se_block_param_count(c, 16, bias=False) for n, c in stages)
    assert weights == 2 * sum(n * c * c for n, c in stages) // 16
    assert round(weights / 1e6, 1) == 2.5


def test_se_same_seed_same_question_and_narrowed_reduction() -> None:
    for seed in range(100):
        assert SE.generate(seed) == SE.generate(seed)
        draft = SE.generate(seed, {"reduction": (16, 16)}).draft
        assert int_param(draft, "reduction") == 16 and int_param(draft, "channels") % 16 == 0


@cache
def bilinear_sizes(side: int, c_a: int, c_b: int) -> tuple[int, int, int]:
    """(pooled bilinear feature, unpooled outer products, concatenation) sizes, computed
    on random feature maps with one row per location."""
    rng = np.random.default_rng(side * c_a * c_b)
    a, b = rng.random((side * side, c_a)), rng.random((side * side, c_b))
    pooled = (a.T @ b).reshape(-1)  # Σ over locations of the outer products
    # the unpooled outer products a[l, :, None] * b[l, None, :], shape only (too big to build)
    per_location = math.prod(np.broadcast_shapes(a[:, :, None].shape, b[:, None, :].shape))
    concatenated = np.concatenate([a.sum(axis=0), b.sum(axis=0)])
    return pooled.size, per_location, concatenated.size


def test_bilinear_features_computed_on_feature_maps() -> None:
    for seed in SEEDS:
        draft = BILINEAR.generate(seed).draft
        c_a, c_b = int_param(draft, "c_a"), int_param(draft, "c_b")
        side, classes = int_param(draft, "side"), int_param(draft, "classes")
        pooled, per_location, concatenated = bilinear_sizes(side, c_a, c_b)
        found = mistakes_by_id(draft)
        if draft.params["ask"] == "feature":
            assert draft.answer == pooled
            assert found["concatenated"] == concatenated
            assert found["counted-per-location"] == per_location
        else:
            classifier = [(classes, pooled), (classes,)]  # nn.Linear weight and bias
            assert draft.answer == total(classifier)
            assert found["forgot-bias"] == total(classifier[:1])
            assert found["concatenated"] == total([(classes, concatenated), (classes,)])
            assert found["counted-per-location"] == total([(classes, per_location), (classes,)])
            assert f"{classes} classes" in draft.prompt.en
        assert f"{side}×{side}×{c_a}" in draft.prompt.en
        assert_integers_apart(draft)


def test_bilinear_vgg16_both_streams_is_512_squared() -> None:
    # B-CNN [D,D] (Lin et al., ICCV 2015): VGG-16 conv5_3 in both streams, 512 channels.
    for seed in range(500):
        draft = BILINEAR.generate(seed, {"ask": (0, 0)}).draft
        if draft.params["c_a"] == draft.params["c_b"] == 512:
            assert draft.answer == 262_144
            return
    raise AssertionError("no seed drew VGG-16 in both streams")


def test_bilinear_same_seed_same_question_and_narrowed_ranges() -> None:
    for seed in range(100):
        assert BILINEAR.generate(seed) == BILINEAR.generate(seed)
        draft = BILINEAR.generate(seed, {"ask": (1, 1), "classes": (200, 200)}).draft
        assert draft.params["ask"] == "classifier" and int_param(draft, "classes") == 200
