"""conv2d-params and conv-transpose-params: counts are checked by walking the channel
connectivity of a grouped convolution (which input channels each filter sees), output
sizes by sliding the window position by position."""

from __future__ import annotations

import re

from draft_checks import assert_integers_apart, int_param, mistakes_by_id

from quizdl.engine.question import Draft
from quizdl.engine.registry import families

CONV = families()["conv2d-params"]
TRANSPOSE = families()["conv-transpose-params"]
SEEDS = range(300)


def kernel(draft: Draft) -> tuple[int, int]:
    value = draft.params["kernel"]
    assert isinstance(value, list) and len(value) == 2
    k_h, k_w = value
    assert isinstance(k_h, int) and isinstance(k_w, int)
    return k_h, k_w


def connected_weights(n_filters: int, n_sources: int, groups: int, k_h: int, k_w: int) -> int:
    """Walk the filters one by one: filter f belongs to group f // (n_filters/groups) and
    has one k_h×k_w kernel for every source channel of that group."""
    filters_per_group, sources_per_group = n_filters // groups, n_sources // groups
    count = 0
    for f in range(n_filters):
        group = f // filters_per_group
        sources = [c for c in range(n_sources) if c // sources_per_group == group]
        count += len(sources) * k_h * k_w
    return count


def window_count(n: int, k: int, s: int, p: int) -> int:
    """How many windows of size k fit at stride s in the input padded by p on both sides."""
    padded = n + 2 * p
    return sum(1 for start in range(0, padded, s) if start + k <= padded)


def test_conv2d_counts_match_channel_connectivity() -> None:
    for seed in SEEDS:
        draft = CONV.generate(seed).draft
        c_in, c_out, groups = (int_param(draft, key) for key in ("c_in", "c_out", "groups"))
        k_h, k_w = kernel(draft)
        bias = int_param(draft, "bias") == 1
        assert c_in % groups == 0 and c_out % groups == 0
        if draft.params["variant"] == "depthwise":
            assert groups == c_in and c_out % c_in == 0
        weights = connected_weights(c_out, c_in, groups, k_h, k_w)
        assert draft.answer == weights + (c_out if bias else 0)
        found = mistakes_by_id(draft)
        if bias:
            assert found.get("forgot-bias", weights) == weights
        else:
            assert found["added-bias"] == weights + c_out
        if groups > 1:
            dense = connected_weights(c_out, c_in, 1, k_h, k_w) + (c_out if bias else 0)
            assert found.get("ignored-groups", dense) == dense
        # the output size stated in the prompt, counted window by window
        size, stride = int_param(draft, "size"), int_param(draft, "stride")
        h_out = window_count(size, k_h, stride, k_h // 2)
        w_out = window_count(size, k_w, stride, k_w // 2)
        assert f"{c_out}×{h_out}×{w_out} output" in draft.prompt.en
        assert found["counted-per-position"] == draft.answer * h_out * w_out
        assert_integers_apart(draft)


def test_conv2d_example_resnet_stem() -> None:
    # ResNet's stem conv: 64 filters of 3×7×7 without bias = 9,408 parameters
    # (He et al. 2016; torchvision resnet50 conv1.weight has shape (64, 3, 7, 7)).
    ranges = {"variant": (0, 0), "kernel": (7, 7), "bias": (0, 0)}
    for seed in range(3000):
        draft = CONV.generate(seed, ranges).draft
        if (draft.params["c_in"], draft.params["c_out"], kernel(draft)) == (3, 64, (7, 7)):
            assert draft.answer == 9408
            return
    raise AssertionError("no seed drew the ResNet stem")


def test_conv2d_same_seed_same_question_and_narrowed_ranges() -> None:
    for seed in range(100):
        assert CONV.generate(seed) == CONV.generate(seed)
        ranges = {"variant": (2, 2), "kernel": (3, 3), "size": (32, 32), "bias": (0, 0)}
        draft = CONV.generate(seed, ranges).draft
        assert draft.params["variant"] == "depthwise" and kernel(draft) == (3, 3)
        assert int_param(draft, "size") == 32 and int_param(draft, "bias") == 0
        grouped = CONV.generate(seed, {"variant": (1, 1)}).draft
        assert int_param(grouped, "groups") > 1 and "ignored-groups" in mistakes_by_id(grouped)


def test_conv_transpose_counts_and_weight_layout() -> None:
    for seed in SEEDS:
        draft = TRANSPOSE.generate(seed).draft
        c_in, c_out, groups = (int_param(draft, key) for key in ("c_in", "c_out", "groups"))
        k_h, k_w = kernel(draft)
        bias = int_param(draft, "bias") == 1
        found = mistakes_by_id(draft)
        if draft.params["ask"] == "shape":
            # PyTorch docs, ConvTranspose2d: weight of shape
            # (in_channels, out_channels/groups, kernel_size[0], kernel_size[1])
            assert draft.kind == "vector"
            assert draft.answer == (c_in, c_out / groups, k_h, k_w)
            assert found.get("conv-weight-layout", (c_out, c_in / groups, k_h, k_w)) == (
                c_out,
                c_in / groups,
                k_h,
                k_w,
            )
        else:
            # each input channel feeds the output channels of its own group
            weights = connected_weights(c_in, c_out, groups, k_h, k_w)
            assert draft.answer == weights + (c_out if bias else 0)
            if bias:
                assert found.get("forgot-bias", weights) == weights
            if groups > 1:
                dense = connected_weights(c_in, c_out, 1, k_h, k_w) + (c_out if bias else 0)
                assert found["ignored-groups"] == dense
        assert re.search(rf"nn\.ConvTranspose2d\({c_in}, {c_out}, ", draft.prompt.en)
        assert_integers_apart(draft)


def test_conv_transpose_same_seed_same_question_and_narrowed_ranges() -> None:
    for seed in range(100):
        assert TRANSPOSE.generate(seed) == TRANSPOSE.generate(seed)
        ranges = {"ask": (1, 1), "variant": (1, 1), "kernel": (4, 4), "bias": (1, 1)}
        draft = TRANSPOSE.generate(seed, ranges).draft
        assert draft.params["ask"] == "shape" and kernel(draft) == (4, 4)
        assert int_param(draft, "groups") > 1 and int_param(draft, "bias") == 1
